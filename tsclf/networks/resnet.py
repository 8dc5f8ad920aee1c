"""1-D residual network of the reference study."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import (
    ConvBlock1d,
    MultiTaskHeads,
    ResidualBlock1d,
    kaiming_init,
)

#: (in, out, kernel, stride) of each residual block of the reference ResNet.
REFERENCE_BLOCKS = (
    (32, 32, 7, 1),
    (32, 32, 7, 1),
    (32, 64, 7, 2),
    (64, 64, 7, 1),
    (64, 128, 5, 2),
    (128, 128, 5, 1),
    (128, 128, 3, 2),
    (128, 128, 3, 1),
)


class ResNet1d(nn.Module):
    """Residual 1-D CNN with a shared dense layer and one head per task.

    Stem Conv1d(C, 32, k=16) + BN + ReLU; the residual blocks of
    :data:`REFERENCE_BLOCKS`; global average pooling; dropout; a shared
    Linear(128, 128) + ReLU; the heads. Kaiming initialisation.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    blocks : sequence of (in, out, kernel, stride), default=REFERENCE_BLOCKS
    stem_channels : int, default=32
    stem_kernel : int, default=16
    block_dropout : float, default=0.1
    head_dropout : float, default=0.3
    shared_size : int, default=128
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        blocks: Sequence[tuple[int, int, int, int]] = REFERENCE_BLOCKS,
        stem_channels: int = 32,
        stem_kernel: int = 16,
        block_dropout: float = 0.1,
        head_dropout: float = 0.3,
        shared_size: int = 128,
    ) -> None:
        super().__init__()
        self.stem = ConvBlock1d(n_channels, stem_channels, stem_kernel)
        self.blocks = nn.Sequential(
            *(
                ResidualBlock1d(i, o, k, s, dropout=block_dropout)
                for i, o, k, s in blocks
            )
        )
        width = blocks[-1][1] if blocks else stem_channels
        self.shared = nn.Sequential(
            nn.AdaptiveAvgPool1d(1),
            nn.Flatten(),
            nn.Dropout(head_dropout),
            nn.Linear(width, shared_size),
            nn.ReLU(inplace=True),
        )
        self.heads = MultiTaskHeads(shared_size, n_outputs)
        self.apply(kaiming_init)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        return self.heads(self.shared(self.blocks(self.stem(x))))
