"""Rolling-bearing fault frequencies, and features at them."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsclf.transformers._envelope import SquaredEnvelopeSpectrum
from tsclf.utils.constraints import Interval, StrOptions
from tsclf.utils.validation import SAMPLING_RATE, validate_series

#: The four characteristic fault frequencies, in the order features use.
FAULT_FREQUENCIES = ("BPFO", "BPFI", "BSF", "FTF")


@dataclass(frozen=True)
class Bearing:
    """Geometry of a rolling-element bearing.

    Parameters
    ----------
    n_elements : int
        Rolling elements (balls or rollers).
    element_diameter : float
        Diameter of one element (any length unit, the same as below).
    pitch_diameter : float
        Diameter of the circle through the elements' centres.
    contact_angle : float, default=0.0
        Contact angle in degrees (0 for a deep-groove ball bearing under a
        radial load).
    """

    n_elements: int
    element_diameter: float
    pitch_diameter: float
    contact_angle: float = 0.0


#: Bearings built in, by designation: the two deep-groove ball bearings of
#: the Case Western Reserve University test rig (drive end: 6205-2RS JEM SKF,
#: fan end: 6203-2RS JEM SKF), geometry in inches from its documentation.
BEARINGS: dict[str, Bearing] = {
    "6205-2RS JEM SKF": Bearing(9, 0.3126, 1.537),
    "6203-2RS JEM SKF": Bearing(8, 0.2656, 1.122),
}


def bearing_frequencies(
    bearing: Bearing | str, shaft_speed: float = 1.0
) -> dict[str, float]:
    """Characteristic fault frequencies of a bearing on a turning shaft.

    With the inner ring turning at ``shaft_speed`` and the outer ring
    fixed (``r = d cos(angle) / D``):

    - BPFO, ball pass frequency of the outer race: ``n/2 (1 - r)``;
    - BPFI, ball pass frequency of the inner race: ``n/2 (1 + r)``;
    - BSF, ball spin frequency: ``D / (2 d) (1 - r**2)``; a ball defect
      strikes both races once per spin, so it shows at twice the BSF;
    - FTF, fundamental train (cage) frequency: ``(1 - r) / 2``;

    each times ``shaft_speed``.

    Parameters
    ----------
    bearing : Bearing or str
        A geometry, or the designation of a bearing in :data:`BEARINGS`.
    shaft_speed : float, default=1.0
        Shaft speed in Hz; the default gives the frequencies in shaft
        orders.

    Returns
    -------
    frequencies : dict of str to float
        ``{"BPFO": ..., "BPFI": ..., "BSF": ..., "FTF": ...}``.

    Examples
    --------
    >>> from tsclf.transformers import bearing_frequencies
    >>> orders = bearing_frequencies("6205-2RS JEM SKF")
    >>> {name: round(value, 4) for name, value in orders.items()}
    {'BPFO': 3.5848, 'BPFI': 5.4152, 'BSF': 2.3567, 'FTF': 0.3983}
    >>> round(bearing_frequencies("6205-2RS JEM SKF", 1797 / 60)["BPFO"], 1)
    107.4
    """
    if isinstance(bearing, str):
        if bearing not in BEARINGS:
            raise ValueError(
                f"Unknown bearing {bearing!r}; pass a Bearing or one of "
                f"{sorted(BEARINGS)}."
            )
        bearing = BEARINGS[bearing]
    if not (
        bearing.n_elements > 0
        and 0 < bearing.element_diameter < bearing.pitch_diameter
        and shaft_speed > 0
    ):
        raise ValueError(
            "A bearing needs n_elements > 0 and 0 < element_diameter < "
            f"pitch_diameter, and shaft_speed > 0; got {bearing!r} at "
            f"{shaft_speed!r} Hz."
        )
    ratio = (
        bearing.element_diameter
        / bearing.pitch_diameter
        * np.cos(np.radians(bearing.contact_angle))
    )
    n = bearing.n_elements
    orders = {
        "BPFO": n / 2 * (1 - ratio),
        "BPFI": n / 2 * (1 + ratio),
        "BSF": bearing.pitch_diameter / (2 * bearing.element_diameter) * (1 - ratio**2),
        "FTF": (1 - ratio) / 2,
    }
    return {name: float(order * shaft_speed) for name, order in orders.items()}


class FaultFrequencyFeatures(TransformerMixin, BaseEstimator):
    """Squared-envelope-spectrum peaks at a bearing's fault frequencies.

    For each of BPFO, BPFI, 2 x BSF (a ball defect strikes both races per
    spin) and FTF, and each harmonic up to ``n_harmonics``, the largest
    normalised squared envelope spectrum within ``tolerance`` (relative) of
    the expected order: how strongly each kind of fault shows. Needs the
    bearing and the shaft speed (``shaft_speed``, or per window through
    ``fit`` and ``transform`` and metadata routing, as
    :class:`SquaredEnvelopeSpectrum`); use it on whitened windows.

    Parameters
    ----------
    bearing : str or Bearing, default="6205-2RS JEM SKF"
        A :data:`BEARINGS` designation or a :class:`Bearing`.
    sampling_rate : float, default=1.0
    shaft_speed : float, default=None
        Shaft speed in Hz (else per window, in ``fit`` and ``transform``).
    n_harmonics : int, default=3
    tolerance : float, default=0.03
        Relative width searched around each expected order: slip makes
        real fault frequencies 1-2 % off the kinematic ones.

    Attributes
    ----------
    spectrum_ : SquaredEnvelopeSpectrum
        The fitted spectrum, over shaft orders.
    n_channels_ : int
    n_features_in_ : int
        Size of the second axis of ``X`` in ``fit``.
    fault_orders_ : dict of str to float
        The expected orders (2 x BSF under ``"BSF"``).

    Examples
    --------
    An outer-race fault of a 6205 bearing at 30 Hz: impacts at BPFO.

    >>> import numpy as np
    >>> from tsclf.transformers import FaultFrequencyFeatures, bearing_frequencies
    >>> bpfo = bearing_frequencies("6205-2RS JEM SKF", 30.0)["BPFO"]
    >>> t = np.arange(12000) / 12000.0
    >>> x = (1 + np.cos(2 * np.pi * bpfo * t)) * np.sin(2 * np.pi * 3000 * t)
    >>> faults = FaultFrequencyFeatures(sampling_rate=12000.0, shaft_speed=30.0)
    >>> features = faults.fit_transform(x[np.newaxis])
    >>> str(faults.get_feature_names_out()[features.argmax()])
    'BPFO_h1_ch0'
    """

    _parameter_constraints: ClassVar[dict] = {
        "bearing": [StrOptions(set(BEARINGS)), Bearing],
        "sampling_rate": SAMPLING_RATE,
        "shaft_speed": [Interval(Real, 0, None, closed="neither"), None],
        "n_harmonics": [Interval(Integral, 1, None, closed="left")],
        "tolerance": [Interval(Real, 0, 0.5, closed="neither")],
    }

    def __init__(
        self,
        bearing: str | Bearing = "6205-2RS JEM SKF",
        sampling_rate: float = 1.0,
        shaft_speed: float | None = None,
        n_harmonics: int = 3,
        tolerance: float = 0.03,
    ) -> None:
        self.bearing = bearing
        self.sampling_rate = sampling_rate
        self.shaft_speed = shaft_speed
        self.n_harmonics = n_harmonics
        self.tolerance = tolerance

    def fit(self, X, y=None, shaft_speed=None):
        """Validate; set the order grid and the expected fault orders.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored
        shaft_speed : array-like of shape (n_windows,), default=None

        Returns
        -------
        self : FaultFrequencyFeatures
        """
        self._validate_params()
        X = validate_series(self, X, reset=True)
        orders = bearing_frequencies(self.bearing)
        orders["BSF"] *= 2
        # Every order up to past the last harmonic searched.
        top = max(orders.values()) * self.n_harmonics * (1 + 2 * self.tolerance)
        self.spectrum_ = SquaredEnvelopeSpectrum(
            sampling_rate=self.sampling_rate,
            shaft_speed=self.shaft_speed,
            max_order=top,
        ).fit(X, shaft_speed=shaft_speed)
        self.fault_orders_ = orders
        self.n_channels_ = X.shape[1]
        return self

    def fit_transform(self, X, y=None, shaft_speed=None) -> np.ndarray:
        """Fit, then transform ``X`` with the same per-window speeds.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        y : ignored
        shaft_speed : array-like of shape (n_windows,), default=None

        Returns
        -------
        features : ndarray of shape (n_windows, 4 * n_harmonics * n_channels)
        """
        return self.fit(X, y, shaft_speed=shaft_speed).transform(
            X, shaft_speed=shaft_speed
        )

    def transform(self, X, shaft_speed=None) -> np.ndarray:
        """Return the peak at every harmonic of every fault frequency.

        Parameters
        ----------
        X : array-like of shape (n_windows, length) or (n_windows, n_channels, length)
        shaft_speed : array-like of shape (n_windows,), default=None

        Returns
        -------
        features : ndarray of shape (n_windows, 4 * n_harmonics * n_channels)
            Ordered as :meth:`get_feature_names_out`.
        """
        check_is_fitted(self)
        X = validate_series(self, X, reset=False)
        spectra = self.spectrum_.transform(X, shaft_speed=shaft_speed)
        orders = self.spectrum_.orders_
        columns = []
        step = orders[1] - orders[0] if orders.size > 1 else 1.0
        for name in FAULT_FREQUENCIES:
            for harmonic in range(1, self.n_harmonics + 1):
                centre = self.fault_orders_[name] * harmonic
                half = max(self.tolerance * centre, step / 2)
                near = np.abs(orders - centre) <= half
                columns.append(spectra[..., near].max(axis=-1))
        return np.stack(columns, axis=1).reshape(len(spectra), -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Return ``<frequency>_h<harmonic>_ch<channel>`` for each column.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        return np.array(
            [
                f"{name}_h{harmonic}_ch{channel}"
                for name in FAULT_FREQUENCIES
                for harmonic in range(1, self.n_harmonics + 1)
                for channel in range(self.n_channels_)
            ],
            dtype=object,
        )
