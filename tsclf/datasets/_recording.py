"""A single multichannel recording with its labels and metadata."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from scipy.signal import resample_poly


@dataclass(frozen=True, eq=False)
class Recording:
    """A long multichannel signal with one label per task.

    Parameters
    ----------
    name : str
        Identifier of the recording, used as its group in cross-validation.
    signal : ndarray of shape (n_channels, n_samples)
        The samples. A 1-D array is read as a single channel.
    sampling_rate : float
        Samples per second.
    channels : tuple of str, default=()
        Channel names; ``("ch0", "ch1", ...)`` when empty.
    labels : mapping of str to str, default={}
        One label per task, e.g. ``{"detection": "fault", "location": "IR"}``.
    metadata : mapping, default={}
        Anything else worth keeping per recording (load, rpm, source file...).

    Raises
    ------
    ValueError
        If the signal is empty, has more than two dimensions or holds NaN or
        infinite values, or if the sampling rate is not positive.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets._recording import Recording
    >>> rec = Recording("r1", np.zeros(4800), sampling_rate=48000.0)
    >>> rec.n_channels, rec.n_samples
    (1, 4800)
    >>> rec.resample(12000).n_samples
    1200
    """

    name: str
    signal: np.ndarray
    sampling_rate: float
    channels: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(
                f"Recording name must be a non-empty str (it names the windows' "
                f"group), got {self.name!r}."
            )
        raw = np.asarray(self.signal)
        if not (np.issubdtype(raw.dtype, np.number) or raw.dtype == bool) or (
            np.iscomplexobj(raw)
        ):
            raise TypeError(
                f"Recording {self.name!r}: signal must hold real numbers, got "
                f"dtype {raw.dtype}."
            )
        signal = raw.astype(np.float64)
        if signal.ndim == 1:
            signal = signal[np.newaxis, :]
        if signal.ndim != 2 or signal.shape[1] == 0:
            raise ValueError(
                f"Recording {self.name!r}: signal must have shape "
                f"(n_channels, n_samples) with n_samples > 0, got {signal.shape}."
            )
        finite = np.isfinite(signal)
        if not finite.all():
            channel, sample = np.argwhere(~finite)[0]
            raise ValueError(
                f"Recording {self.name!r} holds {int((~finite).sum())} NaN or "
                f"infinite values (first at channel {channel}, sample {sample})."
            )
        if not (
            isinstance(self.sampling_rate, numbers.Real)
            and not isinstance(self.sampling_rate, bool)
            and 0 < self.sampling_rate < np.inf
        ):
            raise ValueError(
                f"Recording {self.name!r}: sampling_rate must be a positive, "
                f"finite number of samples per second, got {self.sampling_rate!r}."
            )
        channels = tuple(self.channels) or tuple(
            f"ch{i}" for i in range(signal.shape[0])
        )
        if len(channels) != signal.shape[0]:
            raise ValueError(
                f"Recording {self.name!r}: {len(channels)} channel names for "
                f"{signal.shape[0]} channels."
            )
        object.__setattr__(self, "signal", signal)
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "sampling_rate", float(self.sampling_rate))
        object.__setattr__(self, "labels", dict(self.labels))
        object.__setattr__(self, "metadata", dict(self.metadata))

    def __repr__(self) -> str:
        return (
            f"Recording(name={self.name!r}, channels={self.channels!r}, "
            f"n_samples={self.n_samples}, sampling_rate={self.sampling_rate:g}, "
            f"labels={self.labels!r})"
        )

    @property
    def n_channels(self) -> int:
        """Number of channels."""
        return self.signal.shape[0]

    @property
    def n_samples(self) -> int:
        """Number of samples per channel."""
        return self.signal.shape[1]

    @property
    def duration(self) -> float:
        """Length of the recording in seconds."""
        return self.n_samples / self.sampling_rate

    def resample(self, target_rate: float) -> Recording:
        """Return the recording resampled to ``target_rate``.

        A polyphase filter (:func:`scipy.signal.resample_poly`, Kaiser
        window) removes content above the new Nyquist frequency before
        decimation, so downsampling does not alias.

        Parameters
        ----------
        target_rate : float
            The new sampling rate in Hz.

        Returns
        -------
        recording : Recording
            A new recording; ``self`` is returned unchanged when the rates
            already match.
        """
        if not target_rate > 0:
            raise ValueError(f"target_rate must be positive, got {target_rate!r}.")
        if float(target_rate) == self.sampling_rate:
            return self
        ratio = Fraction(float(target_rate) / self.sampling_rate).limit_denominator(
            10_000
        )
        if abs(float(ratio) * self.sampling_rate - target_rate) > 1e-6 * target_rate:
            raise ValueError(
                f"Cannot resample {self.sampling_rate:g} Hz to {target_rate:g} Hz "
                "with a rational factor of small terms."
            )
        signal = resample_poly(self.signal, ratio.numerator, ratio.denominator, axis=-1)
        metadata = {**self.metadata, "original_rate_hz": self.sampling_rate}
        return replace(
            self, signal=signal, sampling_rate=float(target_rate), metadata=metadata
        )


def recordings_frame(recordings: Sequence[Recording]) -> pd.DataFrame:
    """Tabulate recordings: one row each, with labels and metadata.

    Parameters
    ----------
    recordings : sequence of Recording

    Returns
    -------
    frame : pandas.DataFrame
        Indexed by recording name, with columns ``sampling_rate``,
        ``n_samples``, the label columns and the metadata keys.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.datasets import Recording, recordings_frame
    >>> recs = [Recording("a", np.zeros(10), 100.0, labels={"task": "x"})]
    >>> recordings_frame(recs)[["sampling_rate", "n_samples", "task"]]
          sampling_rate  n_samples task
    name
    a             100.0         10    x
    """
    rows = [
        {
            "name": rec.name,
            "sampling_rate": rec.sampling_rate,
            "n_samples": rec.n_samples,
            **rec.labels,
            **rec.metadata,
        }
        for rec in recordings
    ]
    return pd.DataFrame(rows).set_index("name")
