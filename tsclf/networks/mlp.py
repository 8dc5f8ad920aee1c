"""Multilayer perceptron on the flattened series."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import MultiTaskHeads


class MLP(nn.Module):
    """Fully connected network: Linear(C*L, 512), ReLU, Linear(512, 256), ReLU.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    hidden_sizes : sequence of int, default=(512, 256)
    dropout : float, default=0.1
        Dropout after each hidden layer.
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        hidden_sizes: Sequence[int] = (512, 256),
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten()]
        width = n_channels * n_timepoints
        for size in hidden_sizes:
            layers += [nn.Linear(width, size), nn.ReLU(), nn.Dropout(dropout)]
            width = size
        self.trunk = nn.Sequential(*layers)
        self.heads = MultiTaskHeads(width, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        return self.heads(self.trunk(x))
