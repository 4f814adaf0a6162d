#!/usr/bin/python3
"""Generates the MATLAB MAT-file fixtures of test/fixtures/mat/ and their expected.json.

Run by hand (not by CI) with Debian's python3-scipy and python3-numpy:
    apt-get install -y python3-scipy python3-numpy
    /usr/bin/python3 scripts/make-mat-fixtures.py
Most files are written by scipy.io.savemat (format '5', compressed and not); the ones scipy
cannot write (big endian, numbers stored in a smaller type than their class, small data
elements for data, opaque and object classes, a v7.3 header) are written byte by byte by the
Mat5 class below, following the MAT-file level 5 layout. Every readable file is read back with
scipy.io.loadmat, and expected.json is made from what loadmat returns (not from what was
written), walking structs and cells with MATLAB-style names: `net.W`, `s(2).W`, `c{3}.W`.
expected.json records, for each file, the tensors it must read as (name, dtype, MATLAB's
dimensions as shape, values in row-major order as float64, so x(i, j) is values[i*cols + j]),
the scalars and strings it must give as values, the arrays it must skip (complex arrays,
string objects, function handles), the model it must map to, or the error it must end in.
Files are small (KBs).
"""
import json
import os
import struct
import warnings
import zlib

import numpy as np
import scipy.io as sio
import scipy.sparse as sp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'mat')
expected = {}
rng = np.random.default_rng(5)

# mi data types and mx array classes of the MAT-file level 5 format.
MI = {'i1': 1, 'u1': 2, 'i2': 3, 'u2': 4, 'i4': 5, 'u4': 6, 'f4': 7, 'f8': 9, 'i8': 12, 'u8': 13}
MI_MATRIX, MI_COMPRESSED, MI_UTF8 = 14, 15, 16
MX = {'cell': 1, 'struct': 2, 'object': 3, 'char': 4, 'sparse': 5, 'double': 6, 'single': 7, 'int8': 8, 'uint8': 9,
      'int16': 10, 'uint16': 11, 'int32': 12, 'uint32': 13, 'int64': 14, 'uint64': 15, 'opaque': 17}
LOGICAL, GLOBAL = 0x200, 0x400


class Mat5:
    """Writes MAT-file level 5 data elements in either byte order."""

    def __init__(self, big=False):
        self.e = '>' if big else '<'

    def el(self, mtype, data, small=True):
        n = len(data)
        if small and n <= 4:
            # Small data element: size and type in one word, the data in the tag's second word.
            return struct.pack(self.e + 'I', (n << 16) | mtype) + data + b'\0' * (4 - n)
        return struct.pack(self.e + 'II', mtype, n) + data + b'\0' * ((8 - n % 8) % 8)

    def matrix(self, cls, dims, name, body, flags=0, nzmax=0):
        content = (self.el(MI['u4'], struct.pack(self.e + 'II', MX[cls] | flags, nzmax), small=False)
                   + self.el(MI['i4'], struct.pack(self.e + '%di' % len(dims), *dims))
                   + self.el(MI['i1'], name.encode()) + body)
        return struct.pack(self.e + 'II', MI_MATRIX, len(content)) + content

    def numeric(self, name, arr, cls, stored, flags=0):
        a = np.asarray(arr)
        data = a.flatten(order='F').astype(np.dtype(stored).newbyteorder(self.e)).tobytes()
        return self.matrix(cls, a.shape, name, self.el(MI[stored], data), flags)

    def char(self, name, rows):
        a = np.array([list(r) for r in rows])
        codes = np.array([ord(c) for c in a.flatten(order='F')], dtype=np.dtype('u2').newbyteorder(self.e))
        return self.matrix('char', a.shape, name, self.el(MI['u2'], codes.tobytes()))

    def struct_(self, name, dims, fields, elements):
        """elements: for each struct element (column-major order), one matrix per field."""
        L = 32
        body = (self.el(MI['i4'], struct.pack(self.e + 'i', L))
                + self.el(MI['i1'], b''.join(f.encode().ljust(L, b'\0') for f in fields))
                + b''.join(b''.join(e) for e in elements))
        return self.matrix('struct', dims, name, body)

    def cell(self, name, dims, children):
        return self.matrix('cell', dims, name, b''.join(children))

    def sparse(self, name, dense, logical=False):
        m = sp.csc_matrix(dense)
        body = (self.el(MI['i4'], m.indices.astype(np.dtype('i4').newbyteorder(self.e)).tobytes())
                + self.el(MI['i4'], m.indptr.astype(np.dtype('i4').newbyteorder(self.e)).tobytes())
                + self.el(MI['u1'] if logical else MI['f8'], m.data.astype(np.dtype('u1' if logical else 'f8').newbyteorder(self.e)).tobytes()))
        return self.matrix('sparse', dense.shape, name, body, LOGICAL if logical else 0, nzmax=max(1, m.nnz))

    def opaque(self, name, type_system, class_name):
        content = (self.el(MI['u4'], struct.pack(self.e + 'II', MX['opaque'], 0), small=False)
                   + self.el(MI['i1'], name.encode()) + self.el(MI['i1'], type_system.encode()) + self.el(MI['i1'], class_name.encode())
                   + self.numeric('', np.array([[0xdd000000, 2, 1, 1, 1, 1]], dtype=np.uint32), 'uint32', 'u4'))
        return struct.pack(self.e + 'II', MI_MATRIX, len(content)) + content

    def compressed(self, element):
        c = zlib.compress(element)
        return struct.pack(self.e + 'II', MI_COMPRESSED, len(c)) + c

    def header(self, text='MATLAB 5.0 MAT-file, Platform: crafted by scripts/make-mat-fixtures.py'):
        return text.encode().ljust(116, b' ') + b'\0' * 8 + struct.pack(self.e + 'H', 0x0100) + (b'MI' if self.e == '>' else b'IM')

    def file(self, *elements):
        return self.header() + b''.join(elements)


def dtype_name(a):
    return {'f': 'float', 'i': 'int', 'u': 'uint', 'b': 'bool'}[a.dtype.kind] + ('' if a.dtype.kind == 'b' else str(8 * a.dtype.itemsize))


def children(name, v):
    """The (name, value) pairs inside a struct or cell array, named in MATLAB syntax."""
    if isinstance(v, np.ndarray) and v.dtype.names is not None and not isinstance(v, (sio.matlab.MatlabOpaque, sio.matlab.MatlabFunction)):
        flat = v.flatten(order='F')
        return [(f'{name}.{f}' if flat.size == 1 else f'{name}({i + 1}).{f}', el[f]) for i, el in enumerate(flat) for f in v.dtype.names]
    if isinstance(v, np.ndarray) and v.dtype.kind == 'O':
        return [(f'{name}{{{i + 1}}}', el) for i, el in enumerate(v.flatten(order='F'))]
    return []


def complex_names(name, v, out):
    """Names of the complex arrays (found in a mat_dtype=False load: mat_dtype=True drops imaginary parts)."""
    if np.iscomplexobj(v) or (sp.issparse(v) and np.iscomplexobj(v.data)):
        out.add(name)
    for n, x in children(name, v):
        complex_names(n, x, out)


def walk(name, v, tensors, values, skipped, complex_set):
    """What a MAT-file reader must list, from scipy.io.loadmat's view of one variable."""
    if isinstance(v, sio.matlab.MatlabOpaque) and name == 'None':
        name = v['s0'][0].decode()  # loadmat names a top-level opaque variable None; s0 is its name
    if isinstance(v, (sio.matlab.MatlabOpaque, sio.matlab.MatlabFunction)) or name in complex_set:
        skipped.append(name)  # not read: string objects, function handles, complex arrays
    elif sp.issparse(v):
        d = v.toarray()
        tensors[name] = {'dtype': dtype_name(d), 'shape': list(d.shape), 'values': d.astype(np.float64).reshape(-1).tolist()}
    elif not isinstance(v, np.ndarray):
        return  # loadmat gives None for some empty structs
    elif v.dtype.names is not None or v.dtype.kind == 'O':
        for n, x in children(name, v):
            walk(n, x, tensors, values, skipped, complex_set)
    elif v.dtype.kind == 'U':
        if v.size == 0:
            values[name] = ''
        else:
            rows = v.reshape(v.shape[0], -1, order='F')
            values[name] = '\n'.join(''.join(r) for r in rows)
    else:
        tensors[name] = {'dtype': dtype_name(v), 'shape': list(v.shape), 'values': v.astype(np.float64).reshape(-1, order='C').tolist()}
        if v.size == 1:
            values[name] = float(v.reshape(-1)[0])


def path(name):
    return os.path.join(OUT, name)


def record(file, model=None, options=None, dtypes=None, error=None):
    """dtypes: corrections where loadmat loses the class (it reads a logical sparse as uint8)."""
    complex_set = set()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', np.ComplexWarning)  # mat_dtype=True drops imaginary parts
        got = sio.loadmat(path(file), mat_dtype=True, chars_as_strings=False, squeeze_me=False, struct_as_record=True)
    for k, v in sio.loadmat(path(file), chars_as_strings=False, squeeze_me=False, struct_as_record=True).items():
        if not k.startswith('__'):
            complex_names(k, v, complex_set)
    tensors, values, skipped = {}, {}, []
    for k, v in got.items():
        if not k.startswith('__'):
            walk(k, v, tensors, values, skipped, complex_set)
    for k, d in (dtypes or {}).items():
        tensors[k]['dtype'] = d
    e = {'tensors': tensors, 'values': values, 'skipped': skipped}
    if model is not None:
        e['model'] = {k: (v if isinstance(v, (str, int)) else np.asarray(v, dtype=np.float64).tolist()) for k, v in model.items()}
    if options is not None:
        e['options'] = options
    if error is not None:
        e['error'] = error
    expected[file] = e


def record_error(file, error):
    expected[file] = {'tensors': {}, 'values': {}, 'skipped': [], 'error': error}


def savemat(file, data, compressed, **kw):
    sio.savemat(path(file), data, format='5', do_compression=compressed, **kw)


def write(file, data):
    with open(path(file), 'wb') as f:
        f.write(data)


def main():
    if os.path.isdir(OUT):
        for f in os.listdir(OUT):
            os.remove(path(f))
    else:
        os.makedirs(OUT)

    # A PLRNN as plain variables, as MATLAB code saves it: save('plrnn.mat', 'A', 'W', 'h', ...).
    A = np.array([0.5, 0.6, 0.7])
    W = np.array([[0.0, 0.2, -0.1], [0.3, 0.0, 0.15], [-0.25, 0.05, 0.0]])
    h = np.array([[0.1], [-0.2], [0.05]])
    plrnn_model = {'architecture': 'plrnn', 'A': A, 'W': W, 'h': h.reshape(-1)}
    # Nothing beside A, W, h tells whether h is a bias (ContPLRNN, mmPLRNN, reg-PLRNN) or a threshold
    # (PLRNNstsp): the reader asks; options give the answer.
    savemat('plrnn.mat', {'A': A, 'W': W, 'h': h, 'epoch': 100.0, 'name': 'toy PLRNN'}, False)
    record('plrnn.mat', plrnn_model, options={'architecture': 'plrnn'}, error='the MATLAB code bases disagree on h')

    # The same model in a struct, compressed (save -v7), next to hyperparameters in a struct; its
    # input weights C mark the ContPLRNN / reg-PLRNN family (h a bias).
    savemat('plrnn_struct.mat', {'net': {'A': A, 'W': W, 'h': h, 'C': np.zeros((3, 2))}, 'opts': {'P': 2.0, 'lr': 1e-3, 'name': 'run 7', 'verbose': True}}, True)
    record('plrnn_struct.mat', plrnn_model)

    # PLRNNstsp (SimPLRNN.m L26: A z + W relu(z - h)): its parameter files carry InpVal; h is a threshold.
    savemat('plrnnstsp.mat', {'A': np.diag(A), 'W': W, 'h': h, 'S': np.eye(3) * 0.01, 'B': np.eye(3), 'G': np.eye(3), 'mu0': np.zeros((3, 1)),
                              'InpVal': np.zeros((3, 4))}, True)
    record('plrnnstsp.mat', {'architecture': 'dendplrnn', 'A': A, 'W': W, 'h': np.zeros(3), 'alpha': np.ones(1), 'H': h})

    # The 2-D PLRNN of science.md §4 with a1 = 0.8377689 (two 16-cycles) as ContPLRNN saves its
    # models: A, W, h beside the observation B and inputs C (all zero); also the example
    # examples/checkpoints/matlab/two-16-cycles.mat.
    A16 = np.diag([0.8377689, 0.96461297])
    W16 = np.array([[0.0, -0.64375], [0.52505308, 0.0]])
    h16 = np.array([[0.37298253], [-0.97931491]])
    savemat('two_16_cycles.mat', {'A': A16, 'W': W16, 'h': h16, 'B': np.eye(2), 'C': np.zeros((2, 2)), 'S': np.eye(2) * 0.01, 'G': np.eye(2)}, True)
    record('two_16_cycles.mat', {'architecture': 'plrnn', 'A': np.diag(A16), 'W': W16, 'h': h16.reshape(-1)})

    # SCYFI-speedup's data files: 4 shPLRNNs stacked along the first dimension, the hidden layer
    # named first (W1 L×M, h1 1×L); the variant (plain or clipped) is not in the file.
    L = 5
    rng2 = np.random.default_rng(11)  # its own generator: the fixtures after these keep their values
    W1s = rng2.standard_normal((4, L, 3)).astype(np.float32)
    W2s = rng2.standard_normal((4, 3, L)).astype(np.float32)
    h1s = rng2.standard_normal((1, L)).astype(np.float32)
    h2s = rng2.standard_normal((1, 3)).astype(np.float32)
    As = np.diag(np.array([0.5, 0.4, 0.3], dtype=np.float32))
    savemat('stacked_shplrnn.mat', {'A': As, 'W1': W1s, 'W2': W2s, 'h1': h1s, 'h2': h2s}, False)
    record('stacked_shplrnn.mat', {'architecture': 'clipped-shplrnn', 'A': np.diag(As), 'W1': W2s[2], 'W2': W1s[2], 'h1': h2s.reshape(-1), 'h2': h1s.reshape(-1)},
           options={'architecture': 'clipped-shplrnn', 'model': 2}, error='choose one of the 4')

    # A struct array of results whose first elements are empty (reg-PLRNN's benchmark_results.mat).
    res = np.zeros((1, 5), dtype=[('A', 'O'), ('W', 'O'), ('h', 'O'), ('loss', 'O')])
    Wz = [rng2.standard_normal((2, 2)) for _ in range(5)]
    for w in Wz:
        np.fill_diagonal(w, 0)
    for i in range(5):
        if i < 2:
            res[0, i] = (np.zeros((0, 0)), np.zeros((0, 0)), np.zeros((0, 0)), np.zeros((0, 0)))
        else:
            res[0, i] = (np.diag([0.5, 0.6]), Wz[i], np.array([[0.1], [0.2 * i]]), np.array([[float(i)]]))
    savemat('struct_array_models.mat', {'results': res, 'W0': np.zeros((2, 2))}, True)
    record('struct_array_models.mat', {'architecture': 'plrnn', 'A': np.array([0.5, 0.6]), 'W': Wz[3], 'h': np.array([0.1, 0.2 * 3])},
           options={'model': 1}, error='choose one of the 3')

    # Every class scipy writes, compressed and not.
    classes = {
        'd': rng.standard_normal((2, 3)),
        's': rng.standard_normal((2, 2)).astype(np.float32),
        'i8': np.array([[-128, 0, 127]], dtype=np.int8),
        'u8': np.array([[0, 200, 255]], dtype=np.uint8),
        'i16': np.array([[-32768, 5, 32767]], dtype=np.int16),
        'u16': np.array([[0, 1000, 65535]], dtype=np.uint16),
        'i32': np.array([[-2 ** 31, 7, 2 ** 31 - 1]], dtype=np.int32),
        'u32': np.array([[0, 9, 2 ** 32 - 1]], dtype=np.uint32),
        'i64': np.array([[-2 ** 40, 11, 2 ** 53]], dtype=np.int64),
        'u64': np.array([[0, 13, 2 ** 52 + 1]], dtype=np.uint64),
        'mask': np.array([[True, False], [False, True]]),
        'cube': np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 4,
        'empty': np.zeros((0, 0)),
        'col': np.array([[1.5], [2.5], [3.5]]),
        'scalar': 3.25,
        'flag': True,
        'text': 'hello',
        'rows': np.array(['abc', 'def']),
        'unicode': 'µ-Ω',
        'none': '',
        'sparse': sp.csc_matrix(np.array([[0, 1.5, 0, 0], [2.0, 0, 0, -1.0], [0, 0, 4.0, 0]])),
    }
    savemat('classes.mat', classes, False)
    record('classes.mat')
    savemat('classes_compressed.mat', classes, True)
    record('classes_compressed.mat')

    # Struct arrays, cell arrays, nesting.
    s = np.empty((1, 3), dtype=[('A', 'O'), ('W', 'O')])
    for i in range(3):
        s[0, i] = (np.full((1, 2), i + 1.0), rng.standard_normal((2, 2)))
    c = np.empty((1, 4), dtype=object)
    c[0, 0] = np.arange(6, dtype=np.float64).reshape(2, 3)
    c[0, 1] = 'label'
    c[0, 2] = {'W': np.eye(2), 'k': 4.0}
    inner = np.empty((2, 1), dtype=object)
    inner[0, 0] = np.array([[1.0, 2.0]])
    inner[1, 0] = np.int32(9)
    c[0, 3] = inner
    grid = np.empty((2, 2), dtype=object)
    for i in range(2):
        for j in range(2):
            grid[i, j] = np.array([[10.0 * i + j]])
    nested = {'s': s, 'c': c, 'grid': grid, 'net': {'sub': {'W': rng.standard_normal((3, 2)), 'deep': {'x': np.array([[1.0, 2.0, 3.0]])}}, 'b': 2.0}}
    savemat('nested.mat', nested, True)
    record('nested.mat')
    savemat('nested_uncompressed.mat', nested, False)
    record('nested_uncompressed.mat')

    # Many models in one file: a cell array of 5 structs (snapshots during training).
    snaps = np.empty((1, 5), dtype=object)
    for k in range(5):
        snaps[0, k] = {'A': rng.uniform(0.2, 0.8, (1, 2)), 'W': 0.3 * rng.standard_normal((2, 2)) * (1 - np.eye(2)), 'h': 0.1 * rng.standard_normal((2, 1))}
    savemat('many_models.mat', {'snapshots': snaps, 'epochs': np.array([[100.0, 200.0, 300.0, 400.0, 500.0]])}, True)
    record('many_models.mat')

    # Big endian (scipy writes native order only): plain, struct, cell, char, small elements, compressed.
    be = Mat5(big=True)
    write('big_endian.mat', be.file(
        be.numeric('A', np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), 'double', 'f8'),
        be.numeric('k', np.array([[-3, 0, 300]], dtype=np.int16), 'int16', 'i2'),
        be.numeric('P', np.array([[4.0]]), 'double', 'u1'),
        be.char('name', ['BE model']),
        be.struct_('net', (1, 1), ['W', 'h'], [[be.numeric('', np.array([[0.0, 0.5], [-0.5, 0.0]]), 'double', 'f8'),
                                                be.numeric('', np.array([[0.25], [-0.75]]), 'single', 'f4')]]),
        be.cell('c', (1, 2), [be.numeric('', np.array([[7.0, 8.0]]), 'double', 'i1'), be.char('', ['xy', 'zw'])]),
        be.compressed(be.numeric('cW', np.array([[1.0, -2.0], [3.0, -4.0]]), 'double', 'f8')),
        be.compressed(be.struct_('cs', (1, 2), ['v'], [[be.numeric('', np.array([[1.0]]), 'double', 'f8')], [be.numeric('', np.array([[2.0]]), 'double', 'i2')]])),
    ))
    record('big_endian.mat')

    # What MATLAB itself writes and scipy does not: doubles stored as the smallest integer type
    # that holds them, data in small elements, a single stored wider, logical and sparse arrays,
    # a global, a string object (opaque, skipped) and the unnamed subsystem data (skipped).
    le = Mat5()
    write('stored_types.mat', le.file(
        le.numeric('du8', np.array([[0.0, 17.0, 255.0]]), 'double', 'u1'),
        le.numeric('di16', np.array([[-300.0, 2.0], [7.0, 30000.0]]), 'double', 'i2'),
        le.numeric('di32', np.array([[-70000.0], [1e9]]), 'double', 'i4'),
        le.numeric('du16', np.array([[65535.0, 1.0]]), 'double', 'u2'),
        le.numeric('one', np.array([[5.0]]), 'double', 'u1'),
        le.numeric('pair', np.array([[-1.0, 1.0]]), 'double', 'i1'),
        le.numeric('si8', np.array([[-5.0, 6.0]], dtype=np.float32), 'single', 'i1'),
        le.numeric('sf8', np.array([[0.1, 1.0 / 3.0]]), 'single', 'f8'),
        le.numeric('i64', np.array([[2 ** 40, -2 ** 40]], dtype=np.int64), 'int64', 'i8'),
        le.numeric('lg', np.array([[1, 0, 2]], dtype=np.uint8), 'uint8', 'u1', flags=LOGICAL),
        le.numeric('gl', np.array([[1.0, 2.0]]), 'double', 'f8', flags=GLOBAL),
        le.sparse('spd', np.array([[0.0, 3.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, -2.0, 5.0]])),
        le.sparse('spl', np.array([[True, False], [False, True], [True, True]]), logical=True),
        le.char('chars', ['ab', 'cd', 'ef']),
        le.numeric('cube', np.arange(8, dtype=np.float64).reshape(2, 2, 2), 'double', 'u1'),
        le.opaque('str', 'MCOS', 'string'),
        le.compressed(le.numeric('z8', np.array([[1.0, 2.0, 3.0]]), 'double', 'u1')),
        le.numeric('', np.array([[1, 2, 3, 4]], dtype=np.uint8), 'uint8', 'u1'),
    ))
    record('stored_types.mat', dtypes={'spl': 'bool'})

    # Complex arrays are skipped (listed as such), the rest reads: a model next to its eigenvalues.
    savemat('complex.mat', {'A': np.eye(2), 'z': np.array([[1 + 2j, 3 - 1j]]), 'res': {'ev': np.array([[0.5j, -0.5j]]), 'n': 2.0}}, True)
    record('complex.mat')

    # Refused, with a one-line message naming the variable.
    write('object.mat', le.file(le.numeric('A', np.eye(2), 'double', 'f8'), le.matrix('object', (1, 1), 'obj', le.el(MI['i1'], b'MyModel')
          + le.el(MI['i4'], struct.pack('<i', 32)) + le.el(MI['i1'], b'W'.ljust(32, b'\0')) + le.numeric('', np.eye(2), 'double', 'f8'))))
    record_error('object.mat', "variable 'obj' is a MATLAB object of class 'MyModel'")
    write('classdef.mat', le.file(le.numeric('A', np.eye(2), 'double', 'f8'), le.opaque('model', 'MCOS', 'PLRNNModel')))
    record_error('classdef.mat', "variable 'model' is a MATLAB PLRNNModel object")
    # A v7.3 MAT-file: a 512-byte MATLAB header in front of an HDF5 file (only the start here).
    v73 = b'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Tue Dec  1 12:00:00 2026 HDF5 schema 1.00 .'.ljust(116, b' ')
    v73 += b'\0' * 8 + struct.pack('<H', 0x0200) + b'IM'
    write('v73.mat', v73.ljust(512, b'\0') + b'\x89HDF\r\n\x1a\n' + b'\0' * 56)
    # Its header is v7.3, its HDF5 part only a signature: the HDF5 reader refuses the damaged superblock.
    record_error('v73.mat', 'unsupported sizes of offsets (0) and lengths (0)')

    with open(path('expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write('\n')
    for file in sorted(os.listdir(OUT)):
        print(f'{os.path.getsize(path(file)):6d}  {file}')


if __name__ == '__main__':
    main()
