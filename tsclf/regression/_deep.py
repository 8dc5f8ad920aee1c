"""Recurrent regressors: MSE loss, one head predicting every target."""

from __future__ import annotations

from tsclf.deep import FAST_TEST_PARAMS, BaseDeepRegressor
from tsclf.networks import GRU, LSTM, RNN


class LSTMRegressor(BaseDeepRegressor):
    """LSTM regressor (:class:`~tsclf.networks.LSTM`), e.g. for forecasting.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import LSTMRegressor
    >>> from tsclf.windows import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> reg = LSTMRegressor(max_epochs=2, random_state=0, module__chunk_size=1)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = LSTM

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__chunk_size": 1,
            "module__embed_dim": None,
            "module__hidden_size": 8,
            "module__num_layers": 1,
            "module__dense_size": 8,
        }


class GRURegressor(BaseDeepRegressor):
    """GRU regressor (:class:`~tsclf.networks.GRU`).

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import GRURegressor
    >>> from tsclf.windows import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> GRURegressor(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = GRU

    @classmethod
    def _test_params(cls) -> dict:
        return {
            **FAST_TEST_PARAMS,
            "module__hidden_size": 16,
            "module__dense_sizes": (16,),
        }


class RNNRegressor(BaseDeepRegressor):
    """Vanilla RNN regressor (:class:`~tsclf.networks.RNN`).

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.regression import RNNRegressor
    >>> from tsclf.windows import make_forecasting_windows
    >>> stream = np.sin(np.arange(600) / 10.0)
    >>> X, y = make_forecasting_windows(stream, lookback=20, horizon=1)
    >>> RNNRegressor(max_epochs=2, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _network = RNN

    @classmethod
    def _test_params(cls) -> dict:
        return {**FAST_TEST_PARAMS, "module__hidden_size": 8}
