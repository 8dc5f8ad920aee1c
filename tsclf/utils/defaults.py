"""What a meta-estimator's ``estimator=None`` default stands for, asked of it."""

from __future__ import annotations


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
