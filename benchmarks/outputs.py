"""Writing a run's results: the CSV, the Markdown summary and the figures."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import pandas as pd

from benchmarks import report
from benchmarks.protocols import CWRU_PROTOCOLS, HEADLINE, SHIFT_PROTOCOLS
from benchmarks.suites import ABLATION_STEPS
from tsclf.datasets import TASKS as CWRU_TASKS
from tsclf.utils.hardware import cpu_model_and_flags

#: CPU flags that decide how fast float32 and bfloat16 kernels run.
SPEED_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile")


def cpu() -> str:
    """The CPU model and its speed-relevant flags, from ``/proc/cpuinfo``."""
    model, flags = cpu_model_and_flags()
    if flags is None:
        return model
    present = [flag for flag in SPEED_FLAGS if flag in flags]
    return f"{model} (flags: {' '.join(present) or 'none of ' + ' '.join(SPEED_FLAGS)})"


def machine() -> str:
    import torch

    cuda = torch.cuda.get_device_name() if torch.cuda.is_available() else "no CUDA"
    return (
        f"{platform.platform()}, {cpu()}, {os.cpu_count()} CPU cores, torch "
        f"{torch.__version__}, {cuda}"
    )


def provenance(module: str, argv: list[str] | None) -> str:
    """The head of what a study writes: the command that ran it and the host
    (with its CPU model and flags)."""
    args = sys.argv[1:] if argv is None else argv
    command = " ".join(["python -m", module, *args])
    return f"Command: `{command}`\n\nMachine: {machine()}"


def save_side_results(results: pd.DataFrame, summary: str, folder: Path | None) -> None:
    """Print a side script's summary; save it and its rows under ``folder``."""
    print(summary)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    results.to_csv(folder / "results.csv", index=False)
    (folder / "summary.md").write_text(summary)


def timing_hosts(results: pd.DataFrame) -> list[str]:
    """Lines naming the CPUs and thread counts that timed the fits, where
    their records say (records name them since December 2026)."""
    hosts = results.get("host", pd.Series(index=results.index, dtype=object))
    threads = results.get("threads", pd.Series(index=results.index, dtype=float))
    named = hosts.notna()
    if not named.any():
        return []
    counts = (
        pd.DataFrame({"host": hosts[named], "threads": threads[named].astype(int)})
        .value_counts()
        .sort_index()
    )
    listed = "; ".join(
        f"{host}, {n_threads} thread(s): {n} fits"
        for (host, n_threads), n in counts.items()
    )
    unnamed = int((~named).sum())
    rest = f"; {unnamed} older fits do not say." if unnamed else "."
    return [f"Timed on: {listed}{rest}", ""]


def write_outputs(results: pd.DataFrame, folder: Path, command: str) -> str:
    """Print and save tables and figures; return the Markdown summary."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    results.drop(columns=["predicted", "true", "curve"], errors="ignore").to_csv(
        folder / "results.csv", index=False
    )
    lines = [f"Command: `{command}`", "", f"Machine: {machine()}", ""]
    if results.attrs.get("missing"):
        done = results.attrs["planned"] - results.attrs["missing"]
        lines += [
            f"Partial: {done} of the {results.attrs['planned']} fits of this "
            "command have run; the tables show those.",
            "",
        ]
    lines += [
        f"Fit time of these {len(results)} fits: "
        f"{results['fit_s'].sum() / 3600:.2f} h in all.",
        "",
    ]
    if "device" in results:
        on_gpu = results[results["device"].astype(str).str.startswith("cuda")]
        if len(on_gpu):
            pairs = sorted(set(zip(on_gpu["model"], on_gpu["protocol"], strict=True)))
            lines += [
                f"Trained on a GPU ({len(on_gpu)} fits; their fit times are GPU "
                "times, not comparable with the others): "
                + ", ".join(f"{model} ({protocol})" for model, protocol in pairs)
                + ".",
                "",
            ]
    lines += timing_hosts(results)
    cwru = results[results["dataset"] == "CWRU"]
    if set(cwru["protocol"]) & set(SHIFT_PROTOCOLS):
        lines += [
            "## Under shift: every protocol at a glance",
            "",
            "Headline score per protocol, mean over folds and seeds ± the "
            "standard deviation over seeds (seeds in brackets); mean fit time "
            "per fit and prediction throughput over all protocols. Under "
            "leave-one-size-out the size task cannot transfer (the held-out "
            "size is never trained on), so location accuracy is the headline.",
            "",
            report.shift_table(cwru, HEADLINE).to_markdown(index=False),
            "",
        ]
        ablation = report.ablation_table(cwru, ABLATION_STEPS, HEADLINE)
        if len(ablation):
            lines += [
                "## Ablation: one change at a time",
                "",
                "The gain of each change in the headline score, paired by seed "
                "(per seed: the change's mean over folds minus its base's), mean "
                "± standard deviation over the seeds where both ran every fold "
                "(their number in brackets); blank where a pair has not run.",
                "",
                ablation.to_markdown(index=False),
                "",
            ]
    for protocol in [p for p in CWRU_PROTOCOLS if p in set(cwru["protocol"])]:
        part = cwru[cwru["protocol"] == protocol]
        metric = HEADLINE[protocol]
        title = f"CWRU, {protocol} protocol"
        lines += [
            f"## {title}",
            "",
            "Mean over folds and seeds, best first by "
            f"{metric}. Joint accuracy: all three tasks right (10 classes). "
            "Fit time per fold; peak MB: growth of the process's resident memory "
            "during fit and predict, from a baseline taken after freed memory is "
            "handed back to the operating system.",
            "",
            report.cwru_table(part, metric).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
        if part["fold"].nunique() > 1:
            caption = f"{metric} per held-out fold, mean over seeds."
            if "last5_min" in part and part["last5_min"].notna().any():
                caption += (
                    " For deep models, the range of the held-out joint accuracy "
                    "over the last five epochs (recorded for reporting only) "
                    "shows whether training settled."
                )
            lines += [
                caption,
                "",
                report.fold_table(part, metric).to_markdown(
                    index=False, floatfmt=".3f"
                ),
                "",
            ]
        report.plot_accuracy_vs_fit_time(part, metric, title).savefig(
            folder / f"cwru_{protocol}_accuracy_vs_time.png", dpi=120
        )
        confusion = report.plot_best_confusion(part, CWRU_TASKS, title, metric)
        confusion.savefig(folder / f"cwru_{protocol}_confusion.png", dpi=120)
        plt.close(confusion)
    ucr = results[results["protocol"] == "ucr"]
    if len(ucr):
        lines += [
            "## UCR/UEA, official splits",
            "",
            "Test accuracy, mean ± std over seeds (runs). Published figures: "
            "see benchmarks/reference/SOURCES.md.",
            "",
            report.ucr_table(ucr).to_markdown(index=False),
            "",
            "Gap to the published mean of the same model (points):",
            "",
            report.published_gaps(ucr).to_markdown(index=False, floatfmt=".3f"),
            "",
        ]
        report.plot_accuracy_vs_fit_time(ucr, "acc_class", "UCR/UEA").savefig(
            folder / "ucr_accuracy_vs_time.png", dpi=120
        )
    summary = "\n".join(lines)
    (folder / "summary.md").write_text(summary + "\n")
    return summary
