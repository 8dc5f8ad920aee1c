"""Base classes of the deep estimators.

A deep estimator composes a :class:`skorch.NeuralNet` inside ``fit`` rather
than subclassing skorch's classifier: scikit-learn sees a plain estimator
whose ``__init__`` only stores parameters, while skorch runs the training
loop (batching, device placement, callbacks, history, pickling).

Components are classes with prefixed parameters, as in skorch:
``module`` with ``module__*``, ``optimizer`` with ``optimizer__*``,
``lr_scheduler`` with ``lr_scheduler__*``, extra ``callbacks`` with
``callbacks__*``, and the data loaders with ``iterator_train__*`` and
``iterator_valid__*``. All of them take part in ``get_params``,
``set_params`` and ``clone``, so ``GridSearchCV`` can tune e.g.
``module__hidden_size``.
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any, ClassVar

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted
from torch.optim.lr_scheduler import ReduceLROnPlateau

from tsclf._losses import IGNORE_INDEX, MultiOutputMSE, MultiTaskCrossEntropy
from tsclf.deep._loader import BatchIndexLoader
from tsclf.deep._split import validation_split
from tsclf.transformers import standardize_windows
from tsclf.utils.labels import joint_labels
from tsclf.utils.validation import validate_series

#: Prefixes of the component parameters accepted as keyword arguments.
PREFIXES = (
    "module__",
    "preprocessor__",
    "optimizer__",
    "lr_scheduler__",
    "callbacks__",
    "iterator_train__",
    "iterator_valid__",
)
# Prefixes handed to skorch unchanged; the others are consumed here.
_SKORCH_PREFIXES = (
    "module__",
    "optimizer__",
    "callbacks__",
    "iterator_train__",
    "iterator_valid__",
)


#: Tiny, fast settings that each thin estimator's ``_test_params`` extends.
FAST_TEST_PARAMS: dict[str, Any] = {
    "max_epochs": 3,
    "lr": 1e-2,
    "batch_size": 16,
    "random_state": 0,
    "device": "cpu",
    # The common checks feed tabular data, which a per-window z-score erases.
    "standardize": False,
}


def resolve_device(device: str) -> str:
    """Turn ``"auto"`` into ``"cuda"`` when CUDA is available, else ``"cpu"``.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda", "cuda:N"}

    Returns
    -------
    device : str

    Raises
    ------
    ValueError
        On any other value, or a CUDA device that is not available.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if not isinstance(device, str) or not (
        device == "cpu"
        or device == "cuda"
        or (device.startswith("cuda:") and device[5:].isdigit())
    ):
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N', got {device!r}."
        )
    if device.startswith("cuda"):
        index = int(device[5:]) if ":" in device else 0
        if not torch.cuda.is_available() or index >= torch.cuda.device_count():
            raise ValueError(f"device {device!r} requested but CUDA is not available.")
    return device


class BaseDeepEstimator(BaseEstimator):
    """Training machinery shared by every deep estimator.

    Subclasses set ``_network`` (the default ``module``) and, optionally,
    ``_defaults`` (other defaults); a matching ``__init__`` signature is
    generated for them, so each thin estimator shows its own defaults.

    Parameters
    ----------
    module : type of torch.nn.Module
        The network class. It is built as ``module(n_channels=...,
        n_timepoints=..., n_outputs=..., **module__params)`` and must return
        a tuple with one tensor per task.
    max_epochs : int, default=50
        Upper bound on training epochs; early stopping usually ends sooner.
    batch_size : int, default=64
    lr : float, default=1e-3
        Initial learning rate.
    optimizer : type of torch.optim.Optimizer, default=torch.optim.AdamW
        Configured with ``optimizer__*`` parameters, e.g.
        ``optimizer__weight_decay``.
    lr_scheduler : type, default=torch.optim.lr_scheduler.ReduceLROnPlateau
        Learning-rate policy stepped on the validation loss (the training
        loss without validation), configured with ``lr_scheduler__*``
        parameters; None keeps the rate constant.
    validation_fraction : float, default=0.2
        Share of the training data held out for early stopping and the
        scheduler. With ``groups`` passed to ``fit``, whole groups are held
        out. 0 disables validation.
    patience : int, default=10
        Epochs without improvement of the monitored loss before training
        stops; the best epoch's weights are restored. None disables early
        stopping.
    gradient_clip : float, default=1.0
        Maximum gradient norm; None disables clipping.
    standardize : bool, default=True
        Z-score each channel of each window before the network, as the
        reference study did.
    preprocessor : transformer class, default=None
        Applied after standardisation, configured with ``preprocessor__*``
        parameters and fitted on the training series, e.g.
        :class:`~tsclf.transformers.STFTImage` for image networks.
    callbacks : list of skorch callbacks, default=None
        Extra callbacks, e.g. :class:`skorch.callbacks.Checkpoint`.
    device : {"auto", "cpu", "cuda", "cuda:N"}, default="auto"
        Where to train; ``"auto"`` uses CUDA when present.
    random_state : int or None, default=None
        Seeds weight initialisation, shuffling, dropout and the validation
        split. Two fits with the same seed on the CPU give identical
        predictions.
    verbose : int, default=0
        0 is silent, 1 prints a table row per epoch, 2 adds a progress bar
        over batches.
    **kwargs
        Prefixed component parameters (see :data:`PREFIXES`).
    """

    _network: type[torch.nn.Module] | None = None
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        module: type[torch.nn.Module] | None = None,
        *,
        max_epochs: int = 50,
        batch_size: int = 64,
        lr: float = 1e-3,
        optimizer: type[torch.optim.Optimizer] = torch.optim.AdamW,
        lr_scheduler: type | None = ReduceLROnPlateau,
        validation_fraction: float = 0.2,
        patience: int | None = 10,
        gradient_clip: float | None = 1.0,
        standardize: bool = True,
        preprocessor: type | None = None,
        callbacks: list | None = None,
        device: str = "auto",
        random_state: int | None = None,
        verbose: int = 0,
        **kwargs: Any,
    ) -> None:
        self.module = module
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.lr_scheduler = lr_scheduler
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.gradient_clip = gradient_clip
        self.standardize = standardize
        self.preprocessor = preprocessor
        self.callbacks = callbacks
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._component_params = dict(kwargs)

    # -- parameters -------------------------------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_network" in cls.__dict__ or "_defaults" in cls.__dict__:
            cls.__init__ = _thin_init(cls)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get parameters, including the prefixed component parameters.

        Parameters
        ----------
        deep : bool, default=True
            Ignored; components are classes, not estimators.

        Returns
        -------
        params : dict
        """
        params = super().get_params(deep=False)
        params.update(getattr(self, "_component_params", {}))
        return params

    def set_params(self, **params: Any) -> BaseDeepEstimator:
        """Set parameters, including prefixed ones such as ``module__depth``.

        Parameters
        ----------
        **params : dict

        Returns
        -------
        self : estimator
        """
        prefixed = {k: v for k, v in params.items() if k.startswith(PREFIXES)}
        others = {k: v for k, v in params.items() if k not in prefixed}
        self._component_params = {**self._component_params, **prefixed}
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
        unknown = [k for k in self._component_params if not k.startswith(PREFIXES)]
        if unknown:
            raise ValueError(
                f"Unknown parameters {unknown}; prefixed parameters must start "
                f"with one of {PREFIXES}."
            )
        module = self.module
        if not (inspect.isclass(module) and issubclass(module, torch.nn.Module)):
            raise ValueError(f"module must be a torch.nn.Module class, got {module!r}.")
        for name in ("max_epochs", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}.")
        if not self.lr > 0:
            raise ValueError(f"lr must be positive, got {self.lr!r}.")
        if not 0 <= (self.validation_fraction or 0) < 1:
            raise ValueError(
                "validation_fraction must be in [0, 1), got "
                f"{self.validation_fraction!r}."
            )

    # -- data -------------------------------------------------------------

    def _validate_X(self, X, y=None, *, reset: bool):
        """Validate X (and y) and return X as float32 (n, channels, length)."""
        if reset:
            X, y = validate_series(
                self, X, y=y, reset=True, dtype=np.float32, multi_output=True
            )
        else:
            X = validate_series(self, X, reset=False, dtype=np.float32)
        if reset:
            self.n_channels_, self.n_timepoints_ = X.shape[1], X.shape[2]
        elif X.shape[1:] != (self.n_channels_, self.n_timepoints_):
            raise ValueError(
                f"X has series of shape {X.shape[1:]}, but this estimator was fitted "
                f"on ({self.n_channels_}, {self.n_timepoints_})."
            )
        return (X, y) if reset else X

    def _transform_input(self, X: np.ndarray, *, fit: bool = False) -> np.ndarray:
        """Standardise, then apply ``preprocessor`` (fitted when ``fit``)."""
        if self.standardize:
            X = standardize_windows(X)
        if fit:
            self.preprocessor_ = (
                None
                if self.preprocessor is None
                else self.preprocessor(
                    **self._params_with_prefix("preprocessor__")
                ).fit(X)
            )
        if self.preprocessor_ is not None:
            X = np.asarray(self.preprocessor_.transform(X), dtype=np.float32)
        return X

    @staticmethod
    def _network_shape(X: np.ndarray) -> dict[str, Any]:
        """Shape arguments for the network, from preprocessed input."""
        shape = X.shape[2:]
        return {
            "n_channels": X.shape[1],
            "n_timepoints": shape[0] if len(shape) == 1 else shape,
        }

    # -- training ---------------------------------------------------------

    def _callbacks(self, has_validation: bool) -> list:
        from skorch.callbacks import (
            EarlyStopping,
            GradientNormClipping,
            LRScheduler,
            ProgressBar,
        )

        monitor = "valid_loss" if has_validation else "train_loss"
        callbacks: list = []
        if self.lr_scheduler is not None:
            scheduler_params = self._params_with_prefix("lr_scheduler__")
            if self.lr_scheduler is ReduceLROnPlateau:
                scheduler_params = {"factor": 0.5, "patience": 3, **scheduler_params}
            callbacks.append(
                (
                    "lr_scheduler",
                    LRScheduler(self.lr_scheduler, monitor=monitor, **scheduler_params),
                )
            )
        if self.patience is not None:
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor=monitor,
                        patience=self.patience,
                        load_best=True,
                        sink=print if self.verbose else _silent,
                    ),
                )
            )
        if self.gradient_clip is not None:
            callbacks.append(
                ("gradient_clipping", GradientNormClipping(self.gradient_clip))
            )
        if self.verbose >= 2:
            callbacks.append(("progress_bar", ProgressBar()))
        return (
            callbacks
            + self._scoring_callbacks(has_validation)
            + list(self.callbacks or [])
        )

    def _scoring_callbacks(self, has_validation: bool) -> list:
        """Per-epoch scores recorded in the history (none by default)."""
        return []

    def _fit_network(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        groups,
        stratify: np.ndarray | None,
        n_outputs: tuple[int, ...],
        criterion: type[torch.nn.Module],
        criterion_params: dict[str, Any],
    ) -> None:
        """Build the skorch net and train it; sets ``net_`` and ``device_``."""
        from skorch import NeuralNet
        from skorch.dataset import Dataset
        from skorch.helper import predefined_split

        if X.shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples, got 1 sample."
            )
        self.device_ = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        groups = None if groups is None else np.asarray(groups)
        if groups is not None and groups.shape[0] != X.shape[0]:
            raise ValueError(
                f"groups has {groups.shape[0]} entries for {X.shape[0]} samples."
            )
        split = validation_split(
            X.shape[0], stratify, groups, self.validation_fraction, rng
        )
        if split is None:
            train_split, X_train, y_train = None, X, y
        else:
            train, valid = split
            train_split = predefined_split(Dataset(X[valid], y[valid]))
            X_train, y_train = X[train], y[train]
        components = {
            "iterator_train__shuffle": True,
            # BatchNorm cannot train on a last batch of one sample.
            "iterator_train__drop_last": X_train.shape[0] % self.batch_size == 1,
            "iterator_train__generator": torch.Generator().manual_seed(seed),
            **{f"criterion__{k}": v for k, v in criterion_params.items()},
            # The user's prefixed parameters pass through to skorch as they are.
            **{
                k: v
                for k, v in self._component_params.items()
                if k.startswith(_SKORCH_PREFIXES)
            },
            # The network's shape comes from the data.
            **{f"module__{k}": v for k, v in self._network_shape(X).items()},
            "module__n_outputs": n_outputs,
        }
        devices = [torch.device(self.device_)] if self.device_ != "cpu" else []
        with torch.random.fork_rng(devices=devices, device_type="cuda"):
            torch.manual_seed(seed)
            net = NeuralNet(
                module=self.module,
                criterion=criterion,
                optimizer=self.optimizer,
                lr=self.lr,
                iterator_train=BatchIndexLoader,
                iterator_valid=BatchIndexLoader,
                max_epochs=self.max_epochs,
                batch_size=self.batch_size,
                train_split=train_split,
                callbacks=self._callbacks(split is not None),
                device=self.device_,
                verbose=int(self.verbose > 0),
                predict_nonlinearity=None,
                **components,
            )
            net.fit(X_train, y_train)
        self.net_ = net
        self.n_epochs_ = len(net.history)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled estimator; a GPU-trained one loads on the CPU.

        skorch maps the network's tensors to the CPU when CUDA is missing;
        ``device_`` then follows the device the network landed on.
        """
        self.__dict__.update(state)
        if "net_" in state:
            self.device_ = str(self.net_.device)

    @property
    def history_(self):
        """Per-epoch training history (:class:`skorch.history.History`)."""
        check_is_fitted(self, "net_")
        return self.net_.history

    def _forward(self, X) -> list[np.ndarray]:
        """Run the network on validated, preprocessed X; one array per head."""
        check_is_fitted(self, "net_")
        X = self._transform_input(self._validate_X(X, reset=False))
        return network_logits(self.net_, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.non_deterministic = self.device != "cpu" and torch.cuda.is_available()
        return tags


def network_logits(net, X) -> list[np.ndarray]:
    """Run a skorch net in evaluation mode on preprocessed X; one array per head.

    ``X`` is anything ``net.forward`` takes (an array or a skorch dataset).
    Also usable during training (from a callback), before ``net_`` is set.
    """
    net.module_.eval()
    outputs = net.forward(X, training=False, device="cpu")
    if isinstance(outputs, torch.Tensor):
        outputs = (outputs,)
    return [output.float().numpy() for output in outputs]


def _joint_accuracy(net, X, y) -> float:
    """Share of validation samples with every task right, for the history."""
    logits = network_logits(net, X)
    predicted = np.column_stack([output.argmax(axis=1) for output in logits])
    if y is None:
        y = X.y
    y = np.asarray(y).reshape(predicted.shape)
    # Masked (not applicable) targets are judged through their gating task.
    correct = (predicted == y) | (y == IGNORE_INDEX)
    return float(np.mean(np.all(correct, axis=1)))


def _silent(*args: Any, **kwargs: Any) -> None:
    """Swallow early-stopping messages when not verbose."""


def _thin_init(cls: type) -> Any:
    """Build ``__init__`` for a thin estimator: the base signature, new defaults."""
    base_init = next(
        klass.__dict__["__init__"]
        for klass in cls.__mro__[1:]
        if "__init__" in klass.__dict__
        and not hasattr(klass.__dict__["__init__"], "_thin")
    )
    signature = inspect.signature(base_init)
    defaults = {"module": cls._network}
    for klass in reversed(cls.__mro__):
        defaults.update(klass.__dict__.get("_defaults", {}))
    unknown = set(defaults) - set(signature.parameters)
    if unknown:
        raise TypeError(f"{cls.__name__}._defaults has unknown keys {unknown}.")
    signature = signature.replace(
        parameters=[
            p.replace(default=defaults[name]) if name in defaults else p
            for name, p in signature.parameters.items()
        ]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("self")
        extra = arguments.pop("kwargs", {})
        base_init(self, **arguments, **extra)

    __init__.__signature__ = signature
    __init__.__doc__ = base_init.__doc__
    __init__._thin = True
    return __init__


class BaseDeepClassifier(ClassifierMixin, BaseDeepEstimator):
    """Multi-task classifier: one shared trunk, one head per task.

    ``y`` of shape (n_samples,) is a single task; (n_samples, n_tasks) or a
    DataFrame gives one head per column. Labels may be strings or ints.

    Parameters
    ----------
    task_weights : sequence of float or dict, default=None
        Weight of each task's cross-entropy in the summed loss, by position
        or by column name of a DataFrame ``y``; None weighs all tasks 1.
        The reference study used 0.5 on detection.
    class_weight : None, "balanced", dict or list, default=None
        Class weights of the cross-entropy: one setting for all tasks, or a
        list with one per task. A dict maps labels to weights.
    not_applicable : label, default=None
        A label that means "this task does not apply", such as ``"n/a"`` for
        the fault location of a normal CWRU window. When set, each task
        holding it next to real labels is *gated*: its head learns the real
        labels only (those samples are masked out of its loss), and the
        label is predicted from another task whose value implies it in the
        training data (``detection == "normal"``), with probability
        ``P(gate)`` and the head's probabilities scaled by ``1 - P(gate)``.
        None treats it as an ordinary class.
    **params
        See :class:`BaseDeepEstimator`.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray
        Labels of the single task, or one array per task.
    n_tasks_ : int
    net_ : skorch.NeuralNet
        The trained network and its history.
    device_ : str
        Device used for training.
    n_epochs_ : int
        Epochs run.
    """

    def __init__(
        self,
        module: type[torch.nn.Module] | None = None,
        *,
        task_weights=None,
        class_weight=None,
        not_applicable=None,
        max_epochs: int = 50,
        batch_size: int = 64,
        lr: float = 1e-3,
        optimizer: type[torch.optim.Optimizer] = torch.optim.AdamW,
        lr_scheduler: type | None = ReduceLROnPlateau,
        validation_fraction: float = 0.2,
        patience: int | None = 10,
        gradient_clip: float | None = 1.0,
        standardize: bool = True,
        preprocessor: type | None = None,
        callbacks: list | None = None,
        device: str = "auto",
        random_state: int | None = None,
        verbose: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            module,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=optimizer,
            lr_scheduler=lr_scheduler,
            validation_fraction=validation_fraction,
            patience=patience,
            gradient_clip=gradient_clip,
            standardize=standardize,
            preprocessor=preprocessor,
            callbacks=callbacks,
            device=device,
            random_state=random_state,
            verbose=verbose,
            **kwargs,
        )
        self.task_weights = task_weights
        self.class_weight = class_weight
        self.not_applicable = not_applicable

    def _scoring_callbacks(self, has_validation: bool) -> list:
        from skorch.callbacks import EpochScoring

        if not has_validation:
            return []
        return [
            (
                "valid_acc",
                EpochScoring(
                    _joint_accuracy,
                    lower_is_better=False,
                    on_train=False,
                    name="valid_acc",
                ),
            )
        ]

    def _task_weights(self, names: list) -> list[float]:
        if self.task_weights is None:
            return [1.0] * len(names)
        if isinstance(self.task_weights, dict):
            unknown = set(self.task_weights) - set(names)
            if unknown:
                raise ValueError(f"task_weights names unknown tasks {unknown}.")
            return [float(self.task_weights.get(name, 1.0)) for name in names]
        weights = [float(w) for w in np.ravel(self.task_weights)]
        if len(weights) != len(names):
            raise ValueError(
                f"task_weights has {len(weights)} entries for {len(names)} tasks."
            )
        return weights

    def _class_weights(self, codes: np.ndarray) -> list[torch.Tensor | None]:
        settings = self.class_weight
        if not isinstance(settings, list):
            settings = [settings] * self.n_tasks_
        if len(settings) != self.n_tasks_:
            raise ValueError(
                f"class_weight has {len(settings)} entries for {self.n_tasks_} tasks."
            )
        weights = []
        for task, setting in enumerate(settings):
            if setting is None:
                weights.append(None)
                continue
            classes = self._head_classes[task]
            present = np.unique(codes[codes[:, task] != IGNORE_INDEX, task])
            counted = codes[codes[:, task] != IGNORE_INDEX, task]
            weight = compute_class_weight(
                setting, classes=classes[present], y=classes[counted]
            )
            full = np.ones(len(classes))
            full[present] = weight
            weights.append(torch.as_tensor(full, dtype=torch.float32))
        return weights

    def _encode_labels(self, y2d: np.ndarray) -> np.ndarray:
        """Set ``classes_`` and the heads' classes and gates; return codes."""
        classes = [np.unique(y2d[:, task]) for task in range(self.n_tasks_)]
        self._head_classes = list(classes)
        self._gates: list[tuple[int, int] | None] = [None] * self.n_tasks_
        na = self.not_applicable
        gated = [
            na is not None and len(c) > 1 and bool((c == na).any()) for c in classes
        ]
        for task in np.flatnonzero(gated):
            is_na = y2d[:, task] == na
            gate = next(
                (
                    (other, int(np.flatnonzero(classes[other] == value)[0]))
                    for other in range(self.n_tasks_)
                    if not gated[other]
                    for value in classes[other]
                    if np.array_equal(is_na, y2d[:, other] == value)
                ),
                None,
            )
            if gate is None:
                raise ValueError(
                    f"Task {task}: no label of another task marks exactly the "
                    f"samples labelled {na!r}; gating needs one (e.g. detection "
                    "'normal' for location 'n/a'). Use not_applicable=None to "
                    "treat it as an ordinary class."
                )
            self._gates[task] = gate
            self._head_classes[task] = classes[task][classes[task] != na]
        codes = np.empty(y2d.shape, dtype=np.int64)
        for task, head in enumerate(self._head_classes):
            position = np.searchsorted(head, y2d[:, task])
            position = np.minimum(position, len(head) - 1)
            known = head[position] == y2d[:, task]
            codes[:, task] = np.where(known, position, IGNORE_INDEX)
        self._classes = classes
        self.classes_ = classes[0] if self._single_task else classes
        return codes

    def _probas_from_logits(self, logits: list[np.ndarray]) -> list[np.ndarray]:
        """Per-task probabilities over ``classes_``, gates applied."""
        heads = [
            torch.softmax(torch.from_numpy(task).double(), dim=1).numpy()
            for task in logits
        ]
        probas = []
        for task, head in enumerate(heads):
            if self._gates[task] is None:
                probas.append(head)
                continue
            other, value = self._gates[task]
            p_na = heads[other][:, value]
            is_na = self._classes[task] == self.not_applicable
            full = np.empty((head.shape[0], is_na.size))
            full[:, is_na] = p_na[:, np.newaxis]
            full[:, ~is_na] = head * (1.0 - p_na)[:, np.newaxis]
            probas.append(full)
        return probas

    def _labels_from_logits(self, logits: list[np.ndarray]) -> np.ndarray:
        """Predicted labels in the shape of the fitted ``y``."""
        columns = [
            self._classes[task][proba.argmax(axis=1)]
            for task, proba in enumerate(self._probas_from_logits(logits))
        ]
        return columns[0] if self._single_task else np.column_stack(columns)

    def fit(self, X, y, groups=None) -> BaseDeepClassifier:
        """Train the network on all tasks at once.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
            Series; a wide DataFrame is read as univariate.
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
            Labels; a 2-D array or a DataFrame means several tasks.
        groups : array-like of shape (n_samples,), default=None
            Recording of each sample. The validation set then holds whole
            recordings, so no window of a validation recording is trained on.

        Returns
        -------
        self : estimator
        """
        self._check_params()
        names = list(y.columns) if hasattr(y, "columns") else None
        X, y = self._validate_X(X, y, reset=True)
        y = np.asarray(y)
        self._single_task = y.ndim == 1
        y2d = y.reshape(len(y), -1)
        self.n_tasks_ = y2d.shape[1]
        names = names or list(range(self.n_tasks_))
        for task in range(self.n_tasks_):
            check_classification_targets(y2d[:, task])
        codes = self._encode_labels(y2d)
        joint = joint_labels(y2d)
        self._fit_network(
            self._transform_input(X, fit=True),
            codes,
            groups=groups,
            stratify=joint,
            n_outputs=tuple(len(c) for c in self._head_classes),
            criterion=MultiTaskCrossEntropy,
            criterion_params={
                "task_weights": self._task_weights(names),
                "class_weights": self._class_weights(codes),
            },
        )
        return self

    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Class probabilities, per task.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or list of them
            One array per task when fitted on several tasks, as
            :class:`~sklearn.ensemble.RandomForestClassifier` returns.
        """
        probas = self._probas_from_logits(self._forward(X))
        return probas[0] if self._single_task else probas

    def predict(self, X) -> np.ndarray:
        """Predict labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_tasks)
            In the shape of the ``y`` given to ``fit``.
        """
        return self._labels_from_logits(self._forward(X))

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy; for several tasks, the share of samples with all right.

        Parameters
        ----------
        X : array-like
        y : array-like of shape (n_samples,) or (n_samples, n_tasks)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        y_true = np.asarray(y)
        y_pred = self.predict(X)
        if y_true.ndim == 1:
            return float(accuracy_score(y_true, y_pred, sample_weight=sample_weight))
        correct = np.all(y_true.astype(object) == y_pred.astype(object), axis=1)
        return float(np.average(correct, weights=sample_weight))


class BaseDeepRegressor(RegressorMixin, BaseDeepEstimator):
    """Regressor with one head predicting every target (MSE loss).

    Targets are standardised for training and mapped back in ``predict``.

    Attributes
    ----------
    n_targets_ : int
    net_ : skorch.NeuralNet
    device_ : str
    n_epochs_ : int
    """

    _defaults: ClassVar[dict[str, Any]] = {"standardize": False}

    def score(self, X, y, sample_weight=None) -> float:
        """Return the coefficient of determination (R²) of the predictions.

        As scikit-learn's regressors: for several targets, the uniform
        average of the per-target R².

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        return super().score(X, y, sample_weight=sample_weight)

    def fit(self, X, y, groups=None) -> BaseDeepRegressor:
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        groups : array-like of shape (n_samples,), default=None
            Group of each sample, respected by the validation split.

        Returns
        -------
        self : estimator
        """
        self._check_params()
        X, y = self._validate_X(X, y, reset=True)
        y = np.asarray(y, dtype=np.float64)
        self._single_target = y.ndim == 1
        y2d = y.reshape(len(y), -1)
        self.n_targets_ = y2d.shape[1]
        self.y_mean_ = y2d.mean(axis=0)
        self.y_scale_ = np.where(y2d.std(axis=0) > 0, y2d.std(axis=0), 1.0)
        self._fit_network(
            self._transform_input(X, fit=True),
            ((y2d - self.y_mean_) / self.y_scale_).astype(np.float32),
            groups=groups,
            stratify=None,
            n_outputs=(self.n_targets_,),
            criterion=MultiOutputMSE,
            criterion_params={},
        )
        return self

    def predict(self, X) -> np.ndarray:
        """Predict targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        (output,) = self._forward(X)
        y = output.astype(np.float64) * self.y_scale_ + self.y_mean_
        return y[:, 0] if self._single_target else y
