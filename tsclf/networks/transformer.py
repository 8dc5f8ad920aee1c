"""Transformer encoder over patch or convolutional embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch
from torch import nn

from tsclf.networks._layers import MultiTaskHeads, SinusoidalPositionalEncoding


class Transformer(nn.Module):
    """Embedding, positional encoding, encoder layers, pooling, heads.

    ``embedding="patch"`` cuts the series into non-overlapping patches of
    ``patch_size`` steps, each linearly projected (a strided convolution);
    ``"conv"`` uses a convolution of kernel ``2 * patch_size - 1`` with
    stride ``patch_size``, so neighbouring patches overlap. Sinusoidal
    positions are added, a pre-norm :class:`torch.nn.TransformerEncoder`
    runs, and the tokens are mean-pooled (or a learned class token is read).

    Parameters
    ----------
    n_channels, n_timepoints : int
        Input shape per series.
    n_outputs : sequence of int
        Outputs per task.
    embedding : {"patch", "conv"}, default="patch"
    patch_size : int, default=16
    d_model : int, default=64
    n_heads : int, default=4
    num_layers : int, default=3
    dim_feedforward : int, default=128
    dropout : float, default=0.1
    pooling : {"mean", "cls"}, default="mean"
    """

    def __init__(
        self,
        n_channels: int,
        n_timepoints: int,
        n_outputs: Sequence[int],
        embedding: Literal["patch", "conv"] = "patch",
        patch_size: int = 16,
        d_model: int = 64,
        n_heads: int = 4,
        num_layers: int = 3,
        dim_feedforward: int = 128,
        dropout: float = 0.1,
        pooling: Literal["mean", "cls"] = "mean",
    ) -> None:
        super().__init__()
        if embedding not in ("patch", "conv"):
            raise ValueError(f"embedding must be 'patch' or 'conv', got {embedding!r}.")
        if pooling not in ("mean", "cls"):
            raise ValueError(f"pooling must be 'mean' or 'cls', got {pooling!r}.")
        patch_size = max(1, min(patch_size, n_timepoints))
        kernel = patch_size if embedding == "patch" else 2 * patch_size - 1
        padding = 0 if embedding == "patch" else patch_size - 1
        self.embed = nn.Conv1d(
            n_channels, d_model, kernel, stride=patch_size, padding=padding
        )
        self.position = SinusoidalPositionalEncoding(d_model)
        self.cls_token = (
            nn.Parameter(torch.zeros(1, 1, d_model)) if pooling == "cls" else None
        )
        layer = nn.TransformerEncoderLayer(
            d_model,
            n_heads,
            dim_feedforward,
            dropout,
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, num_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False
        )
        self.heads = MultiTaskHeads(d_model, n_outputs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Map (batch, channels, length) to one output per task."""
        tokens = self.position(self.embed(x).transpose(1, 2))
        if self.cls_token is not None:
            cls = self.cls_token.expand(tokens.shape[0], -1, -1)
            tokens = torch.cat([cls, tokens], dim=1)
        encoded = self.encoder(tokens)
        summary = encoded[:, 0] if self.cls_token is not None else encoded.mean(dim=1)
        return self.heads(summary)
