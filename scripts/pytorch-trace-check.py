"""Checks `reclink trace` against PyTorch on a model with PyTorch's own weights.

Builds SPEC's network as a PyTorch module (submodules input, link, rec, output), saves its
state_dict as a plain safetensors file (as `safetensors.torch.save_file` writes it: tensors
sorted by name, header padded with spaces, no metadata), runs

    node bin/reclink.js trace --model model.safetensors --input x.npy --out trace.safetensors

and prints the relative error of reclink's loss, output Y and every parameter gradient
against PyTorch's autograd. Needs torch and numpy (on Debian: apt-get install python3-torch),
not the safetensors package; run from the repository after `npm run build`:

    /usr/bin/python3 scripts/pytorch-trace-check.py
"""
import json
import struct
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

D, H, STRIDE, CYCLES, BATCH = 225, 75, 3, 2, 5


class RecLink(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.input = torch.nn.Linear(D, H)
        self.link = torch.nn.Linear(-(-D // STRIDE), H, bias=False)
        self.rec = torch.nn.Linear(H, H)
        self.output = torch.nn.Linear(H, D)

    def forward(self, x):
        z_in = torch.relu(self.input(x))
        z_link = torch.relu(self.link(x[:, ::STRIDE]))
        z_rec = torch.zeros_like(z_in)
        for _ in range(CYCLES):
            z_rec = torch.relu(self.rec(z_in + z_rec))
        return torch.relu(self.output(z_rec + z_link))


def save_file(tensors, path):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        blob = tensors[name].detach().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def load_file(path):
    data = path.read_bytes()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop('__metadata__', {})
    tensors = {name: np.frombuffer(data[8 + n + e['data_offsets'][0]:8 + n + e['data_offsets'][1]], '<f4').reshape(e['shape'])
               for name, e in header.items()}
    return tensors, metadata


def relative(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def main():
    torch.manual_seed(0)
    net = RecLink()
    x = torch.rand(BATCH, D)
    y = net(x)
    loss = ((x - y) ** 2).sum()
    loss.backward()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        save_file(net.state_dict(), folder / 'model.safetensors')
        np.save(folder / 'x.npy', x.numpy())
        command = ['node', 'bin/reclink.js', 'trace', '--model', str(folder / 'model.safetensors'),
                   '--input', str(folder / 'x.npy'), '--out', str(folder / 'trace.safetensors')]
        subprocess.run(command, check=True, capture_output=True)
        trace, metadata = load_file(folder / 'trace.safetensors')
    print(f"loss      {abs(float(metadata['loss']) - loss.item()) / loss.item():.1e}")
    print(f"Y         {relative(trace['Y'], y.detach().numpy()):.1e}")
    for name, p in net.named_parameters():
        print(f"grad.{name:<15} {relative(trace['grad.' + name].reshape(p.grad.shape), p.grad.numpy()):.1e}")


if __name__ == '__main__':
    main()
