"""Tables and figures from the benchmark results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE = Path(__file__).parent / "reference" / "ucr_published.csv"
METRIC_COLUMNS = (
    "acc_detection",
    "acc_location",
    "acc_size",
    "f1_detection",
    "f1_location",
    "f1_size",
    "joint_acc",
    "fit_s",
    "predict_windows_per_s",
    "peak_mb",
    "epochs",
)
# Published models next to ours, by our model name.
PUBLISHED_TWIN = {
    "mlp": "MLP",
    "fcn": "FCN",
    "resnet": "ResNet",
    "resnet-fullres": "ResNet",
    "inception": "InceptionTime",
    "minirocket": "MiniRocket",
}


def cwru_table(results: pd.DataFrame, metric: str = "joint_acc") -> pd.DataFrame:
    """Mean over folds and seeds, one row per model, best ``metric`` first.

    With several seeds, ``<metric>_std`` is the standard deviation over
    seeds of the per-seed mean over folds. Where results record their
    device, a column names the devices the fits ran on (``cpu+cuda``: some
    on each, so the mean fit time mixes them).
    """
    columns = [c for c in METRIC_COLUMNS if c in results]
    keys = ["model", "family"]
    table = results.groupby(keys, sort=False)[columns].mean()
    table.insert(0, "fits", results.groupby(keys, sort=False).size())
    if "device" in results:  # fit times compare only on one device
        kinds = results["device"].fillna("cpu").astype(str).str.split(":").str[0]
        devices = kinds.groupby([results[k] for k in keys], sort=False)
        table.insert(1, "device", devices.agg(lambda d: "+".join(sorted(set(d)))))
    if results["seed"].nunique() > 1:
        per_seed = results.groupby([*keys, "seed"], sort=False)[metric].mean()
        spread = per_seed.groupby(level=keys, sort=False).std()
        table.insert(table.columns.get_loc(metric) + 1, f"{metric}_std", spread)
    return table.sort_values(metric, ascending=False).reset_index()


def shift_table(results: pd.DataFrame, headline: dict[str, str]) -> pd.DataFrame:
    """One row per model, one column per protocol: its headline score.

    Each cell is the mean over folds and seeds ± the standard deviation over
    seeds (of the per-seed mean over folds), with the number of seeds, over
    the seeds that ran every fold of the protocol: a mean over some folds
    is not comparable with one over all. A model with no such seed shows
    its mean over the fits it has, with how many of the folds they cover.
    Mean fit time and prediction throughput follow, those of fits on a GPU
    (``device`` ``cuda...``) in columns of their own.
    """
    cells = {}
    for protocol, part in results.groupby("protocol", sort=False):
        metric = headline.get(protocol, "joint_acc")
        complete = _complete_seed_means(part, metric)
        column = {}
        for model, fits in part.groupby("model", sort=False):
            if model in complete:
                column[model] = _spread_cell(complete[model])
            else:
                folds, n_folds = fits["fold"].nunique(), part["fold"].nunique()
                column[model] = (
                    f"{fits[metric].mean():.3f} ({folds} of {n_folds} folds)"
                )
        cells[f"{protocol} ({metric})"] = column
    table = pd.DataFrame(cells)
    # Times compare only on one device: GPU-trained fits get columns of their own.
    on_gpu = results.get("device", pd.Series("", index=results.index))
    on_gpu = on_gpu.astype(str).str.startswith("cuda")
    for suffix, part in (("", results[~on_gpu]), (" (cuda)", results[on_gpu])):
        if len(part):
            by_model = part.groupby("model")
            table[f"fit_s{suffix}"] = by_model["fit_s"].mean().round(1)
            throughput = by_model["predict_windows_per_s"].mean().round(0)
            table[f"predict_windows_per_s{suffix}"] = throughput
    return table.fillna("").rename_axis("model").reset_index()


def _complete_seed_means(part: pd.DataFrame, metric: str) -> pd.Series:
    """Per (model, seed): the mean of ``metric`` over folds, for the seeds
    that ran every fold of ``part`` (a mean over fewer is not comparable)."""
    per_seed = part.groupby(["model", "seed"], sort=False)[metric]
    per_seed = per_seed.agg(["mean", "count"])
    return per_seed.loc[per_seed["count"] == part["fold"].nunique(), "mean"]


def _spread_cell(values: pd.Series, sign: str = "") -> str:
    """``mean ± std (n)`` over seeds; ``mean (1)`` for one seed."""
    if len(values) == 1:
        return f"{values.iloc[0]:{sign}.3f} (1)"
    return f"{values.mean():{sign}.3f} ± {values.std():.3f} ({len(values)})"


def ablation_table(
    results: pd.DataFrame,
    steps: tuple[tuple[str, str, str], ...],
    headline: dict[str, str],
) -> pd.DataFrame:
    """What each change adds: one row per step, one column per protocol.

    A cell is the gain of ``to`` over ``from`` in the protocol's headline
    score, paired by seed: per seed, the mean over folds of ``to`` minus that
    of ``from``, on the seeds where both ran every fold of the protocol;
    then the mean ± the standard deviation over those seeds (their number in
    brackets). Pairing by seed compares fits that shuffled their batches
    alike. Steps with no such seed on any protocol are left out.
    """
    columns: dict[str, dict[str, str]] = {}
    for protocol, part in results.groupby("protocol", sort=False):
        metric = headline.get(protocol, "joint_acc")
        complete = _complete_seed_means(part, metric)
        cells = {}
        for base, variant, change in steps:
            if base not in complete or variant not in complete:
                continue
            gains = (complete[variant] - complete[base]).dropna()
            if len(gains):
                cells[change] = _spread_cell(gains, sign="+")
        columns[f"{protocol} ({metric})"] = cells
    table = pd.DataFrame(columns)
    order = [change for *_, change in steps if change in table.index]
    named = {change: f"{base} → {variant}" for base, variant, change in steps}
    table = table.loc[order].fillna("")
    table.insert(0, "models", [named[change] for change in order])
    return table.rename_axis("change").reset_index()


def fold_table(results: pd.DataFrame, metric: str = "joint_acc") -> pd.DataFrame:
    """One row per model: ``metric`` on each fold and the mean, best first.

    Folds not run yet are blank, and so is the mean of a model that lacks one.

    Where a held-out curve was recorded (deep models under
    leave-one-load-out), the range of the held-out accuracy over each fold's
    last five epochs follows: a narrow range means training has settled.
    """
    table = results.pivot_table(
        index="model", columns="fold", values=metric, aggfunc="mean", sort=False
    )
    # A model with a fold still to run has no mean yet.
    table["mean"] = table.mean(axis=1, skipna=False)
    if "last5_min" in results:
        curves = results.dropna(subset=["last5_min"])
        ranges = curves.assign(
            cell=[
                f"{low:.3f} to {high:.3f}"
                for low, high in zip(
                    curves["last5_min"], curves["last5_max"], strict=True
                )
            ]
        ).pivot(index="model", columns="fold", values="cell")
        ranges.columns = [f"{fold}, last 5 epochs" for fold in ranges.columns]
        table = table.join(ranges)
    table = table.sort_values("mean", ascending=False).round(3)
    return table.astype(object).where(table.notna(), "").reset_index()


def ucr_table(results: pd.DataFrame) -> pd.DataFrame:
    """Accuracy mean ± std over seeds per data set and model, beside published."""
    grouped = results.groupby(["dataset", "model"], sort=False)["acc_class"]
    summary = grouped.agg(["mean", "std", "count"]).reset_index()
    cells = summary.assign(
        cell=[
            f"{m:.3f} ± {0.0 if np.isnan(s) else s:.3f} ({n})"
            for m, s, n in zip(
                summary["mean"], summary["std"], summary["count"], strict=True
            )
        ]
    )
    table = cells.pivot(index="dataset", columns="model", values="cell")
    published = pd.read_csv(REFERENCE)
    wide = published.pivot(index="dataset", columns="method", values="accuracy")
    wide.columns = [f"published {name}" for name in wide.columns]
    return table.join(wide, how="left").fillna("").reset_index()


def published_gaps(results: pd.DataFrame) -> pd.DataFrame:
    """Our mean accuracy minus the published one, for models with a twin."""
    published = pd.read_csv(REFERENCE).set_index(["dataset", "method"])["accuracy"]
    ours = results.groupby(["dataset", "model"])["acc_class"].mean()
    rows = []
    for (dataset, model), accuracy in ours.items():
        twin = PUBLISHED_TWIN.get(model)
        if twin and (dataset, twin) in published.index:
            reference = published[(dataset, twin)]
            rows.append(
                {
                    "dataset": dataset,
                    "model": model,
                    "ours": accuracy,
                    "published": reference,
                    "gap (points)": 100 * (accuracy - reference),
                }
            )
    return pd.DataFrame(rows)


def plot_accuracy_vs_fit_time(results: pd.DataFrame, metric: str, title: str):
    """Scatter of mean accuracy against mean fit time, one point per model."""
    from matplotlib.figure import Figure

    means = results.groupby(["model", "family"])[[metric, "fit_s"]].mean()
    figure = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = figure.subplots()
    colours = {"classical": "tab:green", "anchor": "tab:orange", "deep": "tab:blue"}
    labels = []
    for (model, family), row in means.iterrows():
        ax.scatter(row["fit_s"], row[metric], color=colours.get(family, "gray"))
        labels.append(
            ax.annotate(
                model,
                (row["fit_s"], row[metric]),
                xytext=(4, 2),
                textcoords="offset points",
                fontsize=8,
            )
        )
    ax.set_xscale("log")
    ax.margins(x=0.1, y=0.1)  # room for labels moved off their points
    ax.set_xlabel("mean fit time per fold (s, log scale)")
    ax.set_ylabel(metric)
    ax.set_title(title)
    for family, colour in colours.items():
        ax.scatter([], [], color=colour, label=family)
    ax.legend(loc="best", fontsize=8)
    _separate_labels(figure, labels)
    return figure


def _separate_labels(figure, labels, step_points: float = 3.0) -> None:
    """Move point labels up or down until no two overlap (first come, first placed).

    Each label keeps its point's x and moves in steps of ``step_points``,
    alternately above and below its place, to the nearest free spot; an
    arrow-free leader is not needed at these distances.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    placed = []
    for label in sorted(labels, key=lambda text: text.xy[1]):
        x, y = label.get_position()
        for attempt in range(200):
            shift = step_points * ((attempt + 1) // 2) * (1 if attempt % 2 else -1)
            label.set_position((x, y + shift))
            box = label.get_window_extent(renderer).expanded(1.02, 1.1)
            if not any(box.overlaps(other) for other in placed):
                break
        placed.append(box)


def plot_best_confusion(
    results: pd.DataFrame,
    problem_tasks: list[str],
    title: str,
    metric: str = "joint_acc",
):
    """Confusion matrices of the best model (by ``metric``), folds pooled."""
    from tsclf.metrics import plot_confusion_matrices

    best = results.groupby("model")[metric].mean().idxmax()
    rows = results[results["model"] == best]
    y_true = np.concatenate([np.asarray(t) for t in rows["true"]])
    y_pred = np.concatenate([np.asarray(p) for p in rows["predicted"]])
    figure = plot_confusion_matrices(
        y_true, y_pred, tasks=problem_tasks, normalize=True
    )
    figure.suptitle(f"{title}: {best}")
    return figure
