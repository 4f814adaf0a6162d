import { ParseError, SyntaxKind, createScanner, parse, printParseErrorCode } from 'jsonc-parser';
import { InputError } from '../errors';
import { Model, modelFromSpec } from '../model';

/** Largest JSON model file read, in bytes: a 10,000-unit model is far below it. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
/** Deepest nesting of arrays and objects in a JSON file (a model needs 3). */
export const MAX_JSON_DEPTH = 256;

/**
 * Keys that name a JavaScript object's prototype machinery. JSON.parse makes "__proto__" an
 * ordinary key while the tolerant parser assigns it, replacing the object's prototype (a model
 * then "has" the keys of the __proto__ value): refused on both paths, so one file reads the same
 * with or without comments.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const tooDeep = (source: string) => new InputError(`${source}: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);
const forbidden = (source: string, key: string) => new InputError(`${source}: the key "${key}" is not allowed (it names a JavaScript object's prototype)`);

/** The rules on a parsed value (nesting, keys), walked without recursion. */
function checkParsed(value: unknown, source: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw tooDeep(source);
    if (!Array.isArray(v)) for (const k of Object.keys(v)) if (FORBIDDEN_KEYS.has(k)) throw forbidden(source, k);
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
  }
}

/**
 * The same rules on the text, before the tolerant parser sees it: that parser recurses once per
 * level, so a file nested a million deep would overflow the stack (the scanner does not), and it
 * would assign a "__proto__" key. A key is a string followed by a colon.
 */
function checkText(text: string, source: string): void {
  const scanner = createScanner(text, true);
  let depth = 0;
  let lastString: string | undefined;
  for (let t = scanner.scan(); t !== SyntaxKind.EOF; t = scanner.scan()) {
    if (t === SyntaxKind.OpenBraceToken || t === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep(source);
    } else if ((t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
    else if (t === SyntaxKind.ColonToken && lastString !== undefined && FORBIDDEN_KEYS.has(lastString)) throw forbidden(source, lastString);
    lastString = t === SyntaxKind.StringLiteral ? scanner.getTokenValue() : undefined;
  }
}

/**
 * Whether the text nests arrays and objects more than `max` levels deep, found by the scanner
 * (which does not recurse): for callers that hand the text to a recursive parser themselves.
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let t = scanner.scan(); t !== SyntaxKind.EOF; t = scanner.scan()) {
    if (t === SyntaxKind.OpenBraceToken || t === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return true;
    } else if ((t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
  }
  return false;
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

/** The characters jsonc-parser skips as blank space (line breaks aside). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Shortens runs of blank space of 4096 characters or more to one space before the tolerant
 * parser sees them: jsonc-parser builds each run's text one character at a time, so a file
 * padded with hundreds of megabytes of spaces would need gigabytes of memory.
 */
function shortenBlankRuns(text: string): string {
  const parts: string[] = [];
  let kept = 0;
  let i = 0;
  while (i < text.length) {
    if (!isBlank(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && isBlank(text.charCodeAt(j))) j++;
    if (j - i >= 4096) {
      parts.push(text.slice(kept, i), ' ');
      kept = j;
    }
    i = j;
  }
  if (kept === 0) return text;
  parts.push(text.slice(kept));
  return parts.join('');
}

/** Parses the text of a JSON model file (comments and trailing commas tolerated). */
export function parseJsonText(text: string, source: string): unknown {
  // A byte order mark (Windows editors, PowerShell) is not part of the JSON text.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(`${source}: the file is empty`);
  let plain: unknown;
  let parsed = false;
  try {
    // Plain JSON, the common case: the native parser is fast and needs little memory.
    plain = JSON.parse(text) as unknown;
    parsed = true;
  } catch {
    // Comments, trailing commas or a syntax error: the tolerant parser decides and locates it.
  }
  if (parsed) {
    checkParsed(plain, source);
    return plain;
  }
  const errors: ParseError[] = [];
  const tolerant = shortenBlankRuns(text);
  checkText(tolerant, source);
  const value: unknown = parse(tolerant, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0];
    throw new InputError(`${source}:${lineColumn(tolerant, e.offset)}: invalid JSON (${printParseErrorCode(e.error)})`);
  }
  return value;
}

/** Parses and validates a model in the project's JSON format. */
export function modelFromJsonText(text: string, source: string): Model {
  return modelFromSpec(parseJsonText(text, source), source);
}

function numberText(x: number): string {
  // JSON has no -0; "-0" would read back as 0 anyway.
  return Object.is(x, -0) ? '0' : String(x);
}

function valueText(v: unknown, indent: string): string {
  if (typeof v === 'number') return numberText(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return `[${v.map(numberText).join(', ')}]`;
  // A matrix: one row per line, as the examples are written.
  if (Array.isArray(v) && v.every((r) => Array.isArray(r))) return `[\n${v.map((r) => `${indent}  ${valueText(r, `${indent}  `)}`).join(',\n')}\n${indent}]`;
  return JSON.stringify(v);
}

/**
 * A model in the project's JSON format, as a person would write it: one key per line, vectors on
 * one line, matrices one row per line. `head` comes first (e.g. `$schema` and a `name`).
 */
export function modelJsonText(spec: object, head: Record<string, string> = {}): string {
  const entries = [...Object.entries(head), ...Object.entries(spec).filter(([k, v]) => !(k in head) && v !== undefined)];
  return `{\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${valueText(v, '  ')}`).join(',\n')}\n}\n`;
}
