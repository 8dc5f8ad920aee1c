"""The training engine: a skorch net built and fitted inside ``fit``.

A deep estimator composes a :class:`skorch.NeuralNet` in ``fit`` rather
than subclassing skorch's classifier: scikit-learn sees a plain estimator
whose ``__init__`` only stores parameters, while skorch runs the training
loop (batching, device placement, callbacks, history, pickling). This file
holds what every deep estimator shares: validating input, choosing the
validation windows, building and fitting the net, and running
it in evaluation mode. The preprocessor, labels, losses and the training
policy live in the files beside it.
"""

from __future__ import annotations

import functools
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

from tsclf.datasets import WindowArray
from tsclf.deep._adapt import TestTimeAdaptationMixin
from tsclf.deep._callbacks import (
    batches_per_epoch,
    checked_callbacks,
    policy_callbacks,
    training_loader_policy,
)
from tsclf.deep._distributed import DistributedNet, join_fit
from tsclf.deep._forward import (
    FittedNetworkMixin,
    check_network_runs,
    resolve_device,
)
from tsclf.deep._lazy import rows_of, validate_windows_on_disk
from tsclf.deep._loader import BatchIndexLoader
from tsclf.deep._losses import target_rows, with_sample_weight
from tsclf.deep._params import DeepParams
from tsclf.deep._precision import PRECISIONS, PrecisionNet
from tsclf.deep._preprocess import PreprocessorMixin
from tsclf.deep._seeding import fit_seed, seeded_fit
from tsclf.deep._validation import checked_groups, validation_split
from tsclf.utils.constraints import HasMethods, Interval, StrOptions
from tsclf.utils.validation import validate_series


class BaseDeepEstimator(
    FittedNetworkMixin, PreprocessorMixin, TestTimeAdaptationMixin, DeepParams
):
    """Training machinery shared by every deep estimator.

    Parameters
    ----------
    module : type of torch.nn.Module, default=None
        The network class, built as ``module(n_channels=...,
        n_timepoints=..., n_outputs=..., **module__params)``; it returns a
        tuple with one tensor per head. Each thin estimator sets its own.
    max_epochs : int, default=50
        Upper bound on training epochs; early stopping usually ends sooner.
    batch_size : int, default=64
    lr : float, default=1e-3
        Initial learning rate; with ``lr_scheduler=OneCycleLR``, the
        cycle's peak.
    optimizer : type of torch.optim.Optimizer, default=torch.optim.AdamW
        Configured with ``optimizer__*`` parameters, e.g.
        ``optimizer__weight_decay``.
    lr_scheduler : callable, default=partial(ReduceLROnPlateau, factor=0.5, patience=3)
        Learning-rate scheduler class, or a ``functools.partial`` of one with
        its settings, stepped every epoch on the validation loss (the
        training loss without validation). ``lr_scheduler__*`` parameters
        override the partial's settings; None keeps the rate constant.
        :class:`~torch.optim.lr_scheduler.OneCycleLR` is stepped after every
        training batch, peaks at ``lr`` and spans ``max_epochs`` epochs
        (:func:`~tsclf.deep.one_cycle_settings`): fewer epochs for the same
        accuracy.
    validation : "auto", float, splitter or None, default="auto"
        Which training windows are held out to validate on, for early
        stopping, the scheduler and the history's ``valid_*`` scores.
        ``"auto"`` holds out 20 % with
        :class:`~tsclf.model_selection.ValidationSplit`: whole groups when
        ``fit`` gets ``groups``, stratified when it can be. A float in
        (0, 1) holds out that share the same way. A scikit-learn splitter
        (e.g. ``GroupShuffleSplit``) gives its first split, called as
        ``split(X, y, groups)`` with the joint label of each sample as
        ``y`` for classifiers (None for regressors); when ``fit`` gets
        ``conditions``, as ``split(X, y, groups, conditions=conditions)``, so
        ``LeaveOneConditionOut()`` validates on a whole operating condition
        (the first one) that the network does not train on. A classifier
        leaves out of the validation loss the labels of validation windows
        whose class no training window has (holding out a condition can
        take a class with it, e.g. a fault size with its bearing): no epoch
        could learn them, so they would only steer early stopping to the
        first epoch. None trains on everything without validation.
    early_stopping_patience : int, default=10
        Epochs without improvement of the monitored loss before training
        stops; the best epoch's weights are restored. None trains for
        ``max_epochs``.
    gradient_clip : float, default=1.0
        Maximum gradient norm; None disables clipping.
    preprocessor : transformer, "auto" or None, default="auto"
        Fitted (as a clone) on the training series and applied before the
        network, e.g. a pipeline ending in
        :class:`~tsclf.transformers.STFTImage` for image networks, or in
        per-window features (a table, read as one channel of feature
        values). Its output is checked: one row, series or image per
        window, finite. "auto": the estimator's own, each window
        standardised (:class:`~tsclf.transformers.WindowStandardizer`;
        :class:`~tsclf.classification.ResNet2DClassifier` then takes its
        STFT image); the fitted one is ``preprocessor_``. To change its
        settings, pass the transformer built with them
        (``preprocessor=WindowStandardizer(eps=1e-3)``); a transformer
        passed has nested parameters (``preprocessor__eps``).
        Under metadata routing it gets the ``groups`` or ``sample_weight``
        of ``fit`` it requests (``set_fit_request(groups=True)``). None
        feeds the series as they are.
    augmentation : list of batch transforms, default=None
        Random transforms from :mod:`tsclf.augmentation` (e.g.
        ``[RandomScale(), TimeStretch()]``) applied in order to each
        training batch, after the preprocessor; validation and prediction
        batches are left as they are. Seeded by ``random_state``. None
        trains on the windows as they are.
    callbacks : list of skorch callbacks, default=None
        Extra callbacks, e.g. :class:`skorch.callbacks.Checkpoint`, run
        after the policy's; configured with ``callbacks__*``.
    device : {"auto", "cpu", "cuda", "cuda:N"}, default="auto"
        Where to train; ``"auto"`` uses CUDA when present.
    precision : {"float32", "bfloat16", "float16"}, default="float32"
        Precision of the forward passes. ``"bfloat16"`` and ``"float16"``
        run them under :func:`torch.autocast` (weights, loss and optimiser
        stay in float32); float16 adds a gradient scaler. bfloat16 speeds up
        CPUs with AVX512-BF16 or AMX and recent GPUs; float16 is for GPUs.
    warm_start : bool, default=False
        Whether ``fit`` on a fitted estimator trains its network further
        (``max_epochs`` more, as :meth:`partial_fit` does: the preprocessor,
        the label encoding and the first fit's validation split kept)
        instead of starting afresh. ``groups`` and ``conditions`` are read
        by the first fit only; passing them to a continuing fit raises.
    distributed : bool, default=False
        Whether ``fit`` trains data-parallel (torch's
        ``DistributedDataParallel``) with the other processes of a
        :mod:`torch.distributed` group, launched by ``torchrun
        --nproc_per_node N script.py``: each calls ``fit`` with the same
        ``X`` and ``y`` (checked), trains on its share of every batch and
        ends with the same network; only rank 0 prints, and
        :func:`tsclf.export.save_model` writes only there. See
        ``docs/tune-and-scale.md``.
    compile : bool, default=False
        Whether training runs the network and loss compiled by
        :func:`torch.compile` (skorch's ``compile``; needs a C++ compiler):
        seconds of compiling per fit for faster steps on some networks. The
        fitted network is kept uncompiled for everything after ``fit``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling, dropout and the validation
        split. Two fits with the same seed on the CPU give identical
        predictions.
    verbose : int, default=0
        0 is silent, 1 prints a table row per epoch, 2 adds a progress bar
        over batches.
    **kwargs
        Prefixed component parameters: ``module__*``, ``optimizer__*``,
        ``lr_scheduler__*``, ``callbacks__*``, ``iterator_train__*``,
        ``iterator_valid__*``. The engine itself sets only what the data or
        the seed decide: the network's shape from the data
        (``module__n_channels``, ``module__n_timepoints``,
        ``module__n_outputs``) and, unless a prefixed parameter says
        otherwise, shuffled training batches from a generator seeded by
        ``random_state`` (``iterator_train__shuffle``,
        ``iterator_train__generator``) and ``iterator_train__drop_last``
        when the last training batch would hold one sample, which BatchNorm
        cannot train on.
    """

    # Under metadata routing, fit asks for the groups a search or
    # cross_validate is given: validation then holds out whole recordings.
    # Conditions only on request (set_fit_request(conditions=True)): only a
    # validation splitter that takes them uses them.
    __metadata_request__fit: ClassVar[dict] = {"groups": True, "conditions": False}

    _parameter_constraints: ClassVar[dict] = {
        "module": [type],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, np.inf, closed="neither")],
        "optimizer": [type],
        "lr_scheduler": [callable, None],
        "validation": [
            StrOptions({"auto"}),
            Interval(Real, 0, 1, closed="neither"),
            HasMethods(["split"]),
            None,
        ],
        "early_stopping_patience": [Interval(Integral, 1, None, closed="left"), None],
        "gradient_clip": [Interval(Real, 0, np.inf, closed="neither"), None],
        "preprocessor": [HasMethods(["fit", "transform"]), StrOptions({"auto"}), None],
        "augmentation": [list, None],
        "callbacks": [list, None],
        "device": [str],
        "precision": [StrOptions(set(PRECISIONS))],
        "compile": ["boolean"],
        "distributed": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        module: type[torch.nn.Module] | None = None,
        *,
        max_epochs: int = 50,
        batch_size: int = 64,
        lr: float = 1e-3,
        optimizer: type[torch.optim.Optimizer] = torch.optim.AdamW,
        lr_scheduler: Any = functools.partial(  # noqa: B008 (immutable)
            ReduceLROnPlateau, factor=0.5, patience=3
        ),
        validation: Any = "auto",
        early_stopping_patience: int | None = 10,
        gradient_clip: float | None = 1.0,
        preprocessor: Any = "auto",
        augmentation: list | None = None,
        callbacks: list | None = None,
        device: str = "auto",
        precision: str = "float32",
        warm_start: bool = False,
        compile: bool = False,
        distributed: bool = False,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        **kwargs: Any,
    ) -> None:
        params = locals()  # each parameter under its name in the signature
        del params["self"], params["kwargs"]
        self._store(params, kwargs)

    # -- checks and input ---------------------------------------------------

    def _validate_X(self, X, y=None, *, reset: bool):
        """Validate X (and y) and return X as float32 (n, channels, length).

        Windows on disk (:class:`~tsclf.datasets.WindowArray`) are checked
        without being read, and returned as they are.
        """
        on_disk = isinstance(X, WindowArray)
        if reset:
            if on_disk:
                X, y = validate_windows_on_disk(self, X, y, reset=True)
            else:
                X, y = validate_series(
                    self, X, y=y, reset=True, dtype=np.float32, multi_output=True
                )
            self.n_channels_, self.n_timepoints_ = X.shape[1], X.shape[2]
            return X, y
        if on_disk:
            X = validate_windows_on_disk(self, X, None, reset=False)
        else:
            X = validate_series(self, X, reset=False, dtype=np.float32)
        if X.shape[1:] != (self.n_channels_, self.n_timepoints_):
            raise ValueError(
                f"X has series of shape {X.shape[1:]}, but this estimator was fitted "
                f"on ({self.n_channels_}, {self.n_timepoints_})."
            )
        return X

    # -- training -------------------------------------------------------------

    def _scoring_callbacks(self, has_validation: bool) -> list:
        """Per-epoch scores recorded in the history (none by default)."""
        return []

    def _validation_targets(
        self, y: np.ndarray, train: np.ndarray, valid: np.ndarray
    ) -> np.ndarray:
        """Return ``y`` with its ``valid`` rows as the validation loss sees them.

        Unchanged here; classifiers leave unlearnable labels out.
        """
        return y

    def _fit_network(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        groups,
        conditions=None,
        y_split: np.ndarray | None,
        n_outputs: tuple[int, ...],
        criterion_params: dict[str, Any],
        sample_weight=None,
    ) -> None:
        """Build the skorch net and train it; sets ``net_`` and ``device_``.

        ``X`` is preprocessed, ``y`` holds the training targets (head codes
        or scaled values) and ``y_split`` what the validation splitter sees.
        Non-uniform ``sample_weight`` travel with the targets to the loss.
        """
        from skorch.dataset import Dataset
        from skorch.helper import predefined_split

        if X.shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples, got 1 sample."
            )
        self.device_ = resolve_device(self.device)
        seed, rng = fit_seed(self.random_state)
        rank, n_replicas = 0, 1
        if self.distributed:
            rank, n_replicas, self.device_, seed = join_fit(
                self.device_, seed, rng, X, y, owner=type(self).__name__
            )
        groups = checked_groups(groups, X.shape[0])
        split = validation_split(self, X.shape[0], y_split, groups, rng, conditions)
        if split is not None:
            y = self._validation_targets(y, *split)
        y = with_sample_weight(y, sample_weight, X)
        if split is None:
            train_split, X_train, y_train = None, X, y
        else:
            train, valid = split
            train_split = predefined_split(
                Dataset(rows_of(X, valid), target_rows(y, valid))
            )
            X_train, y_train = rows_of(X, train), target_rows(y, train)
        shape = X.shape[2:]
        components = {
            **training_loader_policy(
                len(X_train),
                self.batch_size,
                seed,
                self.augmentation,
                n_replicas=n_replicas,
                rank=rank,
            ),
            **{f"criterion__{k}": v for k, v in criterion_params.items()},
            # The user's prefixed parameters pass through to skorch as they are.
            **{
                k: v
                for k, v in self._component_params.items()
                if not k.startswith("lr_scheduler__")
            },
            # The network's shape comes from the (preprocessed) data.
            "module__n_channels": X.shape[1],
            "module__n_timepoints": shape[0] if len(shape) == 1 else shape,
            "module__n_outputs": n_outputs,
        }
        check_network_runs(
            self.module,
            {k[8:]: v for k, v in components.items() if k.startswith("module__")},
            X.shape[1:],
            owner=type(self).__name__,
        )
        has_validation = split is not None
        callbacks = [
            *policy_callbacks(
                self,
                has_validation=has_validation,
                verbose=self.verbose if rank == 0 else 0,
                batches_per_epoch=batches_per_epoch(
                    len(X_train), self.batch_size, components
                ),
            ),
            *self._scoring_callbacks(has_validation),
            *checked_callbacks(self.callbacks or [], type(self).__name__),
        ]
        owner, warn = type(self).__name__, self.random_state is not None
        with seeded_fit(seed, self.device_, owner=owner, warn=warn):
            net = self._new_net(
                self.device_,
                distributed=self.distributed,
                quiet=rank != 0,
                train_split=train_split,
                callbacks=callbacks,
                compile=self.compile,
                **components,
            )
            net.fit(X_train, y_train)
        if self.compile:  # the fitted network is the plain module
            net.module_ = getattr(net.module_, "_orig_mod", net.module_)
            net.criterion_ = getattr(net.criterion_, "_orig_mod", net.criterion_)
            net.compile = False
        self.net_ = net
        self.n_epochs_ = len(net.history)

    def _new_net(
        self,
        device: str,
        *,
        distributed: bool = False,
        quiet: bool = False,
        **settings: Any,
    ) -> PrecisionNet:
        """Return the skorch net of this estimator's settings: the one builder.

        ``fit`` adds what training needs, ``load_model`` the saved shape;
        ``distributed`` trains it data-parallel, ``quiet`` silences it.
        """
        net_class = DistributedNet if distributed else PrecisionNet
        return net_class(
            module=self.module,
            criterion=self._criterion,
            optimizer=self.optimizer,
            lr=self.lr,
            iterator_train=BatchIndexLoader,
            iterator_valid=BatchIndexLoader,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            device=device,
            verbose=0 if quiet else int(self.verbose > 0),
            predict_nonlinearity=None,
            precision=self.precision,
            **settings,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.non_deterministic = self.device != "cpu" and torch.cuda.is_available()
        return tags
