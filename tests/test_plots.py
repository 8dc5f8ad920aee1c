from __future__ import annotations

import numpy as np
import pytest

from estimator_params import tiny

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from tsclf.metrics import (  # noqa: E402
    plot_confusion_matrices,
    plot_training_curves,
    plot_windows,
)


@pytest.fixture(autouse=True)
def close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


Y_TRUE = np.array([["fault", "IR"], ["fault", "B"], ["normal", "n/a"], ["fault", "IR"]])
Y_PRED = np.array(
    [["fault", "IR"], ["fault", "IR"], ["normal", "n/a"], ["normal", "n/a"]]
)


def test_confusion_matrices_one_panel_per_task(tmp_path):
    figure = plot_confusion_matrices(
        Y_TRUE, Y_PRED, tasks=["detection", "location"], normalize=True
    )
    titled = [ax for ax in figure.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == [
        "detection (accuracy 0.75)",
        "location (accuracy 0.50)",
    ]
    # Normalised rows: true IR was predicted IR once and n/a once.
    location = titled[1]
    texts = {text.get_text() for text in location.texts}
    assert {"0.50", "1.00", "0.00"} <= texts
    figure.savefig(tmp_path / "confusion.png")
    assert (tmp_path / "confusion.png").stat().st_size > 0


def test_training_curves_from_a_fitted_estimator():
    from tsclf.classification import MLPClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 16)).astype(np.float32)
    y = (X[:, :4].sum(axis=1) > 0).astype(int)
    model = tiny(MLPClassifier).fit(X, y)
    figure = plot_training_curves(model)
    loss = figure.axes[0]
    assert loss.get_ylabel() == "loss"
    labels = [line.get_label() for line in loss.get_lines()]
    assert labels == ["train_loss", "valid_loss"]
    np.testing.assert_allclose(
        loss.get_lines()[0].get_ydata(), model.history_[:, "train_loss"]
    )
    # The validation score says what it is; batch counts and the learning
    # rate stay out unless asked for.
    assert [ax.get_ylabel() for ax in figure.axes] == [
        "loss",
        "validation joint accuracy",
    ]
    assert {"train_batch_count", "event_lr"} <= set(model.history_[0])
    asked = plot_training_curves(model, keys=["train_loss", "event_lr"])
    assert [ax.get_ylabel() for ax in asked.axes] == ["loss", "event_lr"]
    with pytest.raises(ValueError, match="history is empty"):
        plot_training_curves([])


def test_windows_grid_marks_wrong_predictions():
    X = np.arange(4 * 30, dtype=float).reshape(4, 1, 30)
    figure = plot_windows(X, Y_TRUE, Y_PRED, n_windows=4, ncols=2, sampling_rate=10.0)
    assert len(figure.axes) == 4
    titles = [ax.get_title() for ax in figure.axes]
    assert titles[1] == "true: fault / B\npred: fault / IR"
    colours = [ax.title.get_color() for ax in figure.axes]
    assert colours == ["black", "tab:red", "black", "tab:red"]
    line = figure.axes[2].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), X[2, 0])
    np.testing.assert_allclose(line.get_xdata()[-1], 2.9)
    with pytest.raises(ValueError, match="same windows"):
        plot_windows(X, Y_TRUE[:3])
