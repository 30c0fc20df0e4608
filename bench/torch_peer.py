"""PyTorch peer of `npm run bench`: the same network, trained with SGD, timed per batch.

Prints one JSON object: {"torch": version, "threads": n, "results": [{"batch", "mode", "samplesPerSec"}]}.
Usage: torch_peer.py --threads 1 --batches 1,16,64 --budget-ms 300 --repeats 5
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class RecLink(nn.Module):
    """SPEC.md's network: input, link (every third input, no bias), rec (2 cycles), output."""

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


def samples_per_second(step, batch, budget_ms, repeats):
    """Median of `repeats` timed runs after a warm-up, each an equal share of the budget."""
    share = budget_ms / 1000 / (repeats + 1)

    def timed():
        start = now = time.perf_counter()
        steps = 0
        while steps == 0 or now - start < share:
            step()
            steps += 1
            now = time.perf_counter()
        return steps * batch / (now - start)

    timed()
    return statistics.median(timed() for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", default="1,16,64,256,1024")
    parser.add_argument("--budget-ms", type=float, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = RecLink()
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    results = []
    for batch in (int(b) for b in args.batches.split(",")):
        x = torch.rand(batch, 225)

        def train():
            optimizer.zero_grad()
            loss_fn(net(x), x).backward()
            optimizer.step()

        def infer():
            with torch.no_grad():
                net(x)

        for mode, step in (("train", train), ("infer", infer)):
            rate = samples_per_second(step, batch, args.budget_ms, args.repeats)
            results.append({"batch": batch, "mode": mode, "samplesPerSec": rate})
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "results": results}))


if __name__ == "__main__":
    main()
