"""Vanilla recurrent network using its last step."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from tsclf.networks._layers import ChunkEmbedding, MultiTaskHeads, init_recurrent


class RNN(nn.Module):
    """Elman RNN (tanh) over the steps; the last hidden state feeds the heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    hidden_size : int, default=64
    num_layers : int, default=1
    chunk_size : int, default=10
        Samples per step, fed raw (see
        :class:`~tsclf.networks._layers.ChunkEmbedding`); 1 steps over single
        samples. Chunks shorten the path the gradient travels by
        ``chunk_size``.
    dropout : float, default=0.0
        Dropout between stacked layers.
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        hidden_size: int = 64,
        num_layers: int = 1,
        chunk_size: int = 10,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.embed = ChunkEmbedding(n_channels, chunk_size)
        self.rnn = nn.RNN(
            self.embed.out_features,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        init_recurrent(self.rnn)
        self.heads = MultiTaskHeads(hidden_size, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps, _ = self.rnn(self.embed(x))
        return self.heads(steps[:, -1])
