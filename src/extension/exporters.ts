// Saving results: JSON (the CLI's --json shape plus the run's options), CSV (one row per cycle
// point) and PNG images of the plots.
import * as vscode from 'vscode';
import { ARCHITECTURES } from '../core/model/types';
import type { PanelState, SweepPanelState } from '../shared/protocol';
import { csvRow, cyclePointColumns, cyclePointFields, gridCsv, sweepCsv } from '../shared/csv';
import { output } from './output';
import { attractorsJson } from '../core/dynamics/report';

export function resultsJson(state: PanelState): string {
  const m = state.model;
  // The CLI's shape: the per-order diagnostics (stats.orders) stay out of it, as in `find --json`.
  const stats = state.stats && { candidates: state.stats.candidates, seconds: state.stats.seconds };
  return (
    JSON.stringify(
      {
        source: state.fileName,
        model: m ? { architecture: m.architecture, M: m.M, H: m.H } : undefined,
        options: state.options,
        cycles: state.cycles,
        stats,
        ...(state.certificate ? { certificate: state.certificate } : {}),
        ...attractorsJson(state.dynamics),
        cancelled: state.status === 'cancelled',
      },
      null,
      2,
    ) + '\n'
  );
}

/** One row per point of each cycle: which cycle, its properties, the region and coordinates. */
export function resultsCsv(state: PanelState): string {
  const M = state.model?.M ?? state.cycles[0]?.points[0]?.length ?? 0;
  const rows = [csvRow(['cycle', ...cyclePointColumns(M)])];
  state.cycles.forEach((c, ci) => c.points.forEach((_, pi) => rows.push(csvRow([ci + 1, ...cyclePointFields(c, pi)]))));
  return rows.join('\n') + '\n';
}

export function besideModel(model: vscode.Uri, suffix: string): vscode.Uri {
  const base = model.path
    .split('/')
    .pop()!
    .replace(/\.(json|jsonc|pt|pth|ckpt|npz|npy|safetensors|bson|mat|jld2|h5|hdf5)$/i, '')
    .replace(new RegExp(`\\.(${[...ARCHITECTURES, 'model'].join('|')})$`, 'i'), '');
  return model.scheme === 'file' ? vscode.Uri.joinPath(model, '..', `${base}${suffix}`) : vscode.Uri.file(`${base}${suffix}`);
}

/** Writes the results; asks where unless `target` is given. Returns the file written. */
export async function exportState(state: PanelState, format: 'json' | 'csv', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const model = vscode.Uri.parse(state.uri);
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: besideModel(model, format === 'json' ? '-cycles.json' : '-cycles.csv'),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      title: `Export SCYFI results as ${format.toUpperCase()}`,
    }));
  if (!uri) return undefined;
  const text = format === 'json' ? resultsJson(state) : resultsCsv(state);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  output().info(`exported ${state.cycles.length} object(s) of ${state.fileName} to ${uri.fsPath}`);
  return uri;
}

/**
 * Writes a sweep (JSON: the SweepResult, or the GridResult of a map; CSV: one row per step × cycle
 * point, or per cell); asks where unless `target` is given. Returns the file written.
 */
export async function exportSweep(state: SweepPanelState, format: 'json' | 'csv', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const result = state.grid ?? state.sweep;
  if (!result) return undefined;
  const t = state.target;
  const what = t.kind === 'entry' ? `sweep-${t.ref}` : t.kind === 'grid' ? `map-${t.x.ref}-${t.y.ref}` : 'sweep-line';
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: besideModel(vscode.Uri.parse(state.uri), `-${what}.${format}`),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      title: `Export the ${t.kind === 'grid' ? 'map' : 'sweep'} as ${format.toUpperCase()}`,
    }));
  if (!uri) return undefined;
  const text = format === 'json' ? JSON.stringify(result) + '\n' : state.grid ? gridCsv(state.grid) : sweepCsv(state.sweep!, state.model?.M);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  output().info(`exported the ${t.kind === 'grid' ? 'map' : 'sweep'} of ${state.fileName} to ${uri.fsPath}`);
  return uri;
}

/** Saves a plot's PNG (a data URL from the page) beside the model as `<model>-<name>.png` unless the user picks another place. */
export async function savePng(model: vscode.Uri, name: string, dataUrl: string): Promise<void> {
  const uri = await vscode.window.showSaveDialog({
    defaultUri: besideModel(model, `-${name}.png`),
    filters: { PNG: ['png'] },
    title: 'Save plot as PNG',
  });
  if (!uri) return;
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  await vscode.workspace.fs.writeFile(uri, bytes);
  output().info(`saved the ${name} plot to ${uri.fsPath}`);
}
