"""One thin multi-task classifier per network.

Each class only names its network (and, where it differs, another
default) as class keywords; the training machinery is
:class:`~tsclf.deep.BaseDeepClassifier`.
"""

from __future__ import annotations

from sklearn.pipeline import make_pipeline

from tsclf.deep import BaseDeepClassifier
from tsclf.networks import (
    CNN,
    CNNGRU,
    GRU,
    LITE,
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
from tsclf.transformers import STFTImage, WindowStandardizer


class MLPClassifier(BaseDeepClassifier, module=MLP):
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


class ResNetClassifier(BaseDeepClassifier, module=ResNet1d):
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


class RNNClassifier(BaseDeepClassifier, module=RNN):
    """Vanilla RNN using its last step (:class:`~tsclf.networks.RNN`).

    Examples
    --------
    >>> from tsclf.classification import RNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> RNNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class GRUClassifier(BaseDeepClassifier, module=GRU):
    """GRU (hidden 128), FC 64, FC 32 and the heads (:class:`~tsclf.networks.GRU`).

    Examples
    --------
    >>> from tsclf.classification import GRUClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> GRUClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class LSTMClassifier(BaseDeepClassifier, module=LSTM):
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


class CNNClassifier(BaseDeepClassifier, module=CNN):
    """Plain 1-D CNN (:class:`~tsclf.networks.CNN`).

    Examples
    --------
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> CNNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class TCNClassifier(BaseDeepClassifier, module=TCN):
    """Temporal convolutional network (:class:`~tsclf.networks.TCN`).

    Examples
    --------
    >>> from tsclf.classification import TCNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> TCNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class TransformerClassifier(BaseDeepClassifier, module=Transformer):
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


class LSTMFCNClassifier(BaseDeepClassifier, module=LSTMFCN):
    """LSTM-FCN of Karim et al. (:class:`~tsclf.networks.LSTMFCN`).

    Examples
    --------
    >>> from tsclf.classification import LSTMFCNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> LSTMFCNClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class CNNGRUClassifier(BaseDeepClassifier, module=CNNGRU):
    """Conv and residual blocks, then a GRU (:class:`~tsclf.networks.CNNGRU`).

    Examples
    --------
    >>> from tsclf.classification import CNNGRUClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> CNNGRUClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class ResNet2DClassifier(BaseDeepClassifier, module=ResNet2d):
    """2-D ResNet on STFT images of the windows (:class:`~tsclf.networks.ResNet2d`).

    Each window is standardised, then becomes its STFT magnitude through
    :class:`~tsclf.transformers.STFTImage`: ``preprocessor="auto"`` stands
    for ``make_pipeline(WindowStandardizer(), STFTImage())``; pass that
    pipeline with another ``STFTImage(nperseg=...)`` for another segment
    length. A 2-D residual CNN classifies the image.

    Examples
    --------
    >>> from tsclf.classification import ResNet2DClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> from sklearn.pipeline import make_pipeline
    >>> from tsclf.transformers import STFTImage, WindowStandardizer
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> image = make_pipeline(WindowStandardizer(), STFTImage(nperseg=16))
    >>> clf = ResNet2DClassifier(max_epochs=2, preprocessor=image, random_state=0)
    >>> clf.fit(X, y).n_epochs_
    2
    """

    def _auto_preprocessor(self):
        """Return what ``preprocessor="auto"`` stands for: the STFT image."""
        return make_pipeline(WindowStandardizer(), STFTImage())


class InceptionTimeClassifier(BaseDeepClassifier, module=InceptionTime):
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


class LITEClassifier(BaseDeepClassifier, module=LITE):
    """LITE network (:class:`~tsclf.networks.LITE`), InceptionTime made light.

    From Ismail-Fawaz et al. (2023), "LITE: Light Inception with boosTing
    tEchniques for Time Series Classification": one multiplexed convolution
    layer beside fixed trend and peak detectors, then two dilated
    depthwise-separable convolutions, about 2.5 % of InceptionTime's
    parameters. On a CPU a training step costs about a sixth of
    InceptionTime's and five of :class:`CNNClassifier`'s
    (``python -m benchmarks.studies.network_step_time``).

    Examples
    --------
    >>> from tsclf.classification import LITEClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=100, random_state=0)
    >>> LITEClassifier(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """
