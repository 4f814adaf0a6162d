import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { parseJsonText } from '../core/io/json';
import { applySearchSettings, SEARCH_SETTING_KEYS, searchSettingsOf, type SearchSettings } from '../core/model/search';
import { DEFAULT_JUMP_THRESHOLD } from '../core/run/loss';
import type { RunAnalysisOptions } from '../shared/runReport';
import type { RunOptions } from '../shared/shapes';

export const SECTION = 'scyfi';

/** Per-run overrides accepted by the scyfi.findCycles command. */
export interface RunOverrides {
  maxOrder?: number;
  outerLoop?: number | null;
  innerLoop?: number | null;
  seed?: number;
  /** Ask for overrides in an input box before running. */
  interactive?: boolean;
  /** Which model of a file that holds several (as the checkpoint viewer lists them). */
  model?: number;
  /** Prove the list complete after the search (orders 1..orders, default min(maxOrder, 4); R = bound, default from the model). */
  certify?: { orders?: number; bound?: number; seconds?: number };
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/** The run options from the settings (scoped to the model's folder), with overrides applied. */
export function runOptions(scope: vscode.Uri | undefined, overrides: RunOverrides = {}): RunOptions {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const pick = <K extends 'outerLoop' | 'innerLoop'>(k: K) => (overrides[k] === null ? undefined : (positiveInt(overrides[k]) ?? positiveInt(c.get(k))));
  const seed = overrides.seed ?? c.get<number>('seed', 0);
  return {
    maxOrder: positiveInt(overrides.maxOrder) ?? positiveInt(c.get('maxOrder')) ?? 10,
    outerLoop: pick('outerLoop'),
    innerLoop: pick('innerLoop'),
    seed: Number.isInteger(seed) && seed >= 0 ? seed : 0,
  };
}

/**
 * scyfi.searchThreads: threads of one search, its own included. 0 (the default): every core but
 * one, which is left to the editor (on 2 cores a search that took both made the window lag).
 */
export function searchThreads(scope: vscode.Uri | undefined): number {
  return positiveInt(vscode.workspace.getConfiguration(SECTION, scope).get('searchThreads')) ?? Math.max(1, availableParallelism() - 1);
}

export function parameterMap(scope: vscode.Uri | undefined): Record<string, unknown> | undefined {
  const m = vscode.workspace.getConfiguration(SECTION, scope).get<unknown>('parameterMap');
  return typeof m === 'object' && m !== null && !Array.isArray(m) && Object.keys(m).length > 0 ? (m as Record<string, unknown>) : undefined;
}

export function askForOverrides(scope: vscode.Uri | undefined): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('askForOverrides', false);
}

/** "maxOrder=10 outerLoop=auto innerLoop=auto seed=0" — the text of the overrides input box. */
export function formatOptions(o: RunOptions): string {
  return `maxOrder=${o.maxOrder} outerLoop=${o.outerLoop ?? 'auto'} innerLoop=${o.innerLoop ?? 'auto'} seed=${o.seed}`;
}

/** Parses the overrides input box; returns a message for the first problem. */
export function parseOptionsText(text: string, base: RunOptions): RunOptions | string {
  const out: RunOptions = { ...base };
  for (const part of text.trim().split(/[\s,]+/).filter(Boolean)) {
    const m = /^(maxOrder|outerLoop|innerLoop|seed)=(\S+)$/.exec(part);
    if (!m) return `"${part}": write key=value with keys maxOrder, outerLoop, innerLoop, seed`;
    const [, key, raw] = m;
    if ((key === 'outerLoop' || key === 'innerLoop') && raw === 'auto') {
      out[key] = undefined;
      continue;
    }
    const n = Number(raw);
    const min = key === 'seed' ? 0 : 1;
    if (!Number.isInteger(n) || n < min) return `${key} must be a whole number ≥ ${min}${key.endsWith('Loop') ? ' or auto' : ''}`;
    out[key as 'maxOrder' | 'outerLoop' | 'innerLoop' | 'seed'] = n;
  }
  return out;
}

/** Orders a sweep searches when the command does not say: scyfi.maxOrder, capped by scyfi.sweepMaxOrder (a sweep searches many models). */
export function sweepMaxOrder(scope: vscode.Uri | undefined): number {
  const cap = positiveInt(vscode.workspace.getConfiguration(SECTION, scope).get('sweepMaxOrder')) ?? 4;
  return Math.min(runOptions(scope).maxOrder, cap);
}

/** The keys of the run options that a command's overrides set (the model file's "scyfi" block does not change them). */
export function fixedKeys(overrides: RunOverrides): string[] {
  return SEARCH_SETTING_KEYS.filter((k) => overrides[k] !== undefined);
}

/** `options` with the model file's search settings applied (except the `fixed` keys): what the custom-settings box proposes. */
export function withFileSettings(options: RunOptions, file: SearchSettings | undefined, fixed: readonly string[]): RunOptions {
  return applySearchSettings(options, file, fixed).options;
}

/** JSON model files read on the host thread to propose their settings; larger ones are left to the worker. */
const MAX_PEEK_BYTES = 1024 * 1024;

/** The "scyfi" block of a JSON model (its editor's text, or the file when small); undefined when there is none or it cannot be read. */
export async function fileSearchSettings(uri: vscode.Uri): Promise<SearchSettings | undefined> {
  try {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text = doc && /^jsonc?$/.test(doc.languageId) ? doc.getText() : undefined;
    if (text === undefined && uri.scheme === 'file' && /\.jsonc?$/i.test(uri.path) && (await fs.promises.stat(uri.fsPath)).size <= MAX_PEEK_BYTES) {
      text = await fs.promises.readFile(uri.fsPath, 'utf8');
    }
    if (text === undefined || text.length > MAX_PEEK_BYTES) return undefined;
    const v = parseJsonText(text, uri.path);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? searchSettingsOf(v as Record<string, unknown>, uri.path) : undefined;
  } catch {
    // A bad block or file: the run itself reports it.
    return undefined;
  }
}

/** scyfi.rerunOnSave: a save re-runs a panel's search when its last run took less than this many seconds (0: never). */
export function rerunOnSaveSeconds(scope: vscode.Uri | undefined): number {
  const v = vscode.workspace.getConfiguration(SECTION, scope).get<unknown>('rerunOnSave', 3);
  return typeof v === 'number' && v >= 0 ? v : 3;
}

/** What "Analyze Training Run" asks for: orders 1–scyfi.runMaxOrder, the jump threshold, the search settings. */
export function runAnalysisOptions(scope: vscode.Uri | undefined): RunAnalysisOptions {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const o = runOptions(scope);
  const threshold = c.get<number>('runJumpThreshold', DEFAULT_JUMP_THRESHOLD);
  const loss = c.get<string>('runLoss', '');
  return {
    maxOrder: positiveInt(c.get('runMaxOrder')) ?? 4,
    seed: o.seed,
    outerLoop: o.outerLoop,
    innerLoop: o.innerLoop,
    threshold: typeof threshold === 'number' && threshold > 0 ? threshold : DEFAULT_JUMP_THRESHOLD,
    ...(typeof loss === 'string' && loss.trim() !== '' ? { loss: loss.trim() } : {}),
  };
}
