/*
 * Text from a file (tensor names, pickle globals, zip entry names) shown to a user. A name may
 * hold characters a terminal acts on (ESC starts an escape sequence that can rewrite the screen,
 * CR returns to the start of the line, BEL rings) or that reorder or hide text (bidirectional
 * controls, line separators): they are shown as visible escapes instead, everywhere the CLI
 * prints and in every InputError message.
 */

/** C0 controls, DEL, C1 controls, line and paragraph separators, bidirectional controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** `s` with every unsafe character as a visible escape: \x1b, \r, \u202e. */
export function printable(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** Longest name quoted in full in a message. */
export const MAX_QUOTED = 200;

/** A name from a file, quoted for a message: 'name', escaped, and shortened past MAX_QUOTED characters. */
export function quoteName(name: string): string {
  const shown = name.length > MAX_QUOTED ? `${name.slice(0, MAX_QUOTED)}… (${name.length} characters)` : name;
  return `'${printable(shown)}'`;
}

/** JSON.stringify, with the characters it leaves raw (DEL, C1, separators, bidi controls) as \u escapes too. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}
