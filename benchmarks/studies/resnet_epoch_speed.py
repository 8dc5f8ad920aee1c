"""Seconds per epoch: a hand-written PyTorch loop vs ResNetClassifier.

Both train the reference ResNet (:class:`tsclf.networks.ResNet1d`) on the
same embedded CWRU windows (loads 0 and 1, about 1,850 windows of 1200
samples) with the same seed, batch size and optimizer:

- the reference study's style: a DataLoader over windows, a z-score per
  batch, three cross-entropy losses summed;
- ``ResNetClassifier`` with validation and early stopping switched off, so
  both do the same work per epoch.

Prints seconds per epoch for both and their ratio (ours / reference);
the target is a ratio of at most 1.0.

Usage::

    python -m benchmarks.studies.resnet_epoch_speed [--epochs N] [--device DEVICE]
        [--batch-size 64] [--seed 0] [--n-windows N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset

from tsclf.classification import ResNetClassifier
from tsclf.datasets import load_cwru_windows
from tsclf.deep import resolve_device
from tsclf.model_selection import block_lone_recordings
from tsclf.networks import ResNet1d


def reference_loop(X, codes, n_classes, epochs, batch_size, seed, device) -> list:
    """Train as the reference study did; return seconds per epoch."""
    torch.manual_seed(seed)
    model = ResNet1d(1, X.shape[2], n_classes).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loader = DataLoader(
        TensorDataset(torch.from_numpy(X), torch.from_numpy(codes)),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    durations = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            xb = (xb - xb.mean(dim=-1, keepdim=True)) / (
                xb.std(dim=-1, keepdim=True) + 1e-8
            )
            outputs = model(xb)
            loss = sum(loss_fn(out, yb[:, t]) for t, out in enumerate(outputs))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        durations.append(time.perf_counter() - start)
    return durations


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--n-windows", type=int, default=None, help="N at random (a quick check)"
    )
    args = parser.parse_args(argv)
    device = resolve_device(args.device)
    windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
    windows = windows.subset(windows.metadata["condition"].isin([0, 1]).to_numpy())
    if args.n_windows:
        rng = np.random.default_rng(args.seed)
        windows = windows.subset(
            np.sort(rng.choice(len(windows), args.n_windows, replace=False))
        )
    y = windows.y.to_numpy()
    classes = [np.unique(y[:, t]) for t in range(y.shape[1])]
    codes = np.column_stack(
        [np.searchsorted(classes[t], y[:, t]) for t in range(y.shape[1])]
    ).astype(np.int64)
    n_classes = tuple(len(c) for c in classes)
    print(
        f"{len(windows)} windows x {windows.length} samples, device {device}, "
        f"{torch.get_num_threads()} threads, {args.epochs} epochs each"
    )
    reference = reference_loop(
        windows.X, codes, n_classes, args.epochs, args.batch_size, args.seed, device
    )
    ours = ResNetClassifier(
        max_epochs=args.epochs,
        batch_size=args.batch_size,
        validation=None,
        early_stopping_patience=None,
        lr_scheduler=None,
        gradient_clip=None,
        random_state=args.seed,
        device=device,
    ).fit(windows.X, y)
    ours_durations = list(ours.history_[:, "dur"])
    # The first epoch of each warms up kernels; report the mean of the rest.
    ref_s = float(np.mean(reference[1:] or reference))
    our_s = float(np.mean(ours_durations[1:] or ours_durations))
    table = pd.DataFrame(
        [
            {"training": "reference loop (z-score per batch)", "s/epoch": ref_s},
            {"training": "ResNetClassifier", "s/epoch": our_s},
        ]
    )
    print(table.to_markdown(index=False, floatfmt=".2f"))
    print(f"\nratio ResNetClassifier / reference = {our_s / ref_s:.3f} (target <= 1.0)")
    return table


if __name__ == "__main__":
    main()
