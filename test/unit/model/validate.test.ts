import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/core/errors';
import { validateModelSpec } from '../../../src/core/model';
import { parseJsonText } from '../../../src/core/io/json';

const plrnn = { architecture: 'plrnn', A: [0.5, 0.2], W: [[0, 1], [-1, 0]], h: [0.1, 0.2] };
const shplrnn = { architecture: 'shplrnn', A: [0.5, 0.2], W1: [[1, 2, 3], [4, 5, 6]], W2: [[1, 0], [0, 1], [1, 1]], h1: [0, 0], h2: [1, 2, 3] };
const alrnn = { architecture: 'alrnn', A: [0.5, 0.2, 0.1], W: [[0, 1, 0], [1, 0, 0], [0, 0, 1]], h: [0, 0, 0], P: 1 };
const dend = { architecture: 'dendplrnn', A: [0.5, 0.2], W: [[0, 1], [1, 0]], h: [0, 0], alpha: [1, 0.5, 0.2], H: [[0, 1, 2], [0, 1, 2]] };

function rejects(value: unknown, pattern: RegExp, jsonPath?: (string | number)[]) {
  assert.throws(
    () => validateModelSpec(value, 'm.json'),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
      assert.match(e.message, /^m\.json: /);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes('\n'));
      if (jsonPath) assert.deepEqual(e.jsonPath, jsonPath);
      return true;
    },
  );
}

const edit = (base: object, patch: Record<string, unknown>) => ({ ...base, ...patch });

describe('validateModelSpec', () => {
  test('accepts each architecture', () => {
    for (const m of [plrnn, shplrnn, alrnn, dend, edit(shplrnn, { architecture: 'clipped-shplrnn' }), edit(plrnn, { A: [[0.5, 0.1], [0, 0.2]] })]) {
      assert.deepEqual(validateModelSpec(m, 'm.json'), m);
    }
  });
  test('ignores extra metadata keys but does not return them', () => {
    const spec = validateModelSpec(edit(plrnn, { name: 'x', $schema: 'y' }), 'm.json');
    assert.deepEqual(Object.keys(spec).sort(), ['A', 'W', 'architecture', 'h']);
  });
  test('not an object', () => {
    rejects([1, 2], /must be a JSON object, got an array/);
    rejects(null, /got null/);
  });
  test('missing or unknown architecture', () => {
    rejects({ A: [1] }, /architecture is missing \(one of plrnn/, ['architecture']);
    rejects(edit(plrnn, { architecture: 'lstm' }), /architecture "lstm" is not a known architecture/);
    rejects(edit(plrnn, { architecture: 3 }), /architecture 3 is not a known architecture/);
  });
  test('missing keys', () => {
    rejects({ architecture: 'plrnn', A: [1], W: [[1]] }, /^m\.json: h is missing \(a plrnn model needs A, W, h\)/, ['h']);
    rejects({ ...alrnn, P: undefined }, /P must be a number, got a undefined|P is missing/);
    const { H: _h, ...noH } = dend;
    rejects(noH, /H is missing/);
  });
  test('non-numbers, NaN and infinities name the entry', () => {
    rejects(edit(plrnn, { W: [[0, '1'], [-1, 0]] }), /W\[0\]\[1\] must be a number, got a string/, ['W', 0, 1]);
    rejects(edit(plrnn, { h: [0.1, NaN] }), /h\[1\] is NaN/, ['h', 1]);
    rejects(edit(plrnn, { W: [[0, Infinity], [-1, 0]] }), /W\[0\]\[1\] is infinite/);
    rejects(edit(plrnn, { h: [0.1, null] }), /h\[1\] must be a number, got null/);
    rejects(edit(plrnn, { W: 'eye' }), /W must be a matrix .* got a string/);
    rejects(edit(plrnn, { W: [1, 2] }), /W\[0\] must be a row/);
  });
  test('wrong shapes', () => {
    rejects(edit(plrnn, { W: [[0, 1, 2], [1, 0, 2]] }), /W must be 2×2 \(M×M with M = 2 from h\), got 2×3/, ['W']);
    rejects(edit(plrnn, { A: [1, 2, 3] }), /A must have 2 entries/);
    rejects(edit(plrnn, { A: [[1, 0, 0], [0, 1, 0]] }), /A must be 2×2/);
    rejects(edit(plrnn, { W: [[0, 1], [1]] }), /W\[1\] has 1 entries but row 0 has 2 \(ragged matrix\)/);
    rejects(edit(plrnn, { h: [] }), /h is empty/);
    rejects(edit(shplrnn, { h1: [1, 2, 3] }), /h1 must have 2 entries/);
    rejects(edit(shplrnn, { W2: [[1, 0], [0, 1]] }), /W2 must be 3×2 \(H×M/);
    rejects(edit(dend, { H: [[0, 1], [0, 1]] }), /H must be 2×3 \(M×B/);
  });
  test('shplrnn hints when W1 and W2 look swapped', () => {
    rejects(edit(shplrnn, { W1: shplrnn.W2, W2: shplrnn.W1 }), /W1 is 3×2 and W2 is 2×3: they look swapped/, ['W1']);
  });
  test('alrnn P must be a whole number from 0 to M', () => {
    rejects(edit(alrnn, { P: 4 }), /P must be a whole number of switching units from 0 to M = 3, got 4/);
    rejects(edit(alrnn, { P: 1.5 }), /got 1\.5/);
    rejects(edit(alrnn, { P: -1 }), /got -1/);
  });
});

describe('parseJsonText', () => {
  test('reports the line and column of a syntax error', () => {
    assert.throws(() => parseJsonText('{\n  "A": [1,\n  }', 'bad.json'), /^InputError: bad\.json:3:3: invalid JSON \(ValueExpected\)$/);
  });
  test('rejects an empty file', () => {
    assert.throws(() => parseJsonText('  ', 'e.json'), /e\.json: the file is empty/);
  });
});

describe('parseJsonText on files from other editors and hostile ones', () => {
  test('reads a file that starts with a UTF-8 byte order mark', () => {
    assert.deepEqual(parseJsonText('\ufeff{"architecture": "plrnn", "h": [1]}', 'bom.json'), { architecture: 'plrnn', h: [1] });
    assert.deepEqual(parseJsonText('\ufeff// a comment\n{"h": [1],}', 'bom.json'), { h: [1] });
  });
  test('a file padded with a long run of blank space parses in bounded memory', () => {
    const pad = ' '.repeat(64 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    assert.deepEqual(parseJsonText(`{"h": [1]}${pad}`, 'pad.json'), { h: [1] });
    assert.deepEqual(parseJsonText(`// tolerant parser\n{"h": [1],}${pad}`, 'pad.json'), { h: [1] });
    assert.throws(() => parseJsonText(`{"h": [1${pad}`, 'pad.json'), /^InputError: pad\.json:1:\d+: invalid JSON/);
    assert.ok(process.memoryUsage().rss - before < 1024 * 1024 * 1024, 'used more than 1 GB');
  });
});

describe('validateModelSpec: options and the pam architecture', () => {
  test('options are validated and kept; unknown keys are still ignored', () => {
    const spec = validateModelSpec(edit(dend, { meanCentering: true, basis: 'clipped', clip: 10, note: 'x' }), 'm.json');
    assert.deepEqual(spec, { ...dend, meanCentering: true, basis: 'clipped', clip: 10 });
    assert.deepEqual(validateModelSpec(edit(plrnn, { leak: 0.18 }), 'm.json'), { ...plrnn, leak: 0.18 });
  });
  test('bad options get one line at their key', () => {
    rejects(edit(plrnn, { clip: 0 }), /clip must be a positive number \(state clip\), got 0/, ['clip']);
    rejects(edit(plrnn, { clip: -1 }), /clip must be a positive number/, ['clip']);
    rejects(edit(plrnn, { leak: 1 }), /leak must be a number in \[0, 1\)/, ['leak']);
    rejects(edit(plrnn, { meanCentering: 1 }), /meanCentering must be true or false/, ['meanCentering']);
    rejects(edit(dend, { basis: 'wide' }), /basis must be one of "plain", "clipped"/, ['basis']);
    // Options another architecture has are ignored like any other extra key.
    assert.equal((validateModelSpec(edit(shplrnn, { leak: 0.2 }), 'm.json') as { leak?: number }).leak, undefined);
  });
  test('pam: any piecewise-affine map, shapes checked against c and s0', () => {
    const pam = { architecture: 'pam', A: [[0.5, 0], [0, 0.5]], B: [[1, 0, 1], [0, 1, 1]], S: [[1, 0], [0, 1], [1, -1]], s0: [0, 0, -1], c: [0.1, 0.2] };
    assert.deepEqual(validateModelSpec(pam, 'm.json'), pam);
    rejects(edit(pam, { B: [[1, 0], [0, 1]] }), /B must be 2×3 \(M×H with M = 2 from c and H = 3 from s0\), got 2×2/, ['B']);
    rejects(edit(pam, { S: [[1, 0, 0]] }), /S must be 3×2/, ['S']);
    rejects({ architecture: 'pam', A: [[1]], c: [1] }, /B is missing \(a pam model needs A, B, S, s0, c\)/, ['B']);
  });
});
