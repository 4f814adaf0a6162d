// "SCYFI: Open Results Folder…": a shard plan's folder (docs/cluster.md) shown in the sweep panel
// (a training run's in the run panel), merged from the shards there are (missing shards are gaps:
// absent steps, rows or checkpoints), and merged again as shard files arrive. The merge is the
// CLI's own (`scyfi merge --json --no-write`) in a child process, so the extension host thread
// never computes it and there is one merge.
import { spawn } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GridResult } from '../core/sweep/grid';
import type { SweepOptions, SweepResult } from '../core/sweep/types';
import { formatIndices, readPlan, type ShardPlan } from '../core/shard/plan';
import type { SweepTargetState } from '../shared/protocol';
import { output } from './output';
import { SweepPanel } from './panel/SweepPanel';
import { actions, initialState } from './sweep';
import { RunPanel } from './panel/RunPanel';
import { showRunReport } from './run';
import { parseRunReport } from '../shared/runReport';

/** What the command returns (the tests read the panel through it). */
export interface OpenedFolder<P = SweepPanel | RunPanel> {
  panel: P;
  /** The shards not merged yet in what the panel shows. */
  missing(): number[];
  /** Stops following the folder (also when the panel is closed or every shard is there). */
  stop(): void;
}

interface Merged<R = SweepResult | GridResult> {
  result: R;
  missing: number[];
}

/** A panel showing a folder's merge, shown again as shards arrive. */
interface FolderView {
  show(m: Merged<unknown>): void;
  onDidDispose(f: () => void): void;
}

/** Re-merges at most this often while shard files arrive. */
const SETTLE_MS = 400;

function mergeInChild(ext: vscode.Uri, folder: string): Promise<Merged<unknown>> {
  const cli = path.join(ext.fsPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = spawn(process.execPath, [cli, 'merge', folder, '--json', '--no-write'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0 && code !== 3) return reject(new Error((stderr.split('\n')[0] || `scyfi merge exited with ${code}`).replace(/^scyfi: /, '')));
      try {
        const result = JSON.parse(Buffer.concat(out).toString('utf8')) as unknown;
        const m = /partial: shards ([\d–, ]+) of/.exec(stderr);
        const missing = m ? m[1].split(', ').flatMap((p) => {
          const [a, b] = p.split('–').map(Number);
          return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
        }) : [];
        resolve({ result, missing });
      } catch (e) {
        reject(new Error(`scyfi merge printed no result: ${(e as Error).message}`));
      }
    });
  });
}

function fileOf(folder: string, f: ShardPlan['files'][number]): string {
  const beside = path.resolve(folder, f.relative);
  return existsSync(f.path) || !existsSync(beside) ? f.path : beside;
}

function targetOf(plan: ShardPlan, folder: string, r: SweepResult | GridResult): SweepTargetState {
  if ('rows' in r) {
    const axis = (a: GridResult['x']) => ({ ref: a.parameter, from: a.values[0], to: a.values[a.values.length - 1], n: a.values.length });
    return { kind: 'grid', x: axis(r.x), y: axis(r.y) };
  }
  if (r.path.kind === 'entry') return { kind: 'entry', ref: r.path.parameter, from: r.path.from, to: r.path.to };
  const to = plan.files[1] ? fileOf(folder, plan.files[1]) : r.path.kind === 'line' ? r.path.to : '';
  return { kind: 'line', toUri: vscode.Uri.file(to).toString(), toName: path.basename(to) };
}

/** Which shards are missing and what they hold, in one sentence. */
function missingNote(plan: ShardPlan, folder: string, missing: number[], gaps: string): string {
  const units = missing.map((k) => plan.parts[k]).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
  const what = plan.command === 'sweep2d' ? 'rows' : 'chunks';
  return `${plan.shards - missing.length} of ${plan.shards} shards of ${path.basename(folder)} merged: shard${missing.length === 1 ? '' : 's'} ${formatIndices(missing)} (${what} ${units.join(', ')}) missing, ${gaps}; the panel merges again as shard files arrive.`;
}

function showSweep(panel: SweepPanel, plan: ShardPlan, folder: string, m: Merged): void {
  panel.beginRun(panel.state.options);
  if ('rows' in m.result) panel.apply({ type: 'gridFinished', result: m.result });
  else panel.apply({ type: 'finished', result: m.result });
  if (m.missing.length === 0) return;
  panel.apply({ type: 'reset', state: { ...panel.state, note: missingNote(plan, folder, m.missing, 'shown as gaps') } });
}

function sweepView(ext: vscode.Uri, plan: ShardPlan, folder: string, first: Merged<unknown>): { panel: SweepPanel; view: FolderView } {
  const result = first.result as SweepResult | GridResult;
  const modelUri = vscode.Uri.file(fileOf(folder, plan.files[0]));
  const modelFlag = plan.argv.map((a) => /^--model=(\d+)$/.exec(a)).find((m) => m);
  const options = { ...(plan.options as unknown as SweepOptions) };
  if ('rows' in result) options.steps = result.x.values.length;
  const state = { ...initialState(modelUri, modelFlag ? Number(modelFlag[1]) : undefined, targetOf(plan, folder, result), options), editable: false };
  const panel = SweepPanel.show(ext, modelUri, state, actions(ext));
  return { panel, view: { show: (m) => showSweep(panel, plan, folder, m as Merged), onDidDispose: (f) => panel.panel.onDidDispose(f) } };
}

/** A training run's shards in the run panel: the merged report, its missing checkpoints said in its notes. */
function runView(context: vscode.ExtensionContext, plan: ShardPlan, folder: string): { panel: RunPanel; view: FolderView } {
  const target = vscode.Uri.file(plan.argv[0]);
  const options = { maxOrder: Number(plan.options.maxOrder) || 1, seed: plan.seed };
  let panel: RunPanel | undefined;
  const show = (m: Merged<unknown>) => {
    const report = parseRunReport(m.result, `the merge of ${folder}`);
    if (m.missing.length > 0) report.notes = [missingNote(plan, folder, m.missing, 'their checkpoints are not in the plots'), ...report.notes];
    panel = showRunReport(context, target, report, options);
  };
  return {
    get panel() {
      return panel!;
    },
    view: { show, onDidDispose: (f) => panel?.panel.onDidDispose(f) },
  } as { panel: RunPanel; view: FolderView };
}

/** Opens `folderArg` (or a folder asked for) in a sweep or run panel and follows it. */
export async function openResultsFolder(context: vscode.ExtensionContext, folderArg?: unknown): Promise<OpenedFolder | undefined> {
  const ext = context.extensionUri;
  let folder: string | undefined = folderArg instanceof vscode.Uri ? folderArg.fsPath : typeof folderArg === 'string' ? folderArg : undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Open Results Folder', title: 'A shard plan folder (made with --shards n --out DIR)' });
    if (!picked?.[0]) return undefined;
    folder = picked[0].fsPath;
  }
  let plan: ShardPlan;
  let merged: Merged<unknown>;
  try {
    plan = await readPlan(folder);
    merged = await mergeInChild(ext, folder);
  } catch (e) {
    const message = (e as Error).message;
    output().error(message);
    void vscode.window.showErrorMessage(`SCYFI: ${message}`);
    return undefined;
  }
  const opened = plan.command === 'run' ? runView(context, plan, folder) : sweepView(ext, plan, folder, merged);
  try {
    opened.view.show(merged);
  } catch (e) {
    const message = (e as Error).message;
    output().error(message);
    void vscode.window.showErrorMessage(`SCYFI: ${message}`);
    return undefined;
  }
  let missing = merged.missing;
  const say = () => output().info(`${folder}: ${plan.shards - missing.length} of ${plan.shards} shards merged${missing.length ? `; missing ${formatIndices(missing)}` : ''}`);
  say();

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let again = false;
  const stop = () => {
    watcher?.close();
    watcher = undefined;
    if (timer) clearTimeout(timer);
  };
  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const m = await mergeInChild(ext, folder!);
      if (!watcher) return;
      missing = m.missing;
      opened.view.show(m);
      say();
      if (missing.length === 0) stop();
    } catch (e) {
      output().warn(`${folder}: ${(e as Error).message}`);
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };
  if (missing.length > 0) {
    watcher = watch(folder, (_event, name) => {
      if (!name || !/^shard-\d+\.json$/.test(String(name))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void refresh(), SETTLE_MS);
    });
    opened.view.onDidDispose(stop);
  }
  return { panel: opened.panel, missing: () => missing, stop };
}

export function registerResultsFolder(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('scyfi.openResultsFolder', (folder?: unknown) => openResultsFolder(context, folder)));
}
