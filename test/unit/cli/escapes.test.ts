import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { printable, quoteName, safeJson } from '../../../src/core/text';
import { buildZip } from '../io/writers';

// Names in a file may hold ESC (a terminal escape sequence can clear the screen, move the
// cursor, retitle the window), CR, BEL or bidirectional controls: what the CLI prints shows them
// as visible escapes and never writes them raw.

const ROOT = join(__dirname, '..', '..', '..');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMES = ['clear\u001b[2J\u001b[H', 'bell\u0007', 'back\rover', 'csi\u009b31m', 'rtl\u202eevil'];

function safetensors(names: string[]): Buffer {
  const header: Record<string, unknown> = {};
  names.forEach((n, i) => (header[n] = { dtype: 'F32', shape: [1], data_offsets: [4 * i, 4 * i + 4] }));
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, Buffer.alloc(4 * names.length)]);
}

describe('control characters from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scyfi-esc-'));
  const file = join(dir, 'names.safetensors');
  writeFileSync(file, safetensors(NAMES));

  it('scyfi inspect shows tensor names with visible escapes, in the table and in the error line', () => {
    const r = cli('inspect', file);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stdout, RAW);
    assert.doesNotMatch(r.stderr, RAW);
    for (const shown of ['clear\\x1b[2J\\x1b[H', 'bell\\x07', 'back\\rover', 'csi\\x9b31m', 'rtl\\u202eevil']) {
      assert.ok(r.stdout.includes(shown), `${shown} in ${r.stdout}`);
      assert.ok(r.stderr.includes(shown), `${shown} in ${r.stderr}`);
    }
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  });

  it('scyfi inspect --json escapes them as JSON, and the names read back exactly', () => {
    const r = cli('inspect', file, '--json');
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stdout, RAW);
    const out = JSON.parse(r.stdout) as { tensors: { name: string }[] };
    assert.deepEqual(out.tensors.map((t) => t.name), NAMES);
  });

  it('a pickle global and an unknown command with ESC in their names', () => {
    const pt = join(dir, 'global.pt');
    writeFileSync(pt, buildZip([{ name: 'archive/data.pkl', data: Buffer.from('\x80\x02cos\x1b]0;pwned\x07\nsystem\n.', 'latin1') }]));
    const r = cli('find', pt);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "scyfi: global.pt: pickle refers to global 'os\\x1b]0;pwned\\x07.system', which is not allowed\n");
    const u = cli('\x1b[31mfind');
    assert.equal(u.stderr, "scyfi: unknown command '\\x1b[31mfind' (try scyfi --help)\n");
  });

  it('one helper: printable, quoteName (shortened), safeJson, and every InputError', () => {
    assert.equal(printable('a\u001bb\u0000\u2028'), 'a\\x1bb\\x00\\u2028');
    assert.equal(printable(printable('a\u001b')), 'a\\x1b');
    assert.equal(printable('W₁ × h₂ – ok'), 'W₁ × h₂ – ok');
    assert.equal(quoteName('x'.repeat(250)), `'${'x'.repeat(200)}… (250 characters)'`);
    assert.equal(safeJson({ n: '\u009b\u001b' }), '{"n":"\\u009b\\u001b"}');
    assert.equal(new InputError('m.pt: tensor \u001b[2J\r').message, 'm.pt: tensor \\x1b[2J\\r');
  });
});
