"""InceptionTime network of Ismail Fawaz et al. (2020)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import MultiTaskHeads, kaiming_init


class InceptionModule(nn.Module):
    """Bottleneck, three parallel convolutions and a max-pool branch.

    Parameters
    ----------
    in_channels : int
    n_filters : int, default=32
        Filters per branch; the output has ``4 * n_filters`` channels.
    kernel_sizes : sequence of int, default=(39, 19, 9)
    bottleneck : int, default=32
    """

    def __init__(
        self,
        in_channels: int,
        n_filters: int = 32,
        kernel_sizes: Sequence[int] = (39, 19, 9),
        bottleneck: int = 32,
    ) -> None:
        super().__init__()
        use_bottleneck = bottleneck > 0 and in_channels > 1
        width = bottleneck if use_bottleneck else in_channels
        self.bottleneck = (
            nn.Conv1d(in_channels, bottleneck, 1, bias=False)
            if use_bottleneck
            else nn.Identity()
        )
        self.convs = nn.ModuleList(
            nn.Conv1d(width, n_filters, k, padding=k // 2, bias=False)
            for k in kernel_sizes
        )
        self.pool_branch = nn.Sequential(
            nn.MaxPool1d(3, stride=1, padding=1),
            nn.Conv1d(in_channels, n_filters, 1, bias=False),
        )
        self.out_channels = n_filters * (len(kernel_sizes) + 1)
        self.norm = nn.Sequential(nn.BatchNorm1d(self.out_channels), nn.ReLU())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Concatenate the branches."""
        narrow = self.bottleneck(x)
        branches = [conv(narrow) for conv in self.convs] + [self.pool_branch(x)]
        return self.norm(torch.cat(branches, dim=1))


class InceptionTime(nn.Module):
    """Stack of Inception modules with a residual link every three modules.

    One network of the InceptionTime ensemble: ``depth`` modules (6), a
    shortcut (1×1 conv + BN) added every ``residual_every`` modules (3),
    global average pooling and the heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    n_filters : int, default=32
    depth : int, default=6
    kernel_sizes : sequence of int, default=(39, 19, 9)
    bottleneck : int, default=32
    residual_every : int, default=3
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        n_filters: int = 32,
        depth: int = 6,
        kernel_sizes: Sequence[int] = (39, 19, 9),
        bottleneck: int = 32,
        residual_every: int = 3,
    ) -> None:
        super().__init__()
        self.modules_ = nn.ModuleList()
        self.shortcuts = nn.ModuleList()
        self.residual_every = residual_every
        width = residual_width = n_channels
        for index in range(depth):
            module = InceptionModule(width, n_filters, kernel_sizes, bottleneck)
            self.modules_.append(module)
            width = module.out_channels
            if (index + 1) % residual_every == 0:
                self.shortcuts.append(
                    nn.Sequential(
                        nn.Conv1d(residual_width, width, 1, bias=False),
                        nn.BatchNorm1d(width),
                    )
                )
                residual_width = width
        self.pool = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.heads = MultiTaskHeads(width, n_outputs)
        self.apply(kaiming_init)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        residual = x
        for index, module in enumerate(self.modules_):
            x = module(x)
            if (index + 1) % self.residual_every == 0:
                shortcut = self.shortcuts[(index + 1) // self.residual_every - 1]
                x = torch.relu(x + shortcut(residual))
                residual = x
        return self.heads(self.pool(x))
