"""Weight averaging over training (SWA or EMA), as a skorch callback."""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

from skorch.callbacks import Callback

from tsclf.deep._forward import recompute_batchnorm
from tsclf.utils.constraints import Interval, validate_parameter_constraints


class WeightAveraging(Callback):
    """Replace the trained weights by their average over training.

    Averaged weights sit in a flatter region of the loss than the last (or
    the best) epoch's, which tends to hold up better on data unlike the
    training data. Both averages of :mod:`torch.optim.swa_utils` are here:

    - ``decay=None``: stochastic weight averaging, the plain mean of the
      weights at the end of every epoch from epoch ``start`` on;
    - ``decay`` in (0, 1): an exponential moving average updated after every
      training batch.

    At the end of training the averaged weights are loaded into the network
    and the BatchNorm statistics are recomputed on the training windows
    (``torch.optim.swa_utils.update_bn``, without augmentation). Pass it in
    ``callbacks``; it runs after early stopping, so its average replaces
    the restored best epoch.

    Parameters
    ----------
    decay : float or None, default=None
        None for SWA, else the EMA decay per batch (e.g. 0.999).
    start : int, default=1
        First epoch (counted from 1) whose weights SWA averages.

    Examples
    --------
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> from tsclf.deep import WeightAveraging
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> clf = CNNClassifier(max_epochs=3, random_state=0, callbacks=[WeightAveraging()])
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: ClassVar[dict] = {
        "decay": [Interval(Real, 0, 1, closed="neither"), None],
        "start": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, decay: float | None = None, start: int = 1) -> None:
        self.decay = decay
        self.start = start

    def initialize(self) -> WeightAveraging:
        validate_parameter_constraints(
            self._parameter_constraints,
            {"decay": self.decay, "start": self.start},
            caller_name=type(self).__name__,
        )
        self.averaged_ = None
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs) -> None:
        from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

        average = None if self.decay is None else get_ema_multi_avg_fn(self.decay)
        self.averaged_ = AveragedModel(net.module_, multi_avg_fn=average)

    def on_batch_end(self, net, batch=None, training=False, **kwargs) -> None:
        if training and self.decay is not None:
            self.averaged_.update_parameters(net.module_)

    def on_epoch_end(self, net, **kwargs) -> None:
        if self.decay is None and len(net.history) >= self.start:
            self.averaged_.update_parameters(net.module_)

    def on_train_end(self, net, X=None, y=None, **kwargs) -> None:
        if self.averaged_ is None or int(self.averaged_.n_averaged) == 0:
            return
        net.module_.load_state_dict(self.averaged_.module.state_dict())
        recompute_batchnorm(net, X, y)
        self.averaged_ = None  # the copy is not needed any more
