from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from tsclf.datasets import load_cwru_windows
from tsclf.transformers import (
    BandEnergies,
    EnvelopeSpectrum,
    WindowStandardizer,
    band_energies,
)

RATE = 12000.0
TIME = np.arange(1200) / RATE


def tone(frequency: float) -> np.ndarray:
    return np.sin(2 * np.pi * frequency * TIME)


def test_band_energies_add_up_to_the_whole_spectrum():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 1200))
    whole = band_energies(X, RATE, np.array([0.0, RATE / 2]))
    parts = band_energies(X, RATE, np.linspace(0, RATE / 2, 7))
    np.testing.assert_allclose(parts.sum(axis=1), whole[:, 0])
    two_tones = tone(700.0) + 2 * tone(2300.0)  # power 1/2 + 4/2
    total = band_energies(two_tones, RATE, np.array([0.0, RATE / 2]))
    np.testing.assert_allclose(total, [2.5], rtol=0.01)
    # A unit sine carries power 1/2, all of it near its frequency.
    np.testing.assert_allclose(
        band_energies(tone(1000.0), RATE, np.array([900.0, 1100.0])), [0.5], rtol=0.01
    )


def test_band_energies_put_each_tone_in_its_band():
    X = np.stack([tone(f) for f in (250.0, 1750.0, 5500.0)])[:, np.newaxis]
    bands = BandEnergies(n_bands=6, sampling_rate=RATE, log=False).fit(X)
    np.testing.assert_array_equal(bands.transform(X).argmax(axis=1), [0, 1, 5])
    np.testing.assert_allclose(bands.band_edges_, np.linspace(0, 6000, 7))


def test_log_and_max_frequency():
    X = tone(300.0)[np.newaxis]
    raw = BandEnergies(n_bands=4, sampling_rate=RATE, max_frequency=1000.0, log=False)
    logged = clone(raw).set_params(log=True)
    np.testing.assert_allclose(
        logged.fit_transform(X), np.log(raw.fit_transform(X) + np.finfo(float).tiny)
    )
    assert raw.get_feature_names_out()[1] == "band_250-500Hz_ch0"


def test_multichannel_layout_is_band_major():
    X = np.stack([tone(500.0), tone(4000.0)])[np.newaxis]  # one series, 2 channels
    bands = BandEnergies(n_bands=2, sampling_rate=RATE, log=False).fit(X)
    assert bands.get_feature_names_out().tolist() == [
        "band_0-3000Hz_ch0",
        "band_0-3000Hz_ch1",
        "band_3000-6000Hz_ch0",
        "band_3000-6000Hz_ch1",
    ]
    out = bands.transform(X)[0]
    assert out[0] > out[2] and out[3] > out[1]


def test_envelope_reveals_an_impact_rate_the_raw_spectrum_hides():
    impacts = 1 + np.cos(2 * np.pi * 110 * TIME)  # a fault hitting 110 times/s
    X = (impacts * tone(3000.0))[np.newaxis]
    low = {"n_bands": 12, "sampling_rate": RATE, "max_frequency": 600.0, "log": False}
    envelope = EnvelopeSpectrum(**low, band=(2000.0, 4000.0)).fit(X)
    names = envelope.get_feature_names_out()
    assert names[envelope.transform(X).argmax()] == "envelope_100-150Hz_ch0"
    raw = BandEnergies(**low).fit_transform(X)
    assert raw.max() < 1e-3 * envelope.transform(X).max()


def test_envelope_features_carry_fault_location_across_loads():
    from sklearn.ensemble import RandomForestClassifier

    windows = load_cwru_windows()
    location = windows.y["location"].to_numpy()
    unseen = windows.metadata["load_hp"].to_numpy() == 2
    envelope = EnvelopeSpectrum(
        n_bands=20, sampling_rate=windows.sampling_rate, max_frequency=1000.0
    )
    features = envelope.fit_transform(windows.X)
    forest = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
    forest.fit(features[~unseen], location[~unseen])
    accuracy = np.mean(forest.predict(features[unseen]) == location[unseen])
    assert accuracy > 0.85  # 4 labels (n/a, B, IR, OR); 0.93 measured


def test_bad_parameters():
    X = np.zeros((2, 1200))
    with pytest.raises(ValueError, match="narrower than the FFT resolution"):
        BandEnergies(n_bands=1000, sampling_rate=RATE).fit(X)
    with pytest.raises(ValueError, match=r"max_frequency must be in \(0, 6000\]"):
        BandEnergies(sampling_rate=RATE, max_frequency=7000.0).fit(X)
    with pytest.raises(ValueError, match="'n_bands' parameter of"):
        BandEnergies(n_bands=0).fit(X)
    with pytest.raises(ValueError, match="band must be"):
        EnvelopeSpectrum(sampling_rate=RATE, band=(4000.0, 7000.0)).fit(X)
    with pytest.raises(ValueError, match="at least 2 are needed"):
        BandEnergies().fit(np.zeros((2, 1)))


def test_spectra_as_series_feed_a_deep_network():
    from sklearn.pipeline import make_pipeline

    from tsclf.classification import MLPClassifier
    from tsclf.transformers import MagnitudeSpectrum, SpectrogramChannels

    from estimator_params import tiny

    t = np.arange(1200) / RATE
    X = np.stack([np.sin(2 * np.pi * f * t) for f in (500.0, 3000.0) * 20])[:, None]
    y = np.tile([0, 1], 20)
    spectrum = MagnitudeSpectrum(max_share=0.5).fit(X)
    series = spectrum.transform(X)
    assert series.shape == (40, 1, 301)  # up to 3 kHz: 300 bins of 10 Hz
    assert series[0, 0].argmax() == 50 and series[1, 0].argmax() == 300
    channels = SpectrogramChannels(nperseg=64).fit_transform(X)
    assert channels.shape == (40, 33, 36)
    with pytest.raises(ValueError, match="fitted on 1200"):
        spectrum.transform(X[..., :600])
    # Where the peak sits tells the classes apart: a network that keeps the
    # position (an MLP over the spectrum) learns it at once.
    model = tiny(
        MLPClassifier,
        max_epochs=20,
        preprocessor=make_pipeline(WindowStandardizer(), MagnitudeSpectrum()),
    ).fit(X, y)
    assert model.net_.module_.trunk[1].in_features == 601  # the spectrum
    assert model.score(X, y) == 1.0


def test_envelope_series_carries_the_impact_rate_at_a_lower_rate():
    from tsclf.transformers import Envelope, amplitude_envelope

    impacts = 1 + np.cos(2 * np.pi * 110 * TIME)
    X = np.stack([impacts * tone(3000.0), impacts * tone(4500.0)])[:, np.newaxis]
    full = Envelope(sampling_rate=RATE, band=(2000.0, 5500.0)).fit_transform(X)
    np.testing.assert_allclose(
        full, amplitude_envelope(X, RATE, band=(2000.0, 5500.0)), rtol=1e-12
    )
    # Either carrier gives the same envelope, up to the band-pass's edges.
    np.testing.assert_allclose(full[0, 0, 100:-100], full[1, 0, 100:-100], atol=0.05)
    np.testing.assert_allclose(full[0, 0, 100:-100], impacts[100:-100], atol=0.05)
    quarter = Envelope(sampling_rate=RATE, decimation=4).fit(X)
    out = quarter.transform(X.astype(np.float32))
    assert out.shape == (2, 1, 300) and out.dtype == np.float32
    # At 3 kHz the 110 Hz impacts are still the envelope's strongest line.
    spectrum = np.abs(np.fft.rfft(out[0, 0] - out[0, 0].mean(), n=3000))
    assert np.argmax(spectrum) == 110  # 1 Hz bins
    with pytest.raises(ValueError, match="fitted on 1200"):
        quarter.transform(X[..., :600])
    with pytest.raises(ValueError, match="band must be"):
        Envelope(sampling_rate=RATE, band=(4000.0, 7000.0)).fit(X)
    with pytest.raises(ValueError, match="at least 8 samples"):
        Envelope(decimation=4).fit(X[..., :6])
