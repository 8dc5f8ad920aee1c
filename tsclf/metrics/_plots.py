"""matplotlib figures: confusion matrices, training curves, example windows.

matplotlib is imported inside each function (``pip install tsclf[plot]``).
Figures are created through pyplot, as scikit-learn's displays are, so they
show in notebooks and scripts; close them with ``plt.close(figure)`` when
making many.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from tsclf.metrics._report import multitask_classification_report
from tsclf.metrics._scorers import _columns
from tsclf.utils.validation import check_positive_int


def _figure(n_panels: int, ncols: int, panel_size: tuple[float, float]):
    import matplotlib.pyplot as plt

    nrows = -(-n_panels // ncols)
    figure = plt.figure(
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows), layout="constrained"
    )
    axes = figure.subplots(nrows, ncols, squeeze=False).ravel()
    for unused in axes[n_panels:]:
        unused.set_axis_off()
    return figure, axes[:n_panels]


def plot_confusion_matrices(
    y_true,
    y_pred,
    *,
    tasks: Sequence[str] | None = None,
    normalize: bool = False,
):
    """Draw one confusion matrix per task, side by side.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_tasks) or (n_samples,)
        True and predicted labels; DataFrames name the tasks.
    tasks : sequence of str, default=None
        Task names, as in :func:`multitask_classification_report`.
    normalize : bool, default=False
        Show each true class's row as fractions instead of counts.

    Returns
    -------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from tsclf.metrics import plot_confusion_matrices
    >>> figure = plot_confusion_matrices(
    ...     [["fault", "IR"], ["normal", "n/a"]], [["fault", "IR"], ["fault", "B"]],
    ...     tasks=["detection", "location"],
    ... )
    >>> [axes.get_title() for axes in figure.axes[:2]]
    ['detection (accuracy 0.50)', 'location (accuracy 0.50)']
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    report = multitask_classification_report(y_true, y_pred, tasks=tasks)
    n_tasks = len(report.confusion_matrices)
    figure, axes = _figure(n_tasks, n_tasks, (4.0, 3.6))
    for ax, (task, counts) in zip(axes, report.confusion_matrices.items(), strict=True):
        matrix = counts.to_numpy().astype(float)
        if normalize:
            matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        display = ConfusionMatrixDisplay(matrix, display_labels=counts.columns)
        display.plot(ax=ax, colorbar=False, values_format=".2f" if normalize else ".0f")
        ax.set_title(f"{task} (accuracy {report.summary.loc[task, 'accuracy']:.2f})")
    return figure


# What a validation score in the history measures, for the axis label.
_SCORE_LABELS = {
    "valid_acc": "validation joint accuracy",
}


def plot_training_curves(history, *, keys: Sequence[str] | None = None):
    """Plot the training and validation losses and the validation score.

    Parameters
    ----------
    history : fitted deep estimator, skorch History or list of dict
        A fitted :mod:`tsclf.classification` or :mod:`tsclf.regression`
        estimator (its ``history_`` is used) or the history itself.
    keys : sequence of str, default=None
        Entries to plot. By default the ``*_loss`` entries share one panel
        and each ``valid_*`` score gets its own, labelled with what it
        measures (``valid_acc`` is the joint accuracy: every task right); batch
        counts, timings and the learning rate are left out (name them, e.g.
        ``keys=["train_loss", "event_lr"]``, to see them).

    Returns
    -------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from tsclf.metrics import plot_training_curves
    >>> history = [
    ...     {"epoch": 1, "train_loss": 1.2, "valid_loss": 1.1, "valid_acc": 0.5,
    ...      "train_batch_count": 10, "valid_batch_count": 3, "event_lr": 1e-3},
    ...     {"epoch": 2, "train_loss": 0.8, "valid_loss": 0.9, "valid_acc": 0.7,
    ...      "train_batch_count": 10, "valid_batch_count": 3, "event_lr": 1e-3},
    ... ]
    >>> figure = plot_training_curves(history)
    >>> [axes.get_ylabel() for axes in figure.axes]
    ['loss', 'validation joint accuracy']
    >>> [line.get_label() for line in figure.axes[0].lines]
    ['train_loss', 'valid_loss']
    """
    history = list(getattr(history, "history_", history))
    if not history:
        raise ValueError("The history is empty: fit the estimator first.")
    epochs = [row.get("epoch", i + 1) for i, row in enumerate(history)]
    if keys is None:
        keys = [
            key
            for key, value in history[0].items()
            if (key.endswith("_loss") or key.startswith("valid_"))
            and not key.endswith(("_best", "_count"))
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ]
    else:
        if isinstance(keys, str):
            keys = [keys]
        recorded = set().union(*(row.keys() for row in history))
        unknown = [key for key in keys if key not in recorded]
        if unknown:
            raise ValueError(
                f"keys {unknown} are not in the history; it records {sorted(recorded)}."
            )
    losses = [key for key in keys if key.endswith("_loss")]
    others = [key for key in keys if key not in losses]
    panels = ([losses] if losses else []) + [[key] for key in others]
    if not panels:
        raise ValueError("No numeric per-epoch entries to plot.")
    figure, axes = _figure(len(panels), len(panels), (4.2, 3.2))
    for ax, panel in zip(axes, panels, strict=True):
        for key in panel:
            ax.plot(epochs, [row.get(key, np.nan) for row in history], label=key)
        ax.set_xlabel("epoch")
        ax.set_ylabel(
            "loss" if panel is losses else _SCORE_LABELS.get(panel[0], panel[0])
        )
        if len(panel) > 1:
            ax.legend()
    return figure


def plot_windows(
    X,
    y_true,
    y_pred=None,
    *,
    n_windows: int = 12,
    ncols: int = 4,
    sampling_rate: float | None = None,
    random_state: int | None = None,
):
    """Draw example windows with their true (and predicted) labels.

    Titles give the true labels of every task, and the predicted ones when
    given; a wrong prediction is drawn in red.

    Parameters
    ----------
    X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        The first channel is drawn.
    y_true : array-like of shape (n_windows,) or (n_windows, n_tasks)
    y_pred : array-like of the same shape, default=None
    n_windows : int, default=12
        Number of windows drawn, picked at random.
    ncols : int, default=4
        Panels per row.
    sampling_rate : float, default=None
        Draw against seconds instead of sample numbers.
    random_state : int, default=None
        Seed of the random pick.

    Returns
    -------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.metrics import plot_windows
    >>> X = np.random.default_rng(0).normal(size=(6, 100))
    >>> y = ["normal", "fault"] * 3
    >>> figure = plot_windows(X, y, y[::-1], n_windows=4, ncols=2, random_state=0)
    >>> len(figure.axes), figure.axes[0].get_title().splitlines()[0]
    (4, 'true: fault')
    """
    X = np.asarray(X)
    series = X[:, 0] if X.ndim == 3 else X
    true = _columns(y_true)
    pred = None if y_pred is None else _columns(y_pred)
    if len(series) != len(true) or (pred is not None and pred.shape != true.shape):
        raise ValueError("X, y_true and y_pred must describe the same windows.")
    n_windows = check_positive_int(n_windows, "n_windows")
    ncols = check_positive_int(ncols, "ncols")
    if len(series) == 0:
        raise ValueError("X holds no windows to plot.")
    rng = np.random.default_rng(random_state)
    n_windows = min(n_windows, len(series))
    chosen = np.sort(rng.choice(len(series), n_windows, replace=False))
    figure, axes = _figure(n_windows, min(ncols, n_windows), (3.2, 2.2))
    time = np.arange(series.shape[1])
    if sampling_rate is not None:
        time = time / sampling_rate
    for ax, index in zip(axes, chosen, strict=True):
        wrong = pred is not None and np.any(pred[index] != true[index])
        ax.plot(time, series[index], color="tab:red" if wrong else "tab:blue", lw=0.6)
        title = "true: " + " / ".join(map(str, true[index]))
        if pred is not None:
            title += "\npred: " + " / ".join(map(str, pred[index]))
        ax.set_title(title, fontsize=8, color="tab:red" if wrong else "black")
        ax.tick_params(labelsize=7)
    return figure


def plot_envelope_spectrum(
    frequencies,
    spectrum,
    fault_frequencies: dict[str, float] | None = None,
    *,
    n_harmonics: int = 3,
    title: str | None = None,
):
    """Draw an envelope spectrum with a bearing's fault frequencies marked.

    What the analyst reads to name a fault: the lines of the squared
    envelope spectrum (:class:`~tsclf.transformers.SquaredEnvelopeSpectrum`)
    against the characteristic frequencies and their harmonics
    (:func:`~tsclf.transformers.bearing_frequencies`), each kind of fault in
    its own colour, harmonics dashed.

    Parameters
    ----------
    frequencies : array-like of shape (n_bins,)
        Envelope frequencies (Hz or orders).
    spectrum : array-like of shape (n_bins,)
    fault_frequencies : dict of str to float, default=None
        Name to frequency, in the unit of ``frequencies``.
    n_harmonics : int, default=3
        Harmonics marked for each fault frequency.
    title : str, default=None

    Returns
    -------
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.metrics import plot_envelope_spectrum
    >>> frequencies = np.arange(1, 101) * 10.0
    >>> spectrum = np.where(frequencies % 160 == 0, 5.0, 1.0)
    >>> figure = plot_envelope_spectrum(frequencies, spectrum, {"BPFI": 160.0})
    >>> figure.axes[0].get_legend().get_texts()[1].get_text()
    'BPFI 160'
    """
    frequencies = np.asarray(frequencies, dtype=float).reshape(-1)
    spectrum = np.asarray(spectrum, dtype=float).reshape(-1)
    if frequencies.shape != spectrum.shape:
        raise ValueError(
            f"frequencies ({frequencies.size}) and spectrum ({spectrum.size}) "
            "must have one value per bin each."
        )
    figure, (ax,) = _figure(1, 1, (7.0, 3.0))
    ax.plot(frequencies, spectrum, color="black", lw=0.8, label="envelope spectrum")
    colours = itertools.cycle(
        ("tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple")
    )
    for (name, frequency), colour in zip(
        (fault_frequencies or {}).items(), colours, strict=False
    ):
        for harmonic in range(1, n_harmonics + 1):
            at = frequency * harmonic
            if at > frequencies.max():
                break
            ax.axvline(
                at,
                color=colour,
                lw=1.0,
                ls="-" if harmonic == 1 else "--",
                alpha=0.8,
                label=f"{name} {frequency:.4g}" if harmonic == 1 else None,
            )
    ax.set_xlim(0, frequencies.max())
    ax.set_xlabel("envelope frequency")
    ax.set_ylabel("squared envelope spectrum")
    ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title, fontsize=9)
    return figure
