#!/usr/bin/python3
"""Generates test/fixtures/codebases/<case>/: checkpoints laid out as the DurstewitzLab code bases
write them, with the hyper-parameter files they write beside them, and forward.json.

Run by hand (not by CI) with Debian's python3-torch and python3-numpy:
    /usr/bin/python3 scripts/make-codebase-fixtures.py
The model classes are the mirrors in scripts/fixtures/codebase_models.py (own code, written from
reading the originals; see /work/notes/pytorch-conventions.md for the citations).

forward.json holds 40 latent states z (float64) and the image of each under one step of the
mirror's forward pass, computed in float64 from the float32 parameters exactly as saved in the
checkpoint (cast to float64). For DynaMix: one list per expert (the gated mixture is not one
piecewise-affine map). Tensors are saved in float32, as the originals save them.
"""
import copy
import json
import os
import pickle
import shutil
import struct
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'fixtures'))
import codebase_models as cm  # noqa: E402
from safetensors_writer import save_safetensors  # noqa: E402

OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'codebases')
N_STATES = 40
torch.manual_seed(0)
readme = []


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------
def case_dir(case):
    d = os.path.join(OUT, case)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def fill(module, values):
    """Sets the module's parameters from float64 arrays (stored as float32, like the originals)."""
    sd = module.state_dict()
    unknown = set(values) - set(sd)
    assert not unknown, unknown
    with torch.no_grad():
        for k, v in values.items():
            t = torch.as_tensor(np.asarray(v, dtype=np.float64)).to(torch.float32)
            assert tuple(t.shape) == tuple(sd[k].shape), (k, t.shape, sd[k].shape)
            sd[k].copy_(t)
    return module


def shapes(module):
    return {k: list(v.shape) for k, v in module.state_dict().items()}


def make_states(rng, M):
    """40 states: 16 of unit scale, 8 at 2.5, 8 scaled 5-10, 8 scaled 10-20."""
    z = rng.standard_normal((N_STATES, M))
    scale = np.concatenate([np.ones(16), np.full(8, 2.5), rng.uniform(5, 10, 8), rng.uniform(10, 20, 8)])
    return z * scale[:, None]


def run64(module, fn, states):
    """fn(module64, z64) with the module's float32 parameters cast to float64."""
    m = copy.deepcopy(module).double()
    with torch.no_grad():
        out = fn(m, torch.tensor(states, dtype=torch.float64))
    return out.numpy()


def centred(z, on):
    return z - z.mean(axis=1, keepdims=True) if on else z


def check_regions(pre, what):
    """Every ReLU argument (column of pre) must take both signs over the states."""
    pre = np.asarray(pre).reshape(N_STATES, -1)
    pos, neg = (pre > 0).any(0), (pre < 0).any(0)
    assert pos.all() and neg.all(), f'{what}: ReLU units not exercised: on {pos}, off {neg}'


def check_clip(nxt, r, what):
    hit = (np.abs(nxt) == r).any(1)
    assert hit.any() and not hit.all(), f'{what}: clip at {r} active for {hit.sum()} of {len(hit)} states'
    return int(hit.sum())


def check_no_clip_value(nxt, r, what):
    """The clip is not applied: some |z'| must exceed r, proving the image is unclipped."""
    assert (np.abs(nxt) > r).any(), f'{what}: no |z\'| above {r}; the fixture would not show the missing clip'


def write_hypers(d, args):
    """hypers.txt ('key value' lines) and hypers.pkl (pickle of the args dict), as save_args
    writes them (BPTT_TF/utils.py L143-158; same in ChaosRNN, MTF and VI)."""
    with open(os.path.join(d, 'hypers.txt'), 'w') as f:
        f.write(''.join('{} {}\n'.format(k, v) for k, v in args.items()))
    with open(os.path.join(d, 'hypers.pkl'), 'wb') as f:
        pickle.dump(args, f)


def write_forward(d, case, code_base, checkpoint, description, latent, states=None, nxt=None, experts=None, **extra):
    doc = {'case': case, 'codeBase': code_base, 'checkpoint': checkpoint, 'description': description}
    if latent is not None:
        doc['latent'] = latent
    doc.update(extra)
    if states is not None:
        doc['states'] = np.asarray(states, dtype=np.float64).tolist()
    if nxt is not None:
        doc['next'] = np.asarray(nxt, dtype=np.float64).tolist()
    if experts is not None:
        doc['experts'] = [{'expert': j, 'next': np.asarray(n, dtype=np.float64).tolist()} for j, n in experts]
    with open(os.path.join(d, 'forward.json'), 'w') as f:
        f.write(dump_json(doc) + '\n')
    files = sorted(os.path.relpath(os.path.join(r, x), d) for r, _, fs in os.walk(d) for x in fs)
    readme.append((case, files, description))


def dump_json(v, ind=''):
    """JSON with one vector per line: lists of numbers inline, other containers indented."""
    if isinstance(v, dict):
        if not v:
            return '{}'
        inner = ind + ' '
        return '{\n' + ',\n'.join(f'{inner}{json.dumps(k)}: {dump_json(x, inner)}' for k, x in v.items()) + '\n' + ind + '}'
    if isinstance(v, list) and v and not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        inner = ind + ' '
        return '[\n' + ',\n'.join(inner + dump_json(x, inner) for x in v) + '\n' + ind + ']'
    return json.dumps(v)


def offdiag(rng, M, s):
    W = rng.normal(0, s, (M, M))
    np.fill_diagonal(W, 0)
    return W


def AW_matrix(rng, M, diag_lo=0.4, diag_hi=0.95, s=0.6):
    return offdiag(rng, M, s) + np.diag(rng.uniform(diag_lo, diag_hi, M))


# ------------------------------------------------------------------------------------------------
# argparse defaults, transcribed as data (dest, default) in the parsers' order
# ------------------------------------------------------------------------------------------------
def bptt_args(**over):
    """dendPLRNN BPTT_TF/main.py L11-190 defaults; dim_x appended by utils.load_dataset (L120)."""
    a = dict(experiment='example', name='Lorenz63', run=None, use_gpu=0, device_id=0, no_printing=True, use_tb=True,
             metrics=['mse', 'pse', 'klx'], data_path='examples/Lorenz63/lorenz.npy', inputs_path=None,
             load_model_path=None, resume_epoch=None, fix_obs_model=1, dim_z=15, n_bases=5, clip_range=10,
             model='PLRNN', latent_model='PLRNN', mean_centering=1, learn_z0=1, use_inv_tf=0, estimate_forcing=0,
             noise_level=0.05, teacher_forcing_interval=15, batch_size=16, batches_per_epoch=50, seq_len=200,
             save_step=25, save_img_step=25, learning_rate=1e-3, n_epochs=5000, gradient_clipping=10, use_reg=0,
             reg_ratios=[0.5], reg_alphas=[1e-2], reg_norm='l2')
    dim_x = over.pop('dim_x')
    for k, v in over.items():
        assert k in a, k
        a[k] = v
    a['dim_x'] = dim_x
    return a


def chaos_args(**over):
    """ChaosRNN main.py L12-62 defaults; dim_x appended by utils.load_dataset (L71)."""
    a = dict(experiment='GradientTests', name='Lorenz', run=None, no_printing=True, use_tb=True, metrics=['klx'],
             data_path='datasets/Lorenz/lorenz_data_chaos.npy', inputs_path=None, load_model_path=None, dim_z=30,
             n_bases=1, clip_range=None, model='PLRNN', latent_model='PLRNN', layer_norm=0, windowing=0, random=0,
             deltaTau=10, n_interleave=30, batch_size=32, batches_per_epoch=10, seq_len=100, fix_obs_model=False,
             gradient_clipping=None, learning_rate=1e-3, n_epochs=3000, use_reg=False, reg_ratios=[.3],
             reg_alphas=[.5], reg_norm='l2')
    dim_x = over.pop('dim_x')
    for k, v in over.items():
        assert k in a, k
        a[k] = v
    a['dim_x'] = dim_x
    return a


def mtf_args(**over):
    """MTF main.py L11-240 defaults (dynsys 'lorenz'); dim_g, dim_o, dim_p, number_of_sequences,
    dim_s set by utils.load_dataset_multimodal (L172-227)."""
    a = dict(experiment='example', name='Lorenz63', run=None, use_gpu=0, device_id=0, no_printing=True, use_tb=True,
             gaussian_data_path='datasets/lorenz/lorenz_multimodal_gaussian_dt0.05_train.npy',
             ordinal_data_path='datasets/lorenz//lorenz_multimodal_ordinal_dt0.05_train.npy',
             poisson_data_path='datasets/lorenz/lorenz_multimodal_poisson_dt0.05_train.npy', inputs_path=None,
             experimental_dataset=0, use_gaussian=1, gaussian_observation_noise=0.0, use_ordinal=1,
             scale_ordinal_data=7, ordinal_scaling=1.0, ordinal_dimension=0, use_poisson=1, poisson_scaling=1.0,
             preprocessing=0, kernel_width_preprocessing=10, T_max=10000, enc_model='CNN',
             dec_model_gaussian='Linear', dec_model_ordinal='cumulative_link', dec_model_poisson='poisson',
             alpha_latent=1.0, alpha_rec=1.0, alpha_obs=1.0, estimate_noise_covariances=0, rec_annealing=0,
             train_svae=0, sample_rec=1, train_multiple_shooting=0, number_of_sequences=500, reg_z0=1.,
             load_model_path=None, resume_epoch=None, dim_z=20, n_bases=5, dim_forcing=15, n_interleave=15,
             clip_range=10, model='PLRNN', latent_model='clipped-PLRNN', layer_norm=1, learn_z0=0, use_inv_tf=0,
             estimate_forcing=0, batch_size=16, batches_per_epoch=25, seq_len=300, save_step=2, save_img_step=2,
             fix_obs_model=1, learning_rate=1e-3, n_epochs=5000, gradient_clipping=5, gaussian_noise_level=0.01,
             use_reg=0, reg_ratios=[0.5], reg_alphas=[1e-2], reg_norm='l2')
    late = {k: over.pop(k) for k in ('dim_g', 'dim_o', 'dim_p', 'dim_s')}
    for k, v in over.items():
        assert k in a, k
        a[k] = v
    a['dim_g'], a['dim_o'], a['dim_p'] = late['dim_g'], late['dim_o'], late['dim_p']
    a['number_of_sequences'] = over.get('number_of_sequences', a['number_of_sequences'])
    a['dim_s'] = late['dim_s']
    return a


def vi_args(**over):
    """dendPLRNN VI/main.py L10-43 defaults; dim_x, dim_s appended by utils.load_dataset (L63-73)."""
    a = dict(experiment='test', name='lorenz', run=None, no_printing=True, use_tb=True, metrics=['mse, klz, pse'],
             data_path='C:/Users/manub/Code/Datasets/Lorenz/lorenz_pn.01_on.01_train.npy', inputs_path=None,
             load_model_path=None, fix_observation_model=False, rec_model='dc', dim_z=20, n_bases=35, clip_range=10,
             learning_rate=1e-3, n_epochs=200, annealing=None, annealing_step_size=1, gradient_clipping=1.,
             reg_ratios=[1.], reg_alphas=[.1])
    late = {k: over.pop(k) for k in ('dim_x', 'dim_s')}
    for k, v in over.items():
        assert k in a, k
        a[k] = v
    a.update(late)
    return a


def dynamix_config(**over):
    """vars(args) of DynaMix-python src/dynamix/training/training_setup.py L56-142 with the defaults of
    training/settings/defaults.json, as create_checkpoint_directories writes it (utilities.py L34-38)."""
    a = dict(latent_dim=30, hidden_dim=50, experts=10, pwl_units=2, expert_type='almost_linear_rnn',
             probabilistic_expert=False, batch_size=16, epochs=2000, alpha=1.0, n_interleave=10, start_lr=4e-3,
             end_lr=1e-5, batches_per_epoch=50, ssi=25, noise_level=0.05, reg_strength=0.1, n_bins=30,
             ps_smoothing=20, mase_steps=10, threads=4, seed=8, device='cpu', gpu_id=0, data_path='/path/to/data.npy',
             context_path='/path/to/context.npy', test_path='/path/to/testdata.npy',
             save_path='results/DynaMix-default')
    for k, v in over.items():
        assert k in a, k
        a[k] = v
    return a


# ------------------------------------------------------------------------------------------------
# dendPLRNN / BPTT_TF
# ------------------------------------------------------------------------------------------------
BPTT_CODE = 'DurstewitzLab/dendPLRNN BPTT_TF/bptt/PLRNN_model.py'


def bptt_values(model, rng, M, B, dx, theta_range=2.5):
    a = model.args
    v = {'latent_model.latent_step.AW': AW_matrix(rng, M), 'latent_model.latent_step.h': rng.normal(0, 0.5, M)}
    if a['latent_model'] != 'PLRNN':
        v['latent_model.latent_step.thetas'] = rng.uniform(-theta_range, theta_range, (M, B))
        v['latent_model.latent_step.alphas'] = rng.normal(0, 1.0, B)
    if not a['fix_obs_model']:
        v['output_layer.weight'] = rng.normal(0, 0.5, (dx, M))
    if model.z0_model is not None:
        v['z0_model.MLP.weight'] = rng.normal(0, 0.5, (M - dx, dx))
    return v


def bptt_pre(model, Z):
    """Arguments of every ReLU of the BPTT_TF step at the states Z (for the coverage checks)."""
    a, st = model.args, model.latent_model.latent_step
    zc = centred(Z, a['mean_centering'])
    if a['latent_model'] == 'PLRNN':
        return zc
    th = st.thetas.detach().double().numpy()
    pre = (zc[:, :, None] + th).reshape(N_STATES, -1)
    return np.concatenate([pre, zc], 1) if a['latent_model'] == 'clipped-PLRNN' else pre


def bptt_case(case, args, epoch, rng, description, hypers=True, extra_latent=None):
    d = case_dir(case)
    M, B, dx = args['dim_z'], args['n_bases'], args['dim_x']
    model = cm.BpttModel(args)
    fill(model, bptt_values(model, rng, M, B, dx))
    ckpt = f'model_{epoch}.pt'
    torch.save(model.state_dict(), os.path.join(d, ckpt))
    if hypers:
        write_hypers(d, args)
    Z = make_states(rng, M)
    nxt = run64(model, lambda m, z: m.latent_model.step(z), Z)
    check_regions(bptt_pre(model, Z), case)
    lm = args['latent_model']
    clipped = lm != 'clipped-PLRNN' and args['clip_range'] is not None
    if clipped:
        check_clip(nxt, args['clip_range'], case)
    else:
        check_no_clip_value(nxt, 10, case)
    latent = {'latent_model': lm, 'mean_centering': int(args['mean_centering']),
              'clip_range': args['clip_range'] if clipped else None, 'M': M, 'dim_x': dx}
    if lm != 'PLRNN':
        latent['n_bases'] = B
        latent['threshold_sign'] = '+theta: relu(n(z) + thetas)'
    latent['formula'] = {
        'PLRNN': "z' = clip(a*z + W relu(n(z)) + h), a = diag(AW), W = AW with zero diagonal",
        'dendr-PLRNN': "z'_i = clip(a_i z_i + sum_m W_im sum_b alphas_b relu(n(z)_m + thetas_mb) + h_i)",
        'clipped-PLRNN': "z'_i = a_i z_i + sum_m W_im sum_b alphas_b [relu(n(z)_m + thetas_mb) - relu(n(z)_m)] + h_i (no clip)",
    }[lm]
    latent['n(z)'] = 'z - mean(z) over the M units' if args['mean_centering'] else 'z'
    latent['notDynamics'] = [k for k in model.state_dict() if not k.startswith('latent_model.')]
    if extra_latent:
        latent.update(extra_latent)
    write_forward(d, case, BPTT_CODE, ckpt, description, latent, Z, nxt)
    return model


bptt_case('bptt-dendr-mc',
          bptt_args(latent_model='dendr-PLRNN', dim_z=4, n_bases=3, n_epochs=1000, dim_x=3),
          1000, np.random.default_rng(101),
          'BPTT_TF dendr-PLRNN (PLRNN_Basis_Step), mean_centering 1, clip_range 10 (int, the argparse default, '
          'applied), M=4, B=3, dx=3; fixed [I 0] output layer and learned z0 MLP saved too. '
          'Run as `python main.py --latent_model dendr-PLRNN --dim_z 4 --n_bases 3 --n_epochs 1000`.')

bptt_case('bptt-clipped',
          bptt_args(experiment='Lorenz63', name='M04B03tau25T200', run=1,
                    data_path='Experiments/Table1/Lorenz63/data/lorenz63_train.npy', dim_z=4, n_bases=3,
                    fix_obs_model=1, mean_centering=0, learn_z0=1, n_epochs=5000, teacher_forcing_interval=25,
                    seq_len=200, latent_model='clipped-PLRNN', learning_rate=0.001, gradient_clipping=10, dim_x=3),
          5000, np.random.default_rng(102),
          'BPTT_TF clipped-PLRNN (PLRNN_Clipping_Step), mean_centering 0, M=4, B=3: the paper\'s Table 1 setting '
          '(Experiments/Table1/Lorenz63/ubermain.py with M, B shrunk). hypers say clip_range 10 but the clipped '
          'step never clips; some next states exceed 10.')

bptt_case('bptt-plrnn-mc',
          bptt_args(dim_z=4, clip_range=10.0, n_epochs=500, dim_x=3),
          500, np.random.default_rng(103),
          'BPTT_TF vanilla PLRNN (PLRNN_Step): keys AW and h only, mean_centering 1, clip_range 10.0 (float, passed '
          'on the command line, applied). hypers keep n_bases 5, which PLRNN ignores.')

bptt_case('bptt-dendr-no-hypers',
          bptt_args(latent_model='dendr-PLRNN', dim_z=5, n_bases=2, fix_obs_model=0, learn_z0=0, dim_x=2),
          5000, np.random.default_rng(104),
          'BPTT_TF dendr-PLRNN checkpoint with NO hypers.pkl/hypers.txt beside it: keys thetas/alphas are the same '
          'as clipped-PLRNN\'s, so the variant, mean-centring and clip cannot be read from the file. Truth: '
          'dendr-PLRNN, mean_centering 1, clip_range 10, M=5, B=2, dx=2, learned output layer, no z0 model.',
          hypers=False, extra_latent={'hyperparameterFiles': None})

# bptt-lightning-hypers: skipped. No DurstewitzLab PyTorch code base (dendPLRNN, ChaosRNN, MTF, DynaMix-python,
# ALRNN-DSR) uses PyTorch Lightning (`git grep -i lightning` finds nothing), so there is no such layout to mirror.

# ------------------------------------------------------------------------------------------------
# ChaosRNN
# ------------------------------------------------------------------------------------------------
CHAOS_CODE = 'DurstewitzLab/ChaosRNN bptt/PLRNN_model.py'


def chaos_case(case, args, epoch, rng, description):
    d = case_dir(case)
    M, B, dx = args['dim_z'], args['n_bases'], args['dim_x']
    lm = args['latent_model']
    obs = nn.Linear(M, dx, bias=False)
    model = cm.ChaosPLRNN(dx, M, B, clip_range=args['clip_range'], latent_model=lm, layer_norm=args['layer_norm'],
                          obs_model=obs)
    v = {'obs_model.weight': rng.normal(0, 0.5, (dx, M)), 'latent_step.AW': AW_matrix(rng, M),
         'latent_step.h': rng.normal(0, 0.5, M)}
    if lm == 'clipped-PLRNN':
        v['latent_step.thetas'] = rng.uniform(-2.5, 2.5, (M, B))
        v['latent_step.alphas'] = rng.normal(0, 1.0, B)
    fill(model, v)
    ckpt = f'model_{epoch}.pt'
    torch.save(model.state_dict(), os.path.join(d, ckpt))  # saving.py L38: model.latent_model.state_dict()
    write_hypers(d, args)
    Z = make_states(rng, M)
    nxt = run64(model, lambda m, z: m.step(z), Z)
    zc = centred(Z, args['layer_norm'] == 1)
    if lm == 'PLRNN':
        check_regions(zc, case)
    else:
        th = model.latent_step.thetas.detach().double().numpy()
        check_regions(np.concatenate([(zc[:, :, None] + th).reshape(N_STATES, -1), zc], 1), case)
    check_no_clip_value(nxt, args['clip_range'] or 10, case)
    latent = {'latent_model': lm, 'mean_centering': int(args['layer_norm'] == 1), 'mean_centering_key': 'layer_norm',
              'clip_range': None, 'clip_range_in_hypers': args['clip_range'], 'M': M, 'dim_x': dx}
    if lm != 'PLRNN':
        latent['n_bases'] = B
        latent['threshold_sign'] = '+theta: relu(n(z) + thetas)'
    latent['formula'] = ("z' = a*z + W relu(n(z)) + h (no clip in ChaosRNN's PLRNN_Step)" if lm == 'PLRNN' else
                         "z'_i = a_i z_i + sum_m W_im sum_b alphas_b [relu(n(z)_m + thetas_mb) - relu(n(z)_m)] + h_i (no clip)")
    latent['n(z)'] = 'z - mean(z) over the M units' if args['layer_norm'] == 1 else 'z'
    latent['notDynamics'] = ['obs_model.weight']
    write_forward(d, case, CHAOS_CODE, ckpt, description, latent, Z, nxt)


chaos_case('chaosrnn-clipped',
           chaos_args(dim_z=4, n_bases=3, latent_model='clipped-PLRNN', layer_norm=1, dim_x=3),
           3000, np.random.default_rng(201),
           'ChaosRNN clipped-PLRNN, layer_norm 1 (mean-centring), M=4, B=3, clip_range None. The file is '
           'model.latent_model.state_dict(): keys without the latent_model. prefix, obs_model.weight first.')

chaos_case('chaosrnn-plrnn',
           chaos_args(dim_z=4, clip_range=5.0, layer_norm=0, n_epochs=3000, dim_x=3),
           600, np.random.default_rng(202),
           'ChaosRNN vanilla PLRNN, layer_norm 0, M=4. hypers say clip_range 5.0 but ChaosRNN\'s PLRNN_Step never '
           'clips (PLRNN_model.py L181-188): next states beyond 5 are correct. Checkpoint of epoch 600 '
           '(= n_epochs/5).')

# ------------------------------------------------------------------------------------------------
# MTF
# ------------------------------------------------------------------------------------------------
MTF_CODE = 'DurstewitzLab/MTF bptt/PLRNN_model.py'


def mtf_case(case, args, epoch, rng, description):
    d = case_dir(case)
    M, B, df, dg = args['dim_z'], args['n_bases'], args['dim_forcing'], args['dim_g']
    model = cm.MtfModel(args)
    v = {'latent_model.latent_step.AW': AW_matrix(rng, M), 'latent_model.latent_step.h': rng.normal(0, 0.5, M),
         'latent_model.latent_step.thetas': rng.uniform(-2.5, 2.5, (M, B)),
         'latent_model.latent_step.alphas': rng.normal(0, 1.0, B)}
    for k, t in model.state_dict().items():
        if k.startswith('E.') or (k.startswith('D_gaussian.') and not k.endswith('R_x')):
            v[k] = rng.normal(0, 0.2, tuple(t.shape))
    fill(model, v)
    ckpt = f'model_{epoch}.pt'
    torch.save(model.state_dict(), os.path.join(d, ckpt))
    write_hypers(d, args)
    Z = make_states(rng, M)
    nxt = run64(model, lambda m, z: m.latent_model.step(z, None), Z)
    zc = centred(Z, args['layer_norm'])
    th = model.latent_model.latent_step.thetas.detach().double().numpy()
    check_regions(np.concatenate([(zc[:, :, None] + th).reshape(N_STATES, -1), zc], 1), case)
    check_no_clip_value(nxt, args['clip_range'], case)
    latent = {'latent_model': 'clipped-PLRNN', 'mean_centering': int(args['layer_norm']), 'mean_centering_key': 'layer_norm',
              'clip_range': None, 'clip_range_in_hypers': args['clip_range'], 'M': M, 'n_bases': B,
              'dim_forcing': df, 'dim_s': args['dim_s'], 'threshold_sign': '+theta: relu(n(z) + thetas)',
              'formula': "z'_i = a_i z_i + sum_m W_im sum_b alphas_b [relu(n(z)_m + thetas_mb) - relu(n(z)_m)] + h_i + (C s)_i (no clip; C is (M, 0): no inputs)",
              'n(z)': 'z - mean(z) over the M units',
              'notDynamics': [k for k in model.state_dict() if not k.startswith('latent_model.')]}
    write_forward(d, case, MTF_CODE, ckpt, description, latent, Z, nxt)


mtf_case('mtf-clipped',
         mtf_args(use_ordinal=0, use_poisson=0, dim_z=4, n_bases=3, dim_forcing=3, n_epochs=1000,
                  dim_g=3, dim_o=0, dim_p=0, dim_s=0, number_of_sequences=33),
         1000, np.random.default_rng(301),
         'MTF clipped-PLRNN (the default latent model) with layer_norm 1 (mean-centring), M=4, B=3, Gaussian-only '
         'data (dim_g 3). No inputs, so dim_s is 0 and latent_model.latent_step.C is saved with shape (4, 0). Extra '
         'keys: output_layer (fixed [I 0]), E.* (CNN encoder) and D_gaussian.* (linear decoder with R_x).')

# ------------------------------------------------------------------------------------------------
# dendPLRNN / VI
# ------------------------------------------------------------------------------------------------
VI_CODE = 'DurstewitzLab/dendPLRNN VI/sgvb/generative_model.py'


def vi_case(case, args, epoch, n_trials, rng, description):
    d = case_dir(case)
    M, B, dx = args['dim_z'], args['n_bases'], args['dim_x']
    model = cm.ViPLRNN(dx, M, args['dim_s'], B, n_batches=n_trials, clip_range=args['clip_range'])
    v = {'R_x': rng.uniform(0.2, 1.0, dx), 'R_z': rng.uniform(0.2, 1.0, M), 'R_z0': rng.uniform(0.2, 1.0, M),
         'z0': rng.normal(0, 1, (n_trials, M)), 'latent_step.AW': AW_matrix(rng, M),
         'latent_step.h': rng.normal(0, 0.5, M), 'observation.B': rng.normal(0, 0.5, (M, dx))}
    if B:
        v['latent_step.thetas'] = rng.uniform(-3, 3, (M, B))
        v['latent_step.alphas'] = rng.normal(0, 1.0, B)
    fill(model, v)
    rec = cm.ViDiagonalCovariance(dx, M)
    fill(rec, {'w_filter': [0.1], 'mean.weight': rng.normal(0, 0.5, (M, dx)), 'logvar.weight': rng.normal(0, 0.5, (M, dx)),
               'logvar.bias': rng.normal(0, 0.5, M)})
    ckpt = f'gen_model_{epoch}.pt'
    torch.save(rec.state_dict(), os.path.join(d, f'rec_model_{epoch}.pt'))  # saving.py L40
    torch.save(model.state_dict(), os.path.join(d, ckpt))  # saving.py L41
    write_hypers(d, args)
    Z = make_states(rng, M)
    nxt = run64(model, lambda m, z: m.step(z), Z)
    if B:
        u = Z[:, :, None] - model.latent_step.thetas.detach().double().numpy()
        check_regions(np.concatenate([u.reshape(N_STATES, -1), (u + 5).reshape(N_STATES, -1)], 1), case)
        check_no_clip_value(nxt, args['clip_range'], case)
        latent = {'latent_model': 'PLRNN_Clipping_Step', 'n_bases': B, 'M': M, 'dim_x': dx, 'clip_range': None,
                  'clip_range_in_hypers': args['clip_range'], 'mean_centering': 0, 'leaky_relu_slope': 0.18,
                  'clipping_kappa': 5, 'threshold_sign': '-theta: phi(z - thetas)',
                  'formula': "z'_i = a_i z_i + sum_m W_im sum_b alphas_b [phi(z_m - thetas_mb) - phi(z_m - thetas_mb + clipping_mb)] + h_i, phi = LeakyReLU(0.18), clipping = 5 (no clip)"}
    else:
        check_regions(Z, case)
        check_clip(nxt, args['clip_range'], case)
        latent = {'latent_model': 'PLRNN_Step', 'n_bases': 0, 'M': M, 'dim_x': dx, 'clip_range': args['clip_range'],
                  'mean_centering': 0, 'leaky_relu_slope': 0.18,
                  'formula': "z' = clip(a*z + W phi(z) + h), phi = LeakyReLU(0.18), a = diag(AW), W = AW with zero diagonal"}
    latent['notDynamics'] = ['R_x', 'R_z', 'R_z0', 'z0', 'observation.B']
    latent['observation'] = 'x = observation.B^T z, observation.B is (M, dx)'
    write_forward(d, case, VI_CODE, ckpt, description, latent, Z, nxt)


vi_case('vi-plrnn',
        vi_args(experiment='lorenz', data_path='datasets/lorenz_train.npy', n_bases=0, dim_z=4, use_tb=True,
                rec_model='dc', n_epochs=1000, clip_range=10.0, annealing='None', reg_ratios=[1.0], reg_alphas=[1.0],
                run=1, name='b00z04', dim_x=3, dim_s=None),
        1000, 2, np.random.default_rng(401),
        'VI generative model (gen_model_{epoch}.pt, keys without prefix) with n_bases 0: PLRNN_Step with '
        'LeakyReLU(0.18) and the clip at 10 applied. rec_model_1000.pt (recognition model) is written beside it, '
        'as VI does. Settings as VI/ubermain.py passes them (annealing is the string \'None\').')

vi_case('vi-clipping',
        vi_args(experiment='lorenz', data_path='datasets/lorenz_train.npy', n_bases=3, dim_z=4, use_tb=True,
                rec_model='dc', n_epochs=1000, clip_range=10.0, annealing='None', reg_ratios=[1.0], reg_alphas=[1.0],
                run=1, name='b03z04', dim_x=3, dim_s=None),
        1000, 2, np.random.default_rng(402),
        'VI generative model with n_bases 3: PLRNN_Clipping_Step, LeakyReLU(0.18), minus-sign thresholds, '
        'latent_step.clipping (= 5) saved, no state clip although hypers say clip_range 10.')

# ------------------------------------------------------------------------------------------------
# ALRNN tutorial (ALRNN-DSR alrnn_python/AL-RNN_tutorial.ipynb)
# ------------------------------------------------------------------------------------------------
ALRNN_CODE = 'DurstewitzLab/ALRNN-DSR alrnn_python/AL-RNN_tutorial.ipynb (class AL_RNN)'


def alrnn_values(rng, M, N, B=True):
    v = {'A': rng.uniform(0.3, 0.95, M), 'W': rng.normal(0, 0.4, (M, M)), 'h': rng.normal(0, 0.4, M)}
    if B:
        v['B'] = rng.uniform(-1 / np.sqrt(N), 1 / np.sqrt(N), (N, M))
    return v


def alrnn_latent(M, P, N):
    return {'architecture': 'ALRNN', 'M': M, 'P': P, 'N': N, 'relu_units': f'the last P = {P} units (indices {M - P}..{M - 1})',
            'W': 'full; its diagonal is used (not masked)', 'clip_range': None, 'mean_centering': 0,
            'formula': "z' = A*z + W phi(z) + h, phi = identity on units 1..M-P, relu on the last P units",
            'notDynamics': ['B'], 'B_role': 'initial-state map (N x M): z = x B, then z[:, :N] = x'}


# alrnn-tutorial: saved as the notebook does, torch.save(model.state_dict(), "models/lorenz_m20_p2")
d = case_dir('alrnn-tutorial')
rng = np.random.default_rng(501)
M, P, N = 6, 2, 3
alrnn = fill(cm.ALRNNTutorial(M, P, N), alrnn_values(rng, M, N))
os.makedirs(os.path.join(d, 'models'))
torch.save(alrnn.state_dict(), os.path.join(d, 'models', 'lorenz_m6_p2'))
Z = make_states(rng, M)
check_regions(Z[:, -P:], 'alrnn-tutorial')
assert np.abs(np.diag(alrnn.W.detach().numpy())).min() > 0
write_forward(d, 'alrnn-tutorial', ALRNN_CODE, 'models/lorenz_m6_p2',
              'ALRNN tutorial state_dict saved as the notebook does (models/lorenz_m6_p2, no extension): keys A, '
              'W, h, B. M=6, P=2, N=3; the file name is the only place P appears. W has a nonzero diagonal.',
              alrnn_latent(M, P, N), Z, run64(alrnn, lambda m, z: m(z), Z), PSource='file name lorenz_m6_p2')

# alrnn-hypers: the same keys, P named by an args.json in the ALRNN Julia code's own format
d = case_dir('alrnn-hypers')
rng = np.random.default_rng(502)
M, P, N = 6, 3, 3
alrnn = fill(cm.ALRNNTutorial(M, P, N), alrnn_values(rng, M, N))
torch.save(alrnn.state_dict(), os.path.join(d, 'model_2000.pt'))
julia_args = {'experiment': 'ALRNN_Lorenz63', 'name': 'ALRNN_M6-P_3', 'path_to_data': 'example_data/lorenz63.npy',
              'run': 1, 'device': 'cpu', 'model': 'ALRNN', 'observation_model': 'Identity', 'latent_dim': M,
              'pwl_units': P, 'optional_model_args': [], 'lat_model_regularization': 0.0,
              'obs_model_regularization': 0.0, 'optimizer': 'RAdam', 'gradient_clipping_norm': 0.0, 'start_lr': 0.001,
              'end_lr': 1e-05, 'batch_size': 16, 'sequence_length': 200, 'teacher_forcing_interval': 16, 'epochs': 2000,
              'batches_per_epoch': 50, 'scalar_saving_interval': 25, 'image_saving_interval': 25,
              'gaussian_noise_level': 0.05, 'D_stsp_bins': 30, 'D_stsp_scaling': 0.3, 'PSE_smoothing': 20.0, 'PE_n': 20}
with open(os.path.join(d, 'args.json'), 'w') as f:  # store_hypers, src/utilities/utils.jl L26-29: JSON.print(f, dict, 4)
    json.dump(julia_args, f, indent=4)
    f.write('\n')
Z = make_states(rng, M)
check_regions(Z[:, -P:], 'alrnn-hypers')
write_forward(d, 'alrnn-hypers', ALRNN_CODE, 'model_2000.pt',
              'ALRNN tutorial-style state_dict (A, W, h, B) whose file name says nothing about P; args.json beside it, '
              'in the ALRNN Julia code\'s args.json format (settings/defaults.json keys), names latent_dim 6 and '
              'pwl_units 3. M=6, P=3, N=3.',
              alrnn_latent(M, P, N), Z, run64(alrnn, lambda m, z: m(z), Z), PSource='args.json "pwl_units"')

# alrnn-ambiguous: A, W, h with a nonzero diagonal of W, no hints
d = case_dir('alrnn-ambiguous')
rng = np.random.default_rng(503)
M, P = 4, 2
alrnn = cm.ALRNNTutorial(M, P, 1)
fill(alrnn, alrnn_values(rng, M, 1, B=False))
sd = {k: v for k, v in alrnn.state_dict().items() if k != 'B'}
torch.save(sd, os.path.join(d, 'model.pt'))
Z = make_states(rng, M)
check_regions(Z, 'alrnn-ambiguous')
as_alrnn = run64(alrnn, lambda m, z: m(z), Z)
full = fill(cm.PlainPLRNN(M), {k: v.double().numpy() for k, v in sd.items()})
as_plrnn_full = run64(full, lambda m, z: m(z), Z)
masked_W = sd['W'].double().numpy().copy()
np.fill_diagonal(masked_W, 0)
masked = fill(cm.PlainPLRNN(M), {'A': sd['A'].double().numpy(), 'W': masked_W, 'h': sd['h'].double().numpy()})
as_plrnn_masked = run64(masked, lambda m, z: m(z), Z)
write_forward(d, 'alrnn-ambiguous', ALRNN_CODE, 'model.pt',
              'Bare keys A, W, h (no B), W with a nonzero diagonal, a plain file name and no side files: nothing tells '
              'an ALRNN (which P?) from a PLRNN (is W\'s diagonal used or masked?). Generated as an ALRNN with M=4, '
              'P=2 ("next"); "interpretations" gives the image under each reading.',
              dict({k: v for k, v in alrnn_latent(M, P, None).items() if k not in ('N', 'B_role')}, notDynamics=[],
                   ambiguous=True), Z, as_alrnn,
              interpretations=[
                  {'reading': 'ALRNN, P=2 (the truth)', 'next': as_alrnn.tolist()},
                  {'reading': 'PLRNN z\' = A*z + W relu(z) + h with W as stored (diagonal used) = ALRNN with P=M',
                   'next': as_plrnn_full.tolist()},
                  {'reading': 'PLRNN with W\'s diagonal masked (BPTT_TF/reg-PLRNN convention)', 'next': as_plrnn_masked.tolist()}])

# plrnn-zero-diag: hand-made plain PLRNN, W's diagonal exactly zero
d = case_dir('plrnn-zero-diag')
rng = np.random.default_rng(504)
M = 4
plain = fill(cm.PlainPLRNN(M), {'A': rng.uniform(0.3, 0.95, M), 'W': offdiag(rng, M, 0.6), 'h': rng.normal(0, 0.5, M)})
assert (torch.diagonal(plain.W) == 0).all()
torch.save(plain.state_dict(), os.path.join(d, 'plrnn.pt'))
Z = make_states(rng, M)
check_regions(Z, 'plrnn-zero-diag')
write_forward(d, 'plrnn-zero-diag', 'hand-made (scripts/fixtures/codebase_models.py PlainPLRNN)', 'plrnn.pt',
              'Hand-made plain PLRNN: keys A (M), W (M x M) with diagonal exactly 0, h (M), M=4: the PLRNN convention '
              'z\' = A*z + W relu(z) + h with no mask needed.',
              {'architecture': 'PLRNN', 'M': M, 'clip_range': None, 'mean_centering': 0, 'W_diagonal': 0,
               'formula': "z' = A*z + W relu(z) + h"}, Z, run64(plain, lambda m, z: m(z), Z))

# ------------------------------------------------------------------------------------------------
# DynaMix (safetensors, written by hand as safetensors' save_file writes a state_dict)
# ------------------------------------------------------------------------------------------------
DYNAMIX_CODE = 'DurstewitzLab/DynaMix-python src/dynamix/model/dynamix.py'
def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for k, info in header.items():
        if k == '__metadata__':
            continue
        b, e = info['data_offsets']
        assert info['dtype'] == 'F32'
        out[k] = torch.from_numpy(np.frombuffer(data[b:e], dtype='<f4').copy()).reshape(info['shape'])
    return out


def dynamix_case(case, cfg, N, epoch, rng, description):
    d = case_dir(case)
    M, J, P, H, et = cfg['latent_dim'], cfg['experts'], cfg['pwl_units'], cfg['hidden_dim'], cfg['expert_type']
    model = cm.DynaMixModel(M, N, J, P=P, hidden_dim=H, expert_type=et, probabilistic_expert=cfg['probabilistic_expert'])
    v = {}
    for j in range(J):
        p = f'experts.{j}.'
        v[p + 'A'] = rng.uniform(0.3, 0.95, M)
        if et == 'almost_linear_rnn':
            v[p + 'W'], v[p + 'h'] = rng.normal(0, 0.4, (M, M)), rng.normal(0, 0.4, M)
        else:
            v[p + 'W1'], v[p + 'W2'] = rng.normal(0, 0.5, (M, H)), rng.normal(0, 0.8, (H, M))
            v[p + 'h1'], v[p + 'h2'] = rng.normal(0, 0.4, M), rng.normal(0, 1.5, H)
    g = 'gating_network.'
    v[g + 'conv.weight'], v[g + 'conv.bias'] = rng.normal(0, 0.3, (N, N, 2)), rng.normal(0, 0.1, N)
    v[g + 'softmax_temp1'], v[g + 'softmax_temp2'] = [0.13], [0.27]
    v[g + 'D'] = np.eye(N, M) + rng.normal(0, 0.02, (N, M))
    v[g + 'mlp_layer1.weight'], v[g + 'mlp_layer2.weight'] = rng.normal(0, 0.3, (J, M + N)), rng.normal(0, 0.3, (J, J))
    v[g + 'sigma'] = rng.uniform(0.03, 0.08, N)
    v['B'] = rng.uniform(-1 / np.sqrt(M), 1 / np.sqrt(M), (N, M))
    fill(model, v)
    os.makedirs(os.path.join(d, 'checkpoints'))
    ckpt = f'checkpoints/checkpoint_epoch_{epoch}.safetensors'
    save_safetensors(os.path.join(d, ckpt), model.state_dict())
    back = read_safetensors(os.path.join(d, ckpt))
    assert list(back) == sorted(model.state_dict()) and all(torch.equal(back[k], t) for k, t in model.state_dict().items())
    with open(os.path.join(d, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=4)
    Z = make_states(rng, M)
    experts = []
    for j in range(J):
        ex = model.experts[j]
        experts.append((j, run64(ex, lambda m, z: m(z.t()).t(), Z)))
        if et == 'almost_linear_rnn':
            check_regions(Z[:, -P:], f'{case} expert {j}')
        else:
            u = Z @ ex.W2.detach().double().numpy().T
            check_regions(np.concatenate([u + ex.h2.detach().double().numpy(), u], 1), f'{case} expert {j}')
    if et == 'almost_linear_rnn':
        latent = {'architecture': 'DynaMix', 'expert_type': et, 'experts': J, 'M': M, 'P': P, 'N': N,
                  'relu_units': f'the last P = {P} units', 'expert_formula': "z' = A*z + W [z_1..M-P; relu(z_M-P+1..M)] + h (W full)"}
    else:
        latent = {'architecture': 'DynaMix', 'expert_type': et, 'experts': J, 'M': M, 'hidden_dim': H, 'N': N,
                  'pwl_units_in_config': cfg['pwl_units'], 'pwl_units_used': False,
                  'expert_formula': "z' = A*z + W1 (relu(W2 z + h2) - relu(W2 z)) + h1"}
    latent.update({'probabilistic_expert': cfg['probabilistic_expert'], 'clip_range': None,
                   'mixture': 'z\' = sum_j w_j(z, context, noise) f_j(z): softmax gating, not piecewise-affine',
                   'notDynamics': [k for k in model.state_dict() if not k.startswith('experts.')],
                   'B_role': 'initial-state map (N x M), not dynamics',
                   'N_source': 'B.shape[0] (N is not in config.json)'})
    write_forward(d, case, DYNAMIX_CODE, ckpt, description, latent, Z, experts=experts)


dynamix_case('dynamix-alrnn',
             dynamix_config(latent_dim=5, experts=3, pwl_units=2, epochs=50, ssi=5,
                            save_path='results/dynamix-alrnn'),
             3, 10, np.random.default_rng(601),
             'DynaMix with 3 almost_linear_rnn experts, M=5, P=2, N=3: checkpoints/checkpoint_epoch_10.safetensors '
             '(safetensors save_file: no __metadata__, tensors ordered by name) with config.json one folder up '
             '(latent_dim, experts, pwl_units, expert_type, ...).')

dynamix_case('dynamix-shplrnn',
             dynamix_config(latent_dim=3, experts=2, hidden_dim=4, expert_type='clipped_shallow_plrnn', epochs=50,
                            ssi=5, save_path='results/dynamix-shplrnn'),
             2, 10, np.random.default_rng(602),
             'DynaMix with 2 clipped_shallow_plrnn experts, M=3, hidden_dim 4, N=2. config.json still carries '
             'pwl_units 2 (the default), which this expert type does not use.')


# ------------------------------------------------------------------------------------------------
# whole modules: torch.save(model), the pickle names the class
# ------------------------------------------------------------------------------------------------
class MyPLRNN(nn.Module):
    """A custom module defined in this script, so its pickle names __main__.MyPLRNN."""

    def __init__(self, M):
        super().__init__()
        self.A = nn.Parameter(torch.full((M,), 0.5))
        self.W = nn.Parameter(0.1 * torch.ones(M, M) - 0.1 * torch.eye(M))
        self.h = nn.Parameter(torch.zeros(M))


def pickled_classes(path):
    import pickletools
    import zipfile
    with zipfile.ZipFile(path) as z:
        name = [n for n in z.namelist() if n.endswith('data.pkl')][0]
        data = z.read(name)
    found = []
    for op, arg, _ in pickletools.genops(data):
        if op.name == 'GLOBAL':
            found.append(arg.replace(' ', '.'))
    return found


assert __name__ == '__main__'
d = case_dir('whole-module-main')
torch.save(MyPLRNN(3), os.path.join(d, 'model.pt'))
classes = pickled_classes(os.path.join(d, 'model.pt'))
assert '__main__.MyPLRNN' in classes, classes
my = MyPLRNN(3)
Z = make_states(np.random.default_rng(700), 3)
with torch.no_grad():
    A64, W64, h64 = (p.detach().double().numpy() for p in (my.A, my.W, my.h))
nxt = A64 * Z + np.maximum(Z, 0) @ W64.T + h64
write_forward(d, 'whole-module-main', 'hand-made (scripts/make-codebase-fixtures.py MyPLRNN)', 'model.pt',
              'torch.save(model) of a whole custom module whose class lives in __main__: the pickle names '
              '__main__.MyPLRNN. Read through inert stand-ins (no class is imported or run): the parameters are '
              "taken from the module's _parameters, named as state_dict() names them; z' = A*z + W relu(z) + h.",
              None, Z, nxt, className='__main__.MyPLRNN', pickleGlobals=sorted(set(classes)))

d = case_dir('whole-module-package')
tmp = tempfile.mkdtemp()
os.makedirs(os.path.join(tmp, 'bptt'))
with open(os.path.join(tmp, 'bptt', '__init__.py'), 'w') as f:
    f.write('')
with open(os.path.join(tmp, 'bptt', 'PLRNN_model.py'), 'w') as f:
    # Thin subclasses of the mirrors under the original names, so the pickle records bptt.PLRNN_model.*
    f.write('import codebase_models as cm\n\n\n'
            'class PLRNN_Step(cm.BpttPLRNN_Step):\n    pass\n\n\n'
            'class PLRNN_Basis_Step(cm.BpttPLRNN_Basis_Step):\n    pass\n\n\n'
            'class PLRNN_Clipping_Step(cm.BpttPLRNN_Clipping_Step):\n    pass\n\n\n'
            'class PLRNN(cm.BpttPLRNN):\n'
            "    step_classes = {'PLRNN': PLRNN_Step, 'clipped-PLRNN': PLRNN_Clipping_Step, 'dendr-PLRNN': PLRNN_Basis_Step}\n")
sys.path.insert(0, tmp)
import bptt.PLRNN_model  # noqa: E402

rng = np.random.default_rng(701)
# mean_centering 0: with mean-centring the original's step holds a lambda and torch.save(model) fails to pickle
whole = bptt.PLRNN_model.PLRNN(3, 4, 2, clip_range=10, latent_model='dendr-PLRNN', mean_centering=0)
fill(whole, {'latent_step.AW': AW_matrix(rng, 4), 'latent_step.h': rng.normal(0, 0.5, 4),
             'latent_step.thetas': rng.uniform(-2, 2, (4, 2)), 'latent_step.alphas': rng.normal(0, 1, 2)})
torch.save(whole, os.path.join(d, 'model_5000.pt'))
Z = make_states(rng, 4)
nxt = run64(whole, lambda m, z: m.step(z), Z)
sys.path.remove(tmp)
shutil.rmtree(tmp)
classes = pickled_classes(os.path.join(d, 'model_5000.pt'))
assert 'bptt.PLRNN_model.PLRNN' in classes and 'bptt.PLRNN_model.PLRNN_Basis_Step' in classes, classes
write_forward(d, 'whole-module-package', 'DurstewitzLab/dendPLRNN BPTT_TF/bptt/PLRNN_model.py (class PLRNN, saved whole)',
              'model_5000.pt',
              'torch.save(model) of a whole BPTT_TF PLRNN object (dendr-PLRNN, M=4, B=2, no mean-centring) whose class '
              'is importable as bptt.PLRNN_model.PLRNN: the pickle names bptt.PLRNN_model.PLRNN and '
              'bptt.PLRNN_model.PLRNN_Basis_Step. Not a state_dict, and no hypers.pkl beside it: the saved object '
              'itself says the variant (the class of latent_step), the clip (latent_step.clip_range = 10) and that '
              'there is no mean-centring (latent_step.norm is an nn.Identity).',
              None, Z, nxt, className='bptt.PLRNN_model.PLRNN', pickleGlobals=sorted(set(classes)))

# ------------------------------------------------------------------------------------------------
SUMMARY = {
    'bptt-dendr-mc': 'BPTT_TF dendr-PLRNN, mean-centring on, clip 10 applied (bites for some states), +theta thresholds.',
    'bptt-clipped': 'BPTT_TF clipped-PLRNN, no mean-centring (Table 1 setting); hypers say clip 10, never applied.',
    'bptt-plrnn-mc': 'BPTT_TF vanilla PLRNN (AW, h only), mean-centring on, clip 10.0 applied; hypers n_bases 5 unused.',
    'bptt-dendr-no-hypers': 'BPTT_TF dendr-PLRNN with no hyper-parameter files: dendr vs clipped, mc and clip unreadable.',
    'chaosrnn-clipped': 'ChaosRNN clipped-PLRNN, layer_norm 1; keys without latent_model. prefix, obs_model.weight.',
    'chaosrnn-plrnn': 'ChaosRNN vanilla PLRNN, layer_norm 0; hypers clip_range 5.0 that ChaosRNN never applies.',
    'mtf-clipped': 'MTF clipped-PLRNN, layer_norm 1; C of shape (M, 0), output_layer, E.* encoder, D_gaussian.* decoder.',
    'vi-plrnn': 'VI generative model, n_bases 0: LeakyReLU(0.18) PLRNN step, clip 10 applied; prefix-free keys.',
    'vi-clipping': 'VI generative model, n_bases 3: LeakyReLU(0.18) clipping step, -theta, clipping = 5, no clip.',
    'alrnn-tutorial': 'ALRNN tutorial state_dict (A, W, h, B), M=6, P=2 only in the extension-less file name.',
    'alrnn-hypers': 'ALRNN state_dict (A, W, h, B) with args.json naming pwl_units 3 (M=6).',
    'alrnn-ambiguous': 'Bare A, W, h with nonzero diag(W), no hints: ALRNN (P=2 truth) or PLRNN; all readings given.',
    'plrnn-zero-diag': 'Hand-made plain PLRNN A, W, h with diag(W) exactly 0.',
    'dynamix-alrnn': 'DynaMix, 3 almost_linear_rnn experts, M=5, P=2: safetensors in checkpoints/, config.json above.',
    'dynamix-shplrnn': 'DynaMix, 2 clipped_shallow_plrnn experts, M=3, hidden 4; config pwl_units 2 unused.',
    'whole-module-main': 'torch.save(model) of a class in __main__ (__main__.MyPLRNN): whole module, read through stand-ins.',
    'whole-module-package': 'torch.save(model) of bptt.PLRNN_model.PLRNN (dendr-PLRNN): whole module; its variant and clip from the object.',
}
with open(os.path.join(OUT, 'README.md'), 'w') as f:
    f.write('# Checkpoints as the DurstewitzLab code bases write them\n\n'
            'Generated by `scripts/make-codebase-fixtures.py` (mirror classes in `scripts/fixtures/codebase_models.py`).\n'
            'Each folder holds the checkpoint file(s), the hyper-parameter files the code base writes beside them, and\n'
            '`forward.json`: the true latent model, 40 states z and one step z -> z\' of the original formula (float64, from\n'
            'the float32 parameters as saved). DynaMix: one `next` per expert. Whole modules: `error` and the class name.\n'
            'bptt-lightning-hypers is not written: none of the code bases uses PyTorch Lightning.\n\n')
    for case, files, desc in readme:
        f.write(f'- `{case}/` ({", ".join(files)}): {SUMMARY[case]}\n')
print('wrote', len(readme), 'cases to', os.path.normpath(OUT))
