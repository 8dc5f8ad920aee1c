"""Neural architectures as plain :class:`torch.nn.Module` classes.

Every network takes ``n_channels``, ``n_timepoints`` and ``n_outputs`` (one
size per task) plus its hyperparameters, maps a batch of shape
``(batch, channels, length)`` (``ResNet2d``: ``(batch, channels,
frequencies, frames)``) to a tuple with one output tensor per task, and
holds no training logic.
"""

from tsclf.networks._layers import MultiTaskHeads, ResidualBlock1d, ResidualBlock2d
from tsclf.networks.cnn import CNN
from tsclf.networks.cnn_gru import CNNGRU
from tsclf.networks.gru import GRU
from tsclf.networks.inception_time import InceptionTime
from tsclf.networks.lite import LITE
from tsclf.networks.lstm import LSTM
from tsclf.networks.lstm_fcn import LSTMFCN
from tsclf.networks.mlp import MLP
from tsclf.networks.resnet import ResNet1d
from tsclf.networks.resnet2d import ResNet2d
from tsclf.networks.rnn import RNN
from tsclf.networks.tcn import TCN
from tsclf.networks.transformer import Transformer

__all__ = [
    "CNN",
    "CNNGRU",
    "GRU",
    "LITE",
    "LSTM",
    "LSTMFCN",
    "MLP",
    "RNN",
    "TCN",
    "InceptionTime",
    "MultiTaskHeads",
    "ResNet1d",
    "ResNet2d",
    "ResidualBlock1d",
    "ResidualBlock2d",
    "Transformer",
]
