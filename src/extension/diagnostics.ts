// Diagnostics on JSON models: live validation while editing, and the errors of runs, placed at
// the offending key (InputError.jsonPath).
import * as vscode from 'vscode';
import { isInputError } from '../core/errors';
import { validateModelSpec } from '../core/model/validate';
import { claimsToBeModel, diagnosticRange, parsedValue, type JsonPath } from './modelDocument';

const DEBOUNCE_MS = 300;

let collection: vscode.DiagnosticCollection | undefined;

function diagnostics(): vscode.DiagnosticCollection {
  collection ??= vscode.languages.createDiagnosticCollection('scyfi');
  return collection;
}

function displayName(doc: vscode.TextDocument): string {
  return doc.uri.path.split('/').pop() ?? doc.uri.toString();
}

/** Removes "file.json: " from a message: the Problems view shows the file already. */
function withoutSource(message: string, name: string): string {
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

export function reportModelError(doc: vscode.TextDocument, message: string, path: JsonPath | undefined): void {
  const name = displayName(doc);
  let range: vscode.Range;
  if (path) {
    range = diagnosticRange(doc, path);
  } else {
    // Parse errors carry "name:line:col:" in the message.
    const m = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+):`).exec(message);
    const pos = m ? new vscode.Position(Number(m[1]) - 1, Number(m[2]) - 1) : new vscode.Position(0, 0);
    range = new vscode.Range(pos, pos.translate(0, 1));
  }
  const d = new vscode.Diagnostic(range, withoutSource(message, name), vscode.DiagnosticSeverity.Error);
  d.source = 'scyfi';
  diagnostics().set(doc.uri, [d]);
}

export function clearModelErrors(uri: vscode.Uri): void {
  diagnostics().delete(uri);
}

/** Validates a document that claims to be a model; sets or clears its diagnostic. */
export function validateDocument(doc: vscode.TextDocument): void {
  if (!claimsToBeModel(doc)) {
    clearModelErrors(doc.uri);
    return;
  }
  // Syntax errors are the JSON language service's job; it marks them already.
  const parsed = parsedValue(doc);
  if (!parsed) return;
  try {
    validateModelSpec(parsed.value, displayName(doc));
    clearModelErrors(doc.uri);
  } catch (e) {
    if (!isInputError(e)) throw e;
    reportModelError(doc, e.message, e.jsonPath ? [...e.jsonPath] : undefined);
  }
}

export function registerDiagnostics(context: vscode.ExtensionContext): void {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        validateDocument(doc);
      }, DEBOUNCE_MS),
    );
  };
  context.subscriptions.push(
    diagnostics(),
    vscode.workspace.onDidOpenTextDocument(validateDocument),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => clearModelErrors(doc.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(validateDocument);
}
