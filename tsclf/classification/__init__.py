"""Multi-task deep classifiers, one per network, and their seed ensemble."""

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
]
