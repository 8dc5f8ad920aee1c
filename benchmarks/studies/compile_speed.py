"""Does ``compile=True`` (torch.compile) speed up training on this CPU?

For each network, one training step (forward, loss, backward, AdamW) on a
batch of CWRU-sized windows, eager and compiled by :func:`torch.compile`:
the compile time (the first compiled step), the time per step after
warm-up (median of ``--steps``), and after how many steps compiling pays
for itself. A fit of 50 epochs of 29 batches (a leave-one-load-out fold at
batch 64) runs about 1,450 steps.

Run: ``TORCHINDUCTOR_CACHE_DIR=$(mktemp -d) python -m
benchmarks.studies.compile_speed --out docs/results/compile`` (a fresh
cache: torch keeps compiled kernels on disk, and a warm cache compiles in
a fraction of the time).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.outputs import provenance, save_side_results

NETWORKS = ("CNN", "ResNet1d", "LITE", "InceptionTime")


def step_times(network, X, targets, steps: int) -> tuple[float, float]:
    """The first step's time and the median of ``steps`` later ones."""
    import torch

    optimizer = torch.optim.AdamW(network.parameters())
    loss = torch.nn.CrossEntropyLoss()

    def step() -> float:
        start = time.perf_counter()
        optimizer.zero_grad()
        outputs = network(X)
        total = sum(loss(out, t) for out, t in zip(outputs, targets, strict=True))
        total.backward()
        optimizer.step()
        return time.perf_counter() - start

    first = step()
    step()  # settles the allocator (and a recompile for the backward, if any)
    return first, float(np.median([step() for _ in range(steps)]))


def main(argv: list[str] | None = None) -> pd.DataFrame:
    import torch

    from tsclf import networks

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", nargs="+", default=list(NETWORKS))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--length", type=int, default=1200)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(args.batch_size, 1, args.length, generator=generator)
    n_outputs = (2, 4, 4)
    targets = [torch.randint(0, n, (args.batch_size,)) for n in n_outputs]
    rows = []
    for name in args.networks:
        torch.manual_seed(0)
        network = getattr(networks, name)(1, args.length, n_outputs)
        _, eager = step_times(network, X, targets, args.steps)
        compiled = torch.compile(network)
        first, fast = step_times(compiled, X, targets, args.steps)
        saved = eager - fast
        rows.append(
            {
                "network": name,
                "eager_s_per_step": eager,
                "compiled_s_per_step": fast,
                "speed_up": eager / fast,
                "compile_s": first - fast,
                "steps_to_pay_off": (first - fast) / saved if saved > 0 else np.inf,
            }
        )
        print(rows[-1], flush=True)
        torch._dynamo.reset()  # each network compiles afresh
    table = pd.DataFrame(rows)
    summary = "\n\n".join(
        [
            provenance("benchmarks.studies.compile_speed", argv),
            f"{torch.get_num_threads()} torch threads; one training step "
            f"(forward, loss, backward, AdamW) on {args.batch_size} windows of "
            f"{args.length} samples, three heads; median of {args.steps} steps "
            "after two warm-up steps. compile_s: the first compiled step "
            "less a compiled step; steps_to_pay_off: compile_s over the time "
            "a step saves (inf: compiling never pays).",
            table.to_markdown(index=False, floatfmt=".3f"),
        ]
    )
    save_side_results(table, summary + "\n", args.out)
    return table


if __name__ == "__main__":
    main()
