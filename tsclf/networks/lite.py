"""LITE network of Ismail-Fawaz et al. (2023): InceptionTime made light."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from tsclf.networks._layers import MultiTaskHeads, kaiming_init


def _same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Left and right zero padding that keeps the length (even kernels too)."""
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2


def _detection_filters(kernel_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Build the increasing and decreasing trend detectors: alternating signs."""
    signs = torch.where(torch.arange(kernel_size) % 2 == 0, -1.0, 1.0)
    return signs, -signs


def _peak_filter(kernel_size: int) -> torch.Tensor:
    """Build a peak detector, 1.5 kernel sizes long: negative, positive, negative."""
    quarter = kernel_size // 4
    rise = torch.linspace(0, 1, quarter + 1)[1:] ** 2
    fall = rise.flip(0)
    return torch.cat([-rise, -fall, 2 * rise, 2 * fall, -rise, -fall])


class HandCraftedFilters(nn.Module):
    """Fixed convolution filters on every channel, then ReLU.

    Trend detectors (increasing and decreasing) of each length in
    ``kernel_sizes`` and peak detectors of each length but the first, run
    depthwise (each filter on each channel on its own). Nothing here is
    trained. The filters sit in one zero-padded bank, each centred as its
    own "same" padding would centre it, so that one grouped convolution
    computes them all (the same outputs as one convolution per filter).

    Parameters
    ----------
    n_channels : int
    kernel_sizes : sequence of int, default=(2, 4, 8, 16, 32, 64)
    """

    def __init__(
        self, n_channels: int, kernel_sizes: Sequence[int] = (2, 4, 8, 16, 32, 64)
    ) -> None:
        super().__init__()
        filters = [f for k in kernel_sizes for f in _detection_filters(k)]
        filters += [_peak_filter(k) for k in kernel_sizes[1:]]
        length = max(len(weights) for weights in filters)
        self.padding = _same_padding(length)
        bank = torch.zeros(len(filters), length)
        for index, weights in enumerate(filters):
            start = self.padding[0] - _same_padding(len(weights))[0]
            bank[index, start : start + len(weights)] = weights
        # Channel by channel, every filter: the order of a grouped convolution.
        # Fixed, so not saved with the weights.
        kernels = bank.repeat(n_channels, 1)[:, None, :]
        self.register_buffer("bank", kernels, persistent=False)
        self.n_channels = n_channels
        self.n_filters = len(filters)
        self.out_channels = self.n_filters * n_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply every filter to every channel (filter-major outputs)."""
        out = F.conv1d(
            F.pad(x, self.padding), self.bank.to(x.dtype), groups=self.n_channels
        )
        batch, _, length = out.shape
        out = out.view(batch, self.n_channels, self.n_filters, length)
        return torch.relu(out.transpose(1, 2).reshape(batch, -1, length))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # Models saved when each fixed filter was a buffer of its own: those
        # filters are rebuilt here, not loaded.
        for key in [k for k in state_dict if k.startswith(prefix + "filter_")]:
            del state_dict[key]
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


class SeparableConv1d(nn.Sequential):
    """Depthwise then pointwise convolution, BatchNorm and ReLU ("same" length)."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, dilation: int
    ) -> None:
        super().__init__(
            nn.ConstantPad1d(_same_padding(kernel_size, dilation), 0.0),
            nn.Conv1d(
                in_channels,
                in_channels,
                kernel_size,
                dilation=dilation,
                groups=in_channels,
                bias=False,
            ),
            nn.Conv1d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm1d(out_channels),
            nn.ReLU(),
        )


class LITE(nn.Module):
    """LITE: one multiplexed convolution layer and two separable ones.

    A first layer runs ``n_filters`` convolutions at each of three kernel
    lengths (``kernel_size``, half and a quarter of it) beside fixed,
    hand-crafted trend and peak detectors; BatchNorm and ReLU follow. Two
    depthwise-separable convolutions with kernels of half and a quarter of
    ``kernel_size`` and dilations 2 and 4 widen the receptive field. Global
    average pooling and the heads end it. About 2 % of InceptionTime's
    parameters.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    n_filters : int, default=32
    kernel_size : int, default=40
    custom_filters : bool, default=True
        Whether the hand-crafted filters run beside the first layer.
    dilation : bool, default=True
        Dilations 2 and 4 in the separable layers (1 when False).
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        n_filters: int = 32,
        kernel_size: int = 40,
        custom_filters: bool = True,
        dilation: bool = True,
    ) -> None:
        super().__init__()
        lengths = [max(1, kernel_size // 2**i) for i in range(3)]
        self.multiplexed = nn.ModuleList(
            nn.Sequential(
                nn.ConstantPad1d(_same_padding(k), 0.0),
                nn.Conv1d(n_channels, n_filters, k, bias=False),
            )
            for k in lengths
        )
        self.custom = HandCraftedFilters(n_channels) if custom_filters else None
        width = n_filters * len(lengths)
        width += self.custom.out_channels if custom_filters else 0
        self.norm = nn.Sequential(nn.BatchNorm1d(width), nn.ReLU())
        self.separable = nn.Sequential(
            *(
                SeparableConv1d(
                    width if i == 0 else n_filters,
                    n_filters,
                    max(1, kernel_size // 2 ** (i + 1)),
                    2 ** (i + 1) if dilation else 1,
                )
                for i in range(2)
            )
        )
        self.pool = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.heads = MultiTaskHeads(n_filters, n_outputs)
        self.apply(kaiming_init)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        branches = [conv(x) for conv in self.multiplexed]
        if self.custom is not None:
            branches.append(self.custom(x))
        features = self.separable(self.norm(torch.cat(branches, dim=1)))
        return self.heads(self.pool(features))
