"""PyTorch peer of `npm run bench`: the same network, trained with SGD, timed on request.

Serves timing requests, one a line on stdin: "<train|infer> <batch> <milliseconds>"; answers
each with a line of JSON, {"samplesPerSec": rate}. Its first line says {"torch": version,
"threads": n}. A long-lived process, so that the bench can interleave its measurements with
reclink's (the machine's speed drifts). Usage: torch_peer.py --threads 1
"""
import argparse
import json
import sys
import time

import torch
from torch import nn


class RecLink(nn.Module):
    """The network of docs/derivation.md: input, link (every third input, no bias), rec (2 cycles), output."""

    def __init__(self, d=225, h=75, stride=3, cycles=2):
        super().__init__()
        self.stride, self.cycles = stride, cycles
        self.input = nn.Linear(d, h)
        self.link = nn.Linear((d + stride - 1) // stride, h, bias=False)
        self.rec = nn.Linear(h, h)
        self.output = nn.Linear(h, d)

    def forward(self, x):
        z_in = torch.relu(self.input(x))
        z_link = torch.relu(self.link(x[:, :: self.stride]))
        z_rec = torch.zeros_like(z_in)
        for _ in range(self.cycles):
            z_rec = torch.relu(self.rec(z_in + z_rec))
        return torch.relu(self.output(z_rec + z_link))


def timed(step, batch, seconds):
    """Samples per second of whole steps over about `seconds` (at least one step)."""
    start = now = time.perf_counter()
    steps = 0
    while steps == 0 or now - start < seconds:
        step()
        steps += 1
        now = time.perf_counter()
    return steps * batch / (now - start)


class Steps:
    """A training step (SGD, MSE loss) and an inference for each batch size, built on first use."""

    def __init__(self):
        torch.manual_seed(0)
        self.net = RecLink()
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=1e-3)
        self.loss_fn = nn.MSELoss()
        self.batches = {}

    def step(self, mode, batch):
        if batch not in self.batches:
            self.batches[batch] = torch.rand(batch, 225)
        x = self.batches[batch]
        if mode == "train":
            def train():
                self.optimizer.zero_grad()
                self.loss_fn(self.net(x), x).backward()
                self.optimizer.step()
            return train

        def infer():
            with torch.no_grad():
                self.net(x)
        return infer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    steps = Steps()
    print(json.dumps({"torch": torch.__version__, "threads": args.threads}), flush=True)
    for line in sys.stdin:
        mode, batch, ms = line.split()
        rate = timed(steps.step(mode, int(batch)), int(batch), float(ms) / 1000)
        print(json.dumps({"samplesPerSec": rate}), flush=True)


if __name__ == "__main__":
    main()
