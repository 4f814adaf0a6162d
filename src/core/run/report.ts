// A run's analysis as the report `scyfi run --json` prints and the editor's run job ends with.
import type { RunAnalysis } from './analyze';
import type { RunReport } from './reportTypes';

export function runReport(r: RunAnalysis): RunReport {
  const key = r.unit;
  const byIndex = new Map(r.sweep.steps.map((s) => [s.index, s]));
  return {
    unit: r.unit,
    checkpoints: r.checkpoints.map((c, i) => ({ [key]: c.x, file: c.file, cached: c.cached, cycles: byIndex.get(i)?.cycles ?? [], branches: byIndex.get(i)?.branches ?? [] })),
    skipped: r.skipped,
    branches: r.sweep.branches,
    events: r.events.map(({ x, ...e }) => ({ [key]: x, ...e })),
    lossJumps: r.lossJumps.map((j) => ({ [key]: j.x, from: j.from, until: j.until, size: j.size, factor: Math.exp(j.size), direction: j.direction, score: j.score })),
    loss: r.loss ? { source: r.loss.source, name: r.loss.name, points: r.loss.points } : null,
    alignment: r.alignment
      ? {
          window: r.alignment.window,
          sentence: r.alignment.sentence,
          pValue: r.alignment.pValue,
          jumps: r.alignment.perJump.map((p) => ({ [key]: p.jump.x, events: p.events })),
          followedBy: r.alignment.followedBy.map((j) => j ?? null),
        }
      : null,
    notes: r.notes,
    stats: { ...r.stats, candidates: r.sweep.stats.candidates, foundBy: { ...r.sweep.stats.foundBy } },
    cancelled: r.cancelled,
  };
}
