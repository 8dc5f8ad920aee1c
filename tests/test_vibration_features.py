"""Transfer-path-invariant vibration features, checked on analytic signals."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import sklearn
from scipy import signal
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from tsclf.transformers import (
    BEARINGS,
    BandEnergies,
    Bearing,
    CepstralCoefficients,
    CepstralPrewhitening,
    FaultFrequencyFeatures,
    KurtogramBandpass,
    SpectralShape,
    SquaredEnvelopeSpectrum,
    bearing_frequencies,
    cepstral_prewhitening,
)

RATE = 12000.0
T = np.arange(1200) / RATE


def modulated_noise(rate_hz: float, n: int = 1, seed: int = 0) -> np.ndarray:
    """Noise amplitude-modulated at ``rate_hz``: a bearing fault's impacts."""
    rng = np.random.default_rng(seed)
    carrier = rng.normal(size=(n, T.size))
    return (1 + np.cos(2 * np.pi * rate_hz * T)) * carrier


def through_resonant_path(X: np.ndarray, gain: float = 7.0) -> np.ndarray:
    """A gain and a causal resonance at 2.5 kHz: another sensor and mounting."""
    b, a = signal.iirpeak(2500, Q=3, fs=RATE)
    return gain * signal.lfilter(b, a, X + 0.3 * X, axis=-1)


def test_envelope_spectrum_peaks_at_the_modulation_rate():
    x = (1 + 0.5 * np.cos(2 * np.pi * 130 * T)) * np.sin(2 * np.pi * 3200 * T)
    ses = SquaredEnvelopeSpectrum(sampling_rate=RATE, max_frequency=1000.0)
    spectrum = ses.fit_transform(x[np.newaxis])[0, 0]
    assert ses.frequencies_[spectrum.argmax()] == 130.0
    # normalised by its mean: the mean over the returned bins is 1
    assert spectrum.mean() == pytest.approx(1.0)


def test_whitening_flattens_an_impulse_train_rung_through_a_resonance():
    impulses = np.zeros(1200)
    impulses[::100] = 1.0
    b, a = signal.iirpeak(3000, Q=10, fs=RATE)
    rung = signal.lfilter(b, a, impulses)
    raw = np.abs(np.fft.rfft(rung))[1:-1]
    assert raw.max() / raw.min() > 100  # the resonance dominates
    whitened = CepstralPrewhitening().fit_transform(rung[np.newaxis, np.newaxis])
    magnitude = np.abs(np.fft.rfft(whitened[0, 0]))[1:-1]
    np.testing.assert_allclose(magnitude, magnitude[0], rtol=1e-9)


def test_lifter_keeps_the_fine_structure_and_removes_the_envelope():
    x = np.random.default_rng(0).normal(size=1024)
    full = cepstral_prewhitening(x)
    liftered = cepstral_prewhitening(x, lifter=30)
    # the fine spectral structure (noise) is kept: not flat
    magnitude = np.abs(np.fft.rfft(liftered))[1:-1]
    assert magnitude.std() / magnitude.mean() > 0.3
    assert not np.allclose(full, liftered)
    with pytest.raises(ValueError, match="lifter=600 must be below half"):
        CepstralPrewhitening(lifter=600).fit(x[np.newaxis])


def test_gain_and_a_resonant_path_barely_move_the_invariant_features():
    X = modulated_noise(110.0, n=20)
    moved = through_resonant_path(X)
    features = make_pipeline(
        CepstralPrewhitening(),
        SquaredEnvelopeSpectrum(
            sampling_rate=RATE, max_frequency=1000.0, n_carrier_bands=4
        ),
    ).fit(X)
    before, after = features.transform(X), features.transform(moved)
    # A gain alone changes nothing (to rounding).
    np.testing.assert_allclose(features.transform(7.0 * X), before, rtol=1e-9)
    # A causal resonance keeps its phase in the whitened signal: a small,
    # stated change (relative L2 norm under 0.35), and the fault line stays.
    change = np.linalg.norm(after - before) / np.linalg.norm(before)
    assert change < 0.35
    line = np.flatnonzero(features[-1].frequencies_ == 110.0)[0]
    assert (after[:, :, line] > 3.0).mean() > 0.9
    # The raw spectral shape, by contrast, moves a lot under the same path.
    shape = SpectralShape(n_bands=16, sampling_rate=RATE).fit(X)
    raw_change = np.linalg.norm(shape.transform(moved) - shape.transform(X))
    assert raw_change / np.linalg.norm(shape.transform(X)) > 1.0


def test_spectral_shape_is_gain_invariant_and_centred_per_channel():
    X = np.stack([modulated_noise(90.0, n=5), 3.0 * modulated_noise(60.0, n=5)], 1)
    shape = SpectralShape(n_bands=8, sampling_rate=RATE).fit(X)
    np.testing.assert_allclose(shape.transform(X), shape.transform(0.01 * X), atol=1e-9)
    by_band = shape.transform(X).reshape(5, 8, 2)  # band-major, as BandEnergies
    np.testing.assert_allclose(by_band.sum(axis=1), 0.0, atol=1e-9)
    log_energies = BandEnergies(n_bands=8, sampling_rate=RATE).fit_transform(X)
    np.testing.assert_allclose(
        np.diff(by_band, axis=1), np.diff(log_energies.reshape(5, 8, 2), axis=1)
    )


def test_cepstral_coefficients_ignore_the_gain_and_see_the_path():
    X = modulated_noise(90.0, n=10)
    cepstrum = CepstralCoefficients(n_coefficients=12).fit(X)
    np.testing.assert_allclose(cepstrum.transform(3.0 * X), cepstrum.transform(X))
    moved = cepstrum.transform(through_resonant_path(X, gain=1.0))
    spread = cepstrum.transform(X).std(axis=0).mean()
    assert np.abs(moved.mean(axis=0) - cepstrum.transform(X).mean(axis=0)).max() > (
        5 * spread
    )
    with pytest.raises(ValueError, match="more than half the window length"):
        CepstralCoefficients(n_coefficients=700).fit(X)


@pytest.mark.parametrize("per_window", [False, True])
def test_kurtogram_finds_the_resonance_the_impacts_ring(per_window):
    rng = np.random.default_rng(0)
    impacts = np.zeros((12, 1200))
    impacts[:, ::120] = 20.0
    b, a = signal.iirpeak(4000, Q=20, fs=RATE)
    X = signal.lfilter(b, a, impacts) + 0.3 * rng.normal(size=impacts.shape)
    bandpass = KurtogramBandpass(sampling_rate=RATE, per_window=per_window).fit(X)
    filtered = bandpass.transform(X)
    frequencies = np.fft.rfftfreq(1200, 1 / RATE)
    ringing = []
    for window in filtered[:, 0]:
        kept = frequencies[np.abs(np.fft.rfft(window)) > 1e-9]
        assert kept.max() - kept.min() < 3000  # a band, not the whole spectrum
        ringing.append(kept.min() < 4000 < kept.max())
    # one band for all finds it; a window's own kurtogram, from 1200
    # samples, mostly does
    assert np.mean(ringing) >= (0.75 if per_window else 1.0)
    if per_window:
        assert bandpass.band_ is None
    else:
        assert bandpass.band_[0] < 4000 < bandpass.band_[1]
    # refitting gives the same band; a clone pickles and fits the same
    again = pickle.loads(pickle.dumps(clone(bandpass))).fit(X)
    np.testing.assert_array_equal(again.transform(X), filtered)


def test_kurtogram_refuses_segments_longer_than_the_window():
    with pytest.raises(ValueError, match="nperseg must be one or more integers"):
        KurtogramBandpass(nperseg=(16, 4096)).fit(np.zeros((2, 1200)))


@pytest.mark.parametrize(
    ("bearing", "expected"),
    [
        # the CWRU site's table, in shaft orders
        ("6205-2RS JEM SKF", {"BPFI": 5.4152, "BPFO": 3.5848, "FTF": 0.39828}),
        ("6203-2RS JEM SKF", {"BPFI": 4.9469, "BPFO": 3.0530, "FTF": 0.3817}),
    ],
)
def test_bearing_frequencies_match_the_published_table(bearing, expected):
    orders = bearing_frequencies(bearing)
    for name, value in expected.items():
        assert orders[name] == pytest.approx(value, rel=2e-4)
    ball = {"6205-2RS JEM SKF": 4.7135, "6203-2RS JEM SKF": 3.9874}[bearing]
    assert 2 * orders["BSF"] == pytest.approx(ball, rel=2e-4)
    in_hz = bearing_frequencies(BEARINGS[bearing], shaft_speed=30.0)
    assert in_hz["BPFO"] == pytest.approx(30.0 * orders["BPFO"])


def test_bearing_frequencies_refuse_impossible_geometry():
    with pytest.raises(ValueError, match="Unknown bearing"):
        bearing_frequencies("6999")
    with pytest.raises(ValueError, match="element_diameter < pitch_diameter"):
        bearing_frequencies(Bearing(8, 2.0, 1.0))


def test_fault_features_name_the_fault_whatever_the_speed():
    """Two one-second windows at other speeds, each modulated at its own BPFI:
    in orders both show the inner-race line, read with per-window speeds."""
    speeds = np.array([25.0, 31.0])
    bpfi = [bearing_frequencies("6205-2RS JEM SKF", s)["BPFI"] for s in speeds]
    t = np.arange(12000) / RATE
    carrier = np.sin(2 * np.pi * 3000 * t)
    X = np.stack([(1 + np.cos(2 * np.pi * f * t)) * carrier for f in bpfi])
    faults = FaultFrequencyFeatures(sampling_rate=RATE, n_harmonics=2)
    features = faults.fit_transform(X, shaft_speed=speeds)
    names = faults.get_feature_names_out()
    assert {str(names[i]) for i in features.argmax(axis=1)} == {"BPFI_h1_ch0"}
    with pytest.raises(ValueError, match="max_order needs a shaft speed"):
        FaultFrequencyFeatures(sampling_rate=RATE).fit(X)


def test_shaft_speed_reaches_the_spectrum_through_metadata_routing():
    speeds = np.array([25.0, 31.0])
    X = np.stack(
        [
            (1 + np.cos(2 * np.pi * 4.0 * s * T)) * np.sin(2 * np.pi * 3e3 * T)
            for s in speeds
        ]
    )
    with sklearn.config_context(enable_metadata_routing=True):
        ses = SquaredEnvelopeSpectrum(sampling_rate=RATE, max_order=10.0)
        ses.set_fit_request(shaft_speed=True).set_transform_request(shaft_speed=True)
        pipeline = make_pipeline(ses)
        spectra = pipeline.fit(X, shaft_speed=speeds).transform(X, shaft_speed=speeds)
    peaks = ses.orders_[spectra[:, 0].argmax(axis=1)]
    np.testing.assert_allclose(peaks, 4.0, atol=ses.orders_[0])
    with pytest.raises(ValueError, match="one positive speed in Hz per window"):
        ses.transform(X, shaft_speed=[25.0, -1.0])


def test_envelope_spectrum_refuses_what_it_cannot_resolve():
    X = modulated_noise(90.0, n=2)
    with pytest.raises(ValueError, match="narrower than the FFT resolution"):
        SquaredEnvelopeSpectrum(sampling_rate=RATE, n_carrier_bands=1000).fit(X)
    with pytest.raises(ValueError, match="below the FFT"):
        SquaredEnvelopeSpectrum(sampling_rate=RATE, max_frequency=1.0).fit(X)
    with pytest.raises(ValueError, match="band must be"):
        SquaredEnvelopeSpectrum(sampling_rate=RATE, band=(3000, 9000)).fit(X)
