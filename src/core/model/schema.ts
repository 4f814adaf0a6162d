// The JSON Schema of the model format (schemas/model.schema.json), made from the registry so the
// editor's validation can never disagree with the core's. `npm run schema` writes the file; a
// unit test checks that the committed file is current.
import { OptionDef, ParameterDef } from './architecture';
import { architectureDef } from './registry';
import { MAX_SEARCH_ORDER, SEARCH_KEY } from './search';
import { ARCHITECTURES } from './types';

const numberArray = { type: 'array', items: { type: 'number' }, minItems: 1 };
const numberMatrix = { type: 'array', items: numberArray, minItems: 1 };

function valueSchema(p: ParameterDef): Record<string, unknown> {
  switch (p.kind) {
    case 'vector':
      return { ...numberArray, description: p.description };
    case 'matrix':
      return { ...numberMatrix, description: p.description };
    case 'vectorOrMatrix':
      return { description: p.description, oneOf: [{ ...numberArray, description: 'M' }, { ...numberMatrix, description: 'M×M' }] };
    case 'count':
      return { type: 'integer', minimum: 0, description: p.description };
  }
}

function optionSchema(o: OptionDef): Record<string, unknown> {
  switch (o.kind) {
    case 'boolean':
      return { type: 'boolean', description: o.description };
    case 'positive':
      return { type: 'number', exclusiveMinimum: 0, description: o.description };
    case 'fraction':
      return { type: 'number', minimum: 0, exclusiveMaximum: 1, description: o.description };
    case 'enum':
      return { enum: [...(o.values ?? [])], default: o.values?.[0], description: o.description };
  }
}

export function modelJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'SCYFI model',
    description: "A ReLU RNN of the PLRNN family in the SCYFI extension's JSON format. Matrices are row-major nested arrays.",
    type: 'object',
    required: ['architecture'],
    properties: {
      $schema: { type: 'string' },
      [SEARCH_KEY]: {
        type: 'object',
        description: 'Search settings this model is meant to be run with (the editor and `scyfi find` use them unless the run sets its own).',
        additionalProperties: false,
        properties: {
          maxOrder: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_ORDER, description: 'Highest cycle order searched (e.g. 16 for a model whose attractor is a 16-cycle).' },
          outerLoop: { type: 'integer', minimum: 1, description: 'Restarts in a row without a new find before an order is given up.' },
          innerLoop: { type: 'integer', minimum: 1, description: 'Jumps to the regions of a virtual cycle before a restart.' },
          seed: { type: 'integer', minimum: 0, description: 'Seed of the random generator.' },
        },
      },
      architecture: {
        enum: [...ARCHITECTURES],
        description: ARCHITECTURES.map((a) => `${a}: ${architectureDef(a).update}.`).join(' '),
      },
    },
    allOf: ARCHITECTURES.map((a) => {
      const def = architectureDef(a);
      return {
        if: { properties: { architecture: { enum: [a] } }, required: ['architecture'] },
        then: {
          properties: {
            architecture: { enum: [a], description: `${def.title}.` },
            ...Object.fromEntries(def.parameters.map((p) => [p.key, valueSchema(p)])),
            ...Object.fromEntries(def.options.map((o) => [o.key, optionSchema(o)])),
          },
          required: ['architecture', ...def.parameters.map((p) => p.key)],
        },
      };
    }),
  };
}

export function modelJsonSchemaText(): string {
  return JSON.stringify(modelJsonSchema(), null, 2) + '\n';
}
