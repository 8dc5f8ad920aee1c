"""Small, fast settings of each estimator for the test suite.

scikit-learn keeps such settings in its test machinery
(``PER_ESTIMATOR_CHECK_PARAMS``), not in the estimators; so does tsclf.
"""

from __future__ import annotations

from typing import Any

from imblearn.over_sampling import RandomOverSampler
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sktime.transformations.series.summarize import SummaryTransformer

from tsclf.classification import MLPClassifier
from tsclf.resampling import MultiTaskResampler
from tsclf.transformers import AdaptiveScaler, BandEnergies, STFTImage

#: Tiny training settings every deep estimator's entry extends. The common
#: checks feed tabular data, which a per-window z-score would erase.
FAST_DEEP: dict[str, Any] = {
    "max_epochs": 3,
    "lr": 1e-2,
    "batch_size": 16,
    "random_state": 0,
    "device": "cpu",
    "preprocessor": None,
}

TEST_PARAMS: dict[str, dict[str, Any]] = {
    # scikit-learn's checks use series of a few samples: one band fits.
    "BandEnergies": {"n_bands": 1},
    "EnvelopeSpectrum": {"n_bands": 1},
    "SpectralShape": {"n_bands": 1},
    "ShiftMonitor": {"features": BandEnergies(n_bands=1)},
    "CepstralCoefficients": {"n_coefficients": 1},
    "KurtogramBandpass": {"nperseg": (4,)},
    # Orders up to about 50 of a 1 Hz shaft need a Nyquist frequency above 50.
    "FaultFrequencyFeatures": {
        "sampling_rate": 120.0,
        "shaft_speed": 1.0,
        "n_harmonics": 1,
    },
    "VibrationClassifier": {
        "max_frequency": 0.5,
        "carrier_bands": (1,),
        "n_coefficients": 1,
        "estimator": RandomForestClassifier(n_estimators=20, random_state=0),
        "random_state": 0,
    },
    "MLPClassifier": {**FAST_DEEP, "module__hidden_sizes": (16,)},
    "ResNetClassifier": {
        **FAST_DEEP,
        "module__stem_channels": 4,
        "module__blocks": ((4, 8, 3, 2),),
        "module__shared_size": 8,
    },
    "RNNClassifier": {**FAST_DEEP, "module__hidden_size": 8},
    "GRUClassifier": {
        **FAST_DEEP,
        "module__hidden_size": 8,
        "module__dense_sizes": (8,),
    },
    "LSTMClassifier": {
        **FAST_DEEP,
        "module__chunk_size": 2,
        "module__embed_dim": 8,
        "module__hidden_size": 8,
        "module__num_layers": 1,
        "module__dense_size": 8,
    },
    "CNNClassifier": {
        **FAST_DEEP,
        "module__filters": (8,),
        "module__kernel_sizes": (3,),
    },
    "TCNClassifier": {**FAST_DEEP, "module__filters": (8, 8), "module__kernel_size": 3},
    "TransformerClassifier": {
        **FAST_DEEP,
        "module__d_model": 8,
        "module__n_heads": 2,
        "module__num_layers": 1,
        "module__dim_feedforward": 16,
        "module__patch_size": 2,
    },
    "LSTMFCNClassifier": {**FAST_DEEP, "module__filters": (8, 8, 8)},
    "CNNGRUClassifier": {
        **FAST_DEEP,
        "module__filters": 8,
        "module__n_stages": 1,
        "module__gru_size": 8,
        "module__gru_layers": 1,
        "module__dense_size": 8,
    },
    "ResNet2DClassifier": {
        **FAST_DEEP,
        "preprocessor": STFTImage(nperseg=4),
        "module__filters": 4,
        "module__n_stages": 1,
        "module__dense_sizes": (8,),
    },
    "InceptionTimeClassifier": {
        **FAST_DEEP,
        "module__n_filters": 4,
        "module__depth": 3,
        "module__kernel_sizes": (5, 3),
        "module__bottleneck": 4,
    },
    "LITEClassifier": {**FAST_DEEP, "module__n_filters": 8, "module__kernel_size": 2},
    "LSTMRegressor": {
        **FAST_DEEP,
        "module__chunk_size": 1,
        "module__embed_dim": None,
        "module__hidden_size": 8,
        "module__num_layers": 1,
        "module__dense_size": 8,
    },
    "GRURegressor": {
        **FAST_DEEP,
        "module__hidden_size": 16,
        "module__dense_sizes": (16,),
    },
    "RNNRegressor": {**FAST_DEEP, "module__hidden_size": 8},
    # A summary of each series (mean, spread, quantiles) works at any length.
    "SktimeTransformer": {"transformer": SummaryTransformer()},
    "ChunkedTransformer": {"transformer": StandardScaler(), "chunk_size": 7},
    "JointLabelClassifier": {"estimator": LogisticRegression()},
    "ResampledClassifier": {
        "resampler": MultiTaskResampler(RandomOverSampler(random_state=0)),
        "estimator": LogisticRegression(),
    },
    "AdaptivePipeline": {
        "steps": [("scale", AdaptiveScaler()), ("model", LogisticRegression())]
    },
    "SeedEnsembleClassifier": {
        "estimator": MLPClassifier(**{**FAST_DEEP, "module__hidden_sizes": (16,)}),
        "n_estimators": 2,
        "random_state": 0,
    },
}


def tiny(cls, **params):
    """An instance of ``cls`` with its test settings, updated by ``params``."""
    return cls(**{**TEST_PARAMS.get(cls.__name__, {}), **params})
