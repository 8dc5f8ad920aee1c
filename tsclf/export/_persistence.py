"""Saving and loading fitted estimators without pickle.

A saved model is one zip file:

- ``estimator.skops``: the estimator (and any pipeline or meta-estimator
  around it) written by :mod:`skops.io`, which stores parameters, arrays
  and fitted attributes as data and loads only the types it is told to
  trust; each deep estimator's skorch net is left out and replaced by a
  marker;
- ``network_<i>.pt``: the weights of the i-th deep estimator's network
  (``state_dict``), read back with ``torch.load(weights_only=True)``;
- ``network_<i>.json``: its training history (:class:`skorch.history.History`);
- ``tsclf.json``: the format and the versions that wrote it.

Loading rebuilds each network from its class and shape arguments, then
loads its weights on the chosen device. A loaded model predicts,
scores and adapts; its optimizer state is not saved, so ``fit`` starts
training afresh.
"""

from __future__ import annotations

import inspect
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import sklearn
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

import tsclf
from tsclf.deep._engine import BaseDeepEstimator
from tsclf.deep._forward import resolve_device

FORMAT = "tsclf-model"
FORMAT_VERSION = 1
# Types from these packages are trusted when loading; anything else must be
# named by the caller (skops refuses unknown types rather than run them).
TRUSTED_PREFIXES = (
    "tsclf.",
    "sklearn.",
    "skorch.",
    "torch.",
    "numpy.",
    "scipy.",
    "functools.partial",
)
_MARKER = "tsclf:network:"


def _estimators_in(root):
    """Every estimator reachable from ``root``, each once.

    Walks estimators' attributes, lists, tuples and dicts (a Pipeline's
    steps, a search's ``best_estimator_``, an ensemble's ``estimators_``).
    """
    seen, stack = set(), [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, BaseEstimator):
            yield obj
            stack.extend(vars(obj).values())
        elif isinstance(obj, list | tuple):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.values())


def _as_lists(params: dict) -> dict:
    """``params`` with tensors (the loss's class weights) as nested lists."""
    return {
        name: [None if w is None else w.tolist() for w in value]
        if isinstance(value, list | tuple)
        and any(isinstance(w, torch.Tensor) for w in value)
        else value
        for name, value in params.items()
    }


def _loss_weights(deep, stored: dict) -> dict:
    """Return the loss settings a saved network was trained with, as tensors.

    Files written before they were saved get each task weighted 1.
    """
    if "criterion_params" not in stored:
        takes = inspect.signature(deep._criterion).parameters
        n_heads = len(stored["module_params"].get("n_outputs", ()))
        return {"task_weights": [1.0] * n_heads} if "task_weights" in takes else {}
    return {
        name: [None if w is None else torch.tensor(w) for w in value]
        if name == "class_weights" and value is not None
        else value
        for name, value in stored["criterion_params"].items()
    }


def _is_marker(net) -> bool:
    return isinstance(net, dict) and str(net.get("marker", "")).startswith(_MARKER)


def save_model(estimator: BaseEstimator, path: str | Path) -> Path:
    """Save a fitted estimator to one file, without pickle.

    Parameters
    ----------
    estimator : estimator
        Any fitted scikit-learn estimator: a tsclf deep estimator, a
        pipeline or search holding one, or a classical pipeline.
    path : str or path-like
        The file to write (a zip archive; ``.tsclf`` is a good suffix).

    Returns
    -------
    path : Path

    Raises
    ------
    sklearn.exceptions.NotFittedError
        When ``estimator`` is not fitted: an unfitted model would load back
        as one that cannot predict.

    See Also
    --------
    load_model : Read it back.

    Notes
    -----
    While saving, each deep estimator's ``net_`` is detached for a moment
    (restored before returning, also on error): do not save a model that
    another thread is using.

    In a :mod:`torch.distributed` process group (a data-parallel fit,
    ``distributed=True``), only rank 0 writes: every rank holds the same
    model, and the others return ``path`` without touching it.

    Examples
    --------
    >>> import tempfile
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import load_cwru_windows
    >>> from tsclf.export import load_model, save_model
    >>> windows = load_cwru_windows()
    >>> X, y = windows.X[::20], windows.y.iloc[::20]
    >>> model = CNNClassifier(max_epochs=1, validation=None, random_state=0)
    >>> model = model.fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_model(model, f"{folder}/cnn.tsclf")
    ...     loaded = load_model(path)
    >>> bool((loaded.predict(X) == model.predict(X)).all())
    True
    """
    import skops.io as sio

    check_is_fitted(estimator)
    path = Path(path)
    if torch.distributed.is_initialized() and torch.distributed.get_rank() != 0:
        return path  # rank 0 writes the model every rank holds
    networks = [
        found
        for found in _estimators_in(estimator)
        if isinstance(found, BaseDeepEstimator) and hasattr(found, "net_")
    ]
    nets = [deep.net_ for deep in networks]
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tsclf": tsclf.__version__,
        "torch": torch.__version__,
        "scikit-learn": sklearn.__version__,
        "n_networks": len(networks),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tsclf.json", json.dumps(meta, indent=2))
        for index, net in enumerate(nets):
            buffer = io.BytesIO()
            torch.save(net.module_.state_dict(), buffer)
            archive.writestr(f"network_{index}.pt", buffer.getvalue())
            archive.writestr(f"network_{index}.json", json.dumps(net.history.to_list()))
        try:
            for index, deep in enumerate(networks):
                deep.net_ = {
                    "marker": f"{_MARKER}{index}",
                    "module_params": nets[index].get_params_for("module"),
                    "criterion_params": _as_lists(
                        nets[index].get_params_for("criterion")
                    ),
                }
            archive.writestr("estimator.skops", sio.dumps(estimator))
        finally:
            for deep, net in zip(networks, nets, strict=True):
                deep.net_ = net
    return path


def load_model(
    path: str | Path, *, device: str = "cpu", trusted: list[str] | None = None
) -> BaseEstimator:
    """Load an estimator written by :func:`save_model`.

    Parameters
    ----------
    path : str or path-like
    device : {"cpu", "auto", "cuda", "cuda:N"}, default="cpu"
        Where the networks' weights go; a model saved on a GPU loads on a
        machine without one. The loaded deep estimators' ``device_``.
    trusted : list of str, default=None
        Further type names (as :func:`skops.io.get_untrusted_types` lists
        them) to accept, for a model holding objects from other packages.
        Types of tsclf, scikit-learn, skorch, torch, numpy and scipy are
        trusted; loading stops with a list of any other.

    Returns
    -------
    estimator : estimator
        Fitted as it was saved.
    """
    import skops.io as sio
    from skorch.history import History

    device = resolve_device(device)
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("tsclf.json"))
        if meta.get("format") != FORMAT or meta.get("format_version") != 1:
            raise ValueError(f"{path} is not a tsclf model file (format {meta}).")
        data = archive.read("estimator.skops")
        types = sio.get_untrusted_types(data=data)
        untrusted = [
            name
            for name in types
            if not name.startswith(TRUSTED_PREFIXES) and name not in (trusted or [])
        ]
        if untrusted:
            raise ValueError(
                f"{path} holds types outside tsclf, scikit-learn, skorch, torch, "
                f"numpy and scipy: {untrusted}. Pass them as trusted=[...] if "
                "you trust the file's source."
            )
        estimator = sio.loads(data, trusted=types)
        marked = [
            found
            for found in _estimators_in(estimator)
            if isinstance(found, BaseDeepEstimator)
            and _is_marker(getattr(found, "net_", None))
        ]
        for deep in marked:
            stored: dict[str, Any] = deep.net_
            index = int(stored["marker"][len(_MARKER) :])
            settings = {
                **{f"module__{k}": v for k, v in stored["module_params"].items()},
                **{
                    f"criterion__{k}": v for k, v in _loss_weights(deep, stored).items()
                },
            }
            net = deep._new_net(device, **settings)
            net.initialize()
            # The weights are saved, the optimizer's state is not.
            net.for_prediction_only = True
            weights = torch.load(
                io.BytesIO(archive.read(f"network_{index}.pt")),
                map_location=device,
                weights_only=True,
            )
            net.module_.load_state_dict(weights)
            net.module_.eval()
            net.history = History(json.loads(archive.read(f"network_{index}.json")))
            deep.net_, deep.device_ = net, device
    return estimator


__all__ = ["load_model", "save_model"]
