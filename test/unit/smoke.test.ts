import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors';

test('InputError keeps its message on one line', () => {
  assert.equal(new InputError('a\n  b').message, 'a b');
});
