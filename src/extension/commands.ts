// The commands: find cycles (with progress, streaming into the panel), cancel, export, reveal.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { summarize } from '../shared/summary';
import { parseParamRef } from '../core/model/paramRef';
import { FindJob, type CertificateInfo } from '../shared/jobs';
import type { RunOptions, RunResult } from '../shared/shapes';
import { CHECKPOINT_VIEW_TYPE, CheckpointEditorProvider } from './checkpointEditor';
import { exportState } from './exporters';
import { isJsonDocument, rangeOfPath } from './modelDocument';
import { output } from './output';
import { currentPanel } from './panel/base';
import { fileNameOf, ResultsPanel, runKey } from './panel/ResultsPanel';
import { FIND_CANCEL_GRACE_MS, runJob } from './runner';

export { modelSource };
import { cancelAllRuns, cancelRuns, clearRunErrors, reportJobError, trackRun } from './running';
import { modelSource } from './source';
import { simulateForPanel } from './dynamics';
import { askForOverrides, fileSearchSettings, fixedKeys, formatOptions, parameterMap, parseOptionsText, runOptions, searchThreads, withFileSettings, type RunOverrides } from './settings';
import { SEARCH_SETTING_KEYS } from '../core/model/search';
import { formatDuration, OrderClock } from '../core/scyfi/estimate';

/** The model the user means: the argument (a Uri, or its text from a command link), the active editor, or the active checkpoint viewer. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && /^[a-z][\w+.-]*:/i.test(arg)) return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && isJsonDocument(editor.document)) return editor.document.uri;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === CHECKPOINT_VIEW_TYPE) return tab.uri;
  // The active tab can reach the extension before its editor does (a command run just after the
  // file opened found no active editor): the tab's file is the one meant.
  if (tab instanceof vscode.TabInputText && !editor) return tab.uri;
  if (tab instanceof vscode.TabInputWebview) return currentPanel()?.uri;
  return editor?.document.uri;
}

function isOverrides(v: unknown): v is RunOverrides {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && !Array.isArray(v);
}

async function askOptions(base: RunOptions): Promise<RunOptions | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'SCYFI: settings for this run',
    prompt: 'maxOrder: highest cycle order; outerLoop/innerLoop: restarts and jumps (auto = scaled with the model); seed: random seed',
    value: formatOptions(base),
    validateInput: (t) => {
      const r = parseOptionsText(t, base);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parseOptionsText(text, base);
  return typeof r === 'string' ? undefined : r;
}

function describeOptions(o: RunOptions): string {
  return `maxOrder ${o.maxOrder}, outerLoop ${o.outerLoop ?? 'auto'}, innerLoop ${o.innerLoop ?? 'auto'}, seed ${o.seed}`;
}

/** The result of a run; a certified run's carries what was proven. */
export type FindResult = RunResult & { certificate?: CertificateInfo };

export async function findCycles(extensionUri: vscode.Uri, arg?: unknown, overridesArg?: unknown, forceAsk = false): Promise<FindResult | undefined> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showErrorMessage('SCYFI: open a model file (JSON or a checkpoint) first, or run the command from its context menu.');
    return undefined;
  }
  const overrides = isOverrides(overridesArg) ? overridesArg : {};
  let options = runOptions(uri, overrides);
  // What the user set for this run; the model file's "scyfi" block decides the rest.
  let fixed = fixedKeys(overrides);
  const ask = forceAsk || overrides.interactive === true || (!isOverrides(overridesArg) && askForOverrides(uri));
  if (ask) {
    const chosen = await askOptions(withFileSettings(options, await fileSearchSettings(uri), fixed));
    if (!chosen) return undefined;
    options = chosen;
    fixed = [...SEARCH_SETTING_KEYS];
  }

  const modelIndex = typeof overrides.model === 'number' && Number.isInteger(overrides.model) && overrides.model >= 0 ? overrides.model : undefined;
  const key = runKey(uri, modelIndex);
  const name = fileNameOf(uri);
  const { source, doc } = modelSource(uri);
  const panel = ResultsPanel.show(extensionUri, uri, modelIndex);
  panel.beginRun(options);
  const log = output();
  log.info(`run ${name} (${uri.scheme === 'file' ? uri.fsPath : uri.toString()}${source.kind === 'text' ? ', unsaved editor text' : ''}): ${describeOptions(options)}`);

  let found = 0;
  let order = 0;
  let certificate: CertificateInfo | undefined;
  let report: ((m: string) => void) | undefined;
  let clock = new OrderClock(options.maxOrder);
  const progressText = () => {
    const rest = clock.remaining();
    return `order ${order} of ${options.maxOrder} · ${found} found${rest ? ` · ${formatDuration(rest.seconds)} left at this size` : ''}`;
  };
  const started = Date.now();
  try {
    const result = await trackRun(
      key,
      `SCYFI: ${name}`,
      () =>
        runJob(
          extensionUri,
          FindJob,
          { source, displayName: name, options, fixed, parameterMap: parameterMap(uri), model: modelIndex, ...(overrides.certify ? { certify: overrides.certify } : {}), threads: searchThreads(uri) },
          {
            onProgress: (p) => {
              if (p.type === 'model') {
                if (p.options) options = p.options;
                panel.setModel(p.model, p.options, p.fromFile);
                log.info(`  ${p.model.architecture}, M = ${p.model.M}, H = ${p.model.H} (${p.model.format})`);
                if (p.fromFile?.length) log.info(`  from the file's "scyfi" block: ${describeOptions(options)}`);
              } else if (p.type === 'order') {
                if (p.order === 1) clock = new OrderClock(p.maxOrder);
                clock.start(p.order);
                order = p.order;
                panel.progress(p.order, p.maxOrder);
                report?.(progressText());
              } else if (p.type === 'certify') {
                report?.(`proving order ${p.order} of ${p.orders} complete · ${found} found`);
              } else {
                certificate = p.certificate;
                panel.setCertificate(p.certificate);
                log.info(`  certified: ${p.certificate.summary}`);
              }
            },
            onItems: (cycles) => {
              found += cycles.length;
              panel.addCycles(cycles);
              report?.(progressText());
            },
          },
          { graceMs: FIND_CANCEL_GRACE_MS },
        ),
      (r) => (report = r),
      'loading the model…',
    );
    panel.finish(result, (Date.now() - started) / 1000);
    if (!result.cancelled) void simulateForPanel(panel, options);
    clearRunErrors(doc);
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    log.info(
      `  ${result.cancelled ? 'cancelled' : 'done'} in ${secs} s: ${summarize(result.cycles, options.maxOrder, result.cancelled)}; ${result.stats.candidates} candidates`,
    );
    return certificate ? { ...result, certificate } : result;
  } catch (e) {
    panel.fail(await reportJobError(e, uri, doc), (Date.now() - started) / 1000);
    return undefined;
  }
}

/** Cancels the search of `uri` (and model), or every search and sweep. */
export function cancelRun(arg?: unknown, modelArg?: unknown): boolean {
  const modelIndex = typeof modelArg === 'number' ? modelArg : undefined;
  return cancelRuns(arg instanceof vscode.Uri ? runKey(arg, modelIndex) : undefined) > 0;
}

export async function exportResults(arg?: unknown, formatArg?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
  const panel = arg instanceof vscode.Uri ? ResultsPanel.forUri(arg) : (ResultsPanel.current() ?? ResultsPanel.all()[0]);
  if (!panel) {
    void vscode.window.showErrorMessage('SCYFI: nothing to export yet: run "SCYFI: Find Fixed Points and Cycles" first.');
    return undefined;
  }
  let format: 'json' | 'csv' | undefined = formatArg === 'json' || formatArg === 'csv' ? formatArg : undefined;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'JSON', description: 'every object with points, eigenvalues, regions', format: 'json' as const },
        { label: 'CSV', description: 'one row per cycle point', format: 'csv' as const },
      ],
      { title: `Export the results of ${panel.state.fileName}` },
    );
    format = pick?.format;
  }
  if (!format) return undefined;
  return exportState(panel.state, format, target instanceof vscode.Uri ? target : undefined);
}

/** Selects the exact text of a parameter (or one entry) in a JSON model; highlights it in the checkpoint viewer otherwise. */
export async function revealParameter(uriArg: unknown, paramArg: unknown): Promise<vscode.Selection | undefined> {
  if (!(uriArg instanceof vscode.Uri) || typeof paramArg !== 'string') return undefined;
  const ref = parseParamRef(paramArg);
  if (!ref) return undefined;
  if (!/\.jsonc?$/i.test(uriArg.path) && uriArg.scheme === 'file') {
    await CheckpointEditorProvider.highlight(uriArg, paramArg);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uriArg);
  const range = rangeOfPath(doc, [ref.name, ...ref.index]);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uriArg.toString());
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  if (!range) {
    void vscode.window.showWarningMessage(`SCYFI: ${paramArg} is not in ${path.basename(uriArg.path)} any more.`);
    return undefined;
  }
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor.selection;
}

/** Asks for R of the certified box ‖z‖∞ ≤ R (empty: from the model), then runs a certified search. */
export async function findCyclesCertified(extensionUri: vscode.Uri, arg?: unknown, overridesArg?: unknown): Promise<FindResult | undefined> {
  const overrides = isOverrides(overridesArg) ? overridesArg : {};
  let certify = overrides.certify;
  if (!certify) {
    const text = await vscode.window.showInputBox({
      title: 'SCYFI: certified search',
      prompt: 'R of the box ‖z‖∞ ≤ R in which the list is proven complete (orders 1–4 at most). Empty: from the model (its clip range, a proven absorbing box, or simulated trajectories).',
      placeHolder: 'from the model',
      validateInput: (t) => (parseBound(t) === null ? 'a positive number, or empty for the bound from the model' : undefined),
    });
    if (text === undefined) return undefined;
    certify = { bound: parseBound(text) ?? undefined };
  }
  return findCycles(extensionUri, arg, { ...overrides, certify });
}

/** A positive number, undefined for empty text, null when it is neither. */
export function parseBound(text: string): number | undefined | null {
  const t = text.trim().replace('−', '-');
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export function registerCommands(context: vscode.ExtensionContext): void {
  const ext = context.extensionUri;
  context.subscriptions.push(
    vscode.commands.registerCommand('scyfi.findCycles', (uri?: unknown, overrides?: unknown) => findCycles(ext, uri, overrides)),
    vscode.commands.registerCommand('scyfi.findCyclesCustom', (uri?: unknown) => findCycles(ext, uri, undefined, true)),
    vscode.commands.registerCommand('scyfi.findCyclesCertified', (uri?: unknown, overrides?: unknown) => findCyclesCertified(ext, uri, overrides)),
    vscode.commands.registerCommand('scyfi.cancelRun', (uri?: unknown, model?: unknown) => cancelRun(uri, model)),
    vscode.commands.registerCommand('scyfi.exportResults', (uri?: unknown, format?: unknown, target?: unknown) => exportResults(uri, format, target)),
    vscode.commands.registerCommand('scyfi.revealParameter', (uri: unknown, param: unknown) => revealParameter(uri, param)),
    cancelAllRuns(),
  );
}
