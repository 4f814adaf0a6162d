// The message declarations: each channel accepts its messages, refuses malformed ones with a
// reason that says which message and which field, and keeps every declared field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { findCycles } from '../../../src/core/scyfi';
import { channel, message, parse, type Channel, type MessageDecl } from '../../../src/shared/messages';
import { CheckpointToHost, HostToCheckpoint, HostToPanel, PanelToHost, WorkerToHost, type Cycle } from '../../../src/shared/protocol';
import { parseRunResult, parseStats } from '../../../src/shared/shapes';
import { MessageError, optional, str } from '../../../src/shared/validate';
import { readmeShplrnn } from '../scyfi/fixtures';

const cycle: Cycle = { order: 1, points: [[0.5, -1]], eigenvalues: [[0.5, 0], [-0.2, 0]], spectralRadius: 0.5, stable: true, classification: 'stable node', regions: ['10'] };
const stats = { candidates: 12, seconds: 0.01 };
const model = { architecture: 'plrnn', M: 2, H: 2, format: 'json', parameters: [{ name: 'W', shape: [2, 2], role: 'recurrent weights', values: [[0, 1], [1, 0]] }] };

function rejects(c: Channel<MessageDecl>, raw: unknown, reason: string): void {
  assert.throws(
    () => parse(c, raw),
    (e: unknown) => {
      assert.ok(e instanceof MessageError, `a MessageError for ${JSON.stringify(raw)}`);
      assert.equal(e.message, reason);
      return true;
    },
  );
}

describe('message declarations', () => {
  test('a message passes with exactly its declared fields', () => {
    const m = parse(PanelToHost, { type: 'reveal', param: 'W[1][0]', extra: 'dropped' });
    assert.deepEqual(m, { type: 'reveal', param: 'W[1][0]' });
    assert.deepEqual(parse(CheckpointToHost, { type: 'openAsText' }), { type: 'openAsText' });
    const e = parse(WorkerToHost, { type: 'error', message: 'bad', input: true });
    assert.deepEqual(e, { type: 'error', message: 'bad', input: true }, 'an absent optional field stays absent');
  });

  test('a type declared twice in a channel is refused', () => {
    assert.throws(() => channel('test channel', message('a'), message('a', { x: optional(str) })), /declared twice/);
  });

  test('a malformed message of each channel is refused with a clear reason', () => {
    rejects(PanelToHost, 'reveal', 'message from the results panel must be an object');
    rejects(PanelToHost, { type: 'runShell', cmd: 'rm -rf /' }, 'message from the results panel: type must be one of ready, reveal, rerun, cancel, export, savePng (got "runShell")');
    rejects(PanelToHost, { param: 'W' }, 'message from the results panel: type must be one of ready, reveal, rerun, cancel, export, savePng (got undefined)');
    rejects(PanelToHost, { type: 'reveal', param: 'W[1]; alert(1)' }, "message from the results panel 'reveal': param must look like W or W[1][0]");
    rejects(PanelToHost, { type: 'export', format: 'exe' }, "message from the results panel 'export': format must be one of json, csv");
    rejects(PanelToHost, { type: 'savePng', plot: 'state', dataUrl: 'data:text/html,<script>' }, "message from the results panel 'savePng': dataUrl must be a PNG data URL");

    rejects(HostToPanel, { type: 'cycle', cycle: { ...cycle, points: [[NaN, 0]] } }, "message to the results panel 'cycle': cycle.points[0][0] must be a number");
    rejects(HostToPanel, { type: 'finished', result: { cycles: [], stats: { seconds: 1 }, cancelled: false } }, "message to the results panel 'finished': result.stats.candidates must be a number");
    rejects(HostToPanel, { type: 'reset', state: { uri: 'file:///m.json', fileName: 'm.json', status: 'paused', cycles: [] } }, "message to the results panel 'reset': state.status must be one of running, done, cancelled, error");

    rejects(HostToCheckpoint, { type: 'info', fileName: 'm.pt', info: { format: 'npz', size: 3, tensors: [{ name: 'W', dtype: 'f4' }] } }, "message to the checkpoint viewer 'info': info.tensors[0].shape must be an array");
    rejects(HostToCheckpoint, { type: 'error', message: 'no such file' }, "message to the checkpoint viewer 'error': fileName must be a string");
    rejects(CheckpointToHost, { type: 'reveal', param: '' }, "message from the checkpoint viewer 'reveal': param must look like W or W[1][0]");
    rejects(CheckpointToHost, { type: 'delete' }, 'message from the checkpoint viewer: type must be one of ready, find, findCustom, openAsText, reveal (got "delete")');

    rejects(WorkerToHost, { type: 'cycle', cycle: { ...cycle, eigenvalues: [[1]] } }, "message from the worker 'cycle': cycle.eigenvalues[0] must be [re, im]");
    rejects(WorkerToHost, { type: 'order', order: 0, maxOrder: 1 }, "message from the worker 'order': order must be a whole number ≥ 1");
    rejects(WorkerToHost, { type: 'error', input: true }, "message from the worker 'error': message must be a string");
    rejects(WorkerToHost, { type: 'error', message: 'x', input: true, jsonPath: ['W', -1] }, "message from the worker 'error': jsonPath[1] must be a key or an index");
    rejects(WorkerToHost, { type: 'model', model: { ...model, M: 0 } }, "message from the worker 'model': model.M must be a whole number ≥ 1");
  });

  test('stats.orders survives validation', () => {
    const orders = [{ order: 1, outerLoop: 10, innerLoop: 5, candidates: 12, restarts: 3, longestGap: 2, longestChain: 1 }];
    const m = parse(HostToPanel, { type: 'finished', result: { cycles: [cycle], stats: { ...stats, orders }, cancelled: false } });
    assert.equal(m.type, 'finished');
    assert.deepEqual(m.type === 'finished' && m.result.stats.orders, orders);
    assert.throws(() => parseStats({ ...stats, orders: [{ ...orders[0], restarts: -1 }] }, 'stats'), /stats\.orders\[0\]\.restarts must be a whole number ≥ 0/);
  });

  test('a real search result passes unchanged, per-order diagnostics included', () => {
    const r = findCycles(buildMap(readmeShplrnn), { maxOrder: 4 });
    assert.ok(r.stats.orders && r.stats.orders.length === 4);
    assert.deepEqual(parseRunResult(JSON.parse(JSON.stringify(r)), 'result'), r);
  });
});
