// Reading JSON model files in the editor: is this a model, where is a parameter, what is under
// the cursor. Parses with jsonc-parser, cached per document version.
import { findNodeAtLocation, findNodeAtOffset, getNodePath, getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { Architecture } from '../core/model/types';
import { isArchitecture, parameterDef, parameterKeys } from '../core/model/registry';
import { nestsDeeperThan } from '../core/io/json';

export type JsonPath = (string | number)[];

/** Larger documents get no lenses, hovers or live validation (the run still works). */
export const MAX_LIVE_BYTES = 4 * 1024 * 1024;

interface Parsed {
  version: number;
  root: Node | undefined;
  syntaxErrors: boolean;
}

const cache = new WeakMap<vscode.TextDocument, Parsed>();

export function isJsonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc' || /\.jsonc?$/i.test(doc.uri.path);
}

function parsed(doc: vscode.TextDocument): Parsed {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit;
  const text = doc.getText();
  const errors: ParseError[] = [];
  // parseTree recurses once per level: a file nested thousands deep would overflow the stack.
  const live = text.length <= MAX_LIVE_BYTES && !nestsDeeperThan(text);
  const root = live ? parseTree(text, errors, { allowTrailingComma: true, disallowComments: false }) : undefined;
  const entry = { version: doc.version, root, syntaxErrors: errors.length > 0 };
  cache.set(doc, entry);
  return entry;
}

export function parsedRoot(doc: vscode.TextDocument): Node | undefined {
  return parsed(doc).root;
}

/** The document's JSON value from the cached tree; undefined when it has syntax errors or is too large. */
export function parsedValue(doc: vscode.TextDocument): { value: unknown } | undefined {
  const { root, syntaxErrors } = parsed(doc);
  return root && !syntaxErrors ? { value: getNodeValue(root) } : undefined;
}

function property(root: Node, key: string): Node | undefined {
  return root.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

/** The architecture named at the top level, when it is a known one. */
export function architectureOf(doc: vscode.TextDocument): Architecture | undefined {
  if (!isJsonDocument(doc) || !doc.getText().includes('"architecture"')) return undefined;
  const root = parsedRoot(doc);
  if (root?.type !== 'object') return undefined;
  const arch = property(root, 'architecture')?.children?.[1]?.value;
  return isArchitecture(arch) ? arch : undefined;
}

/** Whether the document claims to be a model (an "architecture" key at the top level). */
export function claimsToBeModel(doc: vscode.TextDocument): boolean {
  if (!isJsonDocument(doc) || !doc.getText().includes('"architecture"')) return false;
  const root = parsedRoot(doc);
  return root?.type === 'object' && property(root, 'architecture') !== undefined;
}

/** A model for lenses: a known architecture and every key it needs. */
export function isModelDocument(doc: vscode.TextDocument): boolean {
  const arch = architectureOf(doc);
  if (!arch) return false;
  const root = parsedRoot(doc)!;
  return parameterKeys(arch).every((k) => property(root, k) !== undefined);
}

function nodeRange(doc: vscode.TextDocument, node: Node): vscode.Range {
  return new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length));
}

/** The exact range of the value at `path` (e.g. ['W', 1, 0] → the text of that number). */
export function rangeOfPath(doc: vscode.TextDocument, path: JsonPath): vscode.Range | undefined {
  const root = parsedRoot(doc);
  const node = root && findNodeAtLocation(root, path);
  return node ? nodeRange(doc, node) : undefined;
}

/**
 * Where to put a diagnostic for a problem at `path`: the key of a top-level property, the value
 * of an entry, or — when the path does not exist (a missing key) — its nearest existing parent.
 */
export function diagnosticRange(doc: vscode.TextDocument, path: JsonPath): vscode.Range {
  const root = parsedRoot(doc);
  if (!root) return new vscode.Range(0, 0, 0, 1);
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (n === path.length && key && typeof path[n - 1] === 'string') return nodeRange(doc, key);
    if (n === path.length || node.type !== 'object') return nodeRange(doc, node);
    // A missing key of an object: mark the object's opening brace (and the architecture key at the top).
    const arch = n === 0 ? property(node, 'architecture')?.children?.[0] : undefined;
    return arch ? nodeRange(doc, arch) : new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + 1));
  }
  return new vscode.Range(0, 0, 0, 1);
}

/** The offset of the top-level object (where the lenses go). */
export function rootRange(doc: vscode.TextDocument): vscode.Range | undefined {
  const root = parsedRoot(doc);
  return root ? new vscode.Range(doc.positionAt(root.offset), doc.positionAt(root.offset)) : undefined;
}

/** The keys of the top-level properties that are real-valued parameters (one can sweep their entries), with their ranges. */
export function sweepableKeys(doc: vscode.TextDocument): { key: string; range: vscode.Range }[] {
  const arch = architectureOf(doc);
  const root = parsedRoot(doc);
  if (!arch || root?.type !== 'object') return [];
  const out: { key: string; range: vscode.Range }[] = [];
  for (const p of root.children ?? []) {
    const [k, v] = p.children ?? [];
    const def = k && typeof k.value === 'string' ? parameterDef(arch, k.value) : undefined;
    if (def && def.kind !== 'count' && v?.type === 'array') out.push({ key: k.value as string, range: nodeRange(doc, k) });
  }
  return out;
}

/** The parameter entry or key under the cursor: its path, range and value. */
export function paramAtPosition(
  doc: vscode.TextDocument,
  pos: vscode.Position,
): { path: JsonPath; range: vscode.Range; value: unknown; isKey: boolean } | undefined {
  const root = parsedRoot(doc);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, doc.offsetAt(pos), true);
  if (!node) return undefined;
  const parent = node.parent;
  if (node.type === 'string' && parent?.type === 'property' && parent.children?.[0] === node && parent.parent === root) {
    return { path: [String(node.value)], range: nodeRange(doc, node), value: parent.children?.[1]?.value, isKey: true };
  }
  if (node.type !== 'number') return undefined;
  return { path: getNodePath(node), range: nodeRange(doc, node), value: node.value, isKey: false };
}
