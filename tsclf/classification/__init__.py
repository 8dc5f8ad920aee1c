"""Multi-task deep classifiers, one per network."""

from tsclf.classification._deep import (
    CNNClassifier,
    CNNGRUClassifier,
    GRUClassifier,
    InceptionTimeClassifier,
    LSTMClassifier,
    LSTMFCNClassifier,
    MLPClassifier,
    ResNet2DClassifier,
    ResNetClassifier,
    RNNClassifier,
    TCNClassifier,
    TransformerClassifier,
)

__all__ = [
    "CNNClassifier",
    "CNNGRUClassifier",
    "GRUClassifier",
    "InceptionTimeClassifier",
    "LSTMClassifier",
    "LSTMFCNClassifier",
    "MLPClassifier",
    "RNNClassifier",
    "ResNet2DClassifier",
    "ResNetClassifier",
    "TCNClassifier",
    "TransformerClassifier",
]
