"""Training behaviour of the deep estimators: validation, early stopping,
interruption, progress output and training on with ``partial_fit``."""

from __future__ import annotations

import pickle
import shutil
import signal

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

from tsclf.classification import CNNClassifier, MLPClassifier
from tsclf.datasets import make_spike_anomaly
from tsclf.model_selection import ValidationSplit
from tsclf.regression import GRURegressor

from estimator_params import tiny


def _holdout(n, y, groups, seed=0, test_size=0.2):
    X = np.zeros(n)
    cv = ValidationSplit(test_size, random_state=np.random.RandomState(seed))
    return next(cv.split(X, y, groups), None)


def test_validation_split_keeps_whole_groups():
    groups = np.repeat(np.arange(20), 5)
    y = np.repeat(np.arange(20) % 2, 5).astype(str)
    train, valid = _holdout(100, y, groups)
    assert not set(groups[train]) & set(groups[valid])
    assert set(y[valid]) == {"0", "1"}
    train, valid = _holdout(100, y, None)
    assert len(valid) == 20
    assert _holdout(3, y[:3], None) is None
    assert _holdout(100, y, np.zeros(100)) is None  # a single group


def test_history_and_verbose_output(capsys):
    X, y = make_spike_anomaly(n_samples=200, random_state=0)
    clf = MLPClassifier(max_epochs=3, random_state=0, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "train_loss" in out and "valid_loss" in out and "valid_acc" in out
    assert len(clf.history_) == clf.n_epochs_ == 3
    assert set(clf.history_[-1]) >= {
        "train_loss",
        "valid_loss",
        "valid_acc",
        "event_lr",
    }
    MLPClassifier(max_epochs=2, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""


def test_early_stopping_restores_the_best_epoch():
    X, y = make_spike_anomaly(n_samples=300, random_state=3)
    clf = MLPClassifier(
        max_epochs=60, early_stopping_patience=2, lr=0.05, random_state=0
    ).fit(X, y)
    losses = clf.history_[:, "valid_loss"]
    assert clf.n_epochs_ < 60
    best = int(np.argmin(losses))
    assert clf.n_epochs_ == best + 1 + 2


class _CtrlCAfter:
    """An augmentation that sends this process SIGINT (Ctrl-C) at its nth batch."""

    def __init__(self, batches: int) -> None:
        self.batches = batches

    def __call__(self, X, generator, y=None):
        self.batches -= 1
        if self.batches == 0:
            signal.raise_signal(signal.SIGINT)
        return X


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt, also where the shell that started
    pytest ignores it (a job started with ``&`` or ``nohup``)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_stops_fit_instead_of_returning_a_half_trained_model(ctrl_c_raises):
    # skorch alone returns from fit at Ctrl-C as if it had finished.
    X, y = make_spike_anomaly(n_samples=80, random_state=0)  # 1 batch an epoch
    clf = MLPClassifier(max_epochs=5, augmentation=[_CtrlCAfter(3)], random_state=0)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")
    # Training on with partial_fit: the epochs finished stay and are counted.
    clf = MLPClassifier(max_epochs=2, augmentation=[_CtrlCAfter(4)], random_state=0)
    clf.fit(X, y)
    with pytest.raises(KeyboardInterrupt):
        clf.partial_fit(X, y, epochs=5)
    assert clf.n_epochs_ == len(clf.history_) == 3
    # A search stops, rather than scoring the half-trained candidate and
    # going on to the next one.
    search = GridSearchCV(
        MLPClassifier(max_epochs=3, augmentation=[_CtrlCAfter(2)]),
        {"lr": [1e-3, 1e-2]},
        cv=2,
    )
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)


def test_a_callback_still_stops_training_quietly_with_keyboard_interrupt():
    # skorch's own way to stop, which EarlyStopping uses.
    class StopAfterTwo(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:
                raise KeyboardInterrupt

    X, y = make_spike_anomaly(n_samples=80, random_state=0)
    clf = MLPClassifier(max_epochs=5, callbacks=[StopAfterTwo()], random_state=0)
    assert clf.fit(X, y).n_epochs_ == 2


def test_ctrl_c_inside_a_callback_is_not_a_callback_stop(ctrl_c_raises):
    # A signal can land while a callback runs (the epoch row being printed);
    # its KeyboardInterrupt must stop fit, not end training quietly.
    class CtrlCAtEpochTwo(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:
                signal.raise_signal(signal.SIGINT)

    X, y = make_spike_anomaly(n_samples=80, random_state=0)
    clf = MLPClassifier(max_epochs=5, callbacks=[CtrlCAtEpochTwo()], random_state=0)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_progress_bar_with_verbose_2(capsys):
    X, y = make_spike_anomaly(n_samples=100, random_state=0)
    clf = MLPClassifier(max_epochs=2, random_state=0, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    assert "train_loss" in captured.out
    assert clf.n_epochs_ == 2


def test_validation_groups_never_take_a_class_from_training():
    """Ten classes of two recordings: stratifying is impossible, spreading is not."""
    groups = np.repeat(np.arange(20), 4)
    y = np.repeat(np.arange(20) // 2, 4).astype(str)  # groups 2k, 2k+1: class k
    for seed in range(20):
        train, valid = _holdout(80, y, groups, seed)
        assert set(y[train]) == set(y)  # every class still trains
        assert len(set(groups[valid])) == 4
        assert not set(groups[train]) & set(groups[valid])
    lone = np.repeat(["a", "b"], 4)
    assert _holdout(8, lone, np.repeat([0, 1], 4)) is None


def test_partial_fit_continues_training_from_the_fitted_network():
    X, y = make_spike_anomaly(n_samples=80, random_state=0)

    def trained():
        clf = CNNClassifier(max_epochs=2, validation=None, random_state=0)
        return clf.partial_fit(X, y).partial_fit(X, y, epochs=3)

    first, second = trained(), trained()
    assert first.n_epochs_ == len(first.history_) == 5
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    once = CNNClassifier(max_epochs=2, validation=None, random_state=0).fit(X, y)
    assert first.history_[-1, "train_loss"] < once.history_[-1, "train_loss"]
    assert not np.array_equal(first.predict_proba(X), once.predict_proba(X))
    with pytest.raises(ValueError, match="did not see"):
        first.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        first.partial_fit(X, y, epochs=0)
    labels = np.where(y == y[0], 7, y)
    with pytest.raises(ValueError, match=r"labels \[7\] for task 0"):
        first.partial_fit(X, labels)


def test_partial_fit_of_a_regressor_and_of_a_loaded_model(tmp_path):
    pytest.importorskip("skops")
    from tsclf.export import load_model, save_model

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 1, 16)).astype(np.float32)
    y = X.mean(axis=(1, 2))
    reg = tiny(GRURegressor, max_epochs=1, validation=None).fit(X, y)
    reg.partial_fit(X, y, epochs=2)
    assert reg.n_epochs_ == 3
    with pytest.raises(ValueError, match="fitted on 1"):
        reg.partial_fit(X, np.column_stack([y, y]))
    loaded = load_model(save_model(reg, tmp_path / "reg.tsclf"))
    with pytest.raises(ValueError, match="fit it to train again"):
        loaded.partial_fit(X, y)


def test_fits_overlapping_in_threads_are_told_they_are_not_reproducible():
    import threading
    import warnings

    from tsclf.exceptions import ThreadedFitWarning

    barrier = threading.Barrier(2, timeout=60)

    class MeetTheOther(Callback):  # both fits are inside training at once
        def on_train_begin(self, net, **kwargs):
            barrier.wait()

    X, y = make_spike_anomaly(n_samples=40, random_state=0)

    def fit():
        CNNClassifier(
            max_epochs=1, validation=None, random_state=0, callbacks=[MeetTheOther()]
        ).fit(X, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=fit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    threaded = [w for w in caught if issubclass(w.category, ThreadedFitWarning)]
    assert len(threaded) == 2
    assert "not reproducible" in str(threaded[0].message)
    # One fit at a time: no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ThreadedFitWarning)
        CNNClassifier(max_epochs=1, validation=None, random_state=0).fit(X, y)


def test_a_group_splitter_without_groups_says_how_groups_reach_fit():
    from sklearn.model_selection import GroupShuffleSplit

    X, y = make_spike_anomaly(n_samples=40, random_state=0)
    net = tiny(
        CNNClassifier, max_epochs=1, validation=GroupShuffleSplit(test_size=0.25)
    )
    with pytest.raises(ValueError, match=r"splits by groups.*metadata routing"):
        net.fit(X, y)
    groups = np.repeat(np.arange(8), 5)
    assert net.fit(X, y, groups=groups).history_[-1]["valid_loss"] > 0


def test_the_epoch_table_has_colour_codes_only_on_a_terminal(capsys, monkeypatch):
    import io
    import sys

    X, y = make_spike_anomaly(n_samples=40, random_state=0)
    net = tiny(CNNClassifier, max_epochs=2, verbose=1, validation=None)
    net.fit(X, y)
    logged = capsys.readouterr().out
    assert "train_loss" in logged and "\x1b[" not in logged

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    net.fit(X, y)
    assert "\x1b[" in terminal.getvalue()  # skorch colours the best loss


@pytest.mark.skipif(
    shutil.which("c++") is None and shutil.which("g++") is None,
    reason="torch.compile needs a C++ compiler",
)
def test_compiled_training_learns_what_eager_training_learns(tmp_path):
    X, y = make_spike_anomaly(n_samples=64, length=64, random_state=0)
    # No dropout: compiled kernels draw their own random masks.
    settings = dict(
        max_epochs=3,
        validation=None,
        random_state=0,
        batch_size=16,
        module__dropout=0.0,
    )
    eager = CNNClassifier(**settings).fit(X, y)
    compiled = CNNClassifier(compile=True, **settings).fit(X, y)
    # The same seed: the same batches and weights, up to the compiled
    # kernels' float rounding.
    np.testing.assert_allclose(
        compiled.predict_proba(X), eager.predict_proba(X), atol=1e-4
    )
    # The fitted network is the plain module: it pickles, saves and adapts.
    assert type(compiled.net_.module_) is type(eager.net_.module_)
    assert not compiled.net_.compile
    again = pickle.loads(pickle.dumps(compiled))
    np.testing.assert_array_equal(again.predict(X), compiled.predict(X))
    compiled.partial_fit(X, y, epochs=1)
    assert compiled.n_epochs_ == 4


def test_warm_start_fit_continues_as_partial_fit_does():
    X, y = make_spike_anomaly(n_samples=60, random_state=0)
    settings = dict(max_epochs=2, validation=None, random_state=0)
    warm = MLPClassifier(warm_start=True, **settings).fit(X, y).fit(X, y)
    assert warm.n_epochs_ == 4
    continued = MLPClassifier(**settings).fit(X, y).partial_fit(X, y)
    np.testing.assert_array_equal(warm.predict_proba(X), continued.predict_proba(X))
    # Without warm_start, a second fit starts afresh.
    cold = MLPClassifier(**settings).fit(X, y).fit(X, y)
    assert cold.n_epochs_ == 2
    # The first fit's validation split is kept: new groups are refused.
    with pytest.raises(ValueError, match="read by the first fit only"):
        warm.fit(X, y, groups=np.arange(len(X)) % 4)
    regressor = GRURegressor(warm_start=True, **settings).fit(X, y.astype(float))
    assert regressor.fit(X, y.astype(float)).n_epochs_ == 4
