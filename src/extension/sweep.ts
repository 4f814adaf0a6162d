// The sweep commands: one entry (or the line between two models) through SCYFI at many steps,
// or two entries on a grid, run as jobs in a worker (which runs the steps on a pool of its own),
// streaming into a sweep panel; and what an event offers: setting the entry in the model file
// (an undoable edit), or saving the model at that value as a new JSON model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatParamRef, parseParamRef } from '../core/model/paramRef';
import { describeParam } from '../core/model/registry';
import { MAX_GRID_CELLS } from '../core/sweep/grid';
import { MAX_STEPS } from '../core/sweep/run';
import type { SweepOptions, SweepResult } from '../core/sweep/types';
import type { GridResult } from '../core/sweep/grid';
import { EntriesJob, GridJob, ModelAtJob, SweepJob, type EndOf, type InputOf } from '../shared/jobs';
import type { SweepPanelState, SweepTargetState } from '../shared/protocol';
import type { ModelInfo } from '../shared/shapes';
import { formatRange, parseRangeText, rangeAround, type RangeText } from '../shared/ranges';
import { modelSource, targetUri } from './commands';
import { besideModel } from './exporters';
import { isJsonDocument, rangeOfPath } from './modelDocument';
import { output } from './output';
import { fileNameOf } from './panel/ResultsPanel';
import { SweepPanel, type SweepActions } from './panel/SweepPanel';
import { runJob, type JobRun } from './runner';
import { cancelRuns, clearRunErrors, reportJobError, trackRun } from './running';
import { parameterMap, runOptions, sweepMaxOrder } from './settings';

type Entries = EndOf<typeof EntriesJob>;

/** Arguments of scyfi.sweepParameter; whatever is missing is asked for. */
export interface SweepArgs {
  /** The entry, e.g. "W[1][0]". */
  ref?: string;
  /** Offer only this parameter's entries (the code lens of a parameter key). */
  param?: string;
  from?: number;
  to?: number;
  steps?: number;
  maxOrder?: number;
  /** Worker threads for the steps (default: one per core). */
  jobs?: number;
  /** Which model of a file that holds several. */
  model?: number;
  /** Sweep the line from this model to a second one instead of an entry. */
  toModel?: vscode.Uri | string;
}

export interface AxisArgs {
  ref?: string;
  from?: number;
  to?: number;
  n?: number;
}

/** Arguments of scyfi.sweep2d. */
export interface Sweep2dArgs {
  x?: AxisArgs;
  y?: AxisArgs;
  maxOrder?: number;
  jobs?: number;
  model?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const wholeIn = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function modelIndexOf(v: unknown): number | undefined {
  return wholeIn(v, 0, Number.MAX_SAFE_INTEGER) ? v : undefined;
}

function isJsonModel(uri: vscode.Uri): boolean {
  if (/\.jsonc?$/i.test(uri.path)) return true;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return !!doc && isJsonDocument(doc);
}

/** The job input naming a model: its source (the editor's text when unsaved), name, tensor map and index. */
function modelInput(uri: vscode.Uri, model: number | undefined) {
  return { source: modelSource(uri).source, displayName: fileNameOf(uri), parameterMap: parameterMap(uri), model };
}

function fail(message: string): undefined {
  void vscode.window.showErrorMessage(`SCYFI: ${message}`);
  return undefined;
}

// ------------------------------------------------------------------ asking

async function loadEntries(ext: vscode.Uri, uri: vscode.Uri, model: number | undefined): Promise<Entries | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `SCYFI: reading ${fileNameOf(uri)}` }, () => runJob(ext, EntriesJob, modelInput(uri, model)).done);
  } catch (e) {
    await reportJobError(e, uri, modelSource(uri).doc);
    return undefined;
  }
}

interface EntryItem extends vscode.QuickPickItem {
  ref: string;
  value?: number;
}

/** A QuickPick of the model's entries (only `param`'s when given); an entry not listed can be typed. */
function pickEntry(entries: Entries, title: string, param?: string, exclude?: string): Promise<{ ref: string; value?: number } | undefined> {
  const arch = entries.architecture;
  const only = param ? parseParamRef(param) : undefined;
  const listed = entries.entries.filter((e) => e.ref !== exclude && (!only || e.ref.startsWith(`${formatParamRef(only)}[`) || e.ref === formatParamRef(only)));
  const item = (ref: string, value?: number): EntryItem => {
    const r = parseParamRef(ref)!;
    return { label: ref, description: value === undefined ? '' : `= ${value}`, detail: describeParam(arch, r.name, r.index) ?? '', ref, value };
  };
  const items = listed.map((e) => item(e.ref, e.value));
  const qp = vscode.window.createQuickPick<EntryItem>();
  qp.title = title;
  qp.placeholder = entries.total > entries.entries.length ? `${entries.total} entries: type one (e.g. W[12][3]) or pick` : 'Type to filter, e.g. W[1]';
  qp.matchOnDetail = true;
  qp.items = items;
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { ref: string; value?: number } | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    // An entry typed in full that is not listed (a model with more entries than are listed; the sweep checks it).
    if (entries.total > entries.entries.length) {
      qp.onDidChangeValue((text) => {
        const ref = parseParamRef(text);
        const typed = ref && formatParamRef(ref);
        const offer = ref && typed && ref.index.length > 0 && typed !== exclude && (!only || ref.name === only.name) && !items.some((i) => i.ref === typed);
        qp.items = offer ? [item(typed), ...items] : items;
      });
    }
    qp.onDidAccept(() => {
      const sel = qp.selectedItems[0] ?? qp.activeItems[0];
      if (sel) finish({ ref: sel.ref, value: sel.value });
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** The "from to steps" box, prefilled around the entry's value and checked as it is typed. */
async function askRange(title: string, prompt: string, value: number | undefined, maxSteps: number, what: string, steps = 100): Promise<RangeText | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: formatRange(rangeAround(value ?? 0, Math.min(steps, maxSteps))),
    validateInput: (t) => {
      const r = parseRangeText(t, maxSteps, what);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parseRangeText(text, maxSteps, what);
  return typeof r === 'string' ? undefined : r;
}

/** The entry (from the arguments or a QuickPick) and its current value. */
async function chooseEntry(
  ext: vscode.Uri,
  uri: vscode.Uri,
  model: number | undefined,
  given: string | undefined,
  title: string,
  param?: string,
  exclude?: string,
  known?: Entries,
): Promise<{ ref: string; value?: number; entries?: Entries } | undefined> {
  const entries = known ?? (await loadEntries(ext, uri, model));
  if (!entries) return undefined;
  if (given) return { ref: given, value: entries.entries.find((e) => e.ref === given)?.value, entries };
  const picked = await pickEntry(entries, title, param, exclude);
  return picked && { ...picked, entries };
}

function checkRef(text: unknown): string | undefined {
  const ref = typeof text === 'string' ? parseParamRef(text) : undefined;
  return ref && ref.index.length > 0 ? formatParamRef(ref) : undefined;
}

/** A range given in full by the arguments, a message when it is given but wrong, undefined when (partly) absent. */
function givenRange(from: unknown, to: unknown, steps: unknown, maxSteps: number, what: string): RangeText | string | undefined {
  if (from === undefined && to === undefined && steps === undefined) return undefined;
  if (!finite(from) || !finite(to) || from === to) return `the range must be two different finite numbers, got ${String(from)} and ${String(to)}`;
  if (!wholeIn(steps, 2, maxSteps)) return `the number of ${what} must be a whole number from 2 to ${maxSteps}, got ${String(steps)}`;
  return { from, to, steps };
}

// ------------------------------------------------------------------ running

function options(uri: vscode.Uri, steps: number, maxOrder: unknown): SweepOptions {
  const o = runOptions(uri);
  return { steps, maxOrder: wholeIn(maxOrder, 1, 1000) ? maxOrder : sweepMaxOrder(uri), seed: o.seed, outerLoop: o.outerLoop, innerLoop: o.innerLoop };
}

export function initialState(uri: vscode.Uri, model: number | undefined, target: SweepTargetState, opts: SweepOptions): SweepPanelState {
  return { uri: uri.toString(), fileName: fileNameOf(uri), modelIndex: model, status: 'running', target, options: opts, editable: target.kind !== 'line' && isJsonModel(uri) };
}

function describeTarget(t: SweepTargetState, fileName: string): string {
  if (t.kind === 'entry') return `${t.ref} from ${t.from} to ${t.to}`;
  if (t.kind === 'line') return `the line from ${fileName} to ${t.toName}`;
  return `${t.x.ref} from ${t.x.from} to ${t.x.to} (${t.x.n}) × ${t.y.ref} from ${t.y.from} to ${t.y.to} (${t.y.n})`;
}

/** What a run of a sweep or a map streams into its panel. */
type PanelUpdate = Parameters<SweepPanel['apply']>[0];

/**
 * Runs a sweep or a map into its panel behind a cancellable notification: `start` begins the job
 * with handlers that turn its progress into panel messages ("step 37 of 100"), `end` says how it
 * finished. Resolves with the job's end and the panel's state after it (what was finished, when
 * cancelled), undefined on an error.
 */
async function runInPanel<End>(
  ext: vscode.Uri,
  uri: vscode.Uri,
  model: number | undefined,
  target: SweepTargetState,
  opts: SweepOptions,
  title: string,
  start: (post: (m: PanelUpdate) => void, report: (text: string) => void) => JobRun<End>,
  end: (result: End) => { message: PanelUpdate; log: string },
): Promise<{ end: End; state: SweepPanelState } | undefined> {
  const panel = SweepPanel.show(ext, uri, initialState(uri, model, target, opts), actions(ext));
  panel.beginRun(opts);
  const name = fileNameOf(uri);
  const log = output();
  log.info(`${target.kind === 'grid' ? 'map' : 'sweep'} ${name}: ${describeTarget(target, name)}${target.kind === 'grid' ? '' : ` in ${opts.steps} steps`}, orders 1–${opts.maxOrder}, seed ${opts.seed ?? 0}`);
  const { doc } = modelSource(uri);
  let report: ((m: string) => void) | undefined;
  try {
    const result = await trackRun(panel.key, `SCYFI: ${title} in ${name}`, () => start((m) => panel.apply(m), (text) => report?.(text)), (r) => (report = r), 'loading the model…');
    const { message, log: line } = end(result);
    panel.apply(message);
    clearRunErrors(doc);
    log.info(`  ${line}`);
    return { end: result, state: panel.state };
  } catch (e) {
    panel.apply({ type: 'failed', message: await reportJobError(e, uri, doc) });
    return undefined;
  }
}

/** A sweep's or a map's progress as panel messages and the notification's "step 37 of 100". */
function relayProgress(post: (m: PanelUpdate) => void, report: (text: string) => void, unit: 'step' | 'row') {
  return (p: { type: 'model'; model: ModelInfo; path?: string } | { type: 'steps' | 'rows'; done: number; total: number }) => {
    if (p.type === 'model') post({ type: 'model', model: p.model, pathText: p.path });
    else {
      post({ type: 'progress', done: p.done, total: p.total });
      report(`${unit} ${p.done} of ${p.total}`);
    }
  };
}

/** Runs a 1-D sweep into its panel. */
async function runSweep(ext: vscode.Uri, uri: vscode.Uri, model: number | undefined, target: Exclude<SweepTargetState, { kind: 'grid' }>, opts: SweepOptions, jobs?: number): Promise<SweepResult | undefined> {
  const input: InputOf<typeof SweepJob> = {
    ...modelInput(uri, model),
    target: target.kind === 'entry' ? target : { kind: 'line', to: modelSource(vscode.Uri.parse(target.toUri)).source, toDisplayName: target.toName },
    options: opts,
    jobs,
  };
  const result = await runInPanel(
    ext,
    uri,
    model,
    target,
    opts,
    `sweeping ${target.kind === 'entry' ? target.ref : 'the line'}`,
    (post, report) =>
      runJob(ext, SweepJob, input, {
        onProgress: relayProgress(post, report, 'step'),
        onItems: (steps) => post({ type: 'steps', steps }),
      }),
    (r) => ({
      message: { type: 'finished', result: r },
      log: `${r.cancelled ? 'cancelled' : 'done'} in ${r.stats.seconds.toFixed(2)} s: ${r.steps.length} of ${opts.steps} steps, ${r.branches.length} branches, ${r.events.length} events`,
    }),
  );
  // The panel's result: a worker given up on after a cancel ends without the path, which the panel keeps.
  return result?.state.sweep;
}

/** Runs a 2-D map into its panel. */
async function runGrid(ext: vscode.Uri, uri: vscode.Uri, model: number | undefined, target: Extract<SweepTargetState, { kind: 'grid' }>, opts: SweepOptions, jobs?: number): Promise<GridResult | undefined> {
  const result = await runInPanel(
    ext,
    uri,
    model,
    target,
    opts,
    `mapping ${target.x.ref} × ${target.y.ref}`,
    (post, report) =>
      runJob(ext, GridJob, { ...modelInput(uri, model), x: target.x, y: target.y, options: opts, jobs }, {
        onProgress: relayProgress(post, report, 'row'),
        onItems: (rows) => post({ type: 'rows', rows }),
      }),
    (r) => ({ message: { type: 'gridFinished', result: r }, log: `${r.cancelled ? 'cancelled' : 'done'} in ${r.stats.seconds.toFixed(2)} s: ${r.rows.length} of ${target.y.n} rows` }),
  );
  return result?.end;
}

// ------------------------------------------------------------------ the commands

/** scyfi.sweepParameter (uri?, {ref, param, from, to, steps, maxOrder, jobs, model, toModel}): asks for what is missing, returns the SweepResult. */
export async function sweepParameter(ext: vscode.Uri, uriArg?: unknown, argsArg?: unknown): Promise<SweepResult | undefined> {
  const uri = targetUri(uriArg);
  if (!uri) return fail('open a model file (JSON or a checkpoint) first, or run the command from its context menu.');
  const args: SweepArgs = isObject(argsArg) ? (argsArg as SweepArgs) : {};
  const model = modelIndexOf(args.model);
  if (args.toModel !== undefined) return sweepLine(ext, uri, args, model);
  const ref = args.ref === undefined ? undefined : checkRef(args.ref);
  if (args.ref !== undefined && !ref) return fail(`"${String(args.ref)}" is not one entry of a parameter (e.g. W[1][0])`);
  let range = givenRange(args.from, args.to, args.steps, MAX_STEPS, 'steps');
  if (typeof range === 'string') return fail(range);
  let chosen: { ref: string; value?: number } | undefined = ref ? { ref } : undefined;
  if (!chosen || !range) {
    chosen = await chooseEntry(ext, uri, model, ref, `SCYFI: sweep an entry of ${fileNameOf(uri)}`, args.param);
    if (!chosen) return undefined;
  }
  const maxOrder = wholeIn(args.maxOrder, 1, 1000) ? args.maxOrder : sweepMaxOrder(uri);
  if (!range) {
    range = await askRange(
      `SCYFI: sweep ${chosen.ref} of ${fileNameOf(uri)}`,
      `From, to and the number of steps for ${chosen.ref}${chosen.value === undefined ? '' : ` (now ${chosen.value})`}; orders 1–${maxOrder} are searched at each step (scyfi.sweepMaxOrder)`,
      chosen.value,
      MAX_STEPS,
      'steps',
    );
    if (!range) return undefined;
  }
  return runSweep(ext, uri, model, { kind: 'entry', ref: chosen.ref, from: range.from, to: range.to }, options(uri, range.steps, maxOrder), wholeIn(args.jobs, 1, 1024) ? args.jobs : undefined);
}

/** The line from `uri` to a second model (args.toModel, or chosen in an open dialog). */
async function sweepLine(ext: vscode.Uri, uri: vscode.Uri, args: SweepArgs, model: number | undefined): Promise<SweepResult | undefined> {
  const to = typeof args.toModel === 'string' ? targetUri(args.toModel) : args.toModel;
  if (!to) return fail('the second model of the line is missing');
  let steps = args.steps;
  if (steps === undefined) {
    const text = await vscode.window.showInputBox({
      title: `SCYFI: sweep from ${fileNameOf(uri)} to ${fileNameOf(to)}`,
      prompt: 'The number of models on the line (both ends included)',
      value: '100',
      validateInput: (t) => (wholeIn(Number(t), 2, MAX_STEPS) ? undefined : `a whole number from 2 to ${MAX_STEPS}`),
    });
    if (text === undefined) return undefined;
    steps = Number(text);
  }
  if (!wholeIn(steps, 2, MAX_STEPS)) return fail(`the number of steps must be a whole number from 2 to ${MAX_STEPS}, got ${String(steps)}`);
  return runSweep(ext, uri, model, { kind: 'line', toUri: to.toString(), toName: fileNameOf(to) }, options(uri, steps, args.maxOrder), wholeIn(args.jobs, 1, 1024) ? args.jobs : undefined);
}

/** scyfi.sweepLine (first?, second? | [first, second]): the explorer's two selected models, or a dialog for the second. */
export async function sweepLineCommand(ext: vscode.Uri, first?: unknown, selected?: unknown, argsArg?: unknown): Promise<SweepResult | undefined> {
  const picked = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
  const from = picked.length === 2 ? picked[0] : targetUri(first);
  if (!from) return fail('open a model file first, or select two models in the explorer.');
  let to: vscode.Uri | undefined = picked.length === 2 ? picked[1] : selected instanceof vscode.Uri ? selected : undefined;
  to ??= (
    await vscode.window.showOpenDialog({ title: `SCYFI: the second model of the line from ${fileNameOf(from)}`, defaultUri: vscode.Uri.joinPath(from, '..'), canSelectMany: false })
  )?.[0];
  if (!to) return undefined;
  const args = isObject(argsArg) ? (argsArg as SweepArgs) : {};
  return sweepLine(ext, from, { ...args, toModel: to }, modelIndexOf(args.model));
}

/** scyfi.sweep2d (uri?, {x: {ref, from, to, n}, y: {…}, maxOrder, jobs, model}): asks for what is missing, returns the GridResult. */
export async function sweep2d(ext: vscode.Uri, uriArg?: unknown, argsArg?: unknown): Promise<GridResult | undefined> {
  const uri = targetUri(uriArg);
  if (!uri) return fail('open a model file (JSON or a checkpoint) first, or run the command from its context menu.');
  const args: Sweep2dArgs = isObject(argsArg) ? (argsArg as Sweep2dArgs) : {};
  const model = modelIndexOf(args.model);
  const axes: { ref: string; from: number; to: number; n: number }[] = [];
  // Read once for both axes.
  let entries: Entries | undefined;
  for (const [name, a] of [
    ['x', args.x ?? {}],
    ['y', args.y ?? {}],
  ] as const) {
    const ref = a.ref === undefined ? undefined : checkRef(a.ref);
    if (a.ref !== undefined && !ref) return fail(`"${String(a.ref)}" (${name}) is not one entry of a parameter (e.g. W[1][0])`);
    const maxN = name === 'x' ? MAX_STEPS : Math.min(MAX_STEPS, Math.floor(MAX_GRID_CELLS / axes[0].n));
    let range = givenRange(a.from, a.to, a.n, maxN, `values on the ${name} axis`);
    if (typeof range === 'string') return fail(range);
    let chosen: { ref: string; value?: number; entries?: Entries } | undefined = ref ? { ref } : undefined;
    if (!chosen || !range) {
      chosen = await chooseEntry(ext, uri, model, ref, `SCYFI: 2-D map of ${fileNameOf(uri)}: the entry on the ${name} axis`, undefined, axes[0]?.ref, entries);
      if (!chosen) return undefined;
      entries = chosen.entries;
    }
    if (chosen.ref === axes[0]?.ref) return fail(`x and y are the same entry ${chosen.ref}`);
    if (!range) {
      range = await askRange(
        `SCYFI: 2-D map of ${fileNameOf(uri)}: ${chosen.ref} on the ${name} axis`,
        `From, to and the number of values of ${chosen.ref}${chosen.value === undefined ? '' : ` (now ${chosen.value})`} on the ${name} axis (at most ${MAX_GRID_CELLS.toLocaleString('en')} cells in all)`,
        chosen.value,
        maxN,
        `values on the ${name} axis`,
        40,
      );
      if (!range) return undefined;
    }
    axes.push({ ref: chosen.ref, from: range.from, to: range.to, n: range.steps });
  }
  const [x, y] = axes;
  return runGrid(ext, uri, model, { kind: 'grid', x, y }, options(uri, x.n, args.maxOrder), wholeIn(args.jobs, 1, 1024) ? args.jobs : undefined);
}

// ------------------------------------------------------------------ what an event offers

/** The model schema for a file written at `target`: a relative path when both lie in one workspace folder, else its URI. */
function schemaFor(ext: vscode.Uri, target: vscode.Uri | undefined): string {
  const schema = vscode.Uri.joinPath(ext, 'schemas', 'model.schema.json');
  const folder = target && vscode.workspace.getWorkspaceFolder(target);
  if (target?.scheme === 'file' && folder && vscode.workspace.getWorkspaceFolder(schema) === folder) {
    return path.relative(path.dirname(target.fsPath), schema.fsPath).split(path.sep).join('/');
  }
  return schema.toString();
}

/** Writes the model at `value` along the panel's path (or with `ref` set) as a JSON model; asks where unless `target` is given. */
async function saveModelAt(ext: vscode.Uri, uri: vscode.Uri, model: number | undefined, at: InputOf<typeof ModelAtJob>['target'], value: number, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const what = at.kind === 'entry' ? `${at.ref} = ${value}` : `t = ${value} on the line to ${at.toDisplayName}`;
  const dest =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: besideModel(uri, `-${at.kind === 'entry' ? `${at.ref}=${value}` : `t=${value}`}.model.json`),
      filters: { 'JSON model': ['json'] },
      title: `Save as JSON model with ${what}`,
    }));
  if (!dest) return undefined;
  try {
    const { text } = await runJob(ext, ModelAtJob, { ...modelInput(uri, model), target: at, value, schema: schemaFor(ext, dest), name: `${fileNameOf(uri)} with ${what}` }).done;
    await vscode.workspace.fs.writeFile(dest, Buffer.from(text, 'utf8'));
  } catch (e) {
    await reportJobError(e, uri, undefined);
    return undefined;
  }
  output().info(`saved ${fileNameOf(uri)} with ${what} as ${dest.fsPath}`);
  await vscode.window.showTextDocument(dest, { viewColumn: vscode.ViewColumn.One });
  return dest;
}

/**
 * scyfi.setParameter (uri, "W[1][0]", value, target?): in a JSON model, replaces exactly that
 * number's text (one undoable edit) and selects it; a checkpoint is not changed: the model with the
 * entry set is saved as a new JSON model (asks where unless `target` is given). Returns the file changed or written.
 */
export async function setParameter(ext: vscode.Uri, uriArg: unknown, refArg: unknown, valueArg: unknown, targetArg?: unknown, modelArg?: unknown): Promise<vscode.Uri | undefined> {
  const uri = targetUri(uriArg);
  const ref = checkRef(refArg);
  if (!uri || !ref || !finite(valueArg)) return fail('setting a parameter needs a model file, an entry such as W[1][0] and a finite number');
  if (!isJsonModel(uri)) return saveModelAt(ext, uri, modelIndexOf(modelArg), { kind: 'entry', ref }, valueArg, targetArg instanceof vscode.Uri ? targetArg : undefined);
  const doc = await vscode.workspace.openTextDocument(uri);
  const r = parseParamRef(ref)!;
  const range = rangeOfPath(doc, [r.name, ...r.index]);
  if (!range || !Number.isFinite(Number(doc.getText(range)))) return fail(`${ref} is not a number in ${fileNameOf(uri)} any more`);
  const text = String(valueArg);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, text, { label: `Set ${ref} to ${text}`, needsConfirmation: false });
  if (!(await vscode.workspace.applyEdit(edit))) return fail(`could not change ${ref} in ${fileNameOf(uri)}`);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One });
  const end = doc.positionAt(doc.offsetAt(range.start) + text.length);
  editor.selection = new vscode.Selection(range.start, end);
  editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  output().info(`set ${ref} of ${fileNameOf(uri)} to ${text} (undo with Ctrl+Z)`);
  return uri;
}

/** The model at one step of a panel's sweep, as an untitled JSON model, and its search. */
async function openStep(ext: vscode.Uri, panel: SweepPanel, index: number): Promise<void> {
  const s = panel.state;
  const t = s.target;
  const step = s.sweep?.steps.find((x) => x.index === index);
  if (!step || t.kind === 'grid') return;
  const at: InputOf<typeof ModelAtJob>['target'] =
    t.kind === 'entry' ? { kind: 'entry', ref: t.ref } : { kind: 'line', to: modelSource(vscode.Uri.parse(t.toUri)).source, toDisplayName: t.toName };
  const what = t.kind === 'entry' ? `${t.ref} = ${step.value}` : `t = ${step.value} on the line to ${t.toName}`;
  try {
    const { text } = await runJob(ext, ModelAtJob, { ...modelInput(panel.uri, s.modelIndex), target: at, value: step.value, schema: schemaFor(ext, undefined), name: `${s.fileName} with ${what} (step ${index} of the sweep)` }).done;
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
    await vscode.commands.executeCommand('scyfi.findCycles', doc.uri, { maxOrder: s.options.maxOrder });
  } catch (e) {
    await reportJobError(e, panel.uri, undefined);
  }
}

let sweepActions: SweepActions | undefined;

/** What a sweep panel's buttons do (also for panels opened from a results folder). */
export function actions(ext: vscode.Uri): SweepActions {
  sweepActions ??= {
    rerun: (p) => {
      const s = p.state;
      const t = s.target;
      const steps = t.kind === 'grid' ? t.x.n : s.options.steps;
      const opts = { ...options(p.uri, steps, s.options.maxOrder) };
      void (t.kind === 'grid' ? runGrid(ext, p.uri, s.modelIndex, t, opts) : runSweep(ext, p.uri, s.modelIndex, t, opts));
    },
    cancel: (p) => void cancelRuns(p.key),
    setValue: (p, value) => {
      const t = p.state.target;
      if (t.kind === 'entry') void setParameter(ext, p.uri, t.ref, value, undefined, p.state.modelIndex);
      else if (t.kind === 'line') void saveModelAt(ext, p.uri, p.state.modelIndex, { kind: 'line', to: modelSource(vscode.Uri.parse(t.toUri)).source, toDisplayName: t.toName }, value);
    },
    openStep: (p, index) => void openStep(ext, p, index),
  };
  return sweepActions;
}

export function registerSweepCommands(context: vscode.ExtensionContext): void {
  const ext = context.extensionUri;
  SweepPanel.register(context, actions(ext));
  context.subscriptions.push(
    vscode.commands.registerCommand('scyfi.sweepParameter', (uri?: unknown, args?: unknown) => sweepParameter(ext, uri, args)),
    vscode.commands.registerCommand('scyfi.sweep2d', (uri?: unknown, args?: unknown) => sweep2d(ext, uri, args)),
    vscode.commands.registerCommand('scyfi.sweepLine', (first?: unknown, selected?: unknown, args?: unknown) => sweepLineCommand(ext, first, selected, args)),
    vscode.commands.registerCommand('scyfi.setParameter', (uri: unknown, ref: unknown, value: unknown, target?: unknown, model?: unknown) => setParameter(ext, uri, ref, value, target, model)),
  );
}
