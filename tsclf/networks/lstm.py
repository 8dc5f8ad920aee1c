"""Bidirectional LSTM over chunk embeddings with attention pooling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch
from torch import nn

from tsclf.networks._layers import (
    AttentionPooling,
    ChunkEmbedding,
    MultiTaskHeads,
    init_recurrent,
)


class LSTM(nn.Module):
    """Chunked input, BiLSTM, attention pooling, LayerNorm, dense, heads.

    The series is cut into chunks of ``chunk_size`` samples, each projected
    by Linear + ReLU + LayerNorm; a stacked bidirectional LSTM (forget-gate
    bias 1, orthogonal recurrent weights) runs over the chunks; attention
    pooling (or the last step) summarises them; LayerNorm and a dense layer
    of 256 feed the heads.

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    chunk_size : int, default=10
        Samples per chunk; 1 feeds raw samples.
    embed_dim : int, default=64
        Size of the chunk projection; None feeds raw chunks.
    hidden_size : int, default=128
    num_layers : int, default=2
    bidirectional : bool, default=True
    pooling : {"attention", "last"}, default="attention"
    dense_size : int, default=256
    dropout : float, default=0.2
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        chunk_size: int = 10,
        embed_dim: int | None = 64,
        hidden_size: int = 128,
        num_layers: int = 2,
        bidirectional: bool = True,
        pooling: Literal["attention", "last"] = "attention",
        dense_size: int = 256,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if pooling not in ("attention", "last"):
            raise ValueError(f"pooling must be 'attention' or 'last', got {pooling!r}.")
        self.embed = ChunkEmbedding(n_channels, chunk_size, embed_dim)
        self.lstm = nn.LSTM(
            self.embed.out_features,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        init_recurrent(self.lstm, forget_bias=1.0)
        width = hidden_size * (2 if bidirectional else 1)
        self.pool = AttentionPooling(width) if pooling == "attention" else None
        self.dense = nn.Sequential(
            nn.LayerNorm(width),
            nn.Linear(width, dense_size),
            nn.ReLU(),
            nn.Dropout(dropout),
        )
        self.heads = MultiTaskHeads(dense_size, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        steps, _ = self.lstm(self.embed(x))
        summary = steps[:, -1] if self.pool is None else self.pool(steps)
        return self.heads(self.dense(summary))
