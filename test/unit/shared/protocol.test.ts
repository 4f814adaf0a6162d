// The message declarations: each channel accepts its messages, refuses malformed ones with a
// reason that says which message and which field, and keeps every declared field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { findCycles } from '../../../src/core/scyfi';
import { channel, message, parse, type Channel, type MessageDecl } from '../../../src/shared/messages';
import { FindJob, InspectJob, JobRequest } from '../../../src/shared/jobs';
import { CheckpointToHost, HostToCheckpoint, HostToPanel, PanelToHost } from '../../../src/shared/protocol';
import { parseRunResult, parseStats, type Cycle } from '../../../src/shared/shapes';
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
    const e = parse(FindJob.replies, { type: 'error', message: 'bad', input: true });
    assert.deepEqual(e, { type: 'error', message: 'bad', input: true }, 'an absent optional field stays absent');
  });

  test('a type declared twice in a channel is refused', () => {
    assert.throws(() => channel('test channel', message('a'), message('a', { x: optional(str) })), /declared twice/);
  });

  test('a malformed message of each channel is refused with a clear reason', () => {
    rejects(PanelToHost, 'reveal', 'message from the results panel must be an object');
    rejects(PanelToHost, { type: 'runShell', cmd: 'rm -rf /' }, 'message from the results panel: type must be one of ready, reveal, sweep, rerun, certify, deeper, cancel, export, savePng, simulate, basins (got "runShell")');
    rejects(PanelToHost, { param: 'W' }, 'message from the results panel: type must be one of ready, reveal, sweep, rerun, certify, deeper, cancel, export, savePng, simulate, basins (got undefined)');
    rejects(PanelToHost, { type: 'reveal', param: 'W[1]; alert(1)' }, "message from the results panel 'reveal': param must look like W or W[1][0]");
    rejects(PanelToHost, { type: 'export', format: 'exe' }, "message from the results panel 'export': format must be one of json, csv");
    rejects(PanelToHost, { type: 'savePng', plot: 'state', dataUrl: 'data:text/html,<script>' }, "message from the results panel 'savePng': dataUrl must be a PNG data URL");

    rejects(HostToPanel, { type: 'cycles', cycles: [cycle, { ...cycle, points: [[NaN, 0]] }] }, "message to the results panel 'cycles': cycles[1].points[0][0] must be a number");
    rejects(HostToPanel, { type: 'cycles', cycles: cycle }, "message to the results panel 'cycles': cycles must be an array");
    rejects(HostToPanel, { type: 'finished', result: { cycles: [], stats: { seconds: 1 }, cancelled: false } }, "message to the results panel 'finished': result.stats.candidates must be a number");
    rejects(HostToPanel, { type: 'reset', state: { uri: 'file:///m.json', fileName: 'm.json', status: 'paused', cycles: [] } }, "message to the results panel 'reset': state.status must be one of running, done, cancelled, error");

    rejects(HostToCheckpoint, { type: 'info', fileName: 'm.pt', info: { format: 'npz', size: 3, tensors: [{ name: 'W', dtype: 'f4' }] } }, "message to the checkpoint viewer 'info': info.tensors[0].shape must be an array");
    rejects(HostToCheckpoint, { type: 'error', message: 'no such file' }, "message to the checkpoint viewer 'error': fileName must be a string");
    rejects(CheckpointToHost, { type: 'reveal', param: '' }, "message from the checkpoint viewer 'reveal': param must look like W or W[1][0]");
    rejects(CheckpointToHost, { type: 'delete' }, 'message from the checkpoint viewer: type must be one of ready, find, findCustom, selectModel, openAsText, reveal, sweep, sweep2d (got "delete")');

    const find = FindJob.replies;
    rejects(find, { type: 'items', items: [{ ...cycle, eigenvalues: [[1]] }] }, "message from the worker ('find' job) 'items': items[0].eigenvalues[0] must be [re, im]");
    rejects(find, { type: 'progress', progress: { type: 'order', order: 0, maxOrder: 1 } }, "message from the worker ('find' job) 'progress': progress 'order': order must be a whole number ≥ 1");
    rejects(find, { type: 'progress', progress: { type: 'model', model: { ...model, M: 0 } } }, "message from the worker ('find' job) 'progress': progress 'model': model.M must be a whole number ≥ 1");
    rejects(find, { type: 'progress', progress: { type: 'eta' } }, "message from the worker ('find' job) 'progress': progress: type must be one of model, order, certify, certificate (got \"eta\")");
    rejects(find, { type: 'end', end: { cycles: [], stats, cancelled: 'no' } }, "message from the worker ('find' job) 'end': end.cancelled must be a boolean");
    rejects(find, { type: 'error', input: true }, "message from the worker ('find' job) 'error': message must be a string");
    rejects(find, { type: 'error', message: 'x', input: true, jsonPath: ['W', -1] }, "message from the worker ('find' job) 'error': jsonPath[1] must be a key or an index");
    rejects(find, { type: 'cycle', cycle }, "message from the worker ('find' job): type must be one of items, progress, end, error (got \"cycle\")");
    rejects(InspectJob.replies, { type: 'items', items: [cycle] }, "message from the worker ('inspect' job) 'items': items[0] is not expected here");
    rejects(InspectJob.replies, { type: 'end', end: { format: 'npz', size: 1, tensors: [], mapping: { W: 3 } } }, "message from the worker ('inspect' job) 'end': end.mapping.W must be a string");
    rejects(JobRequest, { type: 'run', kind: 'find', input: {}, cancel: new ArrayBuffer(4) }, "job request 'run': cancel must be a SharedArrayBuffer of 4 bytes or more");
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

describe('job kind declarations', () => {
  test('inputs are checked against the kind', () => {
    const input = { source: { kind: 'text', text: '{}' }, displayName: 'm.json', options: { maxOrder: 3, seed: 0 } };
    assert.deepEqual(FindJob.input(input, 'job input'), input);
    assert.throws(() => FindJob.input({ ...input, source: { kind: 'url', url: 'http://x' } }, 'job input'), /job input\.source\.kind must be one of file, text$/);
    assert.throws(() => FindJob.input({ ...input, options: { maxOrder: 0, seed: 0 } }, 'job input'), /job input\.options\.maxOrder must be a whole number ≥ 1/);
    assert.throws(() => InspectJob.input({ displayName: 'm.pt' }, 'job input'), /job input\.path must be a string/);
  });

  test('a cancelled search that did not stop in time ends with what it streamed', () => {
    assert.deepEqual(FindJob.partial?.([cycle], 2.5), { cycles: [cycle], stats: { candidates: 0, seconds: 2.5 }, cancelled: true });
    assert.equal(InspectJob.partial, undefined);
  });
});
