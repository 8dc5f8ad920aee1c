"""scikit-learn's estimator checks over every tsclf estimator."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import is_regressor
from sklearn.datasets import make_blobs
from sklearn.utils.estimator_checks import parametrize_with_checks

from tsclf.deep import BaseDeepEstimator
from tsclf.utils.discovery import all_estimators

from estimator_params import tiny

# Small, fast settings per estimator live in estimator_params.TEST_PARAMS.
# Expected failures are listed per estimator with their reason.
# Checks that assert a minimum accuracy or R^2 after fitting.
ACCURACY_CHECKS = {
    "check_classifiers_train",
    "check_class_weight_classifiers",
    "check_regressors_train",
}

_FLOAT32_BATCHES = (
    "float32 kernels (oneDNN GEMM and convolutions) sum in an order that depends "
    "on the batch, so predicting a subset or a reordered set can move outputs by "
    "one unit in the last place, about 1e-7 relative: the check's tolerance "
    "(seen with InceptionTime here). "
    "test_deep_outputs_do_not_depend_on_the_batch checks the same at 1e-5"
)
_BATCH_CHECKS = (
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
)

_WEIGHT_IS_NOT_A_COPY = (
    "mini-batch training: a sample of weight 2 is not two copies of it (the "
    "copies fall in other batches and shift the shuffling and the validation "
    "split), so the fits differ; test_sample_weight_scales_each_sample_loss "
    "checks the weighting itself"
)
EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    name: dict.fromkeys(_BATCH_CHECKS, _FLOAT32_BATCHES)
    for name, cls in all_estimators()
    if issubclass(cls, BaseDeepEstimator) or name == "SeedEnsembleClassifier"
}
for name, cls in all_estimators():
    if issubclass(cls, BaseDeepEstimator):
        EXPECTED_FAILURES[name]["check_sample_weight_equivalence_on_dense_data"] = (
            _WEIGHT_IS_NOT_A_COPY
        )
# scikit-learn lists the same two for Pipeline itself.
_PIPELINE_FITS_ITS_STEPS = (
    "a Pipeline fits the estimators in its steps parameter in place, so "
    "steps changes during fit (scikit-learn marks these two checks as "
    "expected failures for Pipeline)"
)
EXPECTED_FAILURES["AdaptivePipeline"] = dict.fromkeys(
    ("check_dont_overwrite_parameters", "check_estimators_overwrite_params"),
    _PIPELINE_FITS_ITS_STEPS,
)
# The checks whose data are windows of 2 or 3 time steps (tabular blobs).
_SHORT_WINDOW_CHECKS = [
    "check_dict_unchanged",
    "check_dont_overwrite_parameters",
    "check_dtype_object",
    "check_estimators_dtypes",
    "check_estimators_fit_returns_self",
    "check_estimators_nan_inf",
    "check_estimators_overwrite_params",
    "check_estimators_pickle",
    "check_f_contiguous_array_estimator",
    "check_fit2d_1sample",
    "check_fit2d_predict1d",
    "check_fit_check_is_fitted",
    "check_fit_idempotent",
    "check_fit_score_takes_y",
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
    "check_n_features_in",
    "check_n_features_in_after_fitting",
    "check_pipeline_consistency",
    "check_positive_only_tag_during_fit",
    "check_readonly_memmap_input",
    "check_transformer_data_not_an_array",
    "check_transformer_general",
    "check_transformer_preserve_dtypes",
]
_TOO_SHORT = {
    "KurtogramBandpass": (
        "the check's windows of 2-3 time steps have no kurtogram: an STFT "
        "segment needs 4 samples, and a shorter one is refused; "
        "tests/test_vibration_features.py checks fitting, pickling and "
        "idempotence on real-length windows"
    ),
    "FaultFrequencyFeatures": (
        "the check's windows of 2-3 time steps cannot resolve a bearing's "
        "fault orders (the order grid is empty), which is refused; "
        "tests/test_vibration_features.py checks it on real-length windows"
    ),
}
for _name, _reason in _TOO_SHORT.items():
    EXPECTED_FAILURES[_name] = dict.fromkeys(_SHORT_WINDOW_CHECKS, _reason)
EXPECTED_FAILURES["VibrationClassifier"] = dict.fromkeys(
    (
        "check_classifiers_train",
        "check_classifiers_train(readonly_memmap=True)",
        "check_classifiers_train(readonly_memmap=True,X_dtype=float32)",
    ),
    "the check's data are 2-feature tabular blobs, not vibration: their "
    "envelope spectrum (one bin) and cepstrum cannot carry the classes; "
    "tests/test_vibration_classifier.py checks accuracy on modulated signals",
)
EXPECTED_FAILURES["ResNet2DClassifier"].update(
    {
        "check_classifiers_train": (
            "the check's data are 2-feature tabular blobs; their STFT image "
            "(one segment of 2 samples) cannot carry the class information"
        ),
    }
)


def _instances():
    for _, cls in all_estimators():
        yield tiny(cls)


@parametrize_with_checks(
    list(_instances()),
    expected_failed_checks=lambda est: EXPECTED_FAILURES.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    if _check_name(check) in ACCURACY_CHECKS and "max_epochs" in estimator.get_params():
        # These checks demand a trained model: give the tiny networks time.
        estimator.set_params(max_epochs=30)
    check(estimator)


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


def test_all_estimators_found():
    names = [name for name, _ in all_estimators()]
    assert "CesiumFeatures" in names


DEEP_ESTIMATORS = [
    cls for _, cls in all_estimators() if issubclass(cls, BaseDeepEstimator)
]


@pytest.mark.parametrize("cls", DEEP_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_deep_outputs_do_not_depend_on_the_batch(cls):
    # What the two batch checks above guard, at float32's tolerance: a
    # window's output does not depend on the windows predicted beside it
    # (eval mode; no batch statistics leak into predictions).
    X, y = make_blobs(n_samples=40, n_features=16, centers=2, random_state=0)
    estimator = tiny(cls)
    estimator.fit(X, y.astype(float) if is_regressor(estimator) else y)
    method = getattr(estimator, "predict_proba", estimator.predict)
    full = np.asarray(method(X))
    order = np.random.default_rng(0).permutation(len(X))
    tolerance = {"rtol": 1e-5, "atol": 1e-6}
    np.testing.assert_allclose(method(X[order]), full[order], **tolerance)
    pieces = [method(X[:1]), method(X[1:13]), method(X[13:])]
    np.testing.assert_allclose(np.concatenate(pieces), full, **tolerance)
