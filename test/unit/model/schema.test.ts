import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelJsonSchemaText } from '../../../src/core/model/schema';

test('schemas/model.schema.json is the one the registry makes (run npm run schema after changing an architecture)', () => {
  const committed = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'model.schema.json'), 'utf8');
  assert.equal(committed, modelJsonSchemaText());
});
