"""scikit-learn's estimator checks over every tsclf estimator."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from tsclf.deep import BaseDeepEstimator
from tsclf.utils.discovery import all_estimators

# Estimators may define `_test_params()` returning small, fast settings.
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
    "one unit in the last place, about 1e-7 relative: the check's tolerance"
)
_BATCH_CHECKS = (
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
)

EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    name: dict.fromkeys(_BATCH_CHECKS, _FLOAT32_BATCHES)
    for name, cls in all_estimators()
    if issubclass(cls, BaseDeepEstimator)
}
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
        params = cls._test_params() if hasattr(cls, "_test_params") else {}
        yield cls(**params)


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
