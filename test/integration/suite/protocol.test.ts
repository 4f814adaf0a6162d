// The typed messages between host, worker and webviews: malformed messages are refused, and the
// summary sentence reads as the panel shows it.
import * as assert from 'node:assert/strict';
import { parse } from '../../../src/shared/messages';
import { FindJob } from '../../../src/shared/jobs';
import { CheckpointToHost, HostToPanel, PanelToHost } from '../../../src/shared/protocol';
import type { Cycle } from '../../../src/shared/shapes';
import { parseParamRef } from '../../../src/core/model/paramRef';
import { describeParam } from '../../../src/core/model/registry';
import { summarize } from '../../../src/shared/summary';

function cycle(order: number, stable: boolean): Cycle {
  return {
    order,
    points: Array.from({ length: order }, (_, i) => [i, -i]),
    eigenvalues: [[stable ? 0.5 : 1.5, 0]],
    spectralRadius: stable ? 0.5 : 1.5,
    stable,
    classification: stable ? 'stable node' : 'unstable node',
    regions: Array.from({ length: order }, () => '10'),
  };
}

describe('host ↔ webview ↔ worker protocol', () => {
  it('accepts well-formed messages', () => {
    assert.deepEqual(parse(PanelToHost, { type: 'reveal', param: 'W[1][0]' }), { type: 'reveal', param: 'W[1][0]' });
    assert.deepEqual(parse(PanelToHost, { type: 'export', format: 'csv' }), { type: 'export', format: 'csv' });
    assert.equal(parse(HostToPanel, { type: 'cycles', cycles: [cycle(2, true)] }).type, 'cycles');
    assert.equal(parse(FindJob.replies, { type: 'progress', progress: { type: 'order', order: 3, maxOrder: 10 } }).type, 'progress');
    assert.deepEqual(parse(CheckpointToHost, { type: 'openAsText' }), { type: 'openAsText' });
  });

  it('refuses malformed messages', () => {
    const bad: [string, () => unknown][] = [
      ['unknown type', () => parse(PanelToHost, { type: 'runShell', cmd: 'rm -rf /' })],
      ['not an object', () => parse(PanelToHost, 'reveal')],
      ['bad parameter reference', () => parse(PanelToHost, { type: 'reveal', param: 'W[1]; alert(1)' })],
      ['bad export format', () => parse(PanelToHost, { type: 'export', format: 'exe' })],
      ['PNG that is not a PNG data URL', () => parse(PanelToHost, { type: 'savePng', plot: 'state', dataUrl: 'data:text/html,<script>' })],
      ['cycle with a NaN point', () => parse(HostToPanel, { type: 'cycles', cycles: [{ ...cycle(1, true), points: [[NaN]] }] })],
      ['cycle without eigenvalue pairs', () => parse(FindJob.replies, { type: 'items', items: [{ ...cycle(1, true), eigenvalues: [[1]] }] })],
      ['order 0', () => parse(FindJob.replies, { type: 'progress', progress: { type: 'order', order: 0, maxOrder: 1 } })],
      ['error without a message', () => parse(FindJob.replies, { type: 'error', input: true })],
    ];
    for (const [what, f] of bad) assert.throws(f, /must/, what);
  });
});

describe('summary and parameter names', () => {
  it('says what was found in words', () => {
    assert.equal(summarize([cycle(1, false), cycle(16, true), cycle(16, false)]), '1 fixed point (0 stable), two 16-cycles (1 stable)');
    assert.equal(summarize([cycle(1, true), cycle(1, false), cycle(1, true), cycle(10, true), cycle(10, false)]), '3 fixed points (2 stable), two 10-cycles (1 stable)');
    assert.equal(summarize([cycle(2, false), cycle(2, false), cycle(4, false)]), 'no fixed point, two 2-cycles (0 stable), one 4-cycle (0 stable)');
    assert.equal(summarize([], 10), 'No fixed points or cycles up to order 10');
    assert.equal(summarize([], 10, true), 'No fixed points or cycles found before the search was cancelled');
  });

  it('names entries and their roles', () => {
    assert.deepEqual(parseParamRef('W[1][0]'), { name: 'W', index: [1, 0] });
    assert.equal(parseParamRef('W[1'), undefined);
    assert.equal(describeParam('plrnn', 'W', [1, 0]), 'W — recurrent weights (M×M), row 1 column 0: effect of unit 0 on unit 1');
    assert.match(describeParam('shplrnn', 'W2', [3, 1]) ?? '', /effect of unit 1 on hidden unit 3/);
    assert.match(describeParam('dendplrnn', 'H', [0, 2]) ?? '', /threshold of unit 0 in basis 2/);
    assert.equal(describeParam('plrnn', 'W1', [0, 0]), undefined);
  });
});
