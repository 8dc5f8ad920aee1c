"""Parameters of the deep estimators: one signature, prefixed components.

One mechanism serves every deep estimator. :class:`BaseDeepEstimator`'s
``__init__`` is the single written-out signature. A subclass adds
parameters or changes defaults with class keywords, e.g.
``class ResNetClassifier(BaseDeepClassifier, module=ResNet1d)``;
:class:`DeepParams` then writes an ``__init__`` whose signature is its
parent's with those defaults, so ``inspect.signature``, ``help()`` and
IPython show each estimator's real defaults, and that only stores the
parameters, as scikit-learn requires.

Component settings are prefixed, as in skorch: ``module__*``,
``optimizer__*``, ``lr_scheduler__*``, ``callbacks__*``,
``iterator_train__*`` and ``iterator_valid__*``. They are accepted as
keyword arguments, shown by ``get_params`` and restored by ``clone``.
Parameters of an estimator-valued parameter (``preprocessor__*``) are
scikit-learn's nested parameters. Names are checked in ``fit``, where a
typo gets a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

import torch
from sklearn.base import BaseEstimator

from tsclf.deep._forward import resolve_device
from tsclf.deep._precision import check_precision

#: Prefixes of the component parameters accepted as keyword arguments.
PREFIXES = (
    "module__",
    "optimizer__",
    "lr_scheduler__",
    "callbacks__",
    "iterator_train__",
    "iterator_valid__",
)


class DeepParams(BaseEstimator):
    """``get_params``/``set_params`` with prefixed component parameters.

    Subclasses pass new or changed defaults as class keywords; see the
    module docstring.
    """

    def __init_subclass__(cls, **defaults: Any) -> None:
        super().__init_subclass__()
        if defaults or "__init__" not in cls.__dict__:
            cls.__init__ = _derived_init(cls, defaults)

    def _store(self, params: dict[str, Any], components: dict[str, Any]) -> None:
        for name, value in params.items():
            setattr(self, name, value)
        # Prefixed settings and unknown names alike: fit checks them, so a
        # typo fails there with a hint instead of vanishing in clone.
        self._component_params = dict(components)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get parameters, including the prefixed component parameters.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of estimator-valued parameters
            (e.g. ``preprocessor__eps``).

        Returns
        -------
        params : dict
        """
        params = super().get_params(deep=deep)
        params.update(getattr(self, "_component_params", {}))
        return params

    def set_params(self, **params: Any) -> DeepParams:
        """Set parameters, including prefixed ones such as ``module__depth``.

        Parameters
        ----------
        **params : dict

        Returns
        -------
        self : estimator
        """
        own = set(self._get_param_names())
        components = {
            key: value
            for key, value in params.items()
            if key.startswith(PREFIXES) or key in self._component_params
        }
        others = {key: value for key, value in params.items() if key not in components}
        unknown = [key for key in others if key.split("__")[0] not in own]
        if unknown:
            raise ValueError(_unknown_message(self, unknown[0]))
        for key in others:
            head = key.split("__")[0]
            if "__" in key and not hasattr(getattr(self, head), "set_params"):
                raise ValueError(_unknown_message(self, key))
        self._component_params = {**self._component_params, **components}
        if others:
            super().set_params(**others)
        return self

    def _params_with_prefix(self, prefix: str) -> dict[str, Any]:
        return {
            key[len(prefix) :]: value
            for key, value in self._component_params.items()
            if key.startswith(prefix)
        }

    def _check_params(self) -> None:
        """Validate every parameter; called first in ``fit``."""
        self._validate_params()
        module = self.module
        if not (inspect.isclass(module) and issubclass(module, torch.nn.Module)):
            raise ValueError(f"module must be a torch.nn.Module class, got {module!r}.")
        self._check_param_names(module)
        for transform in self.augmentation or []:
            if not callable(transform):
                raise ValueError(
                    "augmentation takes batch transforms such as "
                    f"tsclf.augmentation.RandomScale(), got {transform!r}."
                )
        check_precision(self.precision, resolve_device(self.device))

    def _check_param_names(self, module_class: type) -> None:
        """Raise on an unknown parameter name, suggesting the closest one."""
        accepted = _accepted_arguments(module_class)
        for key in self._component_params:
            if not key.startswith(PREFIXES):
                raise ValueError(_unknown_message(self, key))
            if key.startswith("module__"):
                name = key[len("module__") :]
                if accepted is not None and name not in accepted:
                    hint = _hint(name, accepted, "module__")
                    raise ValueError(
                        f"{type(self).__name__}: {module_class.__name__} has no "
                        f"parameter {name!r} (from {key!r}).{hint}"
                    )


def _accepted_arguments(module_class: type) -> list[str] | None:
    """Keyword arguments a network takes, or None if it takes any."""
    parameters = inspect.signature(module_class).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    shape = ("n_channels", "n_timepoints", "n_outputs")
    return [p.name for p in parameters if p.name not in shape]


def _hint(name: str, candidates, prefix: str = "") -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" Did you mean {prefix + close[0]!r}?" if close else ""


def _unknown_message(estimator, key: str) -> str:
    names = estimator._get_param_names()
    head, _, rest = key.partition("__")
    if rest and head in names:
        # The name is right; the place for it is the component's own settings.
        value = getattr(estimator, head, None)
        if head == "preprocessor" and isinstance(value, str):  # "auto"
            value = estimator._resolved_preprocessor()
        component = type(value).__name__ if value is not None else head
        fix = f"Pass {head}= a {component} built with {rest}=..."
        if getattr(estimator, head, None) is value and value is not None:
            fix += f", or call set_params({key}=...) on the built estimator"
        return (
            f"{type(estimator).__name__} takes no {key!r} here: it sets "
            f"{rest!r} of its {head!r} ({component}). {fix}."
        )
    if "__" in key:
        bases = [prefix[:-2] for prefix in PREFIXES] + names
        close = difflib.get_close_matches(head, bases, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0] + '__' + rest!r}?" if close else ""
    else:
        hint = _hint(key, names)
    return (
        f"Unknown parameter {key!r} for {type(estimator).__name__}.{hint} "
        f"Prefixed parameters start with one of {PREFIXES}; those of an "
        "estimator-valued parameter (e.g. preprocessor__eps) are set with "
        "set_params."
    )


def _derived_init(cls: type, defaults: dict[str, Any]):
    """Write an ``__init__`` with the parent's signature and ``defaults``."""
    parent = inspect.signature(super(cls, cls).__init__)
    parameters = dict(parent.parameters)
    variadic = parameters.pop("kwargs")
    for name, default in defaults.items():
        if name in parameters:
            parameters[name] = parameters[name].replace(default=default)
        else:  # a parameter this class adds
            parameters[name] = inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default
            )
    signature = parent.replace(parameters=[*parameters.values(), variadic])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        del arguments["self"]
        self._store(arguments, arguments.pop("kwargs"))

    __init__.__signature__ = signature
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__doc__ = f"Store the parameters; see :class:`{cls.__name__}`."
    return __init__
