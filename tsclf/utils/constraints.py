"""Parameter constraints for ``_parameter_constraints``, from one place.

scikit-learn validates estimator parameters with the constraint classes of
``sklearn.utils._param_validation``, which it keeps private: there is no
public module to import them from, and third-party estimators that follow
its ``_parameter_constraints`` convention (imbalanced-learn, skops) import
them from there. tsclf does so here, once, so that a move in
scikit-learn is one line to change.
"""

from __future__ import annotations

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "validate_parameter_constraints",
    "validate_params",
]
