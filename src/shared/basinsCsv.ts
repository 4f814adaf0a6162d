// A basin grid as CSV: one row per start (its two varied coordinates, the whole start, the label
// and the label in words), for the CLI's --csv and the editor's export.
import { basinLabelText, type BasinResult } from '../core/dynamics/basins';
import type { KnownCycle } from '../core/dynamics/types';
import { csvRow } from './csv';

export function basinsCsv(r: BasinResult, cycles: readonly (KnownCycle & { classification?: string })[]): string {
  const M = r.base.length;
  const lines = [csvRow(['x', 'y', ...Array.from({ length: M }, (_, i) => `z${i + 1}`), 'label', 'attractor'])];
  for (const row of r.rows) {
    row.cells.forEach((label, i) => {
      const z = [...r.base];
      z[r.x.coordinate] = r.x.values[i];
      z[r.y.coordinate] = row.y;
      lines.push(csvRow([r.x.values[i], row.y, ...z, label, basinLabelText(label, cycles)]));
    });
  }
  return lines.join('\n') + '\n';
}
