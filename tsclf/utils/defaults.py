"""Estimator instances as parameter defaults, never changed through set_params."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from sklearn.base import clone


def signature_default(cls: type, name: str) -> Any:
    """Return the default of constructor parameter ``name`` of ``cls`` (or None).

    Parameters
    ----------
    cls : type
    name : str

    Returns
    -------
    default : object

    Examples
    --------
    >>> from tsclf.transformers import WindowStandardizer
    >>> from tsclf.utils.defaults import signature_default
    >>> signature_default(WindowStandardizer, "eps")
    1e-08
    """
    parameter = inspect.signature(cls).parameters.get(name)
    return None if parameter is None else parameter.default


def copy_shared_defaults(estimator, keys: Iterable[str]) -> None:
    """Replace the shared default instances that nested ``keys`` would change.

    A default such as ``preprocessor=WindowStandardizer()`` is one object
    shared by every estimator built without that argument; a nested
    ``set_params(preprocessor__eps=...)`` would change it for all of them.
    Call this first: each parameter named before ``__`` in ``keys`` that
    still holds its signature default gets a clone of it.

    Parameters
    ----------
    estimator : estimator instance
    keys : iterable of str
        The parameter names about to be set.
    """
    for name in {key.split("__")[0] for key in keys if "__" in key}:
        value = getattr(estimator, name, None)
        if value is not None and value is signature_default(type(estimator), name):
            setattr(estimator, name, clone(value))


def estimator_has(method: str, default: type | None = None):
    """Return a check, for ``available_if``, that ``self.estimator`` has ``method``.

    Parameters
    ----------
    method : str
    default : type, default=None
        What an ``estimator`` of None stands for (its instance is asked).

    Returns
    -------
    check : callable
        ``check(meta_estimator) -> bool``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from tsclf.utils.defaults import estimator_has
    >>> check = estimator_has("predict_proba", default=RandomForestClassifier)
    >>> check(SimpleNamespace(estimator=None))
    True
    """

    def check(meta_estimator) -> bool:
        estimator = meta_estimator.estimator
        if estimator is None and default is not None:
            estimator = default()
        return hasattr(estimator, method)

    return check
