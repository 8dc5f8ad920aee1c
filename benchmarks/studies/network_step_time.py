"""What a network costs on this machine: seconds per training step and per prediction.

Builds each classifier's network at its defaults for one-channel windows
of ``--length`` samples and CWRU's three heads, and times on random
input of one batch:

- a training step: forward, the three cross-entropy losses, backward and
  an AdamW step (median of ``--repeats`` after one warm-up step);
- a prediction: the forward pass in evaluation mode, without gradients;
- the arithmetic of a forward pass (torch's ``FlopCounterMode``: matrix
  products and convolutions) and the rate a training step runs at, taking
  its backward pass as twice the forward;
- the operator that takes the largest share of a training step's time
  (torch's profiler, self time of its ``aten`` operators).

It prints the parameter count, both times and each network's training-step
time relative to InceptionTime's (when it is timed), with ``--threads``
torch threads. The time of a fit follows from it: steps per epoch are the
training windows over the batch size. No data are read and nothing is
learnt, so the figures say what the architecture costs, not how well it
classifies.

Usage::

    python -m benchmarks.studies.network_step_time [--classifiers CNNClassifier
        LITEClassifier InceptionTimeClassifier ResNetClassifier]
        [--length 1200] [--batch-size 64] [--threads 1] [--repeats 5]
        [--out docs/results/network-cost]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd
import torch

from benchmarks.outputs import provenance, save_side_results
from tsclf import classification

HEADS = (2, 4, 4)  # detection, location, size on CWRU
DEFAULT_CLASSIFIERS = (
    "CNNClassifier",
    "LITEClassifier",
    "ResNetClassifier",
    "InceptionTimeClassifier",
)


def network_of(name: str, length: int) -> torch.nn.Module:
    """The network ``name``'s estimator builds at its defaults."""
    estimator = getattr(classification, name)()
    settings = {
        key.removeprefix("module__"): value
        for key, value in estimator.get_params().items()
        if key.startswith("module__")
    }
    return estimator.module(
        n_channels=1, n_timepoints=length, n_outputs=HEADS, **settings
    )


def median_seconds(step, repeats: int) -> float:
    step()  # warm-up: allocations and kernel choice
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def time_network(name: str, args) -> dict:
    torch.manual_seed(0)
    network = network_of(name, args.length)
    optimizer = torch.optim.AdamW(network.parameters(), lr=1e-3)
    X = torch.randn(args.batch_size, 1, args.length)
    targets = [torch.randint(n, (args.batch_size,)) for n in HEADS]

    def train_step() -> None:
        network.train()
        optimizer.zero_grad()
        outputs = network(X)
        loss = sum(
            torch.nn.functional.cross_entropy(output, target)
            for output, target in zip(outputs, targets, strict=True)
        )
        loss.backward()
        optimizer.step()

    def predict() -> None:
        network.eval()
        with torch.no_grad():
            network(X)

    return {
        "classifier": name,
        "parameters": sum(p.numel() for p in network.parameters()),
        "train_step_s": median_seconds(train_step, args.repeats),
        "predict_s": median_seconds(predict, args.repeats),
        "forward_gflop": step_flop(predict) / 1e9,
        **costliest_operator(train_step),
    }


def step_flop(step) -> int:
    """Floating-point operations of one ``step`` (torch's count of its
    matrix products and convolutions).

    Counted on forward passes only: torch 2.13's counter takes the backward
    pass of a grouped convolution for a dense one (113 times the work for
    LITE's depthwise layer).
    """
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        step()
    return counter.get_total_flops()


def costliest_operator(step) -> dict:
    """The operator that takes the largest share of one profiled ``step``."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        step()
    operators = [e for e in profiler.key_averages() if e.key.startswith("aten::")]
    total = sum(e.self_cpu_time_total for e in operators)
    top = max(operators, key=lambda e: e.self_cpu_time_total)
    return {
        "costliest_op": top.key.removeprefix("aten::"),
        "costliest_op_share": top.self_cpu_time_total / total,
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifiers", nargs="+", default=list(DEFAULT_CLASSIFIERS))
    parser.add_argument("--length", type=int, default=1200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    table = pd.DataFrame([time_network(name, args) for name in args.classifiers])
    # What a training step's arithmetic runs at (its backward pass taken as
    # twice the forward): low where memory traffic, not arithmetic, bounds it.
    table["train_gflop_per_s"] = 3 * table["forward_gflop"] / table["train_step_s"]
    if "InceptionTimeClassifier" in set(table["classifier"]):
        inception = table.set_index("classifier").loc["InceptionTimeClassifier"]
        table["train_step_vs_inception"] = (
            table["train_step_s"] / inception["train_step_s"]
        )
    summary = "\n".join(
        [
            provenance("benchmarks.studies.network_step_time", argv),
            "",
            f"{args.threads} torch thread(s), batch "
            f"{args.batch_size}, windows of {args.length} samples, one channel.",
            "",
            table.to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
    )
    save_side_results(table, summary, args.out)
    return table


if __name__ == "__main__":
    main()
