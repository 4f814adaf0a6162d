import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { InputError } from '../errors';
import { Model, modelFromSpec } from '../model';

/** Largest JSON model file read, in bytes: a 10,000-unit model is far below it. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

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
  try {
    // Plain JSON, the common case: the native parser is fast and needs little memory.
    return JSON.parse(text) as unknown;
  } catch {
    // Comments, trailing commas or a syntax error: the tolerant parser decides and locates it.
  }
  const errors: ParseError[] = [];
  const tolerant = shortenBlankRuns(text);
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
