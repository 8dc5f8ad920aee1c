"""VibrationClassifier: multi-task, the path gate, adapt, composition, saving."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy import signal
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multioutput import MultiOutputClassifier

from tsclf.classification import VibrationClassifier
from tsclf.export import load_model, save_model

RATE = 12000.0
T = np.arange(1200) / RATE
RATES = {"inner": 160.0, "outer": 105.0, "ball": 140.0}


def faults(n: int, seed: int = 0):
    """Noise modulated at a fault's rate, through one resonance; two tasks:
    the fault kind (its modulation rate) and its severity (the depth)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(RATES), size=n)
    severe = rng.choice(["mild", "severe"], size=n)
    depth = np.where(severe == "severe", 1.0, 0.4)
    rate = np.array([RATES[k] for k in kinds])
    phase = rng.uniform(0, 2 * np.pi, size=n)[:, None]
    modulation = 1 + depth[:, None] * np.cos(2 * np.pi * rate[:, None] * T + phase)
    b, a = signal.iirpeak(3500, Q=4, fs=RATE)
    X = signal.lfilter(b, a, modulation * rng.normal(size=(n, T.size)), axis=-1)
    return X[:, np.newaxis], np.column_stack([kinds, severe])


def another_path(X: np.ndarray) -> np.ndarray:
    """Another sensor: a different resonance, a gain, some low-pass."""
    b, a = signal.iirpeak(1800, Q=2, fs=RATE)
    low_b, low_a = signal.butter(2, 5000, fs=RATE)
    moved = signal.lfilter(b, a, X, axis=-1) + 0.2 * X
    return 40.0 * signal.lfilter(low_b, low_a, moved, axis=-1)


@pytest.fixture(scope="module")
def fitted():
    X, y = faults(240)
    model = VibrationClassifier(sampling_rate=RATE, random_state=0, n_jobs=1)
    return model.fit(X[:160], y[:160]), X, y


def test_multi_task_predictions_and_probabilities(fitted):
    model, X, y = fitted
    predicted = model.predict(X[160:])
    assert predicted.shape == (80, 2)
    assert (predicted[:, 0] == y[160:, 0]).mean() > 0.9
    proba = model.predict_proba(X[160:])
    assert [p.shape for p in proba] == [(80, 3), (80, 2)]
    np.testing.assert_allclose(proba[0].sum(axis=1), 1.0)
    assert list(model.classes_[0]) == ["ball", "inner", "outer"]
    assert model.score(X[160:], y[160:]) > 0.6  # joint accuracy


def test_another_path_falls_back_to_the_invariant_features(fitted):
    model, X, y = fitted
    moved = another_path(X[160:])
    inside = model.outside_training_path(X[160:])
    outside = model.outside_training_path(moved)
    assert inside.mean() < 0.1 and outside.mean() > 0.9
    # the fault kind is read from the envelope whatever the path
    assert (model.predict(moved)[:, 0] == y[160:, 0]).mean() > 0.85


def test_adapt_re_centres_on_the_new_machine_and_opens_the_gate():
    X, y = faults(240, seed=1)
    model = VibrationClassifier(sampling_rate=RATE, random_state=0).fit(X, y)
    new = another_path(faults(120, seed=2)[0])
    assert model.outside_training_path(new).mean() > 0.9
    model.adapt(new)
    assert model.adapted_
    assert model.outside_training_path(new).mean() < 0.1
    np.testing.assert_allclose(
        model.recentre_.transform(np.hstack(model._features(new))).mean(axis=0),
        0.0,
        atol=1e-8,
    )
    with pytest.raises(ValueError, match="at least 2 windows"):
        model.adapt(new[:1])


def test_clone_grid_search_and_pickling():
    X, y = faults(120)
    search = GridSearchCV(
        VibrationClassifier(sampling_rate=RATE, random_state=0),
        {"carrier_bands": [(1,), (1, 4)]},
        cv=KFold(3),
    ).fit(X, y)
    assert search.best_params_["carrier_bands"] in [(1,), (1, 4)]
    model = search.best_estimator_
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    assert clone(model).get_params() == model.get_params()


def test_same_seed_same_model():
    X, y = faults(100)
    first = VibrationClassifier(sampling_rate=RATE, random_state=3).fit(X, y)
    second = VibrationClassifier(sampling_rate=RATE, random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X)[0], second.predict_proba(X)[0])


def test_save_and_load_in_the_deploy_format(tmp_path):
    X, y = faults(100)
    model = VibrationClassifier(sampling_rate=RATE, random_state=0).fit(X, y)
    path = save_model(model, tmp_path / "vibration")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_any_classifier_with_one_task_and_without_predict_proba():
    X, y = faults(120)
    model = VibrationClassifier(
        sampling_rate=RATE,
        estimator=MultiOutputClassifier(LogisticRegression(max_iter=500)),
        random_state=0,
    ).fit(X, y)
    assert model.predict(X).shape == (120, 2)
    one_task = VibrationClassifier(sampling_rate=RATE, random_state=0)
    assert one_task.fit(X, y[:, 0]).predict(X).shape == (120,)
    from sklearn.svm import LinearSVC

    no_proba = VibrationClassifier(
        sampling_rate=RATE, raw_envelope="join", estimator=LinearSVC()
    )
    assert not hasattr(no_proba, "predict_proba")
    assert no_proba.fit(X, y[:, 0]).predict(X).shape == (120,)


def test_refuses_a_max_frequency_above_nyquist_and_bad_carrier_bands():
    X, y = faults(20)
    with pytest.raises(ValueError, match="above the Nyquist frequency"):
        VibrationClassifier(sampling_rate=1000.0).fit(X, y)
    with pytest.raises(ValueError, match="carrier_bands must be one or more"):
        VibrationClassifier(sampling_rate=RATE, carrier_bands=(0,)).fit(X, y)
    with pytest.raises(ValueError, match="quantile"):
        VibrationClassifier(sampling_rate=RATE, quantile=1.5).fit(X, y)


def test_onnx_export_says_what_it_takes_before_whether_fitted():
    from sklearn.exceptions import NotFittedError
    from sklearn.svm import SVC

    from tsclf.export import export_onnx

    with pytest.raises(NotFittedError):
        export_onnx(VibrationClassifier(), "unused.onnx")
    X, y = faults(40)
    model = VibrationClassifier(sampling_rate=RATE, estimator=SVC(), raw_envelope=None)
    with pytest.raises(TypeError, match=r"SVC has no torch equivalent.*save_model"):
        export_onnx(model.fit(X, y[:, 0]), "unused.onnx")


def test_save_model_refuses_an_unfitted_model(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="not fitted"):
        save_model(VibrationClassifier(), tmp_path / "unfitted")
    assert not (tmp_path / "unfitted").exists()


def test_raw_envelope_reaches_only_the_classifiers_of_windows_off_the_path():
    X, y = faults(120)
    plain = VibrationClassifier(sampling_rate=RATE, raw_envelope=None, random_state=0)
    plain.fit(X, y)
    joined = VibrationClassifier(sampling_rate=RATE, raw_envelope="join")
    joined.set_params(random_state=0).fit(X, y)
    voting = VibrationClassifier(sampling_rate=RATE, random_state=0).fit(X, y)
    assert voting.raw_envelope == "vote"
    assert plain.raw_spectrum_ is None and plain.raw_estimator_ is None
    n_invariant = plain.invariant_features_.transform(X[:1]).shape[1]
    n_raw = joined.raw_spectrum_.transform(X[:1]).shape[1]
    assert n_raw == n_invariant // 5  # one band of the five (1 + 4) spectra
    # Joined: one classifier reads both; voting: one each.
    assert joined.invariant_estimator_.n_features_in_ == n_invariant + n_raw
    assert joined.raw_estimator_ is None
    assert voting.invariant_estimator_.n_features_in_ == n_invariant
    assert voting.raw_estimator_.n_features_in_ == n_raw
    for model in (joined, voting):
        n_path = model.path_estimator_.n_features_in_
        assert n_path == plain.path_estimator_.n_features_in_
    np.testing.assert_allclose(
        voting.raw_spectrum_.transform(7.0 * X),
        voting.raw_spectrum_.transform(X),
        rtol=1e-6,
    )
    # Off the path, the vote is the mean of the two classifiers' probabilities.
    moved = another_path(X)
    outside = voting.outside_training_path(moved)
    assert outside.mean() > 0.9
    invariant = voting.invariant_features_.transform(moved)
    raw = voting.raw_spectrum_.transform(moved)
    for task, proba in enumerate(voting.predict_proba(moved)):
        alone = voting.invariant_estimator_.predict_proba(invariant)[task]
        spectrum = voting.raw_estimator_.predict_proba(raw)[task]
        np.testing.assert_allclose(
            proba[outside], ((alone + spectrum) / 2)[outside], atol=1e-12
        )
    for model in (joined, voting):
        assert (model.predict(moved)[:, 0] == y[:, 0]).mean() > 0.85


def test_a_vote_needs_probabilities():
    from sklearn.svm import LinearSVC

    X, y = faults(60)
    model = VibrationClassifier(sampling_rate=RATE, estimator=LinearSVC())
    with pytest.raises(ValueError, match="raw_envelope='vote' averages probabilities"):
        model.fit(X, y[:, 0])
    model.set_params(raw_envelope="join").fit(X, y[:, 0])


def test_adapt_learns_from_the_windows_it_is_surest_of_and_starts_afresh_each_time():
    X, y = faults(240, seed=1)
    new, y_new = faults(120, seed=2)
    new = another_path(new)
    model = VibrationClassifier(sampling_rate=RATE, random_state=0).fit(X, y)
    assert model.path_estimator_ is model.source_path_estimator_
    assert model.training_features_.shape[0] == 240
    first = model.adapt(new).predict_proba(new)
    assert model.path_estimator_ is not model.source_path_estimator_
    assert (model.predict(new)[:, 0] == y_new[:, 0]).mean() > 0.85
    # A second adapt on the same windows starts from the training windows.
    second = model.adapt(new).predict_proba(new)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    plain = VibrationClassifier(
        sampling_rate=RATE, pseudo_label_share=0.0, random_state=0
    ).fit(X, y)
    assert plain.training_features_ is None
    assert plain.adapt(new).path_estimator_ is plain.source_path_estimator_


def test_pseudo_labels_need_probabilities():
    from sklearn.svm import LinearSVC

    X, y = faults(80)
    model = VibrationClassifier(
        sampling_rate=RATE, raw_envelope=None, estimator=LinearSVC()
    )
    model.fit(X, y[:, 0])
    with pytest.raises(
        ValueError, match=r"pseudo_label_share=0.25 ranks .* predict_proba"
    ):
        model.adapt(another_path(X))
    model.set_params(pseudo_label_share=0.0).fit(X, y[:, 0]).adapt(another_path(X))
    assert model.adapted_


def test_the_off_path_classifier_also_learns_noisy_copies_of_each_window():
    from sklearn.neighbors import KNeighborsClassifier

    X, y = faults(60)
    model = VibrationClassifier(
        sampling_rate=RATE,
        estimator=KNeighborsClassifier(n_neighbors=1),
        noisy_copies=2,
        random_state=0,
    ).fit(X, y)
    # The training windows, then two noisy copies of each: off the path only.
    off_path = (model.invariant_estimator_, model.raw_estimator_)
    assert [m.n_samples_fit_ for m in off_path] == [180, 180]
    assert model.path_estimator_.n_samples_fit_ == 60
    steps = (model.invariant_features_, model.raw_spectrum_)
    for estimator, step in zip(off_path, steps, strict=True):
        learnt = estimator._fit_X
        np.testing.assert_allclose(learnt[:60], step.transform(X))
        assert not np.allclose(learnt[60:120], learnt[:60], rtol=0.05)
    again = clone(model).fit(X, y)
    np.testing.assert_array_equal(again.raw_estimator_._fit_X, learnt)
    quiet = clone(model).set_params(noisy_copies=0).fit(X, y)
    assert quiet.invariant_estimator_.n_samples_fit_ == 60


def test_noisy_copies_help_on_a_noisier_sensor():
    X, y = faults(240, seed=3)
    new, y_new = faults(200, seed=4)
    new = another_path(new)
    # A sensor farther from the bearing: the faults under more noise.
    rng = np.random.default_rng(5)
    noisier = new + 1.5 * new.std(axis=-1, keepdims=True) * rng.normal(size=new.shape)
    scores = {}
    for copies in (0, 2):
        model = VibrationClassifier(
            sampling_rate=RATE, noisy_copies=copies, random_state=0
        ).fit(X, y)
        scores[copies] = (model.predict(noisier)[:, 0] == y_new[:, 0]).mean()
    assert scores[2] > scores[0] + 0.05, scores  # 0.90 against 0.80 when written


def test_gate_distance_sets_how_far_off_the_path_the_invariant_features_decide():
    X, y = faults(160)
    model = VibrationClassifier(sampling_rate=RATE, random_state=0).fit(X, y)
    moved = another_path(X[:40])
    signature = model.path_features_.transform(moved)[:, np.newaxis]
    distance = model.monitor_.check(signature).distance
    assert model.outside_training_path(moved).tolist() == (distance > 1).tolist()
    # Read at prediction only: a wider gate keeps the nearer half on the path.
    model.set_params(gate_distance=float(np.median(distance)))
    outside = model.outside_training_path(moved)
    assert 0 < outside.mean() < 1
    both = model.recentre_.transform(np.hstack(model._features(moved)))
    expected = model.path_estimator_.predict(both)
    np.testing.assert_array_equal(model.predict(moved)[~outside], expected[~outside])
    with pytest.raises(ValueError, match="gate_distance"):
        VibrationClassifier(sampling_rate=RATE, gate_distance=0).fit(X, y)


def test_the_vote_of_joint_forests_never_predicts_a_combination_not_seen():
    from sklearn.dummy import DummyClassifier

    from tsclf.classification._vibration_features import soft_vote
    from tsclf.compose import JointLabelClassifier

    # Joint priors (a, x) 0.4, (b, y) 0.3, (c, y) 0.3: each task's most
    # probable label makes (a, y), never seen; the most probable row is (a, x).
    y = np.array([["a", "x"]] * 4 + [["b", "y"]] * 3 + [["c", "y"]] * 3)
    X = np.zeros((len(y), 1))
    voters = [
        JointLabelClassifier(DummyClassifier(strategy="prior")).fit(X, y)
        for _ in range(2)
    ]
    assert soft_vote("predict", voters, (X[:2], X[:2])).tolist() == [["a", "x"]] * 2
    # The probabilities stay the mean of each task's.
    proba = soft_vote("predict_proba", voters, (X[:1], X[:1]))
    np.testing.assert_allclose(proba[1], [[0.4, 0.6]])
    # Classifiers without shared joint labels vote task by task.
    plain = [MultiOutputClassifier(DummyClassifier(strategy="prior")).fit(X, y)] * 2
    assert soft_vote("predict", plain, (X[:1], X[:1])).tolist() == [["a", "y"]]
