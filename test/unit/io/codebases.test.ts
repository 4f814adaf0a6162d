// Checkpoints as the public PLRNN code bases write them (test/fixtures/codebases/, made by
// scripts/make-codebase-fixtures.py from classes that mirror the originals' attributes and
// forward passes): the reduced map must equal the original forward pass on random states.
// This is the test that catches a wrong sign or a missed variant.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AmbiguousModelError } from '../../../src/core/io/codebases';
import { loadModelFile, ModelChoiceError, type LoadOptions } from '../../../src/core/io/load';
import { step } from '../../../src/core/model';

const DIR = join(__dirname, '..', '..', 'fixtures', 'codebases');

interface Forward {
  case: string;
  checkpoint: string;
  states?: number[][];
  next?: number[][];
  experts?: { expert: number; next: number[][] }[];
  interpretations?: Record<string, { reading: string; next: number[][] }>;
  error?: string;
  className?: string;
}

const forward = (c: string) => JSON.parse(readFileSync(join(DIR, c, 'forward.json'), 'utf8')) as Forward;

function matchesForward(loaded: Awaited<ReturnType<typeof loadModelFile>>, states: number[][], next: number[][], what: string): void {
  let worst = 0;
  states.forEach((z, i) => {
    const got = step(loaded.model.map, z);
    next[i].forEach((w, j) => {
      const err = Math.abs(got[j] - w) / (1 + Math.abs(w));
      worst = Math.max(worst, err);
      assert.ok(err <= 1e-12, `${what}: state ${i}, unit ${j}: map gives ${got[j]}, the code's forward pass ${w}`);
    });
  });
  assert.ok(worst <= 1e-12);
}

/** What each case must read as: the architecture, the options, and what the notes must say. */
const EXPECT: Record<string, { architecture: string; options?: Record<string, unknown>; note?: RegExp; load?: LoadOptions }> = {
  'bptt-dendr-mc': { architecture: 'dendplrnn', options: { meanCentering: true, clip: 10 }, note: /^read as a dendr-PLRNN of the dendPLRNN code \(BPTT_TF.*: thresholds negated.*mean-centring on, state clipped to ±10 \(from hypers\.pkl\)/ },
  'bptt-clipped': { architecture: 'dendplrnn', options: { basis: 'clipped' }, note: /clipped-PLRNN of the dendPLRNN code.*thresholds negated.*no mean-centring, no state clip/ },
  'bptt-plrnn-mc': { architecture: 'plrnn', options: { meanCentering: true, clip: 10 }, note: /a PLRNN of the dendPLRNN code \(BPTT_TF.*: mean-centring on, state clipped to ±10/ },
  'chaosrnn-clipped': { architecture: 'dendplrnn', options: { basis: 'clipped', meanCentering: true }, note: /clipped-PLRNN of the ChaosRNN code/ },
  'chaosrnn-plrnn': { architecture: 'plrnn', options: {}, note: /a PLRNN of the ChaosRNN code.*: no mean-centring, no state clip/ },
  'mtf-clipped': { architecture: 'dendplrnn', options: { basis: 'clipped', meanCentering: true }, note: /clipped-PLRNN of the MTF code/ },
  'vi-plrnn': { architecture: 'plrnn', options: { leak: 0.18, clip: 10 }, note: /variational.*LeakyReLU\(0\.18\), state clipped to ±10/ },
  'vi-clipping': { architecture: 'pam', note: /clipped basis step of the variational/ },
  'alrnn-tutorial': { architecture: 'alrnn', note: /P = 2 from the file name lorenz_m6_p2/ },
  'alrnn-hypers': { architecture: 'alrnn', note: /P = 3 from pwl_units in args\.json/ },
  'plrnn-zero-diag': { architecture: 'plrnn' },
  // torch.save(model): read through inert stand-ins of the classes, named as state_dict() would.
  'whole-module-main': { architecture: 'plrnn', note: /holds a whole '__main__\.MyPLRNN' object \(torch\.save\(model\)\).*none of its code is run/ },
  // No hypers.pkl: the saved object says its variant, its clip and that it does not centre.
  'whole-module-package': { architecture: 'dendplrnn', options: { clip: 10 }, note: /dendr-PLRNN of the dendPLRNN code.*no mean-centring, state clipped to ±10 \(from model_5000\.pt \(the saved PLRNN object\)\)/ },
};

describe('checkpoints of the public PLRNN code bases: the map equals the code\'s own forward pass', () => {
  for (const [c, want] of Object.entries(EXPECT)) {
    it(c, async () => {
      const f = forward(c);
      const loaded = await loadModelFile(join(DIR, c, f.checkpoint), want.load);
      assert.equal(loaded.model.spec.architecture, want.architecture);
      const spec = loaded.model.spec as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want.options ?? {})) assert.deepEqual(spec[k], v, `${c}: ${k}`);
      for (const k of ['clip', 'meanCentering', 'leak', 'basis']) if (!(k in (want.options ?? {}))) assert.equal(spec[k], undefined, `${c}: ${k} should not be set`);
      if (want.note) assert.ok(loaded.notes.some((n) => want.note!.test(n)), `${c}: notes ${JSON.stringify(loaded.notes)}`);
      matchesForward(loaded, f.states!, f.next!, c);
    });
  }

  it('bptt-dendr-no-hypers: refused, naming what is missing; with the values given, read exactly', async () => {
    const f = forward('bptt-dendr-no-hypers');
    const file = join(DIR, 'bptt-dendr-no-hypers', f.checkpoint);
    await assert.rejects(loadModelFile(file), (e: unknown) => {
      assert.ok(e instanceof AmbiguousModelError, String(e));
      assert.match(e.message, /^model_5000\.pt: a checkpoint of the dendPLRNN code \(BPTT_TF/);
      assert.match(e.message, /the variant \(latent_model: dendr-PLRNN or clipped-PLRNN/);
      assert.match(e.message, /mean-centring/);
      assert.match(e.message, /scyfi\.json/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    const loaded = await loadModelFile(file, { hyperparameters: { latent_model: 'dendr-PLRNN', mean_centering: 1, clip_range: 10 } });
    assert.ok(loaded.notes[0].includes('from the options'), loaded.notes[0]);
    matchesForward(loaded, f.states!, f.next!, 'bptt-dendr-no-hypers');
  });

  it('alrnn-ambiguous: "could be a PLRNN or an ALRNN", and each reading when chosen', async () => {
    const f = forward('alrnn-ambiguous');
    const file = join(DIR, 'alrnn-ambiguous', f.checkpoint);
    await assert.rejects(loadModelFile(file), (e: unknown) => e instanceof AmbiguousModelError && /could be a PLRNN or an ALRNN/.test(e.message) && /--P <n>/.test(e.message));
    const truth = await loadModelFile(file, { architecture: 'alrnn', P: 2 });
    matchesForward(truth, f.states!, f.next!, 'alrnn-ambiguous as ALRNN P = 2');
    const asPlrnn = Object.values(f.interpretations!).find((i) => /PLRNN.*as stored/i.test(i.reading));
    assert.ok(asPlrnn, JSON.stringify(Object.values(f.interpretations!).map((i) => i.reading)));
    matchesForward(await loadModelFile(file, { architecture: 'plrnn' }), f.states!, asPlrnn.next, 'alrnn-ambiguous as PLRNN');
  });

  for (const c of ['dynamix-alrnn', 'dynamix-shplrnn']) {
    it(`${c}: the experts are listed, never read as one model, and each matches its forward pass`, async () => {
      const f = forward(c);
      const file = join(DIR, c, f.checkpoint);
      await assert.rejects(loadModelFile(file), (e: unknown) => {
        assert.ok(e instanceof ModelChoiceError, String(e));
        assert.match(e.message, /a DynaMix mixture of \d experts.*not a piecewise-affine map.*; choose one of the \d \(0: experts\.0, .*\) with --model N/);
        assert.equal(e.choices.length, f.experts!.length);
        assert.deepEqual(e.choices.map((m) => m.label), f.experts!.map((x) => `experts.${x.expert}`));
        for (const m of e.choices) assert.equal(m.error, undefined, m.error);
        return true;
      });
      for (const x of f.experts!) {
        const loaded = await loadModelFile(file, { model: x.expert });
        assert.equal(loaded.model.spec.architecture, c === 'dynamix-alrnn' ? 'alrnn' : 'clipped-shplrnn');
        assert.equal(loaded.index, x.expert);
        matchesForward(loaded, f.states!, x.next, `${c} expert ${x.expert}`);
      }
      await assert.rejects(loadModelFile(file, { model: 9 }), /there is no model 9/);
    });
  }

  it('every case folder is covered by a test', () => {
    const tested = new Set([...Object.keys(EXPECT), 'bptt-dendr-no-hypers', 'alrnn-ambiguous', 'dynamix-alrnn', 'dynamix-shplrnn']);
    const folders = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    assert.deepEqual(folders.filter((d) => !tested.has(d)), []);
  });
});
