"""tsclf beside sktime, Optuna and dask: the compositions users build."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
import torch
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import RidgeClassifierCV
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline

from tsclf.classification import CNNClassifier
from tsclf.compose import JointLabelClassifier, SktimeTransformer
from tsclf.datasets import load_cwru_windows
from tsclf.transformers import BandEnergies, WindowStandardizer


@pytest.fixture(scope="module")
def cwru():
    windows = load_cwru_windows()
    keep = slice(None, None, 10)
    return windows.X[keep], windows.y.iloc[keep], windows.groups[keep]


def _small_cnn(**params):
    settings = {"max_epochs": 2, "module__filters": (8,), "module__kernel_sizes": (9,)}
    return CNNClassifier(**{**settings, "random_state": 0, **params})


# -- sktime transformers in a scikit-learn Pipeline -----------------------------


def test_minirocket_sits_in_a_pipeline_inside_a_grid_search(cwru):
    from sktime.transformations.panel.rocket import MiniRocketMultivariate

    X, y, groups = cwru
    pipeline = make_pipeline(
        WindowStandardizer(),
        SktimeTransformer(MiniRocketMultivariate(random_state=0)),
        RidgeClassifierCV(alphas=np.logspace(-3, 3, 7)),
    )
    search = GridSearchCV(
        pipeline,
        {"sktimetransformer__transformer__num_kernels": [84, 168]},
        cv=GroupKFold(2),
    )
    search.fit(X, y["location"], groups=groups)
    assert search.best_params_["sktimetransformer__transformer__num_kernels"] in {
        84,
        168,
    }
    # MiniRocket's 84 kernels give 84 x 4 x ... features; both candidates ran.
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    fitted = search.best_estimator_.named_steps["sktimetransformer"]
    assert fitted.transformer_.is_fitted
    assert search.score(X, y["location"]) > 0.5


def test_every_task_at_once_through_the_joint_label(cwru):
    from sktime.transformations.panel.rocket import MiniRocketMultivariate

    X, y, groups = cwru
    model = JointLabelClassifier(
        make_pipeline(
            SktimeTransformer(MiniRocketMultivariate(num_kernels=84, random_state=0)),
            RidgeClassifierCV(),
        )
    )
    scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(2))
    assert scores.shape == (2,) and np.isfinite(scores).all()  # joint accuracy
    predicted = model.fit(X, y).predict(X)
    assert predicted.shape == y.shape
    rows = {tuple(row) for row in np.asarray(y)}
    assert {tuple(row) for row in predicted} <= rows  # never a mixed triple


def test_a_series_to_series_sktime_transformer_feeds_a_deep_model(cwru):
    from sktime.transformations.series.exponent import ExponentTransformer

    X, y, _ = cwru
    step = SktimeTransformer(ExponentTransformer(power=2.0, offset=0.0)).fit(X[:5])
    np.testing.assert_allclose(
        step.transform(X[:5]), X[:5].astype(np.float64) ** 2, rtol=1e-12
    )
    model = make_pipeline(step, _small_cnn(validation=None)).fit(X, y)
    assert model.predict(X[:3]).shape == (3, 3)


def test_joint_label_probabilities_are_per_task_marginals(cwru):
    X, y, _ = cwru
    model = JointLabelClassifier(
        make_pipeline(
            BandEnergies(sampling_rate=12000),
            RandomForestClassifier(n_estimators=20, random_state=0),
        )
    ).fit(X, y)
    probas = model.predict_proba(X)
    assert len(probas) == 3
    for proba, classes in zip(probas, model.classes_, strict=True):
        assert proba.shape == (len(X), len(classes))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match=r"'\|'"):
        JointLabelClassifier(RidgeClassifierCV()).fit(
            X[:4].reshape(4, -1), [["a|b", "c"], ["d", "e"], ["a|b", "e"], ["d", "c"]]
        )


# -- Optuna ---------------------------------------------------------------------


def test_optuna_searches_a_feature_pipeline_with_group_aware_cv(cwru):
    optuna = pytest.importorskip("optuna")
    X, y, groups = cwru

    def objective(trial):
        model = make_pipeline(
            BandEnergies(
                n_bands=trial.suggest_int("n_bands", 8, 32), sampling_rate=12000
            ),
            RandomForestClassifier(
                max_depth=trial.suggest_int("max_depth", 2, 8), random_state=0
            ),
        )
        return cross_val_score(
            model, X, y["location"], groups=groups, cv=GroupKFold(3)
        ).mean()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        direction="maximize", sampler=optuna.samplers.TPESampler(seed=0)
    )
    study.optimize(objective, n_trials=3)
    assert len(study.trials) == 3
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)
    assert 8 <= study.best_params["n_bands"] <= 32
    assert 0.0 <= study.best_value <= 1.0


def test_optuna_prunes_deep_fits_by_epoch(cwru):
    optuna = pytest.importorskip("optuna")
    integration = pytest.importorskip("optuna_integration")
    X, y, groups = cwru

    def objective(trial):
        model = _small_cnn(
            lr=trial.suggest_float("lr", 1e-4, 1e-2, log=True),
            max_epochs=4,
            callbacks=[integration.SkorchPruningCallback(trial, "valid_loss")],
        )
        model.fit(X, y, groups=groups)  # validation holds out whole recordings
        return float(min(model.history_[:, "valid_loss"]))

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # Every trial whose first validation loss exceeds 0 is pruned after it:
    # the callback reports each epoch and the pruner stops the fit.
    study = optuna.create_study(
        sampler=optuna.samplers.TPESampler(seed=0),
        pruner=optuna.pruners.ThresholdPruner(upper=0.0),
    )
    study.optimize(objective, n_trials=3)
    assert [t.state for t in study.trials] == [optuna.trial.TrialState.PRUNED] * 3
    assert all(list(t.intermediate_values) == [0] for t in study.trials)
    # Without the threshold, trials run to the end and report every epoch.
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(objective, n_trials=1)
    assert study.trials[0].state == optuna.trial.TrialState.COMPLETE
    assert list(study.trials[0].intermediate_values) == [0, 1, 2, 3]


# -- dask -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        warnings.catch_warnings(),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"OMP_NUM_THREADS": "1"},  # one torch thread per worker
        ) as local,
        distributed.Client(local) as client,
    ):
        warnings.simplefilter("ignore")
        yield client


def test_a_deep_grid_search_on_a_dask_cluster_matches_the_serial_one(cwru, cluster):
    from joblib import parallel_config

    X, y, groups = cwru

    def search(n_jobs):
        return GridSearchCV(
            _small_cnn(validation=None),
            {"lr": [1e-3, 1e-2]},
            cv=GroupKFold(2),
            n_jobs=n_jobs,
        )

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as on the workers: same float sums
    try:
        serial = search(1).fit(X, y, groups=groups)
    finally:
        torch.set_num_threads(threads)
    with parallel_config(backend="dask"):
        distributed = search(-1).fit(X, y, groups=groups)
    assert len(cluster.scheduler_info()["workers"]) == 2
    np.testing.assert_array_equal(
        distributed.cv_results_["mean_test_score"],
        serial.cv_results_["mean_test_score"],
    )
    assert distributed.best_params_ == serial.best_params_


def test_cross_validate_of_a_feature_pipeline_on_a_dask_cluster(cwru, cluster):
    from joblib import parallel_config

    X, y, groups = cwru
    model = make_pipeline(
        BandEnergies(sampling_rate=12000),
        RandomForestClassifier(n_estimators=20, random_state=0),
    )
    serial = cross_validate(model, X, y["location"], groups=groups, cv=GroupKFold(3))
    with parallel_config(backend="dask"):
        distributed = cross_validate(
            model, X, y["location"], groups=groups, cv=GroupKFold(3), n_jobs=-1
        )
    np.testing.assert_array_equal(distributed["test_score"], serial["test_score"])


def test_the_documented_dask_script_runs_as_a_script(tmp_path):
    import re
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("distributed")
    docs = Path(__file__).parents[1] / "docs" / "tune-and-scale.md"
    [script] = re.findall(
        r"```python\n(# search_on_dask.py\n.*?)```", docs.read_text(), re.S
    )
    # The search the page builds above, small.
    search = (
        "from sklearn.ensemble import RandomForestClassifier\n"
        "        from sklearn.model_selection import GridSearchCV, GroupKFold\n"
        "        from sklearn.pipeline import make_pipeline\n"
        "        from tsclf.datasets import load_cwru_windows\n"
        "        from tsclf.transformers import BandEnergies\n"
        "        windows = load_cwru_windows()\n"
        "        X, y = windows.X[::20], windows.y['location'].iloc[::20]\n"
        "        model = make_pipeline(BandEnergies(sampling_rate=12000),"
        " RandomForestClassifier(n_estimators=5, random_state=0))\n"
        "        search = GridSearchCV(model, {'bandenergies__n_bands': [8, 16]},"
        " cv=GroupKFold(2), n_jobs=-1)\n"
        "        search.fit(X, y, groups=windows.groups[::20])\n"
        "        print('workers', len(cluster.scheduler_info['workers']))\n"
        "        print('scores', len(search.cv_results_['mean_test_score']))\n"
    )
    placeholder = "...  # build X, y, recordings and the search as above, then fit it\n"
    assert placeholder in script
    path = tmp_path / "search_on_dask.py"
    path.write_text(script.replace(placeholder, search))
    # A fresh process: the workers start by importing the script, as a
    # user's would (unguarded, they would start clusters of their own).
    done = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "workers 2" in done.stdout and "scores 2" in done.stdout


def test_sktime_features_come_out_as_pandas_when_asked(cwru):
    from sktime.transformations.panel.rocket import MiniRocketMultivariate
    from sktime.transformations.series.exponent import ExponentTransformer

    X, _, _ = cwru
    step = SktimeTransformer(MiniRocketMultivariate(num_kernels=84, random_state=0))
    table = step.set_output(transform="pandas").fit_transform(X[:10])
    assert table.shape == (10, 84)
    assert list(table.columns) == list(step.get_feature_names_out())
    assert table.columns[0] == "sktimetransformer0"
    series = SktimeTransformer(ExponentTransformer()).fit(X[:5])
    with pytest.raises(ValueError, match="no feature names and no pandas output"):
        series.set_output(transform="pandas").transform(X[:5])
