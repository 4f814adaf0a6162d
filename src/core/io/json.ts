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

/** Parses the text of a JSON model file (comments and trailing commas tolerated). */
export function parseJsonText(text: string, source: string): unknown {
  if (text.trim() === '') throw new InputError(`${source}: the file is empty`);
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const e = errors[0];
    throw new InputError(`${source}:${lineColumn(text, e.offset)}: invalid JSON (${printParseErrorCode(e.error)})`);
  }
  return value;
}

/** Parses and validates a model in the project's JSON format. */
export function modelFromJsonText(text: string, source: string): Model {
  return modelFromSpec(parseJsonText(text, source), source);
}
