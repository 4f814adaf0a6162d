import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// FIFOs and other special files must be refused at once: opening a FIFO for reading blocks until
// a writer comes, so a reader that opens before it checks the type hangs forever. Each run is a
// separate process with a time limit, so a hang fails the test instead of stalling the suite.

const ROOT = join(__dirname, '..', '..', '..');
const CHECKPOINTS = join(ROOT, 'test', 'fixtures', 'checkpoints');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, `mkfifo failed: ${String(r.stderr)}`);
}

describe('special files', { skip: process.platform === 'win32' && 'no FIFOs on Windows' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'scyfi-fifo-'));
  const fifo = join(dir, 'model.pt');
  mkfifo(fifo);

  it("the viewer's Git LFS check passes a FIFO by without opening it", () => {
    const code = `import('./src/worker/lfs.ts').then(async (m) => console.log(String(await (m.readLfsPointer ?? m.default.readLfsPointer)(${JSON.stringify(fifo)}))))`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: ROOT, timeout: 20_000 });
    assert.equal(r.error, undefined, 'it hung');
    assert.equal(r.stdout.trim(), 'undefined', r.stderr);
  });

  it('scyfi find and inspect refuse a FIFO with one line instead of hanging', () => {
    for (const args of [['find', fifo], ['inspect', fifo], ['inspect', fifo, '--json']]) {
      const r = cli(...args);
      assert.equal(r.timedOut, false, `${args.join(' ')} hung`);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, 'scyfi: model.pt: cannot read the file (it is a named pipe (FIFO), not a regular file)\n');
    }
  });

  it('a FIFO as the <file>.scyfi.json sidecar is refused, naming the sidecar', () => {
    const model = join(dir, 'custom_names.pt');
    copyFileSync(join(CHECKPOINTS, 'custom_names.pt'), model);
    mkfifo(`${model}.scyfi.json`);
    const r = cli('find', model, '--max-order', '1');
    assert.equal(r.timedOut, false, 'the sidecar read hung');
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, 'scyfi: custom_names.pt.scyfi.json: cannot read the file (it is a named pipe (FIFO), not a regular file)\n');
  });

  it('a device is refused as well', () => {
    const r = cli('inspect', '/dev/zero');
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'scyfi: zero: cannot read the file (it is a device, not a regular file)\n');
  });
});

describe('a reader that goes away', { skip: process.platform === 'win32' && 'needs bash' }, () => {
  it('scyfi … | head ends quietly with the command\'s own exit code, no EPIPE trace', () => {
    const cmd = `${JSON.stringify(process.execPath)} --import tsx src/cli/main.ts sweep2d examples/skew-tent.plrnn.json --x 'W[0][0]' --x-range 1:-6:200 --y 'A[0]' --y-range 0:0.5:40 --max-order 2 --jobs 1 --json | head -c 1 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), 'rc=0');
  });
});
