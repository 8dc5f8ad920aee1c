"""Adapting feature pipelines to a new domain: AdaptiveScaler, AdaptivePipeline."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from tsclf.classification import CNNClassifier
from tsclf.compose import AdaptivePipeline
from tsclf.transformers import AdaptiveScaler


@pytest.fixture
def domains():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int)
    # Another machine: the same classes, every feature shifted and scaled.
    return X, y, 2.0 * rng.normal(size=(80, 3)) + [5.0, -2.0, 1.0]


def test_the_scaler_takes_the_new_domains_statistics_and_fit_takes_them_back(domains):
    X, _, X_new = domains
    scaler = AdaptiveScaler().fit(X)
    assert not scaler.adapted_
    scaler.adapt(X_new)
    assert scaler.adapted_
    np.testing.assert_allclose(scaler.mean_, X_new.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, X_new.std(axis=0))
    np.testing.assert_allclose(scaler.transform(X_new).mean(axis=0), 0, atol=1e-12)
    assert scaler.n_samples_seen_ == len(X_new)
    scaler.fit(X)
    assert not scaler.adapted_
    np.testing.assert_allclose(scaler.mean_, StandardScaler().fit(X).mean_)


def test_the_scaler_refuses_to_adapt_unfitted_or_to_other_features(domains):
    X, _, X_new = domains
    with pytest.raises(NotFittedError):
        AdaptiveScaler().adapt(X_new)
    with pytest.raises(ValueError, match="features"):
        AdaptiveScaler().fit(X).adapt(X_new[:, :2])
    with pytest.raises(ValueError, match="minimum of 2"):
        AdaptiveScaler().fit(X).adapt(X_new[:1])
    with pytest.raises(ValueError, match="NaN"):
        AdaptiveScaler().fit(X).adapt(np.where(X_new > 3, np.nan, X_new))


def test_the_pipeline_adapts_each_step_on_what_the_steps_before_give_it(domains):
    X, y, X_new = domains
    square = FunctionTransformer(np.square)
    pipe = AdaptivePipeline(
        [
            ("first", AdaptiveScaler()),
            ("square", square),
            ("second", AdaptiveScaler()),
            ("model", LogisticRegression()),
        ]
    ).fit(X, y)
    coef = pipe["model"].coef_.copy()
    assert pipe.adapt(X_new) is pipe
    centred = (X_new - X_new.mean(axis=0)) / X_new.std(axis=0)
    np.testing.assert_allclose(pipe["first"].mean_, X_new.mean(axis=0))
    np.testing.assert_allclose(pipe["second"].mean_, np.square(centred).mean(axis=0))
    # The classifier is untouched: adapting needs no label.
    np.testing.assert_array_equal(pipe["model"].coef_, coef)


def test_adapting_reaches_scalers_nested_in_unions_and_pipelines(domains):
    X, y, X_new = domains
    branches = make_union(
        make_pipeline(AdaptiveScaler()),
        make_pipeline(FunctionTransformer(np.square), AdaptiveScaler()),
        StandardScaler(),
    )
    pipe = AdaptivePipeline([("features", branches), ("model", LogisticRegression())])
    pipe.fit(X, y).adapt(X_new)
    first, second, plain = (step for _, step in branches.transformer_list)
    np.testing.assert_allclose(first[0].mean_, X_new.mean(axis=0))
    np.testing.assert_allclose(second[-1].mean_, np.square(X_new).mean(axis=0))
    np.testing.assert_allclose(plain.mean_, X.mean(axis=0))  # cannot adapt
    # A union with nothing adaptable leaves the pipeline without adapt.
    inert = AdaptivePipeline(
        [("features", make_union(StandardScaler())), ("model", LogisticRegression())]
    )
    assert not hasattr(inert.fit(X, y), "adapt")


def test_a_pipeline_without_an_adaptable_step_has_no_adapt(domains):
    X, y, _ = domains
    steps = [("scale", StandardScaler()), ("model", LogisticRegression())]
    pipe = AdaptivePipeline(steps)
    assert not hasattr(pipe.fit(X, y), "adapt")
    with pytest.raises(NotFittedError):
        AdaptivePipeline([("scale", AdaptiveScaler())]).adapt(X)


def test_the_pipeline_adapts_a_deep_estimator_at_its_end():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 1, 32)).astype(np.float32)
    y = np.tile(["a", "b"], 32)
    X_new = (3.0 * rng.normal(size=(40, 1, 32)) + 1.0).astype(np.float32)
    settings = {
        "module__filters": (4,),
        "module__kernel_sizes": (3,),
        "max_epochs": 2,
        "preprocessor": None,
        "validation": None,
        "random_state": 0,
    }
    shift = FunctionTransformer(lambda series: series - 1.0)
    pipe = AdaptivePipeline([("shift", shift), ("cnn", CNNClassifier(**settings))])
    pipe.fit(X, y)
    alone = make_pipeline(shift, CNNClassifier(**settings)).fit(X, y)
    alone[-1].adapt(shift.transform(X_new))
    pipe.adapt(X_new)
    np.testing.assert_allclose(
        pipe.predict_proba(X_new), alone.predict_proba(X_new), rtol=1e-5, atol=1e-6
    )


def test_a_deep_estimator_adapts_its_preprocessor_first():
    from tsclf.classification import MLPClassifier
    from tsclf.transformers import Flatten

    rng = np.random.default_rng(2)
    X = rng.normal(size=(60, 1, 16)).astype(np.float32)
    y = np.tile(["a", "b"], 30)
    as_series = FunctionTransformer(np.expand_dims, kw_args={"axis": 1})
    # A plain Pipeline: its adaptable step is reached all the same.
    features = make_pipeline(Flatten(), AdaptiveScaler(), as_series)
    mlp = MLPClassifier(
        preprocessor=features, max_epochs=2, validation=None, random_state=0
    ).fit(X, y)
    expected = mlp.predict_proba(X)
    # No BatchNorm in an MLP: adapting re-standardises the features on the
    # new domain, which here undoes its gain and offset.
    mlp.adapt(2.0 * X + 1.0)
    assert mlp.preprocessor_["adaptivescaler"].adapted_
    np.testing.assert_allclose(mlp.predict_proba(2.0 * X + 1.0), expected, atol=1e-5)
    # A preprocessor that cannot adapt leaves an MLP nothing to adapt.
    plain = MLPClassifier(max_epochs=1, validation=None, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="no BatchNorm layer and no step of its"):
        plain.adapt(X)


def test_an_adapted_pipeline_saves_and_loads_as_adapted(domains, tmp_path):
    pytest.importorskip("skops")
    from tsclf.export import load_model, save_model

    X, y, X_new = domains
    steps = [("scale", AdaptiveScaler()), ("model", LogisticRegression())]
    pipe = AdaptivePipeline(steps).fit(X, y).adapt(X_new)
    save_model(pipe, tmp_path / "adapted.zip")
    loaded = load_model(tmp_path / "adapted.zip")
    assert type(loaded) is AdaptivePipeline and loaded["scale"].adapted_
    np.testing.assert_array_equal(loaded.predict(X_new), pipe.predict(X_new))
    # It adapts again after loading.
    np.testing.assert_allclose(loaded.adapt(X)["scale"].mean_, X.mean(axis=0))
