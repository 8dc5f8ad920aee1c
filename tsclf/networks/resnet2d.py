"""2-D residual network on time-frequency images."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import MultiTaskHeads, ResidualBlock2d, kaiming_init


class ResNet2d(nn.Module):
    """2-D CNN for (channels, frequencies, frames) images such as an STFT.

    Conv2d(C, 128, k=3) + BN + ReLU; residual stages, each followed by a
    2×2 max-pool; global average pooling; dense layers; the heads.

    Parameters
    ----------
    n_channels : int
        Image channels (one per signal channel).
    n_timepoints : tuple of (n_frequencies, n_frames) or int
        Image size; only used to check the input is at least 1×1 after
        pooling, so any size works.
    n_outputs : sequence of int
        Outputs per task.
    filters : int, default=128
    n_stages : int, default=2
    blocks_per_stage : int, default=1
    dense_sizes : sequence of int, default=(128,)
    dropout : float, default=0.2
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int | tuple[int, int],
        n_outputs: Sequence[int],
        filters: int = 128,
        n_stages: int = 2,
        blocks_per_stage: int = 1,
        dense_sizes: Sequence[int] = (128,),
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = [
            nn.Conv2d(n_channels, filters, 3, padding=1, bias=False),
            nn.BatchNorm2d(filters),
            nn.ReLU(inplace=True),
        ]
        for _ in range(n_stages):
            layers.extend(
                ResidualBlock2d(filters, filters, 3, dropout=dropout)
                for _ in range(blocks_per_stage)
            )
            layers.append(nn.MaxPool2d(2, ceil_mode=True))
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        width = filters
        for size in dense_sizes:
            layers += [
                nn.Linear(width, size),
                nn.ReLU(inplace=True),
                nn.Dropout(dropout),
            ]
            width = size
        self.trunk = nn.Sequential(*layers)
        self.heads = MultiTaskHeads(width, n_outputs)
        self.apply(kaiming_init)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, frequencies, frames) to one output per task."""
        return self.heads(self.trunk(x))
