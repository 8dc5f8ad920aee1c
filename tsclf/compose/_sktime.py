"""A tsclf (or any scikit-learn) classifier of series, as an sktime classifier."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from sklearn.base import clone
from sktime.classification.base import BaseClassifier


class SktimeClassifier(BaseClassifier):
    """Use a tsclf classifier where sktime expects one of its own.

    sktime's ``evaluate``, its pipelines (``transformer * classifier``) and
    its benchmarking call sktime's API (``clone()``, tags, ``fit`` on any
    sktime panel format); a scikit-learn estimator has none of it. This
    adapter fits a clone of ``estimator`` on the series as a numpy array of
    shape (n_series, n_channels, length), which sktime converts any of its
    panel formats to, and predicts with it. Several tasks (a 2-D ``y``)
    go to one estimator, which a tsclf classifier fits as one network with
    a head per task; ``predict_proba`` is then read from ``estimator_``.

    Parameters
    ----------
    estimator : scikit-learn classifier
        Any classifier of 3-D series, e.g. ``CNNClassifier(max_epochs=20)``;
        it is cloned in ``fit``.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime.datatypes import convert_to
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.compose import SktimeClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> X, y = make_spike_anomaly(n_samples=40, random_state=0)
    >>> panel = convert_to(X, to_type="pd-multiindex")  # sktime's long format
    >>> clf = SktimeClassifier(CNNClassifier(max_epochs=1, validation=None))
    >>> clf.fit(panel, y).predict(panel).shape
    (40,)
    """

    _tags: ClassVar[dict] = {
        "X_inner_mtype": "numpy3D",
        "y_inner_mtype": "numpy2D",
        "capability:multioutput": True,
        "capability:multivariate": True,
        "capability:predict_proba": True,
        "authors": "tsclf developers",
        "maintainers": "tsclf developers",
        "python_dependencies": ["tsclf"],
    }

    def __init__(self, estimator) -> None:
        self.estimator = estimator
        super().__init__()

    def _fit(self, X, y) -> SktimeClassifier:
        # One estimator for every task (a tsclf network: one head per task);
        # sktime would otherwise fit an unrelated copy per column.
        self.estimator_ = clone(self.estimator).fit(
            X, y[:, 0] if y.shape[1] == 1 else y
        )
        return self

    def _predict(self, X):
        return np.asarray(self.estimator_.predict(X)).reshape(len(X), -1)

    def _predict_proba(self, X):
        if not self._y_metadata["is_univariate"]:
            raise NotImplementedError(
                "predict_proba of several tasks: call predict_proba on the "
                "fitted estimator_, which returns one array per task."
            )
        # sktime orders the columns by its sorted classes_, as scikit-learn does.
        return self.estimator_.predict_proba(X)

    @classmethod
    def get_test_params(cls, parameter_set: str = "default") -> list[dict]:
        """Return settings for sktime's estimator checks: tiny, fast classifiers.

        Parameters
        ----------
        parameter_set : str, default="default"

        Returns
        -------
        params : list of dict
        """
        from sklearn.pipeline import make_pipeline
        from sklearn.tree import DecisionTreeClassifier

        from tsclf.transformers import BandEnergies, Flatten

        # No deep classifier here: compose sits below tsclf.classification
        # (whose VibrationClassifier uses JointLabelClassifier); tests wrap
        # one (tests/test_ecosystem.py).
        return [
            {
                "estimator": make_pipeline(
                    Flatten(), DecisionTreeClassifier(random_state=0)
                )
            },
            {
                "estimator": make_pipeline(
                    BandEnergies(n_bands=4), DecisionTreeClassifier(random_state=0)
                )
            },
        ]
