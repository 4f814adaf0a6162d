// Messages declared once: `message('cycles', { cycles: list(parseCycle) })` gives the type name,
// the validator of the payload and (through Infer) the TypeScript type; a channel is the list of
// messages one side may send the other, and `parse(channel, raw)` checks any of them.
import { MessageError, obj, record, type Fields, type Shape, type Validator } from './validate';

export interface MessageDecl<T extends string = string, P = unknown> {
  readonly type: T;
  readonly payload: Validator<P>;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The message a declaration describes: `{ type, ...payload }`. Distributes over unions. */
export type MessageOf<D> = D extends MessageDecl<infer T, infer P> ? Simplify<{ type: T } & P> : never;

export function message<const T extends string, F extends Fields = Record<never, never>>(type: T, fields?: F): MessageDecl<T, Shape<F>> {
  return { type, payload: record(fields ?? ({} as F)) };
}

export interface Channel<D extends MessageDecl> {
  /** How errors name a message of this channel, e.g. "message from the results panel". */
  readonly name: string;
  readonly messages: ReadonlyMap<string, D>;
}

/** The declarations of a channel's messages. */
export type DeclOf<C> = C extends Channel<infer D> ? D : never;

/** Every message of a channel, as a union discriminated by `type`. */
export type MessageIn<C> = C extends Channel<infer D> ? MessageOf<D> : never;

export function channel<const D extends readonly MessageDecl[]>(name: string, ...decls: D): Channel<D[number]> {
  const messages = new Map<string, D[number]>();
  for (const d of decls) {
    if (messages.has(d.type)) throw new Error(`${name}: message type ${d.type} is declared twice`);
    messages.set(d.type, d);
  }
  return { name, messages };
}

/** The message if it is one of the channel's and its payload is valid; a MessageError saying why not otherwise. */
export function parse<D extends MessageDecl>(c: Channel<D>, raw: unknown): MessageOf<D> {
  return parseNamed(c, raw, c.name);
}

/** A validator for a value that is one of the channel's messages (e.g. the progress of a job). */
export function union<D extends MessageDecl>(c: Channel<D>): Validator<MessageOf<D>> {
  return (v, what) => parseNamed(c, v, what);
}

function parseNamed<D extends MessageDecl>(c: Channel<D>, raw: unknown, name: string): MessageOf<D> {
  const o = obj(raw, name);
  const decl = typeof o.type === 'string' ? c.messages.get(o.type) : undefined;
  if (!decl) {
    const got = typeof o.type === 'string' ? `"${o.type}"` : String(o.type);
    throw new MessageError(`${name}: type must be one of ${[...c.messages.keys()].join(', ')} (got ${got})`);
  }
  let payload: unknown;
  try {
    // Fields are named as they are written in the message ("cycles[0].points"), without a prefix.
    payload = decl.payload(o, '');
  } catch (e) {
    if (!(e instanceof MessageError)) throw e;
    throw new MessageError(`${name} '${decl.type}': ${e.message.replace(/^\./, '')}`);
  }
  return { type: decl.type, ...(payload as object) } as MessageOf<D>;
}
