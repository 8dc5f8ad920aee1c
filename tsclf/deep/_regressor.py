"""Regression on top of the training engine."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.preprocessing import StandardScaler

from tsclf.deep._continue import continue_training, continues
from tsclf.deep._engine import BaseDeepEstimator
from tsclf.deep._losses import MultiOutputMSE


class BaseDeepRegressor(RegressorMixin, BaseDeepEstimator, preprocessor=None):
    """Regressor with one head predicting every target (MSE loss).

    The network learns standardised targets, mapped back in ``predict``:
    what :class:`~sklearn.compose.TransformedTargetRegressor` does with a
    :class:`~sklearn.preprocessing.StandardScaler`, done here with the same
    scaler because the estimator is itself the regressor it would wrap.
    The series are fed as they are (``preprocessor=None``): a per-window
    z-score would erase the level a forecast needs.

    Parameters
    ----------
    **params
        The engine's parameters, see :class:`BaseDeepEstimator`.

    Attributes
    ----------
    n_targets_ : int
    target_scaler_ : StandardScaler
        Fitted on the training targets.
    net_ : skorch.NeuralNet
    device_ : str
    n_epochs_ : int
    """

    #: The loss the network trains on (its weights: ``criterion__*``).
    _criterion = MultiOutputMSE

    def fit(
        self, X, y, groups=None, sample_weight=None, conditions=None
    ) -> BaseDeepRegressor:
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        groups : array-like of shape (n_samples,), default=None
            Group of each sample, respected by the validation split.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the training and
            validation losses; uniform weights train exactly as None.
        conditions : array-like of shape (n_samples,), default=None
            Operating condition of each sample, for a ``validation``
            splitter that takes them (``LeaveOneConditionOut``); any other
            ``validation`` raises.

        Returns
        -------
        self : estimator
        """
        self._check_params()
        if continues(self, groups, conditions):
            return self.partial_fit(X, y, sample_weight=sample_weight)
        X, y = self._validate_X(X, y, reset=True)
        y = np.asarray(y, dtype=np.float64)
        self._single_target = y.ndim == 1
        y2d = y.reshape(len(y), -1)
        self.n_targets_ = y2d.shape[1]
        self.target_scaler_ = StandardScaler().fit(y2d)
        self._fit_network(
            self._transform_input(
                X, fit=True, groups=groups, sample_weight=sample_weight
            ),
            self.target_scaler_.transform(y2d).astype(np.float32),
            groups=groups,
            conditions=conditions,
            y_split=None,
            n_outputs=(self.n_targets_,),
            criterion_params={},
            sample_weight=sample_weight,
        )
        return self

    def partial_fit(self, X, y, sample_weight=None, epochs=None) -> BaseDeepRegressor:
        """Train further: the first call fits, later ones continue training.

        Later calls train the fitted network ``epochs`` more epochs (all
        ``max_epochs`` by default) from its current weights, with the
        preprocessor and the target scaling as fitted.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
        epochs : int, default=None
            Epochs to train in a later call; None means ``max_epochs``.

        Returns
        -------
        self : estimator
        """
        if not hasattr(self, "net_"):
            return self.fit(X, y, sample_weight=sample_weight)
        X = self._validate_X(X, reset=False)
        y2d = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
        if y2d.shape[1] != self.n_targets_:
            raise ValueError(
                f"y has {y2d.shape[1]} target(s); this regressor was fitted on "
                f"{self.n_targets_}."
            )
        targets = self.target_scaler_.transform(y2d).astype(np.float32)
        continue_training(self, X, targets, sample_weight, epochs)
        return self

    def predict(self, X) -> np.ndarray:
        """Predict targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        (output,) = self._forward(X)
        y = self.target_scaler_.inverse_transform(output.astype(np.float64))
        return y[:, 0] if self._single_target else y

    def score(self, X, y, sample_weight=None) -> float:
        """Return the coefficient of determination (R²) of the predictions.

        As scikit-learn's regressors: for several targets, the uniform
        average of the per-target R².

        Parameters
        ----------
        X : array-like of shape (n_samples, length) or (n_samples, n_channels, length)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        return super().score(X, y, sample_weight=sample_weight)
