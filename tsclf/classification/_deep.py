"""One thin multi-task classifier per network.

Each class only names its network and its defaults; the training machinery
is :class:`~tsclf.deep.BaseDeepClassifier`. ``_test_params`` gives tiny,
fast settings for the common estimator checks.
"""

from __future__ import annotations

from typing import ClassVar

from tsclf.deep import FAST_TEST_PARAMS, BaseDeepClassifier
from tsclf.networks import (
    CNN,
    CNNGRU,
    GRU,
    LSTM,
    LSTMFCN,
    MLP,
    RNN,
    TCN,
    InceptionTime,
    ResNet1d,
    ResNet2d,
    Transformer,
)
from tsclf.transformers import STFTImage


class MLPClassifier(BaseDeepClassifier):
    """Multi-task multilayer perceptron (:class:`~tsclf.networks.MLP`).

    Linear(C*L, 512), ReLU, Linear(512, 256), ReLU, one head per task.
    Parameters are those of :class:`~tsclf.deep.BaseDeepClassifier`;
    network hyperparameters go in ``module__*``.

    Examples
    --------
    >>> from tsclf.classification import MLPClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=200, random_state=0)
    >>> clf = MLPClassifier(max_epochs=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:4]).shape, clf.predict_proba(X[:4]).shape
    ((4,), (4, 2))
    """

    _network = MLP

    @classmethod
    def _test_params(cls) -> dict:
        return {**FAST_TEST_PARAMS, "module__hidden_sizes": (16,)}


class ResNetClassifier(BaseDeepClassifier):
    """Multi-task 1-D ResNet of the reference study (:class:`~tsclf.networks.ResNet1d`).

    Stem Conv1d(C, 32, k=16); eight residual blocks up to 128 channels;
    global average pooling; dropout 0.3; shared Linear(128, 128); one head
    per task.

    Examples
    --------
    >>> from tsclf.classification import ResNetClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> clf = ResNetClassifier(max_epochs=2, random_state=0)
    >>> clf.set_params(module__blocks=[(32, 32, 7, 1)]).fit(X, y).n_epochs_
    2
    """

    _network = ResNet1d

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__stem_channels": 4,
            "module__blocks": ((4, 8, 3, 2),),
            "module__shared_size": 8,
        }


class RNNClassifier(BaseDeepClassifier):
    """Vanilla RNN using its last step (:class:`~tsclf.networks.RNN`).

    Examples
    --------
    >>> from tsclf.classification import RNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> RNNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = RNN

    @classmethod
    def _test_params(cls) -> dict:
        return {**FAST_TEST_PARAMS, "module__hidden_size": 8}


class GRUClassifier(BaseDeepClassifier):
    """GRU (hidden 128), FC 64, FC 32 and the heads (:class:`~tsclf.networks.GRU`).

    Examples
    --------
    >>> from tsclf.classification import GRUClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> GRUClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = GRU

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__hidden_size": 8,
            "module__dense_sizes": (8,),
        }


class LSTMClassifier(BaseDeepClassifier):
    """Chunked BiLSTM with attention pooling (:class:`~tsclf.networks.LSTM`).

    The series is cut into chunks of 10 samples, projected, run through a
    two-layer bidirectional LSTM and pooled by attention
    (``module__pooling="last"`` uses the last step instead).

    Examples
    --------
    >>> from tsclf.classification import LSTMClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> LSTMClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = LSTM

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__chunk_size": 2,
            "module__embed_dim": 8,
            "module__hidden_size": 8,
            "module__num_layers": 1,
            "module__dense_size": 8,
        }


class CNNClassifier(BaseDeepClassifier):
    """Plain 1-D CNN (:class:`~tsclf.networks.CNN`).

    Examples
    --------
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> CNNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = CNN

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__filters": (8,),
            "module__kernel_sizes": (3,),
        }


class TCNClassifier(BaseDeepClassifier):
    """Temporal convolutional network (:class:`~tsclf.networks.TCN`).

    Examples
    --------
    >>> from tsclf.classification import TCNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> TCNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = TCN

    @classmethod
    def _test_params(cls) -> dict:
        return {**FAST_TEST_PARAMS, "module__filters": (8, 8), "module__kernel_size": 3}


class TransformerClassifier(BaseDeepClassifier):
    """Transformer encoder on patches (:class:`~tsclf.networks.Transformer`).

    Examples
    --------
    >>> from tsclf.classification import TransformerClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> clf = TransformerClassifier(max_epochs=2, random_state=0, module__patch_size=5)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = Transformer

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__d_model": 8,
            "module__n_heads": 2,
            "module__num_layers": 1,
            "module__dim_feedforward": 16,
            "module__patch_size": 2,
        }


class LSTMFCNClassifier(BaseDeepClassifier):
    """LSTM-FCN of Karim et al. (:class:`~tsclf.networks.LSTMFCN`).

    Examples
    --------
    >>> from tsclf.classification import LSTMFCNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> LSTMFCNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = LSTMFCN

    @classmethod
    def _test_params(cls) -> dict:
        return {**FAST_TEST_PARAMS, "module__filters": (8, 8, 8)}


class CNNGRUClassifier(BaseDeepClassifier):
    """Conv and residual blocks, then a GRU (:class:`~tsclf.networks.CNNGRU`).

    Examples
    --------
    >>> from tsclf.classification import CNNGRUClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> CNNGRUClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = CNNGRU

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__filters": 8,
            "module__n_stages": 1,
            "module__gru_size": 8,
            "module__gru_layers": 1,
            "module__dense_size": 8,
        }


class ResNet2DClassifier(BaseDeepClassifier):
    """2-D ResNet on STFT images of the windows (:class:`~tsclf.networks.ResNet2d`).

    Each (standardised) window becomes its STFT magnitude through
    :class:`~tsclf.transformers.STFTImage` (``preprocessor__nperseg`` sets the
    segment length), then a 2-D residual CNN classifies the image.

    Examples
    --------
    >>> from tsclf.classification import ResNet2DClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> clf = ResNet2DClassifier(max_epochs=2, random_state=0, preprocessor__nperseg=16)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = ResNet2d
    _defaults: ClassVar[dict] = {"preprocessor": STFTImage}

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "preprocessor__nperseg": 4,
            "module__filters": 4,
            "module__n_stages": 1,
            "module__dense_sizes": (8,),
        }


class InceptionTimeClassifier(BaseDeepClassifier):
    """InceptionTime network (:class:`~tsclf.networks.InceptionTime`).

    From Ismail Fawaz et al. (2020), "InceptionTime: finding AlexNet for time
    series classification". One network of the ensemble: six Inception
    modules with a residual link every three.

    Examples
    --------
    >>> from tsclf.classification import InceptionTimeClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> clf = InceptionTimeClassifier(max_epochs=2, random_state=0, module__depth=3)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = InceptionTime

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__n_filters": 4,
            "module__depth": 3,
            "module__kernel_sizes": (5, 3),
            "module__bottleneck": 4,
        }
