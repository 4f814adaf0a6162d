// The one registry of architectures: every place that needs to know an architecture's keys,
// shapes, roles, reduction or tensor names asks here.
import { ArchitectureDef, OptionDef, ParameterDef, TensorNaming } from './architecture';
import { alrnn } from './architectures/alrnn';
import { dendplrnn } from './architectures/dendplrnn';
import { plrnn } from './architectures/plrnn';
import { pam } from './architectures/pam';
import { clippedShplrnn, shplrnn } from './architectures/shplrnn';
import { ARCHITECTURES, Architecture, ModelSpec } from './types';

/** The spec type of architecture A (shplrnn and clipped-shplrnn share one). */
export type SpecOf<A extends Architecture> = ModelSpec extends infer S ? (S extends ModelSpec ? (A extends S['architecture'] ? S : never) : never) : never;

type Defs = { [A in Architecture]: ArchitectureDef<SpecOf<A>> };

const DEFS: Defs = {
  plrnn,
  shplrnn,
  'clipped-shplrnn': clippedShplrnn,
  alrnn,
  dendplrnn,
  pam,
};

export function isArchitecture(v: unknown): v is Architecture {
  return typeof v === 'string' && (ARCHITECTURES as readonly string[]).includes(v);
}

export function architectureDef<A extends Architecture>(id: A): ArchitectureDef<SpecOf<A>> {
  return DEFS[id];
}

/** The definition for a spec, typed loosely so callers need no switch over architectures. */
export function defOf(spec: ModelSpec): ArchitectureDef {
  return DEFS[spec.architecture] as unknown as ArchitectureDef;
}

/** Keys of an architecture in the order the format lists them. */
export function parameterKeys(id: Architecture): string[] {
  return DEFS[id].parameters.map((p) => p.key);
}

export function parameterDef(architecture: string, key: string): ParameterDef | undefined {
  return isArchitecture(architecture) ? DEFS[architecture].parameters.find((p) => p.key === key) : undefined;
}

export function optionDef(architecture: string, key: string): OptionDef | undefined {
  return isArchitecture(architecture) ? DEFS[architecture].options.find((o) => o.key === key) : undefined;
}

/**
 * One line naming a parameter or one of its entries, e.g.
 * "W — recurrent weights (M×M), row 1 column 0: effect of unit 0 on unit 1".
 */
export function describeParam(architecture: string, key: string, index: readonly number[] = []): string | undefined {
  const p = parameterDef(architecture, key);
  if (!p) {
    const o = optionDef(architecture, key);
    return o && index.length === 0 ? `${key} — ${o.role}: ${o.description}` : undefined;
  }
  const head = `${key} — ${p.role} (${p.shape})`;
  return index.length === 0 ? head : `${head}, ${p.entry(index)}`;
}

export interface RegisteredNaming extends TensorNaming {
  readonly architecture: Architecture;
}

/**
 * Every tensor naming, most specific (most roles) first, then in registry order: a file that
 * matches a naming with more roles is never read by a looser one.
 */
export const TENSOR_NAMINGS: readonly RegisteredNaming[] = ARCHITECTURES.flatMap((a) => DEFS[a].namings.map((n) => ({ ...n, architecture: a })))
  .map((n, i) => ({ n, i }))
  .sort((x, y) => Object.keys(y.n.roles).length - Object.keys(x.n.roles).length || x.i - y.i)
  .map(({ n }) => n);

/** The architecture whose tensors `id` shares (itself when none). */
export function tensorFamily(id: Architecture): Architecture {
  return DEFS[id].sameTensorsAs ?? id;
}
