#!/usr/bin/python3
"""Generates the training-run fixtures of test/fixtures/runs/.

Run by hand (not by CI) with Debian's python3-torch and python3-numpy:
    /usr/bin/python3 scripts/make-run-fixtures.py

Both runs move the 'third system' (a 2-D PLRNN, A = [[a_l, 0.8], [-0.4, 0.2]],
W = [[-1.5 - a_l, 0], [0.9, 0]], h = [0.214, 0]) along a_l from 0.5 down to -0.6, linearly in
training time, so the straight line between consecutive checkpoints is the exact path. Its
2-cycle runs off to infinity where det(I - J01 J11) = 0.656 + 1.36 a_l = 0 (a degenerate
transcritical bifurcation, a_l = -41/85); the loss is made to jump right after that, and
nowhere else:

  pytorch/   checkpoints/model_<epoch>.pt every 5 epochs (torch.save of a state_dict), a
             corrupt one (model_55.pt, cut short), an optimizer state (skipped), hypers.json
             naming the architecture, loss.csv (epoch, loss, val_loss, grad_norm per epoch).
  hf/        checkpoint-<step>/model.safetensors every 250 steps (step and architecture in
             __metadata__), an optimizer.pt beside each (skipped), and TensorBoard events under
             runs/ (train/loss as simple_value, eval/loss as a one-element tensor, as newer
             writers log it), TFRecord-framed with masked CRC32C as TensorFlow writes them.

  mixed/     the skew tent map of science.md section 4 (A = [0.2], W = [[a_r - 0.2]], h = [1]) with
             W from 1.1 down to -6.1 over 60 epochs, saved every 5 epochs in turn as a PyTorch
             state_dict (.pt), a Julia PLRNN struct (BSON.jl layout, .bson), safetensors and
             NumPy .npz; one BSON file cut short. Events: the fixed point comes in from infinity
             at W = 0.8 (epoch 2.5) and flips at W = -1.2 (epoch 19.17), the 2-cycle born there
             flips at W = -5.2 (epoch 52.5). The loss (JSON lines) jumps at epochs 20 and 53 after
             the flips, and at 40 after nothing.

expected.json records, for each run, where the event and the jump must be found.
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'fixtures'))
from bson_writer import bson_doc, jl_array, jl_struct, jl_type  # noqa: E402
from safetensors_writer import save_safetensors  # noqa: E402

OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'runs')
A_START, A_END = 0.5, -0.6
A_DTB = -0.656 / 1.36


def third_system(al):
    return {
        'A': torch.tensor([[al, 0.8], [-0.4, 0.2]], dtype=torch.float64),
        'W': torch.tensor([[-1.5 - al, 0.0], [0.9, 0.0]], dtype=torch.float64),
        'h': torch.tensor([0.214, 0.0], dtype=torch.float64),
    }


def a_l(fraction):
    return A_START + (A_END - A_START) * fraction


def dtb_fraction():
    return (A_DTB - A_START) / (A_END - A_START)


def loss_curve(xs, jump_at, rng):
    """A decaying loss with 2 % multiplicative noise, tripled from `jump_at` on."""
    x = np.asarray(xs, dtype=np.float64)
    base = 0.02 + np.exp(-3 * x / x[-1])
    noise = np.exp(0.02 * rng.standard_normal(len(x)))
    return base * noise * np.where(x >= jump_at, 3.0, 1.0)


def fresh(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)


# --- the PyTorch run ------------------------------------------------------------------------------
def pytorch_run(rng):
    d = os.path.join(OUT, 'pytorch')
    fresh(d)
    os.makedirs(os.path.join(d, 'checkpoints'))
    epochs = 100
    for e in range(0, epochs + 1, 5):
        torch.save(third_system(a_l(e / epochs)), os.path.join(d, 'checkpoints', f'model_{e}.pt'))
    with open(os.path.join(d, 'checkpoints', 'model_55.pt'), 'rb') as f:
        whole = f.read()
    with open(os.path.join(d, 'checkpoints', 'model_55.pt'), 'wb') as f:
        f.write(whole[: len(whole) // 2])
    opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(2))], lr=1e-3)
    torch.save(opt.state_dict(), os.path.join(d, 'checkpoints', 'optimizer_50.pt'))
    with open(os.path.join(d, 'hypers.json'), 'w') as f:
        json.dump({'architecture': 'plrnn', 'latent_dim': 2, 'epochs': epochs, 'learning_rate': 1e-3}, f, indent=2)
        f.write('\n')
    e_dtb = dtb_fraction() * epochs
    jump = int(np.ceil(e_dtb))
    xs = list(range(epochs + 1))
    loss = loss_curve(xs, jump, rng)
    val = loss * 1.1
    grad = 0.5 + 0.1 * rng.random(len(xs))
    with open(os.path.join(d, 'loss.csv'), 'w') as f:
        f.write('epoch,loss,val_loss,grad_norm\n')
        for x, l, v, g in zip(xs, loss, val, grad):
            f.write(f'{x},{l:.6g},{v:.6g},{g:.4f}\n')
    return {'unit': 'epoch', 'checkpoints': epochs // 5 + 1 - 1, 'event': e_dtb, 'jump': jump, 'corrupt': 'checkpoints/model_55.pt',
            'optimizer': 'checkpoints/optimizer_50.pt'}


# --- TensorBoard events, written by hand ---------------------------------------------------------
def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    out = b''
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def field(number, wire, payload):
    key = varint(number * 8 + wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def event(wall_time, step, summary=None, file_version=None):
    b = field(1, 1, struct.pack('<d', wall_time)) + field(2, 0, varint(step))
    if file_version is not None:
        b += field(3, 2, file_version.encode())
    if summary is not None:
        b += field(5, 2, summary)
    return b


def simple_value(tag, v):
    return field(1, 2, field(1, 2, tag.encode()) + field(2, 5, struct.pack('<f', v)))


def tensor_value(tag, v):
    # TensorProto: dtype DT_FLOAT (1), an empty shape, float_val packed (field 5).
    tensor = field(1, 0, varint(1)) + field(2, 2, b'') + field(5, 2, struct.pack('<f', v))
    return field(1, 2, field(1, 2, tag.encode()) + field(8, 2, tensor))


def record(data):
    n = struct.pack('<Q', len(data))
    return n + struct.pack('<I', masked_crc(n)) + data + struct.pack('<I', masked_crc(data))


# --- the Hugging Face style run ---------------------------------------------------------------------
def hf_run(rng):
    d = os.path.join(OUT, 'hf')
    fresh(d)
    steps = 2000
    for s in range(0, steps + 1, 250):
        c = os.path.join(d, f'checkpoint-{s}')
        os.makedirs(c)
        model = {k: v.to(torch.float32) for k, v in third_system(a_l(s / steps)).items()}
        save_safetensors(os.path.join(c, 'model.safetensors'), model, {'format': 'pt', 'architecture': 'plrnn', 'step': str(s)})
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=1e-2, momentum=0.9)
        torch.save(opt.state_dict(), os.path.join(c, 'optimizer.pt'))
    s_dtb = dtb_fraction() * steps
    every = 50
    jump = int(np.ceil(s_dtb / every)) * every
    xs = list(range(0, steps + 1, every))
    loss = loss_curve(xs, jump, rng)
    os.makedirs(os.path.join(d, 'runs'))
    out = record(event(1.7e9, 0, file_version='brain.Event:2'))
    for i, (x, l) in enumerate(zip(xs, loss)):
        summary = simple_value('train/loss', float(l)) + simple_value('train/learning_rate', 1e-2)
        out += record(event(1.7e9 + i, x, summary))
        if x % 250 == 0:
            out += record(event(1.7e9 + i + 0.5, x, tensor_value('eval/loss', float(l) * 1.2)))
    with open(os.path.join(d, 'runs', 'events.out.tfevents.1700000000.node01.4242.0'), 'wb') as f:
        f.write(out)
    return {'unit': 'step', 'checkpoints': steps // 250 + 1, 'event': s_dtb, 'jump': jump}


# --- a run saved in four formats --------------------------------------------------------------------
def mixed_run(rng):
    d = os.path.join(OUT, 'mixed')
    fresh(d)
    epochs, w0, w1 = 60, 1.1, -6.1
    vec_t = jl_type('Core', 'Array', params=[jl_type('Core', 'Float64'), 1])
    mat_t = jl_type('Core', 'Array', params=[jl_type('Core', 'Float64'), 2])
    for i, e in enumerate(range(0, epochs + 1, 5)):
        w = w0 + (w1 - w0) * e / epochs
        A, W, h = np.array([0.2]), np.array([[w]]), np.array([1.0])
        kind = i % 4
        if kind == 0:
            torch.save({'A': torch.tensor(A), 'W': torch.tensor(W), 'h': torch.tensor(h)}, os.path.join(d, f'model_{e}.pt'))
        elif kind == 1:
            doc = {'model': jl_struct('PLRNN', [jl_array(A), jl_array(W), jl_array(h), None], [vec_t, mat_t]), 'epoch': e}
            with open(os.path.join(d, f'model_{e}.bson'), 'wb') as f:
                f.write(bson_doc(doc))
        elif kind == 2:
            save_safetensors(os.path.join(d, f'model_{e}.safetensors'), {'A': torch.tensor(A), 'W': torch.tensor(W), 'h': torch.tensor(h)})
        else:
            np.savez(os.path.join(d, f'model_{e}.npz'), A=A, W=W, h=h)
    with open(os.path.join(d, 'model_45.bson'), 'rb') as f:
        whole = f.read()
    with open(os.path.join(d, 'model_45.bson'), 'wb') as f:
        f.write(whole[: len(whole) - 20])
    with open(os.path.join(d, 'hypers.json'), 'w') as f:
        json.dump({'architecture': 'plrnn'}, f)
        f.write('\n')
    jumps = [20, 40, 53]
    x = np.arange(epochs + 1, dtype=np.float64)
    loss = (0.05 + np.exp(-2 * x / epochs)) * np.exp(0.02 * rng.standard_normal(len(x)))
    for j in jumps:
        loss[x >= j] *= 2.5
    with open(os.path.join(d, 'train_log.jsonl'), 'w') as f:
        for e, l in zip(x, loss):
            f.write(json.dumps({'epoch': int(e), 'loss': round(float(l), 6), 'grad_norm': round(float(0.4 + 0.05 * rng.random()), 4)}) + '\n')
    at = lambda w: (w - w0) / (w1 - w0) * epochs  # noqa: E731
    return {'unit': 'epoch', 'checkpoints': epochs // 5 + 1 - 1, 'corrupt': 'model_45.bson', 'jumps': jumps,
            'events': {'degenerate-transcritical': [at(0.8)], 'degenerate-flip': [at(-1.2), at(-5.2)]}}


rng = np.random.default_rng(11)
expected = {'a_l': {'start': A_START, 'end': A_END, 'dtb': A_DTB}, 'pytorch': pytorch_run(rng), 'hf': hf_run(rng), 'mixed': mixed_run(rng)}
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(expected, f, indent=2)
    f.write('\n')
print(json.dumps(expected, indent=2))
