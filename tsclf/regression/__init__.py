"""Deep regressors for forecasting windows, one per recurrent network."""

from tsclf.regression._deep import GRURegressor, LSTMRegressor, RNNRegressor

__all__ = ["GRURegressor", "LSTMRegressor", "RNNRegressor"]
