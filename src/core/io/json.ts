import { ParseError, SyntaxKind, createScanner, parse, printParseErrorCode } from 'jsonc-parser';
import { InputError } from '../errors';
import { Model, modelFromSpec } from '../model';

/** Largest JSON model file read, in bytes: a 10,000-unit model is far below it. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
/** Deepest nesting of arrays and objects in a JSON file (a model needs 3). */
export const MAX_JSON_DEPTH = 256;

const tooDeep = (source: string) => new InputError(`${source}: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);

/** The nesting limit on a parsed value, walked without recursion. */
function checkParsed(value: unknown, source: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw tooDeep(source);
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) stack.push([x, depth + 1]);
  }
}

/**
 * The nesting limit on the text, before the tolerant parser sees it: that parser recurses once
 * per level, so a file nested a million deep would overflow the stack. The scanner does not.
 */
function checkText(text: string, source: string): void {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let t = scanner.scan(); t !== SyntaxKind.EOF; t = scanner.scan()) {
    if (t === SyntaxKind.OpenBraceToken || t === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep(source);
    } else if ((t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
  }
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
