import { InputError } from '../errors';
import { quoteName } from '../text';
import { own } from './own';
import { ByteSource } from './source';

/*
 * A restricted unpickler: it builds plain values (numbers, strings, lists, tuples, dicts) and
 * asks its environment for everything else. Globals are checked against the environment's
 * allow-list as soon as they are named, and "calls" (REDUCE, NEWOBJ) only ever reach functions
 * written here in TypeScript. Nothing in the file is executed. One budget (UnpickleBudget) bounds
 * the whole unpickle: the memory of the values it builds, the objects it creates and the steps it
 * takes, calls included, so a small pickle that copies a big value again and again is refused
 * instead of growing; memo, stack and mark depth are capped as well.
 */

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyDict {
  /** Keys: strings, numbers, booleans, null and bigints by value; other keys by identity. */
  readonly map = new Map<unknown, PyValue>();
}
export class PySet {
  constructor(readonly items: PyValue[] = []) {}
}
/**
 * A global the allow-list admitted (a class or function name), not yet called; or, with `stub`,
 * a name outside the allow-list kept only as a name: it can be instantiated into an inert
 * PyInstance (NEWOBJ), never called (REDUCE is refused as for any unknown global).
 */
export class PyGlobal {
  /** A stand-in was made into an object (only those are accepted at STOP). */
  made = false;
  constructor(
    readonly module: string,
    readonly name: string,
    readonly stub = false,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}
/**
 * An object of a class outside the allow-list (a user's nn.Module saved whole): only its class
 * name and the state BUILD gave it (its __dict__, plain values) are recorded. No code of the
 * class exists here, so nothing of it can run.
 */
export class PyInstance {
  state: PyValue | undefined;
  constructor(readonly cls: PyGlobal) {
    cls.made = true;
  }
}
/** The result of an admitted call that is not a plain value (a tensor, a storage, …). */
export class PyObject {
  constructor(
    readonly kind: string,
    readonly value: unknown,
  ) {}
}
export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PySet | PyGlobal | PyObject | PyInstance;

export interface PickleEnv {
  /** Whether `module.name` may be named at all. */
  allowed(module: string, name: string): boolean;
  /**
   * Calls an admitted global (REDUCE, NEWOBJ); throws an InputError to refuse. It charges what
   * it builds to `budget` before building it (a copy of a list charges its items).
   */
  call(fn: PyGlobal, args: PyValue[], budget: UnpickleBudget): PyValue;
  /** Resolves a persistent id (torch storages); undefined means persistent ids are refused. */
  persistentLoad?(pid: PyValue): PyValue;
  /** Globals outside the allow-list become inert stand-ins (PyGlobal.stub) instead of an error. */
  stubs?: boolean;
}

export const PICKLE_LIMITS = {
  maxBytes: 256 * 1024 * 1024,
  maxMemo: 4_000_000,
  maxStack: 4_000_000,
  maxMarks: 10_000,
  maxLine: 1024 * 1024,
};

/**
 * The budget of one unpickle (or of the several pickles of one legacy checkpoint). A checkpoint's
 * pickle only describes its tensors (their data lies outside it): a state dict of 100 000
 * tensors, the most a file may hold (MAX_TENSORS), charges about 190 MiB, 2.8 M objects and
 * 3 M steps. At the limits a hostile pickle is refused within about 3 s.
 */
export const PICKLE_BUDGET = {
  /** Approximate bytes of the values built: strings and bytes by length, containers by size. */
  memory: 256 * 1024 * 1024,
  /** Values created (containers, strings, numbers, call results). */
  objects: 4_000_000,
  /** Opcodes run, plus every item a call copies or an APPENDS/SETITEMS moves. */
  steps: 32_000_000,
};

/** Approximate heap costs in bytes, as measured on V8 (an empty Map-backed dict takes ~230). */
export const COST = { slot: 8, number: 40, string: 32, bytes: 200, list: 48, tuple: 80, dict: 256, entry: 32, set: 80, object: 128 };

export class UnpickleBudget {
  memory = 0;
  objects = 0;
  steps = 0;
  constructor(
    readonly name: string,
    readonly limits: { memory: number; objects: number; steps: number } = PICKLE_BUDGET,
  ) {}

  /** Charges `memory` bytes, `objects` objects and `steps` steps; an InputError past the budget. */
  charge(memory: number, objects: number, steps: number): void {
    this.memory += memory;
    this.objects += objects;
    this.steps += steps;
    if (this.memory > this.limits.memory || this.objects > this.limits.objects || this.steps > this.limits.steps) this.refuse();
  }

  private refuse(): never {
    const l = this.limits;
    const why =
      this.memory > l.memory
        ? `builds more than ${l.memory / (1024 * 1024)} MiB of values (its memory budget)`
        : this.objects > l.objects
          ? `creates more than ${l.objects} objects (its object budget)`
          : `takes more than ${l.steps} steps (its work budget)`;
    throw new InputError(`${this.name}: the pickle ${why}; a checkpoint's pickle only describes its tensors and needs far less`);
  }
}

/** The approximate cost of a value just built (not of the values it refers to). */
function costOf(v: PyValue): number {
  if (typeof v === 'string') return COST.string + v.length;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 30 ? COST.slot : COST.number;
  if (v === null || typeof v === 'boolean') return COST.slot;
  if (typeof v === 'bigint') return COST.number + 8 * Math.ceil(v.toString(16).length / 16);
  if (v instanceof Uint8Array) return COST.bytes + v.length;
  if (Array.isArray(v)) return COST.list + COST.slot * v.length;
  if (v instanceof PyTuple) return COST.tuple;
  if (v instanceof PyDict) return COST.dict + COST.entry * v.map.size;
  if (v instanceof PySet) return COST.set + COST.slot * v.items.length;
  return COST.object;
}

const WINDOW = 1 << 16;

/** Sequential reading over a ByteSource through a small window. */
class Cursor {
  /** The window; `at(n)` gives the offset of the next n bytes in it. */
  buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  constructor(
    private readonly src: ByteSource,
    public pos: number,
    private readonly end: number,
  ) {}

  private fail(): never {
    throw new InputError(`${this.src.name}: the pickle is truncated (ends at byte ${this.end} without STOP)`);
  }

  private fill(n: number): void {
    if (this.pos + n > this.end) this.fail();
    const len = Math.min(this.end - this.pos, Math.max(n, WINDOW));
    this.buf = this.src.read(this.pos, len);
    this.bufStart = this.pos;
  }

  /** Consumes n bytes and returns their offset in `buf` (no Buffer is made: the hot path). */
  at(n: number): number {
    if (this.pos + n > this.end) this.fail();
    if (this.pos < this.bufStart || this.pos + n > this.bufStart + this.buf.length) this.fill(n);
    const o = this.pos - this.bufStart;
    this.pos += n;
    return o;
  }

  bytes(n: number): Buffer {
    const o = this.at(n);
    return this.buf.subarray(o, o + n);
  }

  text(n: number, encoding: 'utf8' | 'latin1'): string {
    const o = this.at(n);
    return this.buf.toString(encoding, o, o + n);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail();
    if (this.pos < this.bufStart || this.pos >= this.bufStart + this.buf.length) this.fill(1);
    return this.buf[this.pos++ - this.bufStart];
  }

  line(): string {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail();
      if (this.pos < this.bufStart || this.pos >= this.bufStart + this.buf.length) this.fill(1);
      const o = this.pos - this.bufStart;
      const nl = this.buf.indexOf(10, o);
      const stop = nl < 0 ? this.buf.length : nl;
      parts.push(this.buf.subarray(o, stop));
      total += stop - o;
      this.pos += stop - o;
      if (total > PICKLE_LIMITS.maxLine) throw new InputError(`${this.src.name}: a pickle text line is longer than ${PICKLE_LIMITS.maxLine} bytes`);
      if (nl >= 0) {
        this.pos++;
        return Buffer.concat(parts).toString('latin1');
      }
    }
  }
}

function signedLE(b: Buffer): number | bigint {
  if (b.length === 0) return 0;
  if (b.length <= 6) return b.readIntLE(0, b.length);
  if (b.length === 8) {
    const w = b.readBigInt64LE(0);
    return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
  }
  // Through hex: linear in the length (shifting a BigInt byte by byte is quadratic).
  let v = BigInt('0x' + Buffer.from(b).reverse().toString('hex'));
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Normalises a dict key so equal Python keys map to the same Map key. */
function dictKey(k: PyValue): unknown {
  if (typeof k === 'bigint' && k >= BigInt(Number.MIN_SAFE_INTEGER) && k <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(k);
  if (typeof k === 'boolean') return k ? 1 : 0;
  return k;
}

const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', exceptions: 'builtins' };
const PY2_BUILTINS: Record<string, string> = { long: 'int', unicode: 'str', xrange: 'range', basestring: 'str' };

export interface UnpickleResult {
  value: PyValue;
  /** Offset just after the STOP opcode. */
  end: number;
}

/**
 * Reads one pickle from `src` starting at `start`. `budget` bounds the work; pass one budget to
 * the unpickles of one file so that they share it.
 */
export function unpickle(src: ByteSource, start: number, env: PickleEnv, end = src.size, budget = new UnpickleBudget(src.name)): UnpickleResult {
  if (end - start > PICKLE_LIMITS.maxBytes) end = start + PICKLE_LIMITS.maxBytes;
  const c = new Cursor(src, start, end);
  const name = src.name;
  const fail = (problem: string): never => {
    throw new InputError(`${name}: ${problem}`);
  };
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  /** Names outside the allow-list kept as stand-ins (env.stubs), checked at STOP. */
  const stubs: PyGlobal[] = [];
  let stackTotal = 0;

  /** Pushes a value that already exists (DUP, GET): a step, charged with its opcode. */
  const push = (v: PyValue): void => {
    if (++stackTotal > PICKLE_LIMITS.maxStack) fail(`the pickle stack grows past ${PICKLE_LIMITS.maxStack} items`);
    stack.push(v);
  };
  /** Pushes a value just built: its memory and one object are charged. */
  const make = (v: PyValue): void => {
    budget.charge(costOf(v), 1, 0);
    push(v);
  };
  const pop = (): PyValue => {
    if (stack.length === 0) fail(`the pickle is malformed (stack underflow at byte ${c.pos - 1})`);
    stackTotal--;
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail(`the pickle is malformed (stack underflow at byte ${c.pos - 1})`);
    return stack[stack.length - 1];
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = marks.pop();
    if (prev === undefined) fail(`the pickle is malformed (no MARK at byte ${c.pos - 1})`);
    stack = prev as PyValue[];
    return items;
  };
  const memoPut = (i: number, v: PyValue): void => {
    if (!Number.isSafeInteger(i) || i < 0) fail(`the pickle has an invalid memo index ${i}`);
    if (!memo.has(i) && memo.size >= PICKLE_LIMITS.maxMemo) fail(`the pickle memo grows past ${PICKLE_LIMITS.maxMemo} entries`);
    budget.charge(COST.entry, 0, 0);
    memo.set(i, v);
  };
  const memoGet = (i: number): PyValue => {
    const v = memo.get(i);
    if (v === undefined) fail(`the pickle refers to memo entry ${i}, which was never stored`);
    return v as PyValue;
  };
  const global = (rawModule: string, rawName: string): PyGlobal => {
    // Protocol 2 writes Python 2 names (pickle's fix_imports); read them as Python 3 ones.
    const module = own(PY2_MODULES, rawModule) ?? rawModule;
    const gname = module === 'builtins' ? (own(PY2_BUILTINS, rawName) ?? rawName) : rawName;
    if (!env.allowed(module, gname)) {
      if (!env.stubs) fail(`pickle refers to global ${quoteName(`${module}.${gname}`)}, which is not allowed`);
      const g = new PyGlobal(module, gname, true);
      if (stubs.length < PICKLE_LIMITS.maxMarks) stubs.push(g);
      return g;
    }
    return new PyGlobal(module, gname);
  };
  const call = (fn: PyValue, args: PyValue): PyValue => {
    if (!(fn instanceof PyGlobal)) fail(`the pickle calls something that is not an allowed global`);
    if ((fn as PyGlobal).stub) fail(`pickle refers to global ${quoteName((fn as PyGlobal).qualified)}, which is not allowed`);
    if (!(args instanceof PyTuple)) fail(`the pickle calls ${quoteName((fn as PyGlobal).qualified)} with arguments that are not a tuple`);
    return env.call(fn as PyGlobal, (args as PyTuple).items, budget);
  };
  /** cls.__new__(cls, *args): an inert stand-in for a class outside the allow-list. */
  const construct = (cls: PyValue, args: PyValue): PyValue => {
    if (!(cls instanceof PyGlobal) || !cls.stub) return call(cls, args);
    budget.charge(COST.object, 1, 1);
    return new PyInstance(cls);
  };
  const setItems = (d: PyValue, items: PyValue[]): void => {
    if (items.length % 2 !== 0) fail('the pickle has a dict with an odd number of keys and values');
    if (!(d instanceof PyDict)) fail('the pickle sets items on something that is not a dict');
    budget.charge((COST.entry * items.length) / 2, 0, items.length);
    for (let i = 0; i < items.length; i += 2) (d as PyDict).map.set(dictKey(items[i]), items[i + 1]);
  };
  const appendItems = (l: PyValue, items: PyValue[]): void => {
    budget.charge(COST.slot * items.length, 0, items.length);
    if (Array.isArray(l)) for (const x of items) l.push(x);
    else if (l instanceof PySet) for (const x of items) l.items.push(x);
    else fail('the pickle appends to something that is not a list');
  };

  const line = (): string => {
    const l = c.line();
    budget.charge(COST.string + l.length, 1, 0);
    return l;
  };
  const len4 = (): number => c.buf.readUInt32LE(c.at(4));
  const len8 = (): number => {
    const v = c.buf.readBigUInt64LE(c.at(8));
    if (v > BigInt(end - c.pos)) fail(`the pickle declares ${v} bytes where only ${end - c.pos} remain`);
    return Number(v);
  };
  const parseIntLine = (s: string): number | bigint | boolean => {
    const t = s.trim().replace(/L$/, '');
    if (t === '00') return false;
    if (t === '01') return true;
    if (!/^[-+]?\d{1,400}$/.test(t)) fail(`the pickle has an invalid integer literal`);
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const quoted = (s: string): string => {
    const t = s.trim();
    if (t.length < 2 || (t[0] !== "'" && t[0] !== '"') || t[t.length - 1] !== t[0]) fail('the pickle has an invalid string literal');
    return t.slice(1, -1);
  };

  for (;;) {
    const op = c.byte();
    budget.charge(0, 0, 1);
    switch (op) {
      case 0x80: { // PROTO
        const v = c.byte();
        if (v > 5) fail(`pickle protocol ${v} is not supported (0–5)`);
        break;
      }
      case 0x95: // FRAME
        c.bytes(8);
        break;
      case 0x2e: { // STOP
        if (marks.length > 0) fail('the pickle ends inside a MARK');
        // A stand-in is only for a class whose object the pickle makes; a name outside the
        // allow-list that is never made into an object (eval named as a value) is refused.
        const unused = stubs.find((g) => !g.made);
        if (unused) fail(`pickle refers to global ${quoteName(unused.qualified)}, which is not allowed`);
        return { value: pop(), end: c.pos };
      }
      case 0x28: // MARK
        if (marks.length >= PICKLE_LIMITS.maxMarks) fail(`the pickle nests more than ${PICKLE_LIMITS.maxMarks} MARKs`);
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        stackTotal -= popMark().length;
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4a: // BININT
        make(c.buf.readInt32LE(c.at(4)));
        break;
      case 0x4b: // BININT1
        make(c.byte());
        break;
      case 0x4d: // BININT2
        make(c.buf.readUInt16LE(c.at(2)));
        break;
      case 0x8a: // LONG1
        make(signedLE(c.bytes(c.byte())));
        break;
      case 0x8b: { // LONG4
        const n = len4();
        if (n > 4096) fail(`the pickle has a ${n}-byte integer`);
        make(signedLE(c.bytes(n)));
        break;
      }
      case 0x49: // INT
        make(parseIntLine(line()));
        break;
      case 0x4c: // LONG
        make(parseIntLine(line()));
        break;
      case 0x47: // BINFLOAT
        make(c.buf.readDoubleBE(c.at(8)));
        break;
      case 0x46: { // FLOAT
        const v = Number(line().trim());
        make(v);
        break;
      }
      case 0x4e: // NONE
        make(null);
        break;
      case 0x88: // NEWTRUE
        make(true);
        break;
      case 0x89: // NEWFALSE
        make(false);
        break;
      case 0x58: // BINUNICODE
        make(c.text(len4(), 'utf8'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        make(c.text(c.byte(), 'utf8'));
        break;
      case 0x8d: // BINUNICODE8
        make(c.text(len8(), 'utf8'));
        break;
      case 0x56: // UNICODE (raw-unicode-escape; only \uXXXX escapes matter here)
        make(line().replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
        break;
      case 0x54: // BINSTRING
        make(c.text(len4(), 'latin1'));
        break;
      case 0x55: // SHORT_BINSTRING
        make(c.text(c.byte(), 'latin1'));
        break;
      case 0x53: // STRING
        make(quoted(line()));
        break;
      case 0x42: // BINBYTES
        make(new Uint8Array(c.bytes(len4())));
        break;
      case 0x43: // SHORT_BINBYTES
        make(new Uint8Array(c.bytes(c.byte())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        make(new Uint8Array(c.bytes(len8())));
        break;
      case 0x5d: // EMPTY_LIST
        make([]);
        break;
      case 0x61: { // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        stackTotal -= items.length;
        appendItems(top(), items);
        break;
      }
      case 0x6c: { // LIST
        const items = popMark();
        stackTotal -= items.length;
        make(items);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        make(new PyTuple([]));
        break;
      case 0x74: { // TUPLE
        const items = popMark();
        stackTotal -= items.length;
        make(new PyTuple(items));
        break;
      }
      case 0x85: // TUPLE1
        make(new PyTuple([pop()]));
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        const a = pop();
        make(new PyTuple([a, b]));
        break;
      }
      case 0x87: { // TUPLE3
        const z = pop();
        const b = pop();
        const a = pop();
        make(new PyTuple([a, b, z]));
        break;
      }
      case 0x7d: // EMPTY_DICT
        make(new PyDict());
        break;
      case 0x64: { // DICT
        const items = popMark();
        stackTotal -= items.length;
        const d = new PyDict();
        budget.charge(COST.dict, 1, 0);
        setItems(d, items);
        push(d);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        stackTotal -= items.length;
        setItems(top(), items);
        break;
      }
      case 0x8f: // EMPTY_SET
        make(new PySet());
        break;
      case 0x90: { // ADDITEMS
        const items = popMark();
        stackTotal -= items.length;
        appendItems(top(), items);
        break;
      }
      case 0x91: { // FROZENSET
        const items = popMark();
        stackTotal -= items.length;
        make(new PySet(items));
        break;
      }
      case 0x63: { // GLOBAL
        const module = line();
        make(global(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const gname = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof gname !== 'string') fail('the pickle names a global with something that is not a string');
        make(global(module as string, gname as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        push(construct(cls, args));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(kwargs instanceof PyDict) || kwargs.map.size > 0) fail('the pickle constructs an object with keyword arguments, which is not supported');
        push(construct(cls, args));
        break;
      }
      case 0x62: { // BUILD: no __setstate__ runs; a stand-in records its state once, anything else stays as built.
        const state = pop();
        const obj = top();
        if (obj instanceof PyInstance && obj.state === undefined) obj.state = state;
        break;
      }
      case 0x70: // PUT
        memoPut(Number(parseIntLine(line())), top());
        break;
      case 0x71: // BINPUT
        memoPut(c.byte(), top());
        break;
      case 0x72: // LONG_BINPUT
        memoPut(len4(), top());
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size, top());
        break;
      case 0x67: // GET
        push(memoGet(Number(parseIntLine(line()))));
        break;
      case 0x68: // BINGET
        push(memoGet(c.byte()));
        break;
      case 0x6a: // LONG_BINGET
        push(memoGet(len4()));
        break;
      case 0x50: // PERSID
      case 0x51: { // BINPERSID
        const pid = op === 0x50 ? (line() as PyValue) : pop();
        if (!env.persistentLoad) fail('the pickle refers to external data (a persistent id), which is not allowed here');
        make(env.persistentLoad!(pid));
        break;
      }
      case 0x69: // INST
      case 0x6f: // OBJ
        fail('the pickle uses INST/OBJ to create objects, which is not allowed');
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        fail('the pickle uses the extension registry, which is not allowed');
        break;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        fail('the pickle uses out-of-band buffers, which are not supported');
        break;
      default:
        fail(`the pickle is malformed (unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${c.pos - 1})`);
    }
  }
}
