"""Finding every public estimator of tsclf."""

from __future__ import annotations

import importlib
import inspect

from sklearn.base import BaseEstimator

_MODULES = (
    "tsclf.transformers",
    "tsclf.classification",
    "tsclf.regression",
    "tsclf.compose",
    "tsclf.monitoring",
)


def all_estimators() -> list[tuple[str, type[BaseEstimator]]]:
    """List the public estimator classes of tsclf.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name; each class is a scikit-learn estimator exported by
        ``tsclf.transformers``, ``tsclf.classification``,
        ``tsclf.regression``, ``tsclf.compose`` or ``tsclf.monitoring``
        (scikit-learn estimators only: ``SktimeClassifier`` is an sktime one).

    Examples
    --------
    >>> from tsclf.utils.discovery import all_estimators
    >>> "CesiumFeatures" in dict(all_estimators())
    True
    """
    found = {}
    for module_name in _MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
                and not name.startswith("Base")
            ):
                found[name] = obj
    return sorted(found.items())
