import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/core/errors';
import { formatParamRef, getEntry, isParamRefText, listEntries, parseParamRef, withEntry } from '../../../src/core/model/paramRef';
import { describeParam } from '../../../src/core/model/registry';
import { validateModelSpec, type ModelSpec } from '../../../src/core/model';

const plrnn = validateModelSpec({ architecture: 'plrnn', A: [0.5, 0.2], W: [[0, 1], [-1, 0]], h: [0.1, 0.2] }, 'm.json');
const alrnn = validateModelSpec({ architecture: 'alrnn', A: [0.5, 0.2], W: [[0, 1], [-1, 0]], h: [0.1, 0.2], P: 1 }, 'm.json');

function throwsOneLine(f: () => unknown, pattern: RegExp) {
  assert.throws(f, (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'));
}

describe('parameter references', () => {
  test('parse and print round-trip', () => {
    for (const text of ['W', 'A[0]', 'W[1][0]', 'h2[3]', 'alpha[1]', 'W1[12][0]']) {
      const ref = parseParamRef(text);
      assert.ok(ref, text);
      assert.equal(formatParamRef(ref), text);
      assert.ok(isParamRefText(text));
    }
    assert.deepEqual(parseParamRef('W[1][0]'), { name: 'W', index: [1, 0] });
    assert.deepEqual(parseParamRef(' h[2] '), { name: 'h', index: [2] });
  });
  test('rejects what is not a reference', () => {
    for (const text of ['W[1', 'W[-1]', 'W[1][2][3]', '1W', 'W[a]', 'W[]', '', 'W[1]x', 'W[1234567890]']) {
      assert.equal(parseParamRef(text), undefined, text);
      assert.equal(isParamRefText(text), false, text);
    }
  });
  test('get and set one entry without touching the original', () => {
    assert.equal(getEntry(plrnn, { name: 'W', index: [1, 0] }), -1);
    assert.equal(getEntry(plrnn, { name: 'A', index: [1] }), 0.2);
    const changed = withEntry(plrnn, { name: 'W', index: [1, 0] }, 0.4312) as Extract<ModelSpec, { architecture: 'plrnn' }>;
    assert.equal(changed.W[1][0], 0.4312);
    assert.equal((plrnn as Extract<ModelSpec, { architecture: 'plrnn' }>).W[1][0], -1);
  });
  test('one-line errors for entries that do not exist', () => {
    throwsOneLine(() => getEntry(plrnn, { name: 'W', index: [5, 0] }), /^W\[5\]\[0\] is not an entry of W, which is 2×2$/);
    throwsOneLine(() => getEntry(plrnn, { name: 'h', index: [2] }), /h\[2\] is not an entry of h, which is of length 2/);
    throwsOneLine(() => getEntry(plrnn, { name: 'W', index: [1] }), /W is a matrix \(2×2\): name one entry as W\[i\]\[j\]/);
    throwsOneLine(() => getEntry(plrnn, { name: 'W1', index: [0, 0] }), /a plrnn model has no parameter W1/);
    throwsOneLine(() => getEntry(alrnn, { name: 'P', index: [] }), /P is a whole number/);
  });
  test('every real-valued entry is listed once', () => {
    const refs = listEntries(plrnn).map((e) => formatParamRef(e.ref));
    assert.deepEqual(refs, ['A[0]', 'A[1]', 'W[0][0]', 'W[0][1]', 'W[1][0]', 'W[1][1]', 'h[0]', 'h[1]']);
    assert.ok(!listEntries(alrnn).some((e) => e.ref.name === 'P'));
  });
  test('descriptions come from the registry', () => {
    assert.equal(describeParam('plrnn', 'W', [1, 0]), 'W — recurrent weights (M×M), row 1 column 0: effect of unit 0 on unit 1');
    assert.match(describeParam('dendplrnn', 'H', [0, 2]) ?? '', /threshold of unit 0 in basis 2/);
    assert.equal(describeParam('plrnn', 'W1', [0, 0]), undefined);
  });
});
