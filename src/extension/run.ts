// "SCYFI: Analyze Training Run…": a folder of checkpoints (or a scyfi-run.json manifest, or the
// folder of a loss log) analysed by the run job in a worker, its checkpoints searched on a pool
// and cached in the extension's global storage, streaming into a run panel; what the panel's
// links do (open a checkpoint, compare the two around an event, show an entry); the code lens on
// manifests and loss logs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseLossLog } from '../core/run/loss';
import { EntriesJob, RunJob, type EndOf } from '../shared/jobs';
import type { RunPanelState } from '../shared/protocol';
import { placeOf, type RunAnalysisOptions, type RunReport } from '../shared/runReport';
import { checkpointsAround, largestChanges, runCsv } from '../shared/runState';
import { savePng } from './exporters';
import { output } from './output';
import { RunPanel, type RunActions } from './panel/RunPanel';
import { runJob } from './runner';
import { cancelRuns, reportJobError, trackRun } from './running';
import { parameterMap, runAnalysisOptions } from './settings';

const MANIFEST = 'scyfi-run.json';
/** Entries listed as changed most between two checkpoints. */
const CHANGES_SHOWN = 12;

/** Arguments of scyfi.analyzeRun; absent ones come from the settings. */
export interface RunArgs {
  maxOrder?: number;
  threshold?: number;
  jobs?: number;
  seed?: number;
}

const wholeIn = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

/** What to analyse: a folder or a manifest as given; a loss log stands for its folder. */
async function runTarget(uri: vscode.Uri): Promise<vscode.Uri> {
  if (path.basename(uri.fsPath) === MANIFEST) return uri;
  const st = await vscode.workspace.fs.stat(uri);
  return st.type & vscode.FileType.Directory ? uri : vscode.Uri.joinPath(uri, '..');
}

function nameOf(uri: vscode.Uri): string {
  const base = path.basename(uri.fsPath);
  return base === MANIFEST ? path.basename(path.dirname(uri.fsPath)) + '/' + base : base;
}

/** The run's cache: the extension's global storage (never next to the user's files). */
function cacheDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'runs');
}

async function analyze(context: vscode.ExtensionContext, target: vscode.Uri, options: RunAnalysisOptions, jobs?: number): Promise<RunReport | undefined> {
  const ext = context.extensionUri;
  const initial: RunPanelState = { uri: target.toString(), fileName: nameOf(target), status: 'running', options, steps: [] };
  const panel = RunPanel.show(ext, target, initial, actions(context));
  panel.beginRun(options);
  const log = output();
  log.info(`run ${target.fsPath}: orders 1–${options.maxOrder}, jump threshold ${options.threshold ?? 'default'}, seed ${options.seed ?? 0}`);
  let report: ((m: string) => void) | undefined;
  try {
    const r = await trackRun(
      panel.key,
      `SCYFI: analysing the run ${nameOf(target)}`,
      () =>
        runJob(
          ext,
          RunJob,
          { target: target.fsPath, options, parameterMap: parameterMap(target), cacheDir: cacheDir(context), jobs },
          {
            onItems: (steps) => panel.apply({ type: 'steps', steps }),
            onProgress: (p) => {
              if (p.type === 'run') panel.apply({ type: 'run', unit: p.unit, checkpoints: p.checkpoints });
              else {
                panel.apply({ type: 'progress', phase: p.type === 'reading' ? 'reading' : 'searching', done: p.done, total: p.total });
                report?.(`${p.type === 'reading' ? 'reading' : 'searched'} checkpoint ${p.done} of ${p.total}`);
              }
            },
          },
        ),
      (rep) => (report = rep),
      'reading the checkpoints…',
    );
    panel.apply({ type: 'finished', report: r });
    log.info(`  ${r.cancelled ? 'cancelled' : 'done'} in ${r.stats.seconds.toFixed(2)} s: ${r.checkpoints.length} checkpoints (${r.stats.cached} from the cache), ${r.skipped.length} skipped, ${r.events.length} events, ${r.lossJumps.length} loss jumps${r.alignment ? `; ${r.alignment.sentence}` : ''}`);
    return panel.state.report;
  } catch (e) {
    panel.apply({ type: 'failed', message: await reportJobError(e, target, undefined) });
    return undefined;
  }
}

/** A finished report (e.g. the merge of a run's shards) in the run panel of `target`; Re-run analyses `target` again. */
export function showRunReport(context: vscode.ExtensionContext, target: vscode.Uri, report: RunReport, options: RunAnalysisOptions): RunPanel {
  const initial: RunPanelState = { uri: target.toString(), fileName: nameOf(target), status: 'running', options, steps: [] };
  const panel = RunPanel.show(context.extensionUri, target, initial, actions(context));
  panel.beginRun(options);
  panel.apply({ type: 'finished', report });
  return panel;
}

/** scyfi.analyzeRun (folder | manifest | loss log?, {maxOrder, threshold, jobs, seed}): asks for a folder when none is given; returns the report. */
export async function analyzeRunCommand(context: vscode.ExtensionContext, uriArg?: unknown, argsArg?: unknown): Promise<RunReport | undefined> {
  let uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.file(uriArg) : undefined;
  uri ??= (
    await vscode.window.showOpenDialog({
      title: 'SCYFI: the folder of a training run (its checkpoints, and a loss log if there is one)',
      canSelectFolders: true,
      canSelectFiles: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Analyze',
    })
  )?.[0];
  if (!uri) return undefined;
  let target: vscode.Uri;
  try {
    target = await runTarget(uri);
  } catch {
    void vscode.window.showErrorMessage(`SCYFI: ${uri.fsPath} does not exist`);
    return undefined;
  }
  const args: RunArgs = isObject(argsArg) ? (argsArg as RunArgs) : {};
  const base = runAnalysisOptions(target);
  const options: RunAnalysisOptions = {
    ...base,
    maxOrder: wholeIn(args.maxOrder, 1, 1000) ? args.maxOrder : base.maxOrder,
    threshold: typeof args.threshold === 'number' && args.threshold > 0 ? args.threshold : base.threshold,
    seed: wholeIn(args.seed, 0, 2 ** 32 - 1) ? args.seed : base.seed,
  };
  return analyze(context, target, options, wholeIn(args.jobs, 1, 1024) ? args.jobs : undefined);
}

// ------------------------------------------------------------------ the panel's links

function checkpointUri(p: RunPanel, index: number): { uri: vscode.Uri; model?: number } | undefined {
  const c = p.state.checkpoints?.[index];
  return c && { uri: vscode.Uri.file(c.file), model: c.model };
}

/** Opens a checkpoint (its viewer, or the JSON model) and finds its objects in the results panel. */
async function openCheckpoint(p: RunPanel, index: number): Promise<void> {
  const at = checkpointUri(p, index);
  if (!at) return;
  await vscode.commands.executeCommand('vscode.open', at.uri, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
  await vscode.commands.executeCommand('scyfi.findCycles', at.uri, { maxOrder: p.state.options.maxOrder, seed: p.state.options.seed ?? 0, ...(at.model !== undefined ? { model: at.model } : {}) });
}

type Entries = EndOf<typeof EntriesJob>;

async function entriesOf(ext: vscode.Uri, p: RunPanel, index: number): Promise<Entries> {
  const c = p.state.checkpoints![index];
  return runJob(ext, EntriesJob, { source: { kind: 'file', path: c.file }, displayName: c.name, parameterMap: parameterMap(vscode.Uri.file(c.file)), model: c.model }).done;
}

/** The checkpoints on either side of an event, side by side, and the entries that changed most between them. */
async function compareEvent(ext: vscode.Uri, p: RunPanel, event: number): Promise<void> {
  const r = p.state.report;
  const e = r?.events[event];
  if (!r || !e) return;
  const around = checkpointsAround(
    r.checkpoints.map((c) => placeOf(c, r.unit)),
    placeOf(e, r.unit),
  );
  if (!around) return;
  try {
    const [a, b] = await Promise.all([entriesOf(ext, p, around.before), entriesOf(ext, p, around.after)]);
    p.apply({ type: 'comparison', comparison: { event, ...around, changes: largestChanges(a.entries, b.entries, CHANGES_SHOWN), total: b.total } });
  } catch (err) {
    p.apply({ type: 'comparison', comparison: { event, ...around, changes: [], total: 0, error: (err as Error).message.split('\n')[0] } });
  }
}

async function exportRun(p: RunPanel, format: 'json' | 'csv', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const r = p.state.report;
  if (!r) return undefined;
  const folder = p.uri.fsPath.endsWith(MANIFEST) ? vscode.Uri.joinPath(p.uri, '..') : p.uri;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `scyfi-run-analysis.${format}`),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      title: `Export the run's analysis as ${format.toUpperCase()}`,
    }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(format === 'json' ? JSON.stringify(r) + '\n' : runCsv(r), 'utf8'));
  output().info(`exported the analysis of ${p.state.fileName} to ${uri.fsPath}`);
  return uri;
}

let runActions: RunActions | undefined;

function actions(context: vscode.ExtensionContext): RunActions {
  const ext = context.extensionUri;
  runActions ??= {
    rerun: (p) => void analyze(context, p.uri, p.state.options),
    cancel: (p) => void cancelRuns(p.key),
    openCheckpoint: (p, i) => void openCheckpoint(p, i),
    compareEvent: (p, e) => void compareEvent(ext, p, e),
    revealParameter: (p, i, param) => {
      const at = checkpointUri(p, i);
      if (at) void vscode.commands.executeCommand('scyfi.revealParameter', at.uri, param);
    },
    export: (p, format) => void exportRun(p, format),
    savePng: (p, plot, dataUrl) => {
      const folder = p.uri.fsPath.endsWith(MANIFEST) ? vscode.Uri.joinPath(p.uri, '..') : p.uri;
      void savePng(vscode.Uri.joinPath(folder, 'run.json'), plot === 'loss' ? 'loss' : plot === 'diagram' ? 'bifurcation' : 'spectral-radius', dataUrl);
    },
  };
  return runActions;
}

// ------------------------------------------------------------------ code lens

/** How much of a log the code lens reads to tell whether it is a loss log. */
const LENS_BYTES = 8192;

/** "Analyze training run" above a scyfi-run.json manifest, and above a log the run discovery reads as a loss log. */
export class RunCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const name = path.basename(doc.uri.fsPath);
    if (name !== MANIFEST && !isLossLog(name, doc.getText(new vscode.Range(0, 0, 50, 0)))) return [];
    const title = name === MANIFEST ? '$(graph-line) Analyze training run' : '$(graph-line) Analyze the training run in this folder';
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, tooltip: 'Which bifurcation came before each loss jump', command: 'scyfi.analyzeRun', arguments: [doc.uri] })];
  }
}

/** A CSV/TSV or JSON-lines log whose first lines name an epoch or step and a loss. */
export function isLossLog(name: string, head: string): boolean {
  if (!/\.(csv|tsv|jsonl|ndjson)$/i.test(name)) return false;
  const lines = head.slice(0, LENS_BYTES).split('\n');
  // The last line may be cut.
  const text = lines.slice(0, Math.max(1, lines.length - 1)).join('\n');
  try {
    return parseLossLog(name, new TextEncoder().encode(text)).length > 0;
  } catch {
    return false;
  }
}

export const RUN_LENS_SELECTOR: vscode.DocumentSelector = [{ pattern: `**/${MANIFEST}` }, { pattern: '**/*.{csv,tsv,jsonl,ndjson}' }];

export function registerRunCommands(context: vscode.ExtensionContext): void {
  RunPanel.register(context, actions(context));
  context.subscriptions.push(
    vscode.commands.registerCommand('scyfi.analyzeRun', (uri?: unknown, args?: unknown) => analyzeRunCommand(context, uri, args)),
    vscode.languages.registerCodeLensProvider(RUN_LENS_SELECTOR, new RunCodeLensProvider()),
  );
  // Training writes new checkpoints and appends to its log: the panels of that run say so.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{pt,pth,ckpt,bin,safetensors,bson,npz,mat,jld2,h5,hdf5,csv,tsv,jsonl,ndjson,json}');
  const changed = (uri: vscode.Uri) => {
    for (const p of RunPanel.all()) if (uri.fsPath.startsWith(p.folder + path.sep)) p.markStale();
  };
  context.subscriptions.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
}

export { exportRun };
