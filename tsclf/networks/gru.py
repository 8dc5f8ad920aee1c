"""GRU network with a small dense stack."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import ChunkEmbedding, MultiTaskHeads, init_recurrent


class GRU(nn.Module):
    """GRU (hidden 128), last step, FC 64, FC 32, then the heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    hidden_size : int, default=128
    num_layers : int, default=1
    dense_sizes : sequence of int, default=(64, 32)
    layer_norm : bool, default=False
        LayerNorm on the last hidden state.
    chunk_size : int, default=10
        Samples per step, fed raw (see
        :class:`~tsclf.networks._layers.ChunkEmbedding`), as the LSTM does;
        1 steps over single samples. Chunks shorten the recurrent path by
        ``chunk_size``: the gradient crosses 120 steps of a 1,200-sample
        series instead of 1,200 (``python -m benchmarks.studies.near_chance``
        measures it).
    dropout : float, default=0.0
        Dropout between stacked layers and after each dense layer.
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        hidden_size: int = 128,
        num_layers: int = 1,
        dense_sizes: Sequence[int] = (64, 32),
        layer_norm: bool = False,
        chunk_size: int = 10,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.embed = ChunkEmbedding(n_channels, chunk_size)
        self.gru = nn.GRU(
            self.embed.out_features,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        init_recurrent(self.gru)
        layers: list[nn.Module] = [
            nn.LayerNorm(hidden_size) if layer_norm else nn.Identity()
        ]
        width = hidden_size
        for size in dense_sizes:
            layers += [nn.Linear(width, size), nn.ReLU(), nn.Dropout(dropout)]
            width = size
        self.dense = nn.Sequential(*layers)
        self.heads = MultiTaskHeads(width, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps, _ = self.gru(self.embed(x))
        return self.heads(self.dense(steps[:, -1]))
