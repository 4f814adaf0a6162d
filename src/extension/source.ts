// Where a job reads a model from: the editor's text when it has unsaved changes, else the file.
import * as vscode from 'vscode';
import type { ModelSource } from '../shared/shapes';
import { isJsonDocument } from './modelDocument';

/** Where the worker reads from: the editor's text when it has unsaved changes, else the file. */
export function modelSource(uri: vscode.Uri): { source: ModelSource; doc?: vscode.TextDocument } {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc && isJsonDocument(doc) && (doc.isDirty || uri.scheme !== 'file')) return { source: { kind: 'text', text: doc.getText() }, doc };
  return { source: { kind: 'file', path: uri.fsPath }, doc: doc && isJsonDocument(doc) ? doc : undefined };
}

