// Branches across the steps of a sweep, identified by their region sequence (exactly, not by
// distance), and the events between steps merged where several branches take part in one:
// a persistence (one branch ends where its neighbour starts), a fold (two meet), a period
// doubling (a 2k-cycle born at a k-cycle's flip or border).
import type { Cycle } from '../scyfi/types';
import { buildCycle } from '../scyfi/cycles';
import { alongBranch, branchTransition, complexSign, ON_CIRCLE_TOL, productSign, sequenceKey, type AlongKind, type RawEvent } from './events';
import { valueAt, type ModelPath } from './path';
import { Probe } from './probe';
import type { Branch, SweepEvent, SweepStep } from './types';

/** Raw events closer than this in t are one event. */
export const SAME_EVENT_TOL = 1e-9;
const SAME_POINT_RTOL = 1e-7;

/** The cycle with its points and regions rotated to start at the canonical rotation of its region sequence. */
export function canonicalCycle(c: Cycle): Cycle {
  const k = c.order;
  let best = 0;
  const joined = (r: number) => [...c.regions.slice(r), ...c.regions.slice(0, r)].join(' ');
  for (let r = 1; r < k; r++) {
    const a = joined(r);
    const b = joined(best);
    if (a < b || (a === b && c.points[r].join(',') < c.points[best].join(','))) best = r;
  }
  if (best === 0) return c;
  const rot = <T>(xs: T[]) => [...xs.slice(best), ...xs.slice(0, best)];
  return { ...c, points: rot(c.points), regions: rot(c.regions) };
}

function samePoints(a: number[][], b: number[][]): boolean {
  if (a.length !== b.length) return false;
  const scale = Math.max(1e-12, ...a.flat().map(Math.abs), ...b.flat().map(Math.abs));
  const k = a.length;
  for (let r = 0; r < k; r++) {
    if (a.every((p, j) => p.every((x, i) => Math.abs(x - b[(j + r) % k][i]) <= SAME_POINT_RTOL * scale))) return true;
  }
  return false;
}

function name(k: number): string {
  return k === 1 ? 'fixed point' : `${k}-cycle`;
}

interface Linked {
  branches: Branch[];
  events: SweepEvent[];
  /** Cycles the searches missed that the branches' own sequences show exist (added to their steps). */
  filled: number;
}

/**
 * Assigns each cycle of each step to a branch and, between consecutive steps, locates and
 * classifies every event. `steps` are in index order; a gap (a step missing after a cancelled
 * run) ends every branch without an event.
 */
export function linkSteps(path: ModelPath, steps: SweepStep[], withEvents = true): Linked {
  const branches: Branch[] = [];
  const byId = new Map<string, Branch>();
  const raw: RawEvent[] = [];
  let filled = 0;
  const newBranch = (step: SweepStep, j: number): string => {
    const c = step.cycles[j];
    const b: Branch = { id: `b${branches.length + 1}`, order: c.order, regions: [...c.regions], from: step.t, to: step.t, steps: [step.index], cycles: [j] };
    branches.push(b);
    byId.set(b.id, b);
    return b.id;
  };
  const extend = (id: string, step: SweepStep, j: number) => {
    const b = byId.get(id)!;
    b.steps.push(step.index);
    b.cycles.push(j);
    b.to = step.t;
  };

  let prev: SweepStep | undefined;
  for (const step of steps) {
    step.cycles = step.cycles.map(canonicalCycle);
    step.branches = new Array<string>(step.cycles.length).fill('');
    const consecutive = prev !== undefined && step.index === prev.index + 1;
    if (consecutive && prev) {
      const keyOf = new Map(prev.cycles.map((c, j) => [sequenceKey(c.regions), j] as const));
      const continued = new Set<number>();
      step.cycles.forEach((c, j) => {
        const pj = keyOf.get(sequenceKey(c.regions));
        if (pj !== undefined && !continued.has(pj)) {
          continued.add(pj);
          step.branches[j] = prev!.branches[pj];
          extend(step.branches[j], step, j);
        }
      });
      // A branch whose sequence still holds at this step but whose cycle the search reported
      // with another region text (a point on a border) or not at all.
      prev.cycles.forEach((c, pj) => {
        if (continued.has(pj)) return;
        const r = new Probe(path, c.regions).at(step.t);
        if (!r.exists) return;
        let j = step.cycles.findIndex((d, jj) => step.branches[jj] === '' && d.order === c.order && samePoints(d.points, r.solution.points));
        if (j < 0) {
          const orbit = Float64Array.from(r.solution.points.flat());
          step.cycles.push(canonicalCycle(buildCycle(r.map, orbit, c.order, r.solution.jacobian, c.regions)));
          step.branches.push('');
          j = step.cycles.length - 1;
          filled++;
        }
        continued.add(pj);
        step.branches[j] = prev!.branches[pj];
        extend(step.branches[j], step, j);
      });
      if (withEvents) {
        prev.cycles.forEach((c, pj) => {
          if (!continued.has(pj) && !isDegenerate(c)) raw.push(branchTransition(path, c.regions, prev!.branches[pj], prev!.t, step.t, 'end'));
        });
      }
    }
    // A new cycle whose own sequence already held at the previous step, with the points of a
    // cycle there that continued nowhere: the same branch (a border point read on the other side).
    if (consecutive && prev) {
      const taken = new Set(step.branches.filter((x) => x !== ''));
      step.cycles.forEach((c, j) => {
        if (step.branches[j] !== '') return;
        const r = new Probe(path, c.regions).at(prev!.t);
        if (!r.exists) return;
        const pj = prev!.cycles.findIndex((d, jj) => !taken.has(prev!.branches[jj]) && d.order === c.order && samePoints(d.points, r.solution.points));
        if (pj < 0) return;
        taken.add(prev!.branches[pj]);
        step.branches[j] = prev!.branches[pj];
        extend(step.branches[j], step, j);
        const ended = raw.findIndex((e) => e.role === 'end' && e.branch === prev!.branches[pj]);
        if (ended >= 0) raw.splice(ended, 1);
      });
    }
    step.cycles.forEach((c, j) => {
      if (step.branches[j] !== '') return;
      step.branches[j] = newBranch(step, j);
      if (withEvents && consecutive && prev) {
        const probe = new Probe(path, c.regions);
        // Present before too, only not found there: no event (the search missed it).
        if (!isDegenerate(c) && !probe.at(prev.t).exists) raw.push(branchTransition(path, c.regions, step.branches[j], step.t, prev.t, 'start'));
      }
    });
    prev = step;
  }
  if (withEvents) for (const b of branches) raw.push(...eventsAlong(path, b, steps));
  const dt = steps.length > 1 ? Math.abs(steps[1].t - steps[0].t) : 1;
  const events = mergeEvents(path, raw, byId, dt);
  for (const e of events) {
    // A branch starts or ends at its events, not at the steps around them.
    for (const id of e.branches) {
      const b = byId.get(id);
      if (!b) continue;
      if (e.t < b.from) b.from = e.t;
      if (e.t > b.to) b.to = e.t;
    }
  }
  return { branches, events, filled };
}

/**
 * A cycle with an eigenvalue on the unit circle at +1 is not isolated (at a degenerate flip the
 * doubled cycles form a continuum, and one of them may be found exactly there): no branch events.
 */
function isDegenerate(c: Cycle): boolean {
  return c.eigenvalues.some(([re, im]) => Math.hypot(re - 1, im) <= ON_CIRCLE_TOL);
}

/** Sign changes of det(I − F), det(I + F) and |complex pair| − 1 along a branch's consecutive steps (zeros skipped). */
function eventsAlong(path: ModelPath, b: Branch, steps: SweepStep[]): RawEvent[] {
  const out: RawEvent[] = [];
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const tests: [AlongKind, (e: [number, number][]) => number | undefined][] = [
    ['degenerate-transcritical', (e) => productSign(e, 1)],
    ['degenerate-flip', (e) => productSign(e, -1)],
    ['neimark-sacker', complexSign],
  ];
  for (const [kind, sign] of tests) {
    // Signs are compared only within one region sequence: F(t) is a function of t there.
    let last: { t: number; s: number; key: string } | undefined;
    for (let n = 0; n < b.steps.length; n++) {
      const step = byIndex.get(b.steps[n])!;
      const c = step.cycles[b.cycles[n]];
      const key = sequenceKey(c.regions);
      if (last && (b.steps[n] !== b.steps[n - 1] + 1 || last.key !== key)) last = undefined;
      const s = isDegenerate(c) ? 0 : sign(c.eigenvalues);
      if (s === undefined) {
        last = undefined;
        continue;
      }
      if (s === 0) continue;
      if (last && last.s !== s) out.push(alongBranch(path, c.regions, b.id, kind, last.t, step.t));
      last = { t: step.t, s, key };
    }
  }
  return out;
}

function partnerOf(e: RawEvent, others: RawEvent[], byId: Map<string, Branch>, role: RawEvent['role'], order?: number): RawEvent | undefined {
  const key = e.partner ? sequenceKey(e.partner) : undefined;
  return others.find((o) => o !== e && o.role === role && (order === undefined || o.order === order) && (key === undefined || sequenceKey(byId.get(o.branch)!.regions) === key));
}

function mergeEvents(path: ModelPath, raw: RawEvent[], byId: Map<string, Branch>, dt: number): SweepEvent[] {
  raw.sort((a, b) => a.t - b.t);
  const groups: RawEvent[][] = [];
  for (const e of raw) {
    const g = groups[groups.length - 1];
    if (g && Math.abs(e.t - g[0].t) <= SAME_EVENT_TOL) g.push(e);
    else groups.push([e]);
  }
  const out: SweepEvent[] = [];
  for (const group of groups) {
    const used = new Set<RawEvent>();
    const emit = (e: RawEvent, extra: Partial<SweepEvent> & { detail: string; branches: string[] }) => {
      out.push({
        kind: e.kind,
        t: e.t,
        value: valueAt(path, e.t),
        order: e.order,
        eigenvalues: e.eigenvalues,
        points: e.points,
        ...(e.outcome ? { outcome: e.outcome } : {}),
        ...(e.stabilityChange !== undefined ? { stabilityChange: e.stabilityChange } : {}),
        ...extra,
      });
    };
    // Flips and transcriticals first: a 2k-cycle born (or dying) at a k-cycle's flip belongs to it.
    for (const e of group.filter((x) => x.role === 'along')) {
      used.add(e);
      let doubled = e.kind === 'degenerate-flip' ? group.find((o) => !used.has(o) && o.role !== 'along' && o.order === 2 * e.order) : undefined;
      if (doubled) used.add(doubled);
      // A doubled cycle found only at a step right at the flip (where it is not isolated) starts no event of its own.
      const bornNear =
        e.kind === 'degenerate-flip' && !doubled
          ? [...byId.values()].find((b) => b.order === 2 * e.order && Math.abs(b.from - e.t) <= dt * (1 + 1e-9) && !raw.some((o) => o.branch === b.id && o.role === 'start'))
          : undefined;
      if (bornNear) doubled = { ...e, branch: bornNear.id, role: 'start', order: bornNear.order };
      const change = e.stabilityChange ? `: ${e.stableBefore ? 'stable' : 'unstable'} → ${e.stableAfter ? 'stable' : 'unstable'}` : '';
      const what =
        e.kind === 'degenerate-flip' ? 'an eigenvalue crosses −1' : e.kind === 'degenerate-transcritical' ? 'an eigenvalue crosses +1 (it runs off to infinity)' : e.kind === 'neimark-sacker' ? 'a complex pair crosses the unit circle' : 'its stability changes';
      const born = doubled ? `; the ${name(doubled.order)} ${doubled.branch} ${doubled.role === 'start' ? 'is born' : 'vanishes'} there (period doubling)` : '';
      emit(e, { branches: doubled ? [e.branch, doubled.branch] : [e.branch], detail: `${e.branch} (${name(e.order)}): ${what}${change}${born}` });
    }
    for (const e of group) {
      if (used.has(e)) continue;
      used.add(e);
      const b = e.branch;
      if (e.kind === 'border-collision' && e.outcome === 'persistence') {
        const other = partnerOf(e, group.filter((o) => !used.has(o)), byId, e.role === 'end' ? 'start' : 'end');
        if (other) used.add(other);
        const [first, second] = e.role === 'end' ? [b, other?.branch] : [other?.branch, b];
        const change = e.stabilityChange ? ' and changes stability' : '';
        emit(e, {
          branches: [first, second].filter((x): x is string => !!x),
          detail: `${first ?? `the ${name(e.order)} of the sequence ${(e.role === 'end' ? byId.get(b)!.regions : e.partner!).join(' ')}`} hits a border and persists as ${second ?? `the ${name(e.order)} of the sequence ${e.partner!.join(' ')}`}${change}`,
        });
      } else if (e.kind === 'border-collision' && e.outcome === 'fold') {
        const other = partnerOf(e, group.filter((o) => !used.has(o)), byId, e.role);
        if (other) used.add(other);
        const verb = e.role === 'end' ? 'meet at a border and vanish' : 'are born together at a border';
        emit(e, { branches: other ? [b, other.branch] : [b], detail: `${b}${other ? ` and ${other.branch}` : ''} (${name(e.order)}s) ${verb} (border-collision fold)` });
      } else if (e.kind === 'border-collision' && e.outcome === 'period-doubling') {
        const other = partnerOf(e, group.filter((o) => !used.has(o)), byId, 'start', 2 * e.order) ?? partnerOf(e, group.filter((o) => !used.has(o)), byId, 'end', 2 * e.order);
        if (other) used.add(other);
        emit(e, { branches: other ? [b, other.branch] : [b], detail: `${b} (${name(e.order)}) hits a border where a ${name(2 * e.order)}${other ? ` (${other.branch})` : ''} is born (period doubling)` });
      } else if (e.kind === 'degenerate-transcritical') {
        emit(e, { branches: [b], detail: `${b} (${name(e.order)}) ${e.role === 'start' ? 'comes in from infinity' : 'runs off to infinity'}: an eigenvalue reaches +1 (degenerate transcritical)` });
      } else {
        const how = e.kind === 'border-collision' ? `${e.role === 'start' ? 'starts' : 'ends'} at a border, and what follows fits no class` : `${e.role === 'start' ? 'starts' : 'ends'}, and the evidence fits no class`;
        emit(e, { kind: e.kind === 'border-collision' ? 'border-collision' : 'unclassified', branches: [b], detail: `${b} (${name(e.order)}) ${how}` });
      }
    }
  }
  return out;
}
