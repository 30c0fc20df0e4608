"""PyTorch side of `npm run bench:quality`: the defaults of `reclink train`, trained with torch.

Trains bench/torch_peer.py's network (the same as reclink's) once per seed on the samples of
TRAIN.npy (N x 225, float32) and evaluates the final weights on TEST.npy, as `reclink train`
does by default: PyTorch's default initialisation (nn.Linear), Adam with lr 1e-3, batches of 64
drawn by a shuffling DataLoader, 10 epochs, the sum-squared error. torch.manual_seed(seed) seeds
the weights and, through the DataLoader, the shuffling. Prints one line of JSON a seed:
{"seed", "mse" (test MSE per pixel), "deadOutputs" (output units whose ReLU never fires on any
test sample), "seconds" (training and evaluation)}. Its first line is {"torch": version}.

Usage: torch_quality.py TRAIN.npy TEST.npy SEED [SEED ...] [--epochs 10] [--threads 1]
"""
import argparse
import json
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from torch_peer import RecLink


def train_and_evaluate(train, test, seed, epochs):
    """Test MSE per pixel and dead outputs of the final weights of one seed."""
    torch.manual_seed(seed)
    net = RecLink(d=train.shape[1])
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    batches = DataLoader(TensorDataset(train), batch_size=64, shuffle=True)
    for _ in range(epochs):
        for (x,) in batches:
            optimizer.zero_grad()
            ((net(x) - x) ** 2).sum().backward()
            optimizer.step()
    with torch.no_grad():
        y = net(test)
    mse = ((y - test) ** 2).sum().item() / test.numel()
    dead = int((y <= 0).all(dim=0).sum().item())
    return mse, dead


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("seeds", type=int, nargs="+")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train = torch.from_numpy(np.load(args.train).astype(np.float32))
    test = torch.from_numpy(np.load(args.test).astype(np.float32))
    print(json.dumps({"torch": torch.__version__}), flush=True)
    for seed in args.seeds:
        started = time.perf_counter()
        mse, dead = train_and_evaluate(train, test, seed, args.epochs)
        seconds = time.perf_counter() - started
        print(json.dumps({"seed": seed, "mse": mse, "deadOutputs": dead, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
