"""Multi-task deep classifiers, their seed ensemble, and the vibration classifier."""

from tsclf.classification._deep import (
    CNNClassifier,
    CNNGRUClassifier,
    GRUClassifier,
    InceptionTimeClassifier,
    LITEClassifier,
    LSTMClassifier,
    LSTMFCNClassifier,
    MLPClassifier,
    ResNet2DClassifier,
    ResNetClassifier,
    RNNClassifier,
    TCNClassifier,
    TransformerClassifier,
)
from tsclf.classification._ensemble import SeedEnsembleClassifier
from tsclf.classification._vibration import VibrationClassifier

__all__ = [
    "CNNClassifier",
    "CNNGRUClassifier",
    "GRUClassifier",
    "InceptionTimeClassifier",
    "LITEClassifier",
    "LSTMClassifier",
    "LSTMFCNClassifier",
    "MLPClassifier",
    "RNNClassifier",
    "ResNet2DClassifier",
    "ResNetClassifier",
    "SeedEnsembleClassifier",
    "TCNClassifier",
    "TransformerClassifier",
    "VibrationClassifier",
]
