"""The skorch net tsclf trains: autocast forward passes, interrupts let through."""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
import warnings

import torch
from skorch import NeuralNet
from skorch.dataset import unpack_data

from tsclf.deep._callbacks import TerminalAwarePrintLog
from tsclf.exceptions import EmulatedPrecisionWarning
from tsclf.utils.hardware import cpu_has_native_bf16

# The ``precision`` options and the autocast dtype of each (None: no autocast).
PRECISIONS: dict[str, torch.dtype | None] = {
    "float32": None,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}


def check_precision(precision: str, device: str) -> None:
    """Raise a ValueError when ``device`` cannot train at ``precision``.

    bfloat16 autocast runs on every CPU (fast where it has AVX512-BF16 or
    AMX; elsewhere an :class:`~tsclf.exceptions.EmulatedPrecisionWarning`
    says so) and on CUDA devices that support it; float16 runs on CUDA
    (and, far slower, on the CPU).
    """
    cuda = device.startswith("cuda")
    if precision == "bfloat16" and cuda and not torch.cuda.is_bf16_supported():
        raise ValueError(
            f"precision='bfloat16' requested, but {device} does not support "
            "bfloat16; use precision='float16'."
        )
    if precision == "bfloat16" and not cuda and cpu_has_native_bf16() is False:
        warnings.warn(
            "precision='bfloat16' on a CPU without AVX512-BF16 or AMX-BF16: "
            "torch emulates bfloat16 here, often no faster than float32 (and "
            "less precise). Use precision='float32' on this machine.",
            EmulatedPrecisionWarning,
            stacklevel=3,
        )


def _note_then_handle(net, handler, signum, frame):
    net._signalled = True
    return handler(signum, frame)


@contextlib.contextmanager
def _noting_signals(net):
    """Mark ``net._signalled`` when SIGINT or SIGTERM arrives during training.

    A signal's ``KeyboardInterrupt`` can surface inside a callback (while
    the epoch row is printed, say), where it looks like a callback's own
    request to stop; the mark tells them apart. Only Python-level handlers
    are wrapped, and only in the main thread, where signals are handled.
    """
    net._signalled = False
    wrapped = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if callable(handler):
                wrapped[signum] = handler
                signal.signal(
                    signum, functools.partial(_note_then_handle, net, handler)
                )
    try:
        yield
    finally:
        for signum, handler in wrapped.items():
            signal.signal(signum, handler)


class PrecisionNet(NeuralNet):
    """A :class:`skorch.NeuralNet` that runs its forward passes under autocast.

    With ``precision="float32"`` it is skorch's net, step for step. With
    ``"bfloat16"`` or ``"float16"`` every forward pass (training, validation
    and prediction) runs under :func:`torch.autocast` with that dtype; the
    outputs are cast back to float32 before the loss, so the loss, the
    gradients' accumulation and the weights stay in float32. float16 adds a
    :class:`torch.amp.GradScaler` (its gradients would underflow otherwise):
    the loss is scaled before the backward pass and the gradients unscaled
    before the ``on_grad_computed`` callbacks (gradient clipping) see them;
    a step whose gradients overflowed is skipped.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`skorch.NeuralNet`.
    precision : {"float32", "bfloat16", "float16"}, default="float32"

    Notes
    -----
    skorch ends training on any ``KeyboardInterrupt``: the one a callback
    raises to stop (:class:`skorch.callbacks.EarlyStopping` does), and
    Ctrl-C's, after which it returns the half-trained net as if ``fit``
    had finished. A scikit-learn estimator's ``fit`` finishes or raises,
    or a search would score the half-trained model and go on to its next
    candidate, and a benchmark would record it; so this net stops quietly
    only when a callback asked, and otherwise lets the interrupt through
    once skorch's ``on_train_end`` callbacks have run.
    """

    def __init__(self, module, criterion, *, precision: str = "float32", **kwargs):
        super().__init__(module, criterion, **kwargs)
        self.precision = precision

    @property
    def _default_callbacks(self):
        # skorch's, with an epoch table that colours only on a terminal.
        return [
            (name, TerminalAwarePrintLog() if name == "print_log" else callback)
            for name, callback in super()._default_callbacks
        ]

    def notify(self, method_name, **cb_kwargs):
        try:
            super().notify(method_name, **cb_kwargs)
        except KeyboardInterrupt:
            # A callback's stop, unless a signal raised it during the call.
            self._stopped_by_callback = not getattr(self, "_signalled", False)
            raise

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        self._stopped_by_callback = False
        try:
            with _noting_signals(self):
                return super().fit_loop(X, y, epochs=epochs, **fit_params)
        except KeyboardInterrupt as interrupt:
            if not self._stopped_by_callback:
                self._interrupt = interrupt  # skorch's partial_fit swallows it
            raise

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        self._interrupt = None
        super().partial_fit(X, y, classes, **fit_params)
        interrupt, self._interrupt = self._interrupt, None
        if interrupt is not None:
            raise interrupt
        return self

    def initialize(self) -> PrecisionNet:
        super().initialize()
        device_type = torch.device(self.device).type
        self.grad_scaler_ = (
            torch.amp.GradScaler(device_type) if self.precision == "float16" else None
        )
        # skorch pickles the attributes named here apart and maps their
        # tensors to the CPU when loaded without CUDA. Besides the module,
        # optimizer and criterion, an LR scheduler callback holds the
        # optimizer and the float16 scaler its scale: without this a model
        # trained on a GPU did not unpickle on a machine without one.
        self.cuda_dependent_attributes_ = [
            *self.cuda_dependent_attributes_,
            *(
                prefix
                for prefix in ("callbacks", "grad_scaler_")
                if prefix not in self.cuda_dependent_attributes_
            ),
        ]
        return self

    def infer(self, x, **fit_params):
        dtype = PRECISIONS[self.precision]
        if dtype is None:
            return super().infer(x, **fit_params)
        with torch.autocast(device_type=torch.device(self.device).type, dtype=dtype):
            outputs = super().infer(x, **fit_params)
        if isinstance(outputs, torch.Tensor):
            return outputs.float()
        return tuple(output.float() for output in outputs)

    def train_step_single(self, batch, **fit_params):
        if self.grad_scaler_ is None:
            return super().train_step_single(batch, **fit_params)
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        self.grad_scaler_.scale(loss).backward()
        # Clipping (an on_grad_computed callback) must see true gradients.
        for name in self._optimizers:
            self.grad_scaler_.unscale_(getattr(self, name + "_"))
        return {"loss": loss, "y_pred": y_pred}

    def _step_optimizer(self, step_fn):
        if self.grad_scaler_ is None:
            return super()._step_optimizer(step_fn)
        # The scaler cannot step with a closure: compute the gradients first.
        if step_fn is not None:
            step_fn()
        for name in self._optimizers:
            self.grad_scaler_.step(getattr(self, name + "_"))
        self.grad_scaler_.update()
        return None
