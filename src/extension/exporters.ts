// Saving results: JSON (the CLI's --json shape plus the run's options), CSV (one row per cycle
// point) and PNG images of the plots.
import * as vscode from 'vscode';
import { ARCHITECTURES } from '../core/model/types';
import type { PanelState, PlotKind } from '../shared/protocol';
import { output } from './output';

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
        cancelled: state.status === 'cancelled',
      },
      null,
      2,
    ) + '\n'
  );
}

function csvField(v: string | number | boolean): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function complex([re, im]: [number, number]): string {
  if (im === 0) return String(re);
  return `${re}${im < 0 ? '-' : '+'}${Math.abs(im)}i`;
}

/** One row per point of each cycle: which cycle, its properties, the region and coordinates. */
export function resultsCsv(state: PanelState): string {
  const M = state.model?.M ?? state.cycles[0]?.points[0]?.length ?? 0;
  const head = ['cycle', 'order', 'point', 'stable', 'classification', 'spectral_radius', 'eigenvalues', 'region', ...Array.from({ length: M }, (_, i) => `z${i + 1}`)];
  const rows = [head.join(',')];
  state.cycles.forEach((c, ci) => {
    c.points.forEach((p, pi) => {
      const fields = [ci + 1, c.order, pi + 1, c.stable, c.classification, c.spectralRadius, c.eigenvalues.map(complex).join(' '), c.regions[pi] ?? '', ...p];
      rows.push(fields.map(csvField).join(','));
    });
  });
  return rows.join('\n') + '\n';
}

function besideModel(model: vscode.Uri, suffix: string): vscode.Uri {
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

export async function savePng(model: vscode.Uri, plot: PlotKind, dataUrl: string): Promise<void> {
  const uri = await vscode.window.showSaveDialog({
    defaultUri: besideModel(model, plot === 'state' ? '-state-space.png' : '-eigenvalues.png'),
    filters: { PNG: ['png'] },
    title: 'Save plot as PNG',
  });
  if (!uri) return;
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  await vscode.workspace.fs.writeFile(uri, bytes);
  output().info(`saved the ${plot === 'state' ? 'state-space' : 'eigenvalue'} plot to ${uri.fsPath}`);
}
