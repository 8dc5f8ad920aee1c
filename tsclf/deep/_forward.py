"""Running a network: on which device, in evaluation mode, and as fitted."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted


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

    Examples
    --------
    >>> from tsclf.deep import resolve_device
    >>> resolve_device("cpu")
    'cpu'
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


def network_logits(net, X) -> list[np.ndarray]:
    """Run a skorch net in evaluation mode; one float32 array per head.

    Parameters
    ----------
    net : skorch.NeuralNet
        Initialised; also usable from a callback during training.
    X : ndarray or skorch Dataset
        Preprocessed input, anything ``net.forward`` takes.

    Returns
    -------
    logits : list of ndarray
    """
    net.module_.eval()
    outputs = net.forward(X, training=False, device="cpu")
    if isinstance(outputs, torch.Tensor):
        outputs = (outputs,)
    return [output.float().numpy() for output in outputs]


def recompute_batchnorm(net, X, y=None) -> None:
    """Recompute every BatchNorm layer's running statistics on ``X``.

    Runs the network over ``X`` in training mode, without gradients, with
    the statistics reset and averaged over all batches
    (:func:`torch.optim.swa_utils.update_bn`); leaves it in evaluation mode.

    Parameters
    ----------
    net : skorch.NeuralNet
        Initialised.
    X : ndarray
        Preprocessed input.
    y : ndarray, default=None
        Targets, when ``X`` comes with them; not used.
    """
    from torch.optim.swa_utils import update_bn

    loader = net.get_iterator(net.get_dataset(X, y), training=False)
    update_bn(loader, net.module_, device=net.device)
    net.module_.eval()


def check_network_runs(module: type, params: dict, shape: tuple, *, owner: str) -> None:
    """Build ``module`` once and run it on two inputs of ``shape``.

    Series shorter than a network's pooling or kernels fail inside torch with
    a message about tensor sizes; this says which estimator, which shape and
    why. The global random state is left as it was.

    Parameters
    ----------
    module : type of torch.nn.Module
    params : dict
        Its constructor arguments, shape included.
    shape : tuple of int
        One input without the batch axis.
    owner : str
        The estimator's name, for the message.

    Raises
    ------
    ValueError
        When the network cannot run on that shape.
    """
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        try:
            module(**params).eval()(torch.zeros((2, *shape), dtype=torch.float32))
        except RuntimeError as error:
            hint = (
                "Use longer windows or a network with less pooling."
                if len(shape) == 2
                else "The preprocessor gives images (channels, height, width); "
                "this network reads series (channels, length): give it a "
                "preprocessor that returns series (SpectrogramChannels does, "
                "one channel per frequency), or use ResNet2DClassifier."
            )
            raise ValueError(
                f"{owner} cannot run {module.__name__} on windows of shape {shape} "
                f"(after the preprocessor): {error}. {hint}"
            ) from error


class FittedNetworkMixin:
    """The fitted net of a deep estimator: its history, input and forward pass.

    Also unpickles a model trained on a GPU on a machine without one.
    """

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled estimator; a GPU-trained one loads on the CPU.

        skorch maps the network's tensors to the CPU when CUDA is missing;
        ``device_`` then follows the device the network landed on.
        """
        self.__dict__.update(state)
        if hasattr(state.get("net_"), "device"):  # not tsclf.export's placeholder
            self.device_ = str(self.net_.device)

    @property
    def history_(self):
        """Per-epoch training history (:class:`skorch.history.History`)."""
        check_is_fitted(self, "net_")
        return self.net_.history

    def network_input(self, X) -> np.ndarray:
        """Return windows as the fitted network reads them.

        Validated against the fitted shape, through ``preprocessor_``, checked.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)

        Returns
        -------
        X_network : ndarray of shape (n_windows, n_channels, ...)
        """
        # preprocessor_ is fitted before training: callbacks may call this.
        check_is_fitted(self, "preprocessor_")
        return self._transform_input(self._validate_X(X, reset=False))

    def _forward(self, X) -> list[np.ndarray]:
        """Run the network on validated, preprocessed X; one array per head."""
        check_is_fitted(self, "net_")
        X = self.network_input(X)
        # Building the batch loader draws from torch's global generator: a
        # prediction must not move the user's random stream. Inside a fit,
        # the per-epoch validation score does draw from the fit's stream
        # (network_logits itself leaves it alone), as fits always have.
        with torch.random.fork_rng(devices=[]):
            return network_logits(self.net_, X)
