#!/usr/bin/python3
"""Generates the checkpoint fixtures of test/fixtures/checkpoints/ and expected.json.

Run by hand (not by CI) with Debian's python3-torch and python3-numpy:
    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 scripts/make-fixtures.py
Files are small (KBs). expected.json records, for each file, the tensors it must read as
(name, dtype, shape, values in row-major order as float64) and the model it must map to,
or the error it must end in.
"""
import io
import json
import os
import pickle
import shutil
import struct
import sys
import tempfile
import types
import zipfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures'))
from bson_writer import bson_doc, jl_array, jl_struct, jl_type  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'checkpoints')
expected = {}
torch.manual_seed(3)
rng = np.random.default_rng(3)


def vals(t):
    if isinstance(t, torch.Tensor):
        return t.detach().to(torch.float64).contiguous().reshape(-1).tolist()
    return np.asarray(t, dtype=np.float64).reshape(-1, order='C').tolist()


def dtype_name(t):
    if isinstance(t, torch.Tensor):
        return str(t.dtype).replace('torch.', '')
    return {'f': 'float', 'i': 'int', 'u': 'uint', 'b': 'bool'}[t.dtype.kind] + ('' if t.dtype.kind == 'b' else str(8 * t.dtype.itemsize))


def describe(tensors):
    return {name: {'dtype': dtype_name(t), 'shape': list(t.shape), 'values': vals(t)} for name, t in tensors.items()}


def record(file, fmt, tensors, model=None, error=None, options=None, note=None, exact=False):
    e = {'format': fmt, 'tensors': describe(tensors)}
    if exact:
        e['exact'] = True
    if note is not None:
        e['note'] = note
    if model is not None:
        e['model'] = {k: (v if isinstance(v, (str, int, bool)) else np.asarray(v, dtype=np.float64).tolist()) for k, v in model.items()}
    if error is not None:
        e['error'] = error
    if options is not None:
        e['options'] = options
    expected[file] = e


def path(name):
    return os.path.join(OUT, name)


def r(*shape, dtype=torch.float32):
    # Values with few mantissa bits so that float16/bfloat16 conversions are exact too.
    return (torch.randint(-64, 64, shape).to(torch.float64) / 32).to(dtype)


M, H, B = 3, 4, 2

# --- PyTorch zip and legacy, plain PLRNN naming -------------------------------------------
A, W, h = r(M), r(M, M), r(M)
W.fill_diagonal_(0)
sd = {'A': A, 'W': W, 'h': h}
plrnn_model = {'architecture': 'plrnn', 'A': A, 'W': W, 'h': h}
torch.save(sd, path('plrnn_zip.pt'))
record('plrnn_zip.pt', 'torch-zip', sd, plrnn_model)
torch.save(sd, path('plrnn_legacy.pt'), _use_new_zipfile_serialization=False)
record('plrnn_legacy.pt', 'torch-legacy', sd, plrnn_model)

# Archive root folder of an odd name: torch names it after the file it was saved to.
tmp = tempfile.mkdtemp()
odd = os.path.join(tmp, 'my run (final) v2.pt')
torch.save(sd, odd)
shutil.copy(odd, path('odd_root.pt'))
shutil.rmtree(tmp)
record('odd_root.pt', 'torch-zip', sd, plrnn_model)

# Full A matrix as a plain PLRNN.
Afull = r(M, M)
sd_full = {'A': Afull, 'W': W, 'h': h}
torch.save(sd_full, path('plrnn_full_A.pt'))
record('plrnn_full_A.pt', 'torch-zip', sd_full, {'architecture': 'plrnn', 'A': Afull, 'W': W, 'h': h})

# --- dtypes -----------------------------------------------------------------------------
dt = {
    'f32': r(2, 3),
    'f64': torch.tensor([[0.1, -2.5e-300], [1e300, 3.0]], dtype=torch.float64),
    'f16': torch.tensor([0.1, -65504.0, 6e-8, 1.0 / 3], dtype=torch.float16),
    'bf16': torch.tensor([0.1, -3.0e38, 1.0 / 3, 7.0], dtype=torch.bfloat16),
    'i64': torch.tensor([-(2 ** 40), 5, 2 ** 52], dtype=torch.int64),
    'i32': torch.tensor([[-7, 8], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
    'bool': torch.tensor([True, False, True]),
    'scalar': torch.tensor(2.5),
    'empty': torch.zeros(0, 3),
}
torch.save(dt, path('dtypes_zip.pt'))
record('dtypes_zip.pt', 'torch-zip', dt, error='no PLRNN-family parameters recognised')
torch.save(dt, path('dtypes_legacy.pt'), _use_new_zipfile_serialization=False)
record('dtypes_legacy.pt', 'torch-legacy', dt, error='no PLRNN-family parameters recognised')

# --- non-contiguous views (storage offsets and strides) ---------------------------------------
base = torch.arange(20, dtype=torch.float32).reshape(4, 5) / 4
views = {
    'diag': torch.diagonal(base),            # stride 6 into the whole 4×5 storage
    'transposed': base.t(),                  # strides (1, 5)
    'slice': base[1:, 2:],                   # storage offset 7
    'every_other': base[:, ::2],
    'expanded': torch.tensor([1.5, 2.5]).expand(3, 2),  # stride 0
    'offdiag': torch.diagonal(base, offset=1),
}
torch.save(views, path('views_zip.pt'))
record('views_zip.pt', 'torch-zip', views, error='no PLRNN-family parameters recognised')
torch.save(views, path('views_legacy.pt'), _use_new_zipfile_serialization=False)
record('views_legacy.pt', 'torch-legacy', views, error='no PLRNN-family parameters recognised')

# A PLRNN whose W is a transposed view and whose A is a diagonal view.
AW0 = r(M, M)
view_model_sd = {'A': torch.diagonal(AW0), 'W': AW0.t(), 'h': h}
torch.save(view_model_sd, path('plrnn_views.pt'))
# W has a diagonal: the file cannot tell a PLRNN from an ALRNN, so the reader asks (options: the answer).
record('plrnn_views.pt', 'torch-zip', view_model_sd, {'architecture': 'plrnn', 'A': torch.diagonal(AW0), 'W': AW0.t(), 'h': h},
       error='could be a PLRNN or an ALRNN', options={'architecture': 'plrnn'})

# --- shPLRNN: nested training checkpoint with a real optimizer state -----------------------------
class ShPLRNN(torch.nn.Module):
    def __init__(self, m, hid, names=('W1', 'W2', 'h1', 'h2')):
        super().__init__()
        self.A = torch.nn.Parameter(r(m))
        setattr(self, names[0], torch.nn.Parameter(r(m, hid)))
        setattr(self, names[1], torch.nn.Parameter(r(hid, m)))
        setattr(self, names[2], torch.nn.Parameter(r(m)))
        setattr(self, names[3], torch.nn.Parameter(r(hid)))


net = ShPLRNN(M, H)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss = sum((p ** 2).sum() for p in net.parameters())
loss.backward()
opt.step()
with torch.no_grad():
    for p in net.parameters():
        p.copy_((p * 32).round() / 32)
sh_sd = net.state_dict()
sh_model = {'architecture': 'shplrnn', 'A': sh_sd['A'], 'W1': sh_sd['W1'], 'W2': sh_sd['W2'], 'h1': sh_sd['h1'], 'h2': sh_sd['h2']}
nested = {'model': sh_sd, 'optimizer': opt.state_dict(), 'epoch': 7, 'loss': 0.25, 'args': {'M': M, 'name': 'run'}}
torch.save(nested, path('shplrnn_nested.pt'))
flat = {f'model.{k}': v for k, v in sh_sd.items()}
for k, st in opt.state_dict()['state'].items():
    for kk, v in st.items():
        if isinstance(v, torch.Tensor):
            flat[f'optimizer.state.{k}.{kk}'] = v
record('shplrnn_nested.pt', 'torch-zip', flat, sh_model,
       error='could be a shallow PLRNN or a clipped one', options={'architecture': 'shplrnn'})
torch.save(nested, path('shplrnn_nested_legacy.pt'), _use_new_zipfile_serialization=False)
record('shplrnn_nested_legacy.pt', 'torch-legacy', flat, sh_model,
       error='could be a shallow PLRNN or a clipped one', options={'architecture': 'shplrnn'})

# W₁/W₂/h₁/h₂ spellings (as the Julia code names them), under a DataParallel "module." prefix.
uni = ShPLRNN(M, H, names=('W₁', 'W₂', 'h₁', 'h₂'))
uni_sd = {f'module.{k}': v for k, v in uni.state_dict().items()}
torch.save(uni_sd, path('shplrnn_unicode.pt'))
u = uni.state_dict()
record('shplrnn_unicode.pt', 'torch-zip', uni_sd, {'architecture': 'shplrnn', 'A': u['A'], 'W1': u['W₁'], 'W2': u['W₂'], 'h1': u['h₁'], 'h2': u['h₂']},
       error='could be a shallow PLRNN or a clipped one', options={'architecture': 'shplrnn'})

# --- dendPLRNN (PyTorch code base naming), inside a Lightning checkpoint -------------------------
AW, hd, alphas, thetas = r(M, M), r(M), r(B), r(M, B)
dend_sd = {'model.latent_model.latent_step.AW': AW, 'model.latent_model.latent_step.h': hd,
           'model.latent_model.latent_step.alphas': alphas, 'model.latent_model.latent_step.thetas': thetas,
           'model.obs_model.B': r(2, M)}
Wd = AW.clone()
Wd.fill_diagonal_(0)
# The dendPLRNN code computes relu(n(z) + thetas) (BPTT_TF PLRNN_model.py L236): H = -thetas in the
# JSON format's relu(z - H); its hyperparameters (here the Lightning checkpoint's own) say the variant.
dend_model = {'architecture': 'dendplrnn', 'A': torch.diagonal(AW), 'W': Wd, 'h': hd, 'alpha': alphas, 'H': -thetas,
              'meanCentering': True, 'clip': 10}
lightning = {'epoch': 3, 'global_step': 120, 'pytorch-lightning_version': '2.0.0', 'state_dict': dend_sd,
             'callbacks': {}, 'optimizer_states': [], 'lr_schedulers': [],
             'hyper_parameters': {'dim_z': M, 'n_bases': B, 'latent_model': 'dendr-PLRNN', 'mean_centering': 1, 'clip_range': 10.0}}
torch.save(lightning, path('dendplrnn_lightning.ckpt'))
record('dendplrnn_lightning.ckpt', 'torch-zip', {f'state_dict.{k}': v for k, v in dend_sd.items()}, dend_model)

# Plain PLRNN of the same code base: AW and h only (no bases).
aw_sd = {'latent_model.latent_step.AW': AW, 'latent_model.latent_step.h': hd}
torch.save(aw_sd, path('plrnn_AW.pt'))
# Without the run's hypers.pkl, mean-centring and the clip are unknown: refused; with them, read.
record('plrnn_AW.pt', 'torch-zip', aw_sd, {'architecture': 'plrnn', 'A': torch.diagonal(AW), 'W': Wd, 'h': hd},
       error='mean-centring (mean_centering', options={'hyperparameters': {'mean_centering': 0, 'clip_range': None}})

# --- reg-PLRNN naming: A.weight, W.weight (diagonal ignored), W.bias as h --------------------------
Aw = torch.diag(r(M))
Ww = r(M, M)
Wb = r(M)
reg_sd = {'A.weight': Aw, 'W.weight': Ww, 'W.bias': Wb}
Wreg = Ww.clone()
Wreg.fill_diagonal_(0)
torch.save(reg_sd, path('regplrnn.pt'))
record('regplrnn.pt', 'torch-zip', reg_sd, {'architecture': 'plrnn', 'A': torch.diagonal(Aw), 'W': Wreg, 'h': Wb})

# --- ALRNN: P is not in the file ---------------------------------------------------------------
al_sd = {'alrnn.A': r(M), 'alrnn.W': r(M, M), 'alrnn.h': r(M)}
torch.save(al_sd, path('alrnn.pt'))
record('alrnn.pt', 'torch-zip', al_sd, {'architecture': 'alrnn', 'A': al_sd['alrnn.A'], 'W': al_sd['alrnn.W'], 'h': al_sd['alrnn.h'], 'P': 2},
       error='pass --P', options={'P': 2})

# --- sidecar: names no convention knows ----------------------------------------------------------
cu = {'dyn.diag': r(M), 'dyn.coupling': r(M, M), 'dyn.offset': r(M), 'readout.weight': r(2, M)}
torch.save(cu, path('custom_names.pt'))
with open(path('custom_names.pt.scyfi.json'), 'w') as f:
    json.dump({'architecture': 'plrnn', 'map': {'A': 'dyn.diag', 'W': 'dyn.coupling', 'h': 'dyn.offset'}}, f, indent=2)
record('custom_names.pt', 'torch-zip', cu, {'architecture': 'plrnn', 'A': cu['dyn.diag'], 'W': cu['dyn.coupling'], 'h': cu['dyn.offset']})

# --- a recursive structure next to the parameters --------------------------------------------------
loop = []
loop.append(loop)
rec = {'A': A, 'W': W, 'h': h, 'loop': loop, 'same': {'again': A}}
torch.save(rec, path('recursive.pt'))
record('recursive.pt', 'torch-zip', {'A': A, 'W': W, 'h': h}, plrnn_model)

# --- data-only Python objects next to the weights (NumPy scalars and arrays, Namespace, Path, defaultdict)
import argparse  # noqa: E402
import collections  # noqa: E402
import pathlib  # noqa: E402

extras_ckpt = {'model': sd, 'best_loss': np.float64(0.5), 'history': np.arange(3.0), 'args': argparse.Namespace(lr=0.1, M=3),
               'dir': pathlib.PosixPath('/tmp/run'), 'counts': collections.defaultdict(int, {'a': 1}), 'dtype': torch.float32}
torch.save(extras_ckpt, path('python_extras.pt'))
record('python_extras.pt', 'torch-zip', {f'model.{k}': v for k, v in sd.items()}, plrnn_model)

# --- hostile: a reduce that would call os.system --------------------------------------------------
class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned > /tmp/scyfi-pwned',))


torch.save({'A': A, 'payload': Evil()}, path('evil_system.pt'))
record('evil_system.pt', 'torch-zip', {}, error="pickle refers to global 'posix.system', which is not allowed")
torch.save({'A': A, 'payload': Evil()}, path('evil_system_legacy.pt'), _use_new_zipfile_serialization=False)
record('evil_system_legacy.pt', 'torch-legacy', {}, error="pickle refers to global 'posix.system', which is not allowed")
class PLRNNModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.A, self.W, self.h = torch.nn.Parameter(A.clone()), torch.nn.Parameter(W.clone()), torch.nn.Parameter(h.clone())


PLRNNModule.__module__ = '__main__'
torch.save(PLRNNModule(), path('whole_module.pt'))
record('whole_module.pt', 'torch-zip', {'A': A, 'W': W, 'h': h}, plrnn_model, note="holds a whole '__main__.PLRNNModule' object (torch.save(model))", exact=True)


# A model saved whole inside a dict, with a submodule, a persistent and a non-persistent buffer
# (state_dict() keeps the first and leaves the second out), in the zip and the legacy format,
# and with pickle protocol 1 (objects made through copyreg._reconstructor).
class Readout(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.B = torch.nn.Linear(M, 2)
        self.register_buffer('scale', torch.full((2,), 0.5))
        self.register_buffer('cache', torch.zeros(5), persistent=False)


class WrappedPLRNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.latent = PLRNNModule()
        self.obs = Readout()
        self.hidden_size = M


# pickle looks classes up by module name: a stand-in module `lab.models` holds them, as a lab's package would.
lab_models = types.ModuleType('lab.models')
sys.modules['lab'] = types.ModuleType('lab')
sys.modules['lab.models'] = lab_models
Readout.__module__ = WrappedPLRNN.__module__ = 'lab.models'
lab_models.Readout, lab_models.WrappedPLRNN = Readout, WrappedPLRNN
wrapped = WrappedPLRNN()
whole_sd = wrapped.state_dict()
assert list(whole_sd) == ['latent.A', 'latent.W', 'latent.h', 'obs.scale', 'obs.B.weight', 'obs.B.bias'], list(whole_sd)
for fname, kwargs in [('whole_module_nested.pt', {}), ('whole_module_nested_legacy.pt', {'_use_new_zipfile_serialization': False}),
                      ('whole_module_protocol1.pt', {'pickle_protocol': 1})]:
    torch.save({'model': wrapped, 'epoch': 12}, path(fname), **kwargs)
    record(fname, 'torch-legacy' if 'legacy' in fname else 'torch-zip', {f'model.{k}': v for k, v in whole_sd.items()}, plrnn_model,
           note="holds a whole 'lab.models.WrappedPLRNN' object (torch.save(model))", exact=True)


# An object whose pickle calls a function of its own to rebuild it: still refused, with the hint.
def rebuild_plrnn(a):
    return a


class CustomReduce:
    def __reduce__(self):
        return (rebuild_plrnn, (1,))


rebuild_plrnn.__module__ = CustomReduce.__module__ = 'lab.models'
lab_models.rebuild_plrnn, lab_models.CustomReduce = rebuild_plrnn, CustomReduce
torch.save({'A': A, 'model': CustomReduce()}, path('custom_reduce.pt'))
record('custom_reduce.pt', 'torch-zip', {}, error="pickle refers to global 'lab.models.rebuild_plrnn', which is not allowed")
with open(path('plain.pkl'), 'wb') as f:
    pickle.dump({'A': [1.0, 2.0]}, f, protocol=4)
record('plain.pkl', 'pickle', {}, error='plain pickle file')

# --- Git LFS pointer -----------------------------------------------------------------------------
with open(path('lfs_pointer.pt'), 'w') as f:
    f.write('version https://git-lfs.github.com/spec/v1\n'
            'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 52428800\n')
record('lfs_pointer.pt', 'git-lfs', {}, error='Git LFS pointer; run git lfs pull')

# --- NumPy ---------------------------------------------------------------------------------------
An, Wn, hn = rng.integers(-64, 64, M) / 32, rng.integers(-64, 64, (M, M)) / 32, rng.integers(-64, 64, M) / 32
np.save(path('A.npy'), An.astype('<f4'))
record('A.npy', 'npy', {'A': An.astype('<f4')}, error='no PLRNN-family parameters recognised')
Wf = np.asfortranarray(Wn.astype('<f8'))
np.save(path('W_fortran.npy'), Wf)
record('W_fortran.npy', 'npy', {'W_fortran': Wf}, error='no PLRNN-family parameters recognised')
big = np.asfortranarray(rng.integers(-64, 64, (2, 3)).astype('>f4') / 8)
np.save(path('big_endian_fortran.npy'), big)
record('big_endian_fortran.npy', 'npy', {'big_endian_fortran': big}, error='no PLRNN-family parameters recognised')
ints = np.array([[1, -2, 3]], dtype='>i8')
np.save(path('big_endian_int.npy'), ints)
record('big_endian_int.npy', 'npy', {'big_endian_int': ints}, error='no PLRNN-family parameters recognised')
np.savez(path('plrnn_stored.npz'), A=An, W=np.asfortranarray(Wn), h=hn.astype('>f8'))
record('plrnn_stored.npz', 'npz', {'A': An, 'W': Wn, 'h': hn}, {'architecture': 'plrnn', 'A': An, 'W': Wn, 'h': hn},
       error='could be a PLRNN or an ALRNN', options={'architecture': 'plrnn'})
shn = {k: v.detach().numpy() for k, v in sh_sd.items()}
np.savez_compressed(path('shplrnn_deflated.npz'), **shn)
record('shplrnn_deflated.npz', 'npz', shn, {'architecture': 'shplrnn', **{k: shn[k] for k in ['A', 'W1', 'W2', 'h1', 'h2']}},
       error='could be a shallow PLRNN or a clipped one', options={'architecture': 'shplrnn'})

# --- safetensors (written by hand: 8-byte header length, JSON header, data) -------------------------
def save_safetensors(fname, tensors):
    codes = {torch.float32: 'F32', torch.float64: 'F64', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64',
             torch.int32: 'I32', torch.bool: 'BOOL'}
    header, blobs, off = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': codes[t.dtype], 'shape': list(t.shape), 'data_offsets': [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header).encode()
    hb += b' ' * (-len(hb) % 8)
    with open(path(fname), 'wb') as f:
        f.write(struct.pack('<Q', len(hb)) + hb + b''.join(blobs))


st = {'W1': sh_sd['W1'], 'W2': sh_sd['W2'].to(torch.float64), 'A': sh_sd['A'].to(torch.bfloat16), 'h1': sh_sd['h1'].to(torch.float16), 'h2': sh_sd['h2'],
      'extra.count': torch.tensor([1, 2], dtype=torch.int64), 'extra.mask': torch.tensor([True, False])}
save_safetensors('shplrnn.safetensors', st)
record('shplrnn.safetensors', 'safetensors', st, sh_model,
       error='could be a shallow PLRNN or a clipped one', options={'architecture': 'shplrnn'})

# --- Julia BSON, as BSON.jl writes it (no Julia here: the bytes are written following BSON.jl's
# layout: tagged documents for arrays, structs, datatypes, tuples and back-references) ------------
def save_bson(fname, doc):
    with open(path(fname), 'wb') as f:
        f.write(bson_doc(doc))


f32 = lambda t: t.detach().numpy().astype(np.float32)  # noqa: E731
vec_t = jl_type('Core', 'Array', params=[jl_type('Core', 'Float32'), 1])
mat_t = jl_type('Core', 'Array', params=[jl_type('Core', 'Float32'), 2])

jA, jW, jh = f32(A), f32(W), f32(h)
save_bson('plrnn.bson', {'model': jl_struct('PLRNN', [jl_array(jA), jl_array(jW), jl_array(jh), None], [vec_t, mat_t]),
                         'epoch': 1000})
record('plrnn.bson', 'bson', {'model.A': jA, 'model.W': jW, 'model.h': jh}, plrnn_model)

# shPLRNN with an optimizer state beside it, a 3-D array (column-major order matters) and dtypes.
sh = {k: f32(v) for k, v in sh_sd.items()}
cube = (np.arange(24).reshape(2, 3, 4) / 8).astype(np.float64)
opt_state = {'tag': 'struct', 'type': jl_type('Flux', 'Optimise', 'Adam'),
             'data': [0.001, {'tag': 'tuple', 'data': [0.9, 0.999]}, 1e-8, {'tag': 'struct', 'type': jl_type('Base', 'IdDict', params=[jl_type('Core', 'Any'), jl_type('Core', 'Any')]), 'data': [[], 0, 0]}]}
extras = {'cube': cube, 'counts': np.array([3, -4], dtype=np.int64), 'half': np.array([[0.5, -1.25]], dtype=np.float16), 'mask': np.array([True, False, True])}
save_bson('shplrnn.bson', {
    'model': jl_struct('shallowPLRNN', [jl_array(sh['A']), jl_array(sh['W1']), jl_array(sh['W2']), jl_array(sh['h1']), jl_array(sh['h2']), None], [vec_t, mat_t]),
    'opt': opt_state,
    'extras': {k: jl_array(v) for k, v in extras.items()},
    'name': 'run 1',
})
record('shplrnn.bson', 'bson', {'model.A': sh['A'], 'model.W₁': sh['W1'], 'model.W₂': sh['W2'], 'model.h₁': sh['h1'], 'model.h₂': sh['h2'],
                                **{f'extras.{k}': v for k, v in extras.items()}}, sh_model)

# clippedShallowPLRNN: the struct type decides the architecture.
save_bson('clipped_shplrnn.bson', {'model': jl_struct('clippedShallowPLRNN', [jl_array(sh['A']), jl_array(sh['W1']), jl_array(sh['W2']), jl_array(sh['h1']), jl_array(sh['h2']), None], [vec_t, mat_t])})
record('clipped_shplrnn.bson', 'bson', {'model.A': sh['A'], 'model.W₁': sh['W1']}, {**sh_model, 'architecture': 'clipped-shplrnn'})

# dendPLRNN saved twice under two keys (the same object): BSON.jl writes it once into
# `_backrefs` and refers to it by {tag: "backref", ref: 1} from both places.
dA, dWfull, dh, da, dH = f32(torch.diagonal(AW)), f32(Wd), f32(hd), f32(alphas), f32(thetas)
dend_struct = jl_struct('dendPLRNN', [jl_array(dA), jl_array(dWfull), jl_array(dh), jl_array(da), jl_array(dH), None], [vec_t, mat_t])
save_bson('dendplrnn_backref.bson', {'model': {'tag': 'backref', 'ref': 1}, 'best_model': {'tag': 'backref', 'ref': 1}, '_backrefs': [dend_struct]})
# The Julia dendPLRNN computes relu.(z .- H) (GTF-shPLRNN src/models/dendritic_plrnn.jl L66): H as stored.
record('dendplrnn_backref.bson', 'bson', {'model.A': dA, 'model.W': dWfull, 'model.h': dh, 'model.α': da, 'model.H': dH},
       {'architecture': 'dendplrnn', 'A': dA, 'W': dWfull, 'h': dh, 'alpha': da, 'H': dH})

with open(path('expected.json'), 'w') as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
print(f'{len(expected)} fixtures in {os.path.normpath(OUT)}')
