#!/usr/bin/python3
"""Generates the HDF5-based fixtures of test/fixtures/hdf5/ and their expected.json.

Run by hand (not by CI) with Debian's python3-h5py and python3-numpy:
    apt-get install -y python3-h5py python3-numpy
    /usr/bin/python3 scripts/make-hdf5-fixtures.py

There is no Julia and no MATLAB here, so the files follow the published layouts, written with
h5py (libhdf5):
- JLD2 (JLD2.jl's layout, checked against real Lux checkpoints of the DurstewitzLab code bases):
  the 512-byte "HDF5-based Julia Data Format" header, committed datatypes in /_types named
  00000001… with a `julia_type` attribute of the self-describing Core.DataType compound
  {name: vlen string, parameters: vlen of object references}, struct fields that are arrays as
  references to *unlinked* datasets (kept alive with H5Oincr_refcount, as JLD2 leaves them),
  arrays stored with Julia's size reversed over the column-major memory, empty types as 1-byte
  opaque types with `empty = 1`, a ComponentArray whose names exist only in its Axis type
  parameter, the legacy (format 0.1.1) `field_datatypes` attribute and compact arrays.
- MATLAB v7.3: a 512-byte userblock holding the MAT header ("MATLAB 7.3 MAT-file", version
  0x0200, "IM"), MATLAB_class attributes, HDF5 dims reversed relative to MATLAB, a struct as a
  group, a cell as references into /#refs#, a struct array, char as uint16, logical, an empty
  array (MATLAB_empty), and a chunked + deflated + shuffled matrix.
- plain HDF5 (h5py's own row-major arrays in groups).
expected.json records, per file, the format, each tensor (dtype, shape, values row-major as
float64), the model it maps to, or the error it must end in.
"""
import ctypes
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'hdf5')
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))
expected = {}
rng = np.random.default_rng(7)


def path(name):
    return os.path.join(OUT, name)


def q(a, dtype=np.float32):
    """Values that are exact in float32 (multiples of 1/32)."""
    return (np.round(np.asarray(a) * 32) / 32).astype(dtype)


def vals(a):
    return np.asarray(a, dtype=np.float64).reshape(-1, order='C').tolist()


def dname(a):
    a = np.asarray(a)
    return {'f': 'float', 'i': 'int', 'u': 'uint', 'b': 'bool'}[a.dtype.kind] + ('' if a.dtype.kind == 'b' else str(8 * a.dtype.itemsize))


def record(file, fmt, tensors, model=None, error=None, metadata=None):
    e = {'format': fmt, 'tensors': {k: {'dtype': dname(v), 'shape': list(np.shape(v)), 'values': vals(v)} for k, v in tensors.items()}}
    if model is not None:
        e['model'] = model
    if error is not None:
        e['error'] = error
    if metadata is not None:
        e['metadata'] = metadata
    expected[file] = e


# libhdf5's H5Oincr_refcount (h5py does not wrap it): JLD2 leaves the datasets a struct field
# refers to without a name; libhdf5 frees an object without links unless its count is raised.
_libhdf5 = None
for line in open('/proc/self/maps'):
    if 'libhdf5' in line and 'hl' not in line.split('/')[-1] and '.so' in line:
        _libhdf5 = ctypes.CDLL(line.split()[-1])
        break
_libhdf5.H5Oincr_refcount.argtypes = [ctypes.c_int64]


def keep(obj):
    assert _libhdf5.H5Oincr_refcount(obj.id.id) >= 0
    return obj


# ------------------------------------------------------------------------------------ JLD2

class Jld2:
    """A JLD2-layout file: committed types in /_types, unnamed datasets behind references."""

    def __init__(self, fname, version='0.2.0', compact=False):
        self.fname = fname
        self.f = h5py.File(path(fname), 'w', libver='latest', userblock_size=512)
        self.version = version
        self.compact = compact
        self.types = self.f.create_group('_types')
        self.count = 0
        self.dt_dtype = np.dtype([('name', h5py.string_dtype()), ('parameters', h5py.vlen_dtype(h5py.ref_dtype))])
        self.datatype = self.commit(self.dt_dtype, None)
        self.datatype.attrs.create('julia_type', np.array(('Core.DataType', np.array([], dtype=h5py.ref_dtype)), dtype=self.dt_dtype), dtype=self.datatype)
        self.cache = {}

    def commit(self, dtype, name, params=(), **attrs):
        self.count += 1
        key = '%08d' % self.count
        self.types[key] = dtype
        t = self.types[key]
        if name is not None:
            self.set_type(t, name, params)
        for k, v in attrs.items():
            t.attrs[k] = v
        return t

    def set_type(self, obj, name, params):
        refs = np.array([p.ref for p in params], dtype=h5py.ref_dtype)
        obj.attrs.create('julia_type', np.array((name, refs), dtype=self.dt_dtype), dtype=self.datatype)

    def anon(self, data, dtype=None):
        """An unnamed dataset (a struct field's array, a type parameter's value)."""
        if self.compact:
            arr = np.asarray(data, dtype=dtype)
            space = h5py.h5s.create_simple(arr.shape) if arr.shape else h5py.h5s.create(h5py.h5s.SCALAR)
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_layout(h5py.h5d.COMPACT)
            tid = h5py.h5t.py_create(arr.dtype)
            dsid = h5py.h5d.create(self.f.id, None, tid, space, dcpl=dcpl)
            dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)
            return keep(h5py.Dataset(dsid))
        return keep(self.f.create_dataset(None, data=data, dtype=dtype))

    def julia_array(self, a):
        """A Julia Array: HDF5 dims are Julia's size reversed over the column-major memory."""
        a = np.asarray(a)
        return self.anon(np.ascontiguousarray(a.T))

    def dtval(self, name, params=()):
        """A DataType used as a value (a type parameter such as Core.Float32)."""
        refs = np.array([p.ref for p in params], dtype=h5py.ref_dtype)
        return keep(self.f.create_dataset(None, data=np.array((name, refs), dtype=self.dt_dtype), dtype=self.datatype))

    def value(self, typ, data):
        """A scalar value of a committed type (a tuple, a range, a named tuple)."""
        return keep(self.f.create_dataset(None, data=np.array(data, dtype=typ.dtype), dtype=typ))

    def struct(self, name, typ, data):
        """A named scalar of a committed type, stored compact as JLD2 stores small non-arrays."""
        arr = np.array(data, dtype=typ.dtype)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        dsid = h5py.h5d.create(self.f.id, name.encode(), typ.id, h5py.h5s.create(h5py.h5s.SCALAR), dcpl=dcpl)
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)

    def empty_value(self, typ):
        return keep(self.f.create_dataset(None, data=h5py.Empty(typ.dtype), dtype=typ))

    def close(self):
        self.f.close()
        header = f'HDF5-based Julia Data Format, version {self.version}\0 (Julia 1.11.6 64-bit LE)\0'.encode()
        with open(path(self.fname), 'r+b') as fh:
            fh.write(header + b'\0' * (512 - len(header)))


# --- a struct with array fields by reference (JLD2 0.2.0): Main.PLRNN{Vector{Float32},Matrix{Float32}}
M = 3
jA = q(rng.uniform(-0.9, 0.9, M))
jW = q(rng.uniform(-1, 1, (M, M)))
np.fill_diagonal(jW, 0)
jh = q(rng.uniform(-1, 1, M))
j = Jld2('plrnn.jld2')
nothing_t = j.commit(np.dtype('V1'), 'Core.Nothing', empty=np.uint8(1))
f32 = j.dtval('Core.Float32')
i1 = j.anon(np.int64(1))
i2 = j.anon(np.int64(2))
vec_t = j.dtval('Core.Array', [f32, i1])
mat_t = j.dtval('Core.Array', [f32, i2])
ref = h5py.ref_dtype
plrnn_t = j.commit(np.dtype([('A', ref), ('W', ref), ('h', ref), ('C', ref)]), 'Main.PLRNN', [vec_t, mat_t])
fields = {'A': j.julia_array(jA).ref, 'W': j.julia_array(jW).ref, 'h': j.julia_array(jh).ref, 'C': j.empty_value(nothing_t).ref}
j.struct('model', plrnn_t, tuple(fields[k] for k in 'AWhC'))
j.f['epoch'] = np.int64(2000)
j.f.create_dataset('note', data='trained on lorenz', dtype=h5py.string_dtype())
# A Bool: JLD2 writes it as an 8-bit bitfield.
bool_id = h5py.h5d.create(j.f.id, b'converged', h5py.h5t.STD_B8LE, h5py.h5s.create(h5py.h5s.SCALAR))
bool_id.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array(1, dtype=np.uint8), mtype=h5py.h5t.STD_B8LE)
j.close()
plrnn_model = {'architecture': 'plrnn', 'A': vals(jA), 'W': jW.astype(np.float64).tolist(), 'h': vals(jh)}
record('plrnn.jld2', 'jld2', {'model.A': jA, 'model.W': jW, 'model.h': jh}, plrnn_model, metadata={'epoch': 2000, 'note': 'trained on lorenz', 'converged': True})

# --- shallowPLRNN in the legacy layout (JLD2 0.1.1): compact arrays, field_datatypes, a Vector of matrices
L = 4
sA = q(rng.uniform(-0.9, 0.9, M))
sW1 = q(rng.uniform(-1, 1, (M, L)))
sW2 = q(rng.uniform(-1, 1, (L, M)))
sh1 = q(rng.uniform(-1, 1, M))
sh2 = q(rng.uniform(-1, 1, L))
j = Jld2('shplrnn_legacy.jld2', version='0.1.1', compact=True)
f32 = j.dtval('Core.Float32')
sh_t = j.commit(np.dtype([('A', ref), ('W₁', ref), ('W₂', ref), ('h₁', ref), ('h₂', ref)]), 'GTF.shallowPLRNN', [f32],
                field_datatypes=np.array([h5py.Reference()] * 5, dtype=ref))
sfields = [j.julia_array(x).ref for x in (sA, sW1, sW2, sh1, sh2)]
j.struct('model', sh_t, tuple(sfields))
# A Vector{Matrix{Float32}} (an array of references) and a 3-D array.
snap = [q(rng.uniform(-1, 1, (2, 3))) for _ in range(2)]
arr = j.f.create_dataset('snapshots', data=np.array([j.julia_array(s).ref for s in snap], dtype=ref))
arr.attrs.create('julia_type', np.array(('Core.Array', np.array([f32.ref, j.anon(np.int64(2)).ref], dtype=ref)), dtype=j.dt_dtype), dtype=j.datatype)
cube = q(rng.uniform(-1, 1, (2, 3, 4)))
j.f['cube'] = np.ascontiguousarray(cube.transpose(2, 1, 0))
j.close()
sh_model = {'architecture': 'shplrnn', 'A': vals(sA), 'W1': sW1.astype(np.float64).tolist(), 'W2': sW2.astype(np.float64).tolist(), 'h1': vals(sh1), 'h2': vals(sh2)}
record('shplrnn_legacy.jld2', 'jld2', {'model.A': sA, 'model.W₁': sW1, 'model.W₂': sW2, 'model.h₁': sh1, 'model.h₂': sh2,
                                      'snapshots.1': snap[0], 'snapshots.2': snap[1], 'cube': cube}, sh_model)

# --- a Lux checkpoint: p is a ComponentArray over one flat Float32 vector, st a NamedTuple
cA = q(rng.uniform(-0.9, 0.9, M))
cW = q(rng.uniform(-1, 1, (M, M)))
np.fill_diagonal(cW, 0)
ch = q(rng.uniform(-1, 1, M))
cL = q(rng.uniform(-1, 1, (2, 3)))
flat = np.concatenate([cA, cW.reshape(-1, order='F'), ch, cL.reshape(-1, order='F'), q([7.0])]).astype(np.float32)
j = Jld2('lux_componentarray.jld2')
empty_tuple = j.commit(np.dtype('V1'), 'Tuple', [], empty=np.uint8(1))
nothing_t = j.commit(np.dtype('V1'), 'Core.Nothing', empty=np.uint8(1))
sym_t = j.commit(h5py.string_dtype(), 'Core.Symbol')
f32 = j.dtval('Core.Float32')
i64 = j.dtval('Core.Int64')
range_t = j.commit(np.dtype([('start', '<i8'), ('stop', '<i8')]), 'Base.UnitRange', [i64])
tup1_t = j.commit(np.dtype([('1', '<i8')]), 'Tuple', [i64])
tup2_t = j.commit(np.dtype([('1', '<i8'), ('2', '<i8')]), 'NTuple', [j.anon(np.int64(2)), i64])


def symbols(names):
    t = j.commit(np.dtype([(str(k + 1), h5py.string_dtype()) for k in range(len(names))]), 'NTuple', [j.anon(np.int64(len(names))), sym_t],
                 field_names=np.array([str(k + 1) for k in range(len(names))], dtype=h5py.string_dtype()))
    return j.value(t, tuple(names))


def rng_val(a, b):
    return j.value(range_t, (a, b))


def shaped(shape):
    if len(shape) == 1:
        return j.dtval('ComponentArrays.Shaped1DAxis', [j.value(tup1_t, (shape[0],))])
    return j.dtval('ComponentArrays.ShapedAxis', [j.value(tup2_t, tuple(shape))])


def named_tuple(names, types, data_dtype=None, data=None):
    """A NamedTuple value; its type is Core.NamedTuple{names, Core.Tuple{types…}}."""
    tt = j.dtval('Core.Tuple', types)
    if data_dtype is None:
        t = j.commit(np.dtype('V1'), 'Core.NamedTuple', [symbols(names), tt], empty=np.uint8(1))
        return j.empty_value(t)
    t = j.commit(data_dtype, 'Core.NamedTuple', [symbols(names), tt])
    return j.value(t, data)


def view(first, last, axis):
    return j.dtval('ComponentArrays.ViewAxis', [rng_val(first, last), j.dtval('Core.Nothing'), axis])


def axis(nt):
    return j.dtval('ComponentArrays.Axis', [nt])


inner = named_tuple(['A', 'W', 'h'], [view(1, 3, shaped([3])), view(4, 12, shaped([3, 3])), view(13, 15, shaped([3]))])
obs = named_tuple(['L'], [view(1, 6, shaped([2, 3]))])
top = named_tuple(['cont_model', 'obs_model', 'gain'], [view(1, 15, axis(inner)), view(16, 21, axis(obs)), i64], np.dtype([('gain', '<i8')]), (22,))
axes_t = j.dtval('Tuple', [axis(top)])
ca_t = j.commit(np.dtype([('data', ref)]), 'ComponentArrays.ComponentArray', [f32, j.anon(np.int64(1)), j.dtval('Core.Array', [f32, j.anon(np.int64(1))]), axes_t],
                field_names=np.array(['data', 'axes'], dtype=h5py.string_dtype()),
                field_types=np.array([h5py.Reference(), empty_tuple.ref], dtype=ref))
j.struct('p', ca_t, (j.julia_array(flat).ref,))
# st = (obs_model = (B = Matrix),): a NamedTuple holding a NamedTuple holding a reference
stB = q(np.eye(2, 3))
b_t = j.commit(np.dtype([('B', ref)]), 'Core.NamedTuple', [symbols(['B']), j.dtval('Tuple', [j.dtval('Core.Array', [f32, j.anon(np.int64(2))])])])
st_t = j.commit(np.dtype([('obs_model', b_t.dtype)]), 'Core.NamedTuple', [symbols(['obs_model']), j.dtval('Tuple', [b_t])],
                field_names=np.array(['obs_model'], dtype=h5py.string_dtype()), field_types=np.array([b_t.ref], dtype=ref))
j.struct('st', st_t, ((j.julia_array(stB).ref,),))
j.close()
record('lux_componentarray.jld2', 'jld2', {'p.cont_model.A': cA, 'p.cont_model.W': cW, 'p.cont_model.h': ch, 'p.obs_model.L': cL,
                                          'p.gain': np.float32(7.0), 'st.obs_model.B': stB},
       error='continuous-time PLRNN')

# --- a ComponentArray whose axis is not understood: refused, naming what
j = Jld2('componentarray_unknown_axis.jld2')
f32 = j.dtval('Core.Float32')
weird = j.dtval('ComponentArrays.PartitionedAxis', [j.anon(np.int64(2))])
i64 = j.dtval('Core.Int64')
range_t = j.commit(np.dtype([('start', '<i8'), ('stop', '<i8')]), 'Base.UnitRange', [i64])
sym_t = j.commit(h5py.string_dtype(), 'Core.Symbol')
names_t = j.commit(np.dtype([('1', h5py.string_dtype())]), 'Tuple', [sym_t])
nt_t = j.commit(np.dtype('V1'), 'Core.NamedTuple',
                [j.value(names_t, ('x',)), j.dtval('Core.Tuple', [j.dtval('ComponentArrays.ViewAxis', [j.value(range_t, (1, 4)), j.dtval('Core.Nothing'), weird])])], empty=np.uint8(1))
ca_t = j.commit(np.dtype([('data', ref)]), 'ComponentArrays.ComponentArray', [f32, j.anon(np.int64(1)), f32, j.dtval('Tuple', [j.dtval('ComponentArrays.Axis', [j.empty_value(nt_t)])])])
j.f.create_dataset('p', data=np.array((j.julia_array(q(np.arange(4) / 4)).ref,), dtype=ca_t.dtype), dtype=ca_t)
j.close()
record('componentarray_unknown_axis.jld2', 'jld2', {}, error="'p' is a ComponentArray whose axis of 'x' (PartitionedAxis) is not understood")

# ------------------------------------------------------------------------------------ MATLAB v7.3


def mat73(fname, build):
    with h5py.File(path(fname), 'w', userblock_size=512) as f:
        build(f)
    text = b'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  6 12:00:00 2025 HDF5 schema 1.00 .'
    header = text + b' ' * (116 - len(text)) + b'\0' * 8 + b'\x00\x02' + b'IM'
    with open(path(fname), 'r+b') as fh:
        fh.write(header + b'\0' * (512 - len(header)))


def mclass(obj, cls):
    obj.attrs['MATLAB_class'] = np.bytes_(cls)
    return obj


def mvar(g, name, a, cls='double', **kw):
    """A MATLAB array: HDF5 dims are MATLAB's size reversed over the column-major data."""
    a = np.asarray(a)
    if a.ndim < 2:
        a = a.reshape(1, -1) if a.ndim == 1 else a.reshape(1, 1)
    d = g.create_dataset(name, data=np.ascontiguousarray(a.T), **kw)
    return mclass(d, cls)


def mchar(g, name, s):
    d = g.create_dataset(name, data=np.array([[ord(c)] for c in s], dtype=np.uint16))
    d.attrs['MATLAB_int_decode'] = np.int32(2)
    return mclass(d, 'char')


mA = np.diag(rng.uniform(-0.9, 0.9, M).round(3))
mW = rng.uniform(-1, 1, (M, M)).round(3)
np.fill_diagonal(mW, 0)
mh = rng.uniform(-1, 1, (M, 1)).round(3)
big = q(rng.uniform(-1, 1, (40, 30)), np.float32)
c1 = rng.uniform(-1, 1, (2, 3)).round(3)
flag = np.array([[1, 0, 1]], dtype=np.uint8)


def build_mat(f):
    refs = f.create_group('#refs#')
    net = mclass(f.create_group('net'), 'struct')
    mvar(net, 'A', mA)
    mvar(net, 'W', mW)
    mvar(net, 'h', mh)
    mchar(net, 'name', 'lorenz PLRNN')
    # c = {c1, 'abc'} (a 1×2 cell): HDF5 dims (2, 1) of references into #refs#
    a = mvar(refs, 'a', c1)
    b = mchar(refs, 'b', 'abc')
    cell = f.create_dataset('c', data=np.array([[a.ref], [b.ref]], dtype=h5py.ref_dtype))
    mclass(cell, 'cell')
    # s(1).x = 1.5, s(2).x = [1 2]: a 1×2 struct array, each field a dataset of references
    s = mclass(f.create_group('s'), 'struct')
    x1 = mvar(refs, 'c', np.array([[1.5]]))
    x2 = mvar(refs, 'd', np.array([[1.0, 2.0]]))
    s.create_dataset('x', data=np.array([[x1.ref], [x2.ref]], dtype=h5py.ref_dtype))
    fields = np.empty(1, dtype=h5py.vlen_dtype(np.dtype('S1')))
    fields[0] = np.array([b'x'], dtype='S1')
    s.attrs['MATLAB_fields'] = fields
    mvar(f, 'flag', flag, 'logical')
    mvar(f, 'n', np.array([[42]], dtype=np.int32), 'int32')
    mvar(f, 'big', big, 'single', chunks=(10, 8), compression='gzip', shuffle=True)
    e = mvar(f, 'e', np.array([0, 0], dtype=np.uint64), 'double')
    e.attrs['MATLAB_empty'] = np.uint8(1)


mat73('plrnn_v73.mat', build_mat)
record('plrnn_v73.mat', 'mat73', {'net.A': mA, 'net.W': mW, 'net.h': mh, 'c{1}': c1, 's(1).x': np.array([[1.5]]), 's(2).x': np.array([[1.0, 2.0]]),
                                  'flag': flag, 'n': np.array([[42]], dtype=np.int32), 'big': big},
       {'architecture': 'plrnn', 'A': vals(np.diag(mA)), 'W': mW.tolist(), 'h': vals(mh)},
       metadata={'net.name': 'lorenz PLRNN', 'c{2}': 'abc', 's(1).x': 1.5, 'n': 42})

# ------------------------------------------------------------------------------------ plain HDF5
pA = q(rng.uniform(-0.9, 0.9, M), np.float64)
pW = q(rng.uniform(-1, 1, (M, M)), np.float64)
np.fill_diagonal(pW, 0)
ph = q(rng.uniform(-1, 1, M), np.float64)
pbig = rng.integers(-1000, 1000, (50, 7)).astype('>i4')
with h5py.File(path('plrnn.h5'), 'w') as f:
    g = f.create_group('model')
    g['A'] = pA
    g['W'] = pW
    g['h'] = ph
    f.create_dataset('log/loss', data=pbig, chunks=(8, 7), compression='gzip')
record('plrnn.h5', 'hdf5', {'model.A': pA, 'model.W': pW, 'model.h': ph, 'log.loss': pbig},
       {'architecture': 'plrnn', 'A': vals(pA), 'W': pW.tolist(), 'h': vals(ph)})

# Chunked with a fixed-array chunk index (libhdf5's newest format): refused, naming it.
with h5py.File(path('fixed_array_index.h5'), 'w', libver='latest') as f:
    f.create_dataset('x', data=np.arange(64.0).reshape(8, 8), chunks=(4, 4))
record('fixed_array_index.h5', 'hdf5', {}, error='fixed array chunk index is not supported')

# Hostile nesting: cells 80 deep (a MATLAB file), groups 80 deep (plain HDF5).
def build_deep(f):
    refs = f.create_group('#refs#')
    inner = mvar(refs, 'x0', np.array([[1.0]]))
    for k in range(80):
        inner = mclass(refs.create_dataset(f'x{k + 1}', data=np.array([[inner.ref]], dtype=h5py.ref_dtype)), 'cell')
    f['c'] = inner
    mclass(f['c'], 'cell')


mat73('deep_cells.mat', build_deep)
record('deep_cells.mat', 'mat73', {}, error='nested deeper than 64')
with h5py.File(path('deep_groups.h5'), 'w') as f:
    f.create_group('/'.join(['g'] * 80))
record('deep_groups.h5', 'hdf5', {}, error='groups nested deeper than 64')

with open(path('expected.json'), 'w') as fh:
    json.dump(expected, fh, indent=1, ensure_ascii=False)
print(f'{len(expected)} fixtures in {os.path.normpath(OUT)}: ' + ', '.join(f'{k} ({os.path.getsize(path(k))} B)' for k in expected))
