"""scikit-learn's estimator checks over every tsclf estimator."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from tsclf.utils.discovery import all_estimators

# Estimators may define `_test_params()` returning small, fast settings.
# Expected failures are listed per estimator with their reason.
EXPECTED_FAILURES: dict[str, dict[str, str]] = {}


def _instances():
    for _, cls in all_estimators():
        params = cls._test_params() if hasattr(cls, "_test_params") else {}
        yield cls(**params)


@parametrize_with_checks(
    list(_instances()),
    expected_failed_checks=lambda est: EXPECTED_FAILURES.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_all_estimators_found():
    names = [name for name, _ in all_estimators()]
    assert "CesiumFeatures" in names
