"""Recurrent regressors: MSE loss, one head predicting every target."""

from __future__ import annotations

from tsclf.deep import BaseDeepRegressor
from tsclf.networks import GRU, LSTM, RNN


class LSTMRegressor(BaseDeepRegressor, module=LSTM):
    """LSTM regressor (:class:`~tsclf.networks.LSTM`), e.g. for forecasting.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import LSTMRegressor
    >>> from tsclf.datasets import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> reg = LSTMRegressor(max_epochs=2, random_state=0, module__chunk_size=1)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """


class GRURegressor(BaseDeepRegressor, module=GRU):
    """GRU regressor (:class:`~tsclf.networks.GRU`).

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import GRURegressor
    >>> from tsclf.datasets import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> GRURegressor(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """


class RNNRegressor(BaseDeepRegressor, module=RNN):
    """Vanilla RNN regressor (:class:`~tsclf.networks.RNN`).

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import RNNRegressor
    >>> from tsclf.datasets import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> RNNRegressor(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """
