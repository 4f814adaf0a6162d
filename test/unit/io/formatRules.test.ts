import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { loadModelBytes, readTensorsFromBytes } from '../../../src/core/io/load';
import { parseJsonText } from '../../../src/core/io/json';
import { bsonDocument, buildZip, npyBytes } from './writers';

// Files that break their format's own rules are refused, so that one file never means two
// models (one here, another in the library that wrote it).

function refuses(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

/** A safetensors file with `header` given as text (so keys may repeat) and `data`. */
function safetensors(header: string, data: Buffer): Buffer {
  const h = Buffer.from(header);
  const n = Buffer.alloc(8);
  n.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([n, h, data]);
}

const f32 = (offsets: [number, number], shape = [(offsets[1] - offsets[0]) / 4]) => `{"dtype": "F32", "shape": [${shape.join(', ')}], "data_offsets": [${offsets.join(', ')}]}`;

describe('safetensors rules', () => {
  it('still reads a file whose tensors tile the data, zero-sized ones included', () => {
    const file = safetensors(`{"__metadata__": {"format": "pt"}, "b": ${f32([8, 16])}, "a": ${f32([0, 8])}, "e": ${f32([8, 8], [0])}}`, Buffer.alloc(16));
    assert.deepEqual(readTensorsFromBytes(file, 'm.safetensors').tensors.map((t) => t.name), ['b', 'a', 'e']);
    const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'checkpoints', 'shplrnn.safetensors'));
    assert.equal(readTensorsFromBytes(fixture, 's.safetensors').tensors.length, 7);
  });
  it('refuses overlapping data_offsets', () => {
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}, "b": ${f32([4, 12])}}`, Buffer.alloc(12)), 'm.safetensors'),
      "m.safetensors: tensors 'a' and 'b' overlap (data_offsets [0, 8] and [4, 12]); the safetensors format forbids it");
    // Two tensors on the same bytes.
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}, "b": ${f32([0, 8])}}`, Buffer.alloc(8)), 'm.safetensors'), /tensors 'a' and 'b' overlap/);
  });
  it('refuses holes in the data, inside and at the end', () => {
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}, "b": ${f32([12, 16])}}`, Buffer.alloc(16)), 'm.safetensors'),
      'm.safetensors: bytes 8–12 of the data belong to no tensor (a hole); the safetensors format forbids it');
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}}`, Buffer.alloc(12)), 'm.safetensors'),
      'm.safetensors: bytes 8–12 of the data belong to no tensor; the safetensors format forbids it');
  });
  it('refuses duplicate keys, which JSON.parse would silently drop', () => {
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}, "a": ${f32([8, 16])}}`, Buffer.alloc(16)), 'm.safetensors'),
      "m.safetensors: the safetensors header is not valid JSON (the key 'a' appears twice)");
    // Written with an escape, the same key.
    refuses(() => readTensorsFromBytes(safetensors(`{"a": ${f32([0, 8])}, "\\u0061": ${f32([8, 16])}}`, Buffer.alloc(16)), 'm.safetensors'), /the key 'a' appears twice/);
    refuses(() => readTensorsFromBytes(safetensors('{"a": {"dtype": "F32", "dtype": "F64", "shape": [2], "data_offsets": [0, 8]}}', Buffer.alloc(8)), 'm.safetensors'),
      "m.safetensors: tensor 'a' has no valid description (the key 'dtype' appears twice)");
  });
});

describe('npz rules', () => {
  it('refuses two members of one name (NumPy takes the last, a first-match reader the first)', () => {
    const npz = buildZip([{ name: 'W.npy', data: npyBytes([1], [1]) }, { name: 'W.npy', data: npyBytes([1], [2]) }]);
    refuses(() => readTensorsFromBytes(npz, 'm.npz'), "m.npz: not a valid zip archive (two entries are named 'W.npy')");
  });
});

describe('JSON keys that name the prototype', () => {
  const model = '{"architecture": "plrnn", "A": [0.5], "W": [[0]], "h": [0]}';
  it('refuses __proto__ with and without a comment (it loaded with one, the tolerant parser set the prototype)', () => {
    for (const text of [`{"__proto__": ${model}}`, `// a comment\n{"__proto__": ${model}}`, `{"__proto__": ${model},}`, `{"\\u005f_proto__": ${model}}`, `// c\n{"\\u005f_proto__": ${model}}`]) {
      refuses(() => loadModelBytes(Buffer.from(text), 'm.json'), `m.json: the key "__proto__" is not allowed (it names a JavaScript object's prototype)`);
    }
  });
  it('refuses constructor and prototype keys anywhere, on both paths; the same text without them reads', () => {
    for (const key of ['constructor', 'prototype']) {
      for (const text of [`{"meta": {"${key}": 1}, "x": ${model}}`, `/* c */ {"meta": {"${key}": 1}, "x": ${model}}`]) {
        refuses(() => parseJsonText(text, 'm.json'), `m.json: the key "${key}" is not allowed (it names a JavaScript object's prototype)`);
      }
    }
    // As values they are plain strings.
    assert.deepEqual(parseJsonText('// c\n{"name": "constructor", "v": ["__proto__"]}', 'm.json'), { name: 'constructor', v: ['__proto__'] });
    assert.equal(loadModelBytes(Buffer.from(`// c\n${model}`), 'm.json').model.spec.architecture, 'plrnn');
  });
});

describe('names from a file that are also Object.prototype members', () => {
  const dt = (name: string) => ({ tag: 'datatype', name: ['Main', name], params: [] });
  const bson = (structType: string, elType: string) =>
    bsonDocument({ model: { tag: 'struct', type: dt(structType), data: [{ tag: 'array', type: dt(elType), size: [1], data: Buffer.alloc(4) }] } });
  it('a BSON struct or element type named constructor or toString is just unknown (it was a TypeError)', () => {
    assert.deepEqual(readTensorsFromBytes(bson('constructor', 'Float32'), 'm.bson').tensors.map((t) => t.name), ['model.1']);
    assert.deepEqual(readTensorsFromBytes(bson('toString', 'Float32'), 'm.bson').tensors.map((t) => t.name), ['model.1']);
    assert.deepEqual(readTensorsFromBytes(bson('PLRNN', 'constructor'), 'm.bson').tensors, []);
  });
  it('a pickle global in a module named constructor is named as written', () => {
    const pt = buildZip([{ name: 'archive/data.pkl', data: Buffer.from('\x80\x02cconstructor\nsystem\n.', 'latin1') }]);
    refuses(() => readTensorsFromBytes(pt, 'm.pt'), "m.pt: pickle refers to global 'constructor.system', which is not allowed");
  });
});
