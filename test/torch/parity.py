"""PyTorch's side of test/torch-parity.test.ts: the network in float64, autograd and torch.optim.

    /usr/bin/python3 test/torch/parity.py trace DIR
    /usr/bin/python3 test/torch/parity.py train DIR

trace: DIR/spec.json lists configurations (the fields of reclink's config, a folder name, a
batch size and a seed). For each, in DIR/<folder>/, it writes PyTorch's own model (nn.Linear's
initialisation, float32) as a plain safetensors file, model.safetensors, as
`safetensors.torch.save_file` writes it (tensors sorted by name, header padded with spaces);
a batch x.npy, float32, uniform in [0, 1); and in float64 the loss (expected.json) and every
tensor `reclink trace` writes, named as it names them (expected.<name>.npy).

train: DIR/spec.json gives the config, the optimizer's hyperparameters, the loss reduction
and the batch sizes; DIR/init.<parameter>.npy the initial weights (float64); DIR/batches.npy
the batches' rows, one after another. It takes one torch.optim step a batch, in float64, and
writes the loss of each step (losses.npy), the final weights (final.<parameter>.npy) and the
optimizer's state (state.<key>.<parameter>.npy: exp_avg, exp_avg_sq, momentum_buffer).

Every array is 2-D (a bias is 1 x n), C order. Needs torch and numpy, not the safetensors package.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch

ACTIVATIONS = {'relu': torch.relu, 'sigmoid': torch.sigmoid, 'identity': lambda a: a}


class RecLink(torch.nn.Module):
    """The network, parameters named as reclink names them (input, link, rec, output)."""

    def __init__(self, c):
        super().__init__()
        d, h, s = c['inputSize'], c['hiddenSize'], c['linkStride']
        self.input = torch.nn.Linear(d, h)
        self.link = torch.nn.Linear(-(-d // s), h, bias=c['linkBias'])
        self.rec = torch.nn.Linear(h, h)
        self.output = torch.nn.Linear(h, d)
        self.stride, self.cycles, self.g = s, c['cycles'], ACTIVATIONS[c['outputActivation']]

    def forward(self, x):
        """Y, and every intermediate by reclink's trace names."""
        t = {'A_in': self.input(x)}
        t['Z_in'] = torch.relu(t['A_in'])
        t['X_red'] = x[:, ::self.stride]
        t['A_link'] = self.link(t['X_red'])
        t['Z_link'] = torch.relu(t['A_link'])
        z_rec = torch.zeros_like(t['Z_in'])
        for cycle in range(1, self.cycles + 1):
            t[f'A_rec.{cycle}'] = self.rec(t['Z_in'] + z_rec)
            z_rec = t[f'Z_rec.{cycle}'] = torch.relu(t[f'A_rec.{cycle}'])
        t['S'] = z_rec + t['Z_link']
        t['A_out'] = self.output(t['S'])
        t['Y'] = self.g(t['A_out'])
        return t['Y'], t


def squared_error(x, y, reduction):
    e = ((x - y) ** 2).sum()
    return e / x.numel() if reduction == 'mean' else e


def save(path, tensor):
    """A tensor as a 2-D C-order NPY file (a vector as one row)."""
    a = tensor.detach().numpy()
    np.save(path, np.ascontiguousarray(a.reshape(1, -1) if a.ndim == 1 else a))


def save_safetensors(tensors, path):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        blob = tensors[name].detach().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def trace(folder, c):
    """PyTorch's model and batch for one configuration, and its float64 pass on them."""
    folder.mkdir()
    torch.manual_seed(c['seed'])
    net = RecLink(c)
    x = torch.rand(c['batch'], c['inputSize'])
    save_safetensors(net.state_dict(), folder / 'model.safetensors')
    np.save(folder / 'x.npy', x.numpy())
    net.double()
    y, t = net(x.double())
    loss = squared_error(x.double(), y, 'sum')
    # ∂E/∂ of these intermediates: G_in is ∂E/∂Z_in (Z_in enters every cycle), a delta ∂E/∂A.
    wrt = {'G_Y': t['Y'], 'delta_out': t['A_out'], 'G_S': t['S'], 'delta_link': t['A_link'],
           **{f'delta_rec.{k}': t[f'A_rec.{k}'] for k in range(1, c['cycles'] + 1)},
           'G_in': t['Z_in'], 'delta_in': t['A_in']}
    params = dict(net.named_parameters())
    grads = torch.autograd.grad(loss, [*wrt.values(), *params.values()])
    expected = {**t, **dict(zip(wrt, grads)), **{f'grad.{n}': g for n, g in zip(params, grads[len(wrt):])}}
    for name, tensor in expected.items():
        save(folder / f'expected.{name}.npy', tensor)
    (folder / 'expected.json').write_text(json.dumps({'loss': loss.item(), 'tensors': list(expected)}))


def optimizer(o, parameters):
    if o['kind'] == 'adam':
        return torch.optim.Adam(parameters, lr=o['lr'], betas=tuple(o['betas']), eps=o['eps'], weight_decay=o['weightDecay'])
    if o['kind'] == 'sgd':
        return torch.optim.SGD(parameters, lr=o['lr'], momentum=o['momentum'], dampening=o['dampening'],
                               weight_decay=o['weightDecay'], nesterov=o['nesterov'])
    raise ValueError(f"optimizer kind {o['kind']!r}, expected adam or sgd")


def train(folder, spec):
    net = RecLink(spec['config']).double()
    params = dict(net.named_parameters())
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(torch.from_numpy(np.load(folder / f'init.{name}.npy')).reshape(p.shape))
    opt = optimizer(spec['optimizer'], params.values())
    rows = torch.from_numpy(np.load(folder / 'batches.npy'))
    losses, start = [], 0
    for n in spec['batches']:
        x = rows[start:start + n]
        start += n
        opt.zero_grad()
        loss = squared_error(x, net(x)[0], spec['reduction'])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.save(folder / 'losses.npy', np.array([losses]))
    for name, p in params.items():
        save(folder / f'final.{name}.npy', p)
        for key, value in opt.state[p].items():
            if torch.is_tensor(value) and value.shape == p.shape:
                save(folder / f'state.{key}.{name}.npy', value)


def main():
    mode, folder = sys.argv[1], Path(sys.argv[2])
    torch.set_num_threads(1)
    spec = json.loads((folder / 'spec.json').read_text())
    if mode == 'trace':
        for c in spec['configs']:
            trace(folder / c['folder'], c)
    elif mode == 'train':
        train(folder, spec)
    else:
        sys.exit(f'mode {mode!r}, expected trace or train')


if __name__ == '__main__':
    main()
