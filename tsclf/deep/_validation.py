"""Which training windows a deep estimator holds out to validate on."""

from __future__ import annotations

import inspect
import warnings
from numbers import Real

import numpy as np

from tsclf.exceptions import NoValidationWarning, UngroupedValidationWarning
from tsclf.model_selection import ValidationSplit
from tsclf.utils.validation import explaining_missing_groups


def checked_groups(groups, n_samples: int) -> np.ndarray | None:
    """Return ``groups`` as an array, once it has one entry per sample."""
    if groups is None:
        return None
    groups = np.asarray(groups)
    if groups.shape[0] != n_samples:
        raise ValueError(
            f"groups has {groups.shape[0]} entries for {n_samples} samples. "
            "If a step before this estimator changes the number of rows (a "
            "resampler in an imbalanced-learn Pipeline), the groups routed "
            "here are still the input's: wrap the two in "
            "tsclf.compose.ResampledClassifier(resampler, estimator), which "
            "hands each resampled row its source's group, or weigh the loss "
            "with class_weight instead of copying rows."
        )
    return groups


def validation_split(estimator, n_samples: int, y_split, groups, rng, conditions=None):
    """Train and validation positions for ``estimator.validation``, or None.

    ``"auto"`` and a float hold out a share with
    :class:`~tsclf.model_selection.ValidationSplit` (whole groups when there
    are groups; without groups it warns,
    :class:`~tsclf.exceptions.UngroupedValidationWarning`); a splitter gives
    its first split (with ``conditions`` when given: only a splitter whose
    ``split`` takes them accepts them). When nothing can be held out it
    warns (:class:`~tsclf.exceptions.NoValidationWarning`) and returns None.

    Parameters
    ----------
    estimator : BaseDeepEstimator
    n_samples : int
    y_split : ndarray or None
        What the splitter stratifies by (joint labels for classifiers).
    groups : ndarray or None
    rng : RandomState
    conditions : array-like or None

    Returns
    -------
    split : (train, valid) or None
    """
    setting = estimator.validation
    name = type(estimator).__name__
    if conditions is not None and not (
        hasattr(setting, "split")
        and "conditions" in inspect.signature(setting.split).parameters
    ):
        raise ValueError(
            f"{name} got conditions, but validation={setting!r} does not use "
            "them. Set validation to a splitter that takes them, e.g. "
            "tsclf.model_selection.LeaveOneConditionOut(), or leave them out."
        )
    if setting is None:
        return None
    if isinstance(setting, str | Real):
        if groups is None:
            warnings.warn(
                f"{name} holds out validation windows at random: fit got no "
                "groups. Windows of one recording are near-copies, so early "
                "stopping would judge the network on recordings it trains on. Pass "
                "groups= to fit (inside a search or cross_validate: enable "
                "metadata routing, tsclf estimators request groups by default), or "
                "set validation to a splitter (one that splits by groups needs "
                "them too); see "
                "tsclf.exceptions.UngroupedValidationWarning.",
                UngroupedValidationWarning,
                stacklevel=4,
            )
        test_size = 0.2 if isinstance(setting, str) else float(setting)
        setting = ValidationSplit(test_size, random_state=rng)
    extra = {} if conditions is None else {"conditions": np.asarray(conditions)}
    with explaining_missing_groups(
        groups,
        f"validation={setting!r} splits by groups, but {name}.fit got none: "
        "pass groups= to fit. Inside a search or cross_validate, groups reach "
        "the estimator only under metadata routing "
        "(sklearn.set_config(enable_metadata_routing=True); tsclf estimators "
        "request them by default).",
    ):
        split = next(
            iter(setting.split(np.zeros(n_samples), y_split, groups, **extra)), None
        )
    if split is None:
        n_groups = "no" if groups is None else len(np.unique(groups))
        warnings.warn(
            f"validation={estimator.validation!r} found nothing to hold out in "
            f"{n_samples} samples with {n_groups} groups: training runs without "
            "validation, and early stopping watches the training loss. Pass more "
            "groups, or validation=None to say so.",
            NoValidationWarning,
            stacklevel=4,
        )
    elif len(split[0]) < 2 or len(split[1]) < 1:
        raise ValueError(
            f"validation={estimator.validation!r} gave {len(split[0])} training "
            f"and {len(split[1])} validation samples; it needs 2 and 1."
        )
    return split
