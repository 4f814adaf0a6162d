import { InputError } from '../errors';
import { quoteName } from '../text';
import { own } from './own';
import { COST, PickleEnv, PyDict, PyGlobal, PyInstance, PyObject, PySet, PyTuple, PyValue, UnpickleBudget, unpickle } from './pickle';
import { ByteSource, SliceSource } from './source';
import { DType, ITEM_SIZE, MAX_NAME_LENGTH, MAX_TENSORS, StridedLayout, Tensor, checkLayout, decodeStrided, tooManyTensors } from './tensor';
import { ZipArchive } from './zip';

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  UntypedStorage: 'uint8',
};

const TORCH_DTYPES: Record<string, DType> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16',
  bfloat16: 'bfloat16', int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', short: 'int16',
  int8: 'int8', uint8: 'uint8', bool: 'bool',
};

/** The torch functions and classes a checkpoint may name; everything else is refused. */
const ALLOWED = new Set([
  'collections.OrderedDict',
  'builtins.set', 'builtins.frozenset', 'builtins.dict', 'builtins.list', 'builtins.tuple', 'builtins.bytearray',
  '_codecs.encode',
  'torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type', 'torch._tensor._rebuild_from_type_v2',
  'torch.nn.parameter.Parameter', 'torch.Tensor', 'torch.Size', 'torch.device',
  // Data-only objects that training scripts keep next to the weights; kept as opaque values.
  'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar', 'numpy.dtype', 'numpy.ndarray',
  'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct',
  'argparse.Namespace', 'collections.defaultdict',
  'lightning.fabric.utilities.data.AttributeDict', 'lightning_fabric.utilities.data.AttributeDict', 'pytorch_lightning.utilities.parsing.AttributeDict', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.Path',
  'builtins.int', 'builtins.float', 'builtins.str', 'builtins.bool',
  // Protocol 0 and 1 pickles make objects through it (protocol 2, torch.save's, uses NEWOBJ).
  'copyreg._reconstructor', 'builtins.object',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
  ...Object.keys(TORCH_DTYPES).map((s) => `torch.${s}`),
]);

export interface StorageRef {
  key: string;
  dtype: DType;
}

export interface TensorRef {
  storage: StorageRef;
  layout: StridedLayout;
}

function ints(v: PyValue, what: string, src: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  if (!items || items.some((x) => typeof x !== 'number' || !Number.isSafeInteger(x))) {
    throw new InputError(`${src}: ${what} is not a tuple of whole numbers`);
  }
  return items as number[];
}

const REBUILD_FROM_TYPE = new Set(['torch._tensor._rebuild_from_type', 'torch._tensor._rebuild_from_type_v2']);
/** Tensor subclasses wrap the plain rebuild once; a few levels leave room for subclasses of subclasses. */
const MAX_REBUILD_NESTING = 8;

/** The items of a list, tuple or set argument (an iterable, to Python); none for anything else. */
function items(v: PyValue): PyValue[] {
  return v instanceof PyTuple ? v.items : Array.isArray(v) ? v : v instanceof PySet ? v.items : [];
}

/** Builds the allow-listed torch objects; `little` is the byte order of the storages. */
function torchEnv(src: string, little: () => boolean, storage: (pid: PyValue) => StorageRef): PickleEnv {
  const rebuild = (args: PyValue[], dtypeArg?: PyValue): PyValue => {
    const [st, offset, size, stride] = args;
    if (!(st instanceof PyObject) || st.kind !== 'storage') throw new InputError(`${src}: a tensor is rebuilt from something that is not a storage`);
    const ref = st.value as StorageRef;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new InputError(`${src}: a tensor has an invalid storage offset`);
    let dtype = ref.dtype;
    const d = dtypeArg === undefined ? undefined : asDType(dtypeArg);
    if (d instanceof PyObject && d.kind === 'dtype') dtype = d.value as DType;
    const shape = ints(size, 'a tensor size', src);
    const strides = stride === undefined ? shape.map(() => 0) : ints(stride, 'a tensor stride', src);
    const layout: StridedLayout = { dtype, shape, strides, offset, littleEndian: little() };
    const t: TensorRef = { storage: ref, layout };
    return new PyObject('tensor', t);
  };
  return {
    allowed: (m, n) => ALLOWED.has(`${m}.${n}`),
    // torch.save(model) names the model's own classes: they become inert stand-ins.
    stubs: true,
    // The legacy format saves a module class as ('module', cls, source file, source): the class is
    // kept (a stand-in), its source text is never looked at.
    persistentLoad: (pid) => (pid instanceof PyTuple && pid.items[0] === 'module' && pid.items[1] instanceof PyGlobal ? pid.items[1] : new PyObject('storage', storage(pid))),
    call(fn: PyGlobal, args: PyValue[], budget: UnpickleBudget): PyValue {
      const q = fn.qualified;
      // Everything built here is charged to the budget first: a copy costs its items.
      switch (q) {
        case 'collections.OrderedDict':
        case 'builtins.dict':
          budget.charge(COST.dict, 1, 1);
          return new PyDict();
        case 'builtins.set':
        case 'builtins.frozenset':
        case 'builtins.list': {
          const from = items(args[0]);
          budget.charge(COST.set + COST.slot * from.length, 1, from.length);
          return q === 'builtins.list' ? from.slice() : new PySet(from.slice());
        }
        case 'builtins.tuple':
        case 'torch.Size':
          budget.charge(COST.tuple, 1, 1);
          return new PyTuple(items(args[0]));
        case 'copyreg._reconstructor': {
          // (cls, base, state): object.__new__(cls), for a stand-in class only.
          const cls = args[0];
          if (!(cls instanceof PyGlobal) || !cls.stub) throw new InputError(`${src}: copyreg._reconstructor is asked to make something that is not a class`);
          budget.charge(COST.object, 1, 1);
          return new PyInstance(cls);
        }
        case 'builtins.bytearray':
          return args[0] instanceof Uint8Array ? args[0] : new Uint8Array(0);
        case '_codecs.encode':
          if (typeof args[0] !== 'string') throw new InputError(`${src}: _codecs.encode is called on something that is not a string`);
          budget.charge(COST.bytes + args[0].length, 1, 1);
          return Buffer.from(args[0], 'latin1');
        case 'torch.device':
          return typeof args[0] === 'string' ? args[0] : 'device';
        case 'collections.defaultdict':
        case 'argparse.Namespace':
        case 'lightning.fabric.utilities.data.AttributeDict':
        case 'lightning_fabric.utilities.data.AttributeDict':
        case 'pytorch_lightning.utilities.parsing.AttributeDict':
          budget.charge(COST.dict, 1, 1);
          return new PyDict();
        case 'pathlib.PosixPath':
        case 'pathlib.WindowsPath':
        case 'pathlib.Path': {
          const parts = args.filter((a): a is string => typeof a === 'string');
          // Charged before joining: one string repeated in the arguments would make a huge path.
          budget.charge(COST.string + parts.reduce((n, p) => n + p.length + 1, 0), 1, parts.length);
          return parts.join('/');
        }
        case 'numpy.core.multiarray.scalar':
        case 'numpy._core.multiarray.scalar':
        case 'numpy.dtype':
        case 'numpy.core.multiarray._reconstruct':
        case 'numpy._core.multiarray._reconstruct':
          budget.charge(COST.object, 1, 1);
          return new PyObject(fn.name, null);
        case 'builtins.int':
        case 'builtins.float':
          return typeof args[0] === 'number' ? args[0] : typeof args[0] === 'string' && Number.isFinite(Number(args[0])) ? Number(args[0]) : 0;
        case 'builtins.str':
          return typeof args[0] === 'string' ? args[0] : '';
        case 'builtins.bool':
          return Boolean(args[0]);
        case 'torch._utils._rebuild_tensor':
        case 'torch._utils._rebuild_tensor_v2':
          budget.charge(COST.object * 2, 2, 1);
          return rebuild(args);
        case 'torch._utils._rebuild_tensor_v3':
          budget.charge(COST.object * 2, 2, 1);
          return rebuild(args, args[6]);
        case 'torch._utils._rebuild_parameter':
        case 'torch._utils._rebuild_parameter_with_state':
        case 'torch.nn.parameter.Parameter':
          if (!(args[0] instanceof PyObject) || args[0].kind !== 'tensor') throw new InputError(`${src}: a parameter wraps something that is not a tensor`);
          return args[0];
        case 'torch._tensor._rebuild_from_type':
        case 'torch._tensor._rebuild_from_type_v2': {
          // (func, type, args, state): func(*args), a tensor subclass's rebuild. Unwrapped in a
          // loop, not by recursion: a pickle may nest them as deep as it likes.
          let f: PyGlobal = fn;
          let fargs: PyValue[] = args;
          for (let depth = 0; REBUILD_FROM_TYPE.has(f.qualified); depth++) {
            if (depth >= MAX_REBUILD_NESTING) throw new InputError(`${src}: ${q} is nested more than ${MAX_REBUILD_NESTING} deep`);
            const [func, , a] = fargs;
            if (!(func instanceof PyGlobal)) throw new InputError(`${src}: ${q} is asked to call something that is not an allowed global`);
            if (!(a instanceof PyTuple)) throw new InputError(`${src}: ${q} has arguments that are not a tuple`);
            f = func;
            fargs = a.items;
          }
          return this.call(f, fargs, budget);
        }
        default:
          if (fn.module === 'torch' && own(TORCH_DTYPES, fn.name)) {
            budget.charge(COST.object, 1, 1);
            return new PyObject('dtype', own(TORCH_DTYPES, fn.name));
          }
          throw new InputError(`${src}: pickle calls ${quoteName(q)}, which is not allowed`);
      }
    },
  };
}

/** Torch dtypes named as values (not called), as _rebuild_tensor_v3 receives them. */
function asDType(v: PyValue): PyValue {
  const d = v instanceof PyGlobal && v.module === 'torch' ? own(TORCH_DTYPES, v.name) : undefined;
  if (d) return new PyObject('dtype', d);
  return v;
}

function storageDType(t: PyValue, src: string): DType {
  const d = t instanceof PyGlobal && t.module === 'torch' ? own(STORAGE_DTYPES, t.name) : undefined;
  if (d) return d;
  if (t instanceof PyGlobal) throw new InputError(`${src}: storage type ${quoteName(t.qualified)} is not supported`);
  throw new InputError(`${src}: a storage has no valid type`);
}

const MAX_DEPTH = 64;

/** The state of a stand-in that is an nn.Module saved whole: its `_parameters`, `_buffers`, `_modules`. */
function moduleState(v: PyInstance): PyDict | undefined {
  const st = v.state;
  return st instanceof PyDict && st.map.get('_parameters') instanceof PyDict && st.map.get('_modules') instanceof PyDict ? st : undefined;
}

/**
 * What state_dict() would hold for a module saved whole: its parameters, its persistent buffers,
 * then each submodule's under its name, in the module's own order.
 */
function moduleEntries(st: PyDict): [string, PyValue][] {
  const out: [string, PyValue][] = [];
  const params = st.map.get('_parameters') as PyDict;
  for (const [k, x] of params.map) if (x !== null) out.push([String(k), x]);
  const buffers = st.map.get('_buffers');
  const skip = st.map.get('_non_persistent_buffers_set');
  const transient = new Set(skip instanceof PySet ? skip.items.filter((x): x is string => typeof x === 'string') : []);
  if (buffers instanceof PyDict) for (const [k, x] of buffers.map) if (x !== null && !transient.has(String(k))) out.push([String(k), x]);
  for (const [k, x] of (st.map.get('_modules') as PyDict).map) if (x !== null) out.push([String(k), x]);
  return out;
}

/** An object saved whole, as far as it can be read without its code: its class, plain attributes and submodules. */
export interface SavedObject {
  cls: string;
  /** Attributes that are plain values (numbers, strings, booleans, None), e.g. a step's clip_range. */
  attributes: Record<string, ScalarValue>;
  /** Submodules by name (an nn.Module's _modules). */
  children: Record<string, SavedObject>;
}

const MAX_OBJECT_NODES = 256;
const MAX_ATTRIBUTES = 64;

function savedObject(v: PyInstance, budget: { nodes: number }, depth: number): SavedObject {
  const node: SavedObject = { cls: v.cls.qualified, attributes: Object.create(null) as Record<string, ScalarValue>, children: Object.create(null) as Record<string, SavedObject> };
  const st = v.state;
  if (!(st instanceof PyDict) || depth > 16 || ++budget.nodes > MAX_OBJECT_NODES) return node;
  let n = 0;
  for (const [k, x] of st.map) {
    if (typeof k !== 'string' || k.startsWith('_') || n >= MAX_ATTRIBUTES || k === '__proto__') continue;
    if (x === null || typeof x === 'number' || typeof x === 'boolean' || (typeof x === 'string' && x.length <= 256) || typeof x === 'bigint') {
      node.attributes[k] = typeof x === 'bigint' ? Number(x) : x;
      n++;
    }
  }
  const mods = st.map.get('_modules');
  if (mods instanceof PyDict) for (const [k, x] of mods.map) if (typeof k === 'string' && k !== '__proto__' && x instanceof PyInstance) node.children[k] = savedObject(x, budget, depth + 1);
  return node;
}

/** The objects saved whole in a checkpoint (torch.save(model), at its root or under a key of its dict), by key. */
export function savedObjects(root: PyValue): { key: string; object: SavedObject }[] {
  const budget = { nodes: 0 };
  if (root instanceof PyInstance) return [{ key: '', object: savedObject(root, budget, 0) }];
  const out: { key: string; object: SavedObject }[] = [];
  if (root instanceof PyDict) for (const [k, x] of root.map) if (x instanceof PyInstance && out.length < 8) out.push({ key: String(k), object: savedObject(x, budget, 0) });
  return out;
}

/** Every tensor reachable from `root`, named by the dict keys and list indices on its path. */
export function collectTensors(root: PyValue, src: string): { name: string; ref: TensorRef }[] {
  const out: { name: string; ref: TensorRef }[] = [];
  const seen = new Set<object>();
  // `path` is undefined below a key path longer than MAX_NAME_LENGTH (one long key repeated on a
  // path would otherwise build a string past the engine's limit, a RangeError).
  const walk = (v: PyValue, path: string | undefined, depth: number): void => {
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof PyGlobal) return;
    if (seen.has(v) || depth > MAX_DEPTH) return;
    seen.add(v);
    const join = (k: string) => (path === undefined || path.length + k.length >= MAX_NAME_LENGTH ? undefined : path === '' ? k : `${path}.${k}`);
    if (v instanceof PyObject) {
      if (v.kind === 'tensor' && path === undefined) throw new InputError(`${src}: a tensor's name (the keys on its path, joined by dots) is longer than ${MAX_NAME_LENGTH} characters`);
      if (v.kind === 'tensor' && out.push({ name: path as string, ref: v.value as TensorRef }) > MAX_TENSORS) throw tooManyTensors(src);
    } else if (v instanceof PyInstance) {
      // A module saved whole is named as its state_dict() would be; another object by its attributes.
      const st = moduleState(v);
      if (st) for (const [k, x] of moduleEntries(st)) walk(x, join(k), depth + 1);
      else if (v.state instanceof PyDict) walk(v.state, path, depth + 1);
    } else if (v instanceof PyDict) {
      for (const [k, x] of v.map) if (typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint') walk(x, join(String(k)), depth + 1);
    } else if (v instanceof PyTuple || Array.isArray(v) || v instanceof PySet) {
      const items = v instanceof PyTuple ? v.items : v instanceof PySet ? v.items : v;
      items.forEach((x, i) => walk(x, join(String(i)), depth + 1));
    }
  };
  walk(root, '', 0);
  return out;
}

/** A scalar kept from a checkpoint: an epoch, a step, a hyperparameter. */
export type ScalarValue = number | string | boolean | null;

const MAX_SCALARS = 2000;
const MAX_SCALAR_TEXT = 256;

/**
 * The scalars reachable from `root` through dicts (not lists), named like tensors: `epoch`,
 * `hyper_parameters.latent_model`. Long strings and deep or huge structures are skipped.
 */
export function collectScalars(root: PyValue): Record<string, ScalarValue> {
  const out: Record<string, ScalarValue> = Object.create(null) as Record<string, ScalarValue>;
  let count = 0;
  const seen = new Set<object>();
  const walk = (v: PyValue, path: string, depth: number): void => {
    if (count >= MAX_SCALARS || depth > MAX_DEPTH) return;
    if (path !== '' && (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint')) {
      if (typeof v === 'string' && v.length > MAX_SCALAR_TEXT) return;
      out[path] = typeof v === 'bigint' ? Number(v) : v;
      count++;
      return;
    }
    if (!(v instanceof PyDict) || seen.has(v)) return;
    seen.add(v);
    for (const [k, x] of v.map) if (typeof k === 'string') walk(x, path === '' ? k : `${path}.${k}`, depth + 1);
  };
  walk(root, '', 0);
  return out;
}

export interface TorchFile {
  tensors: Tensor[];
  /** Scalars stored beside the tensors (collectScalars). */
  metadata: Record<string, ScalarValue>;
  /** Objects saved whole (torch.save(model)), read through inert stand-ins. */
  objects?: { key: string; object: SavedObject }[];
}

/** A pickle of plain data (a hypers.pkl of argparse values): the same allow-list, no storages. */
export function readDataPickle(src: ByteSource): PyValue {
  const env = torchEnv(src.name, () => true, () => {
    throw new InputError(`${src.name}: a plain data pickle refers to a tensor storage`);
  });
  return unpickle(src, 0, { ...env, persistentLoad: undefined }).value;
}

function tensorsFrom(
  src: string,
  found: { name: string; ref: TensorRef }[],
  storageSource: (ref: StorageRef) => ByteSource,
  storageBytes: (ref: StorageRef) => number,
): Tensor[] {
  return found.map(({ name, ref }) => {
    const what = `${src}: tensor ${quoteName(name || '(root)')}`;
    checkLayout(ref.layout, storageBytes(ref.storage), what);
    return { name: name || '(root)', dtype: ref.layout.dtype, shape: ref.layout.shape, read: () => decodeStrided(storageSource(ref.storage), ref.layout, what) };
  });
}

/** PyTorch ≥ 1.6 zip checkpoints: `<root>/data.pkl` plus one stored entry per storage. */
export function readTorchZip(zip: ZipArchive): TorchFile {
  const src = zip.src.name;
  const pkl = zip.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name)) ?? zip.entries.find((e) => e.name === 'data.pkl');
  if (!pkl) throw new InputError(`${src}: a zip archive without data.pkl is not a PyTorch checkpoint`);
  const root = pkl.name.slice(0, pkl.name.length - 'data.pkl'.length);
  const bo = zip.get(`${root}byteorder`);
  let little = true;
  if (bo) {
    const text = zip.open(bo, 64).read(0, Math.min(bo.size, 16)).toString('latin1').trim();
    if (text !== 'little' && text !== 'big') throw new InputError(`${src}: unknown byte order ${quoteName(text)}`);
    little = text === 'little';
  }
  const storages = new Map<string, StorageRef>();
  const env = torchEnv(src, () => little, (pid) => {
    if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || typeof pid.items[2] !== 'string') {
      throw new InputError(`${src}: the pickle has a persistent id that is not a storage`);
    }
    const key = pid.items[2];
    const dtype = storageDType(pid.items[1], src);
    const known = storages.get(key);
    if (known) return known.dtype === dtype ? known : { key, dtype };
    if (!zip.get(`${root}data/${key}`)) throw new InputError(`${src}: storage ${quoteName(key)} is missing from the archive`);
    const ref = { key, dtype };
    storages.set(key, ref);
    return ref;
  });
  const { value } = unpickle(zip.open(pkl), 0, env);
  const entryOf = (ref: StorageRef) => zip.get(`${root}data/${ref.key}`)!;
  return {
    tensors: tensorsFrom(src, collectTensors(value, src), (ref) => zip.open(entryOf(ref)), (ref) => entryOf(ref).size),
    metadata: collectScalars(value),
    ...classesOf(value),
  };
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** Whether the source starts with the legacy torch.save magic-number pickle. */
export function isLegacyTorch(src: ByteSource): boolean {
  try {
    const { value } = unpickle(src, 0, { allowed: () => false, call: () => null }, Math.min(src.size, 64));
    return value === LEGACY_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Pre-1.6 `torch.save`: pickles of the magic number, the protocol version and sys_info, then the
 * object, then the sorted storage keys; each storage follows as an 8-byte element count and data.
 */
export function readTorchLegacy(file: ByteSource): TorchFile {
  const src = file.name;
  const plain: PickleEnv = { allowed: () => false, call: () => null };
  // One budget for the five pickles of the file.
  const budget = new UnpickleBudget(src);
  let r = unpickle(file, 0, plain, file.size, budget);
  if (r.value !== LEGACY_MAGIC) throw new InputError(`${src}: a pickle file that is not a torch.save checkpoint (no magic number)`);
  r = unpickle(file, r.end, plain, file.size, budget);
  if (r.value !== 1001) throw new InputError(`${src}: legacy torch format version ${String(r.value)} is not supported (1001)`);
  r = unpickle(file, r.end, plain, file.size, budget);
  let little = true;
  if (r.value instanceof PyDict && r.value.map.get('little_endian') === false) little = false;
  const storages = new Map<string, StorageRef>();
  const env = torchEnv(src, () => little, (pid) => {
    if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || typeof pid.items[2] !== 'string') {
      throw new InputError(`${src}: the pickle has a persistent id that is not a storage`);
    }
    const key = pid.items[2];
    if (pid.items[5] !== null && pid.items[5] !== undefined) throw new InputError(`${src}: storage views of the oldest torch format are not supported`);
    const known = storages.get(key);
    if (known) return known;
    const ref = { key, dtype: storageDType(pid.items[1], src) };
    storages.set(key, ref);
    return ref;
  });
  r = unpickle(file, r.end, env, file.size, budget);
  const root = r.value;
  r = unpickle(file, r.end, plain, file.size, budget);
  const keys = r.value;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new InputError(`${src}: the storage key list is damaged`);
  const places = new Map<string, { offset: number; bytes: number }>();
  let pos = r.end;
  for (const key of keys as string[]) {
    const ref = storages.get(key);
    if (!ref) throw new InputError(`${src}: storage ${quoteName(key)} is listed but never used`);
    const head = file.read(pos, 8);
    const count = little ? head.readBigInt64LE(0) : head.readBigInt64BE(0);
    const bytes = count * BigInt(ITEM_SIZE[ref.dtype]);
    if (count < 0n || bytes > BigInt(file.size - pos - 8)) throw new InputError(`${src}: storage ${quoteName(key)} declares ${count} elements, more than the file holds (truncated?)`);
    places.set(key, { offset: pos + 8, bytes: Number(bytes) });
    pos += 8 + Number(bytes);
  }
  const place = (ref: StorageRef) => {
    const p = places.get(ref.key);
    if (!p) throw new InputError(`${src}: storage ${quoteName(ref.key)} is missing from the file`);
    return p;
  };
  return {
    tensors: tensorsFrom(src, collectTensors(root, src), (ref) => new SliceSource(file, place(ref).offset, place(ref).bytes), (ref) => place(ref).bytes),
    metadata: collectScalars(root),
    ...classesOf(root),
  };
}

function classesOf(root: PyValue): { objects?: { key: string; object: SavedObject }[] } {
  const objects = savedObjects(root);
  return objects.length ? { objects } : {};
}
