"""Draw an inner-race fault's envelope spectrum with the fault frequencies.

One second of the embedded CWRU recording of a 0.007 in inner-race fault
at load 0 (drive end, 12 kHz), whitened (cepstral pre-whitening) and
demodulated: the squared envelope spectrum, normalised by its mean, with
the drive-end bearing's (6205-2RS JEM SKF) BPFO, BPFI and 2 x BSF at the
recorded shaft speed and their harmonics marked. The same spectrum over
0.1 s windows is what :class:`~tsclf.classification.VibrationClassifier`
reads, at 10 Hz resolution.

Usage::

    python -m benchmarks.studies.envelope_figure \
        [--output docs/images/envelope_spectrum.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from tsclf.datasets import load_cwru_windows
from tsclf.metrics import plot_envelope_spectrum
from tsclf.transformers import (
    CepstralPrewhitening,
    SquaredEnvelopeSpectrum,
    bearing_frequencies,
)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=Path("docs/images/envelope_spectrum.png")
    )
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    windows = load_cwru_windows(length=12000)
    meta = windows.metadata
    chosen = np.flatnonzero(
        (windows.y["location"] == "IR").to_numpy()
        & (meta["load_hp"] == 0).to_numpy()
        & (windows.y["size"] == "007").to_numpy()
    )[0]
    rate = windows.sampling_rate
    ses = SquaredEnvelopeSpectrum(sampling_rate=rate, max_frequency=600.0)
    whitened = CepstralPrewhitening().fit_transform(windows.X[chosen : chosen + 1])
    spectrum = ses.fit_transform(whitened)[0, 0]
    speed = float(meta["rpm"].iloc[chosen]) / 60.0
    faults = bearing_frequencies("6205-2RS JEM SKF", speed)
    marked = {
        "BPFO": faults["BPFO"],
        "BPFI": faults["BPFI"],
        "2 x BSF": 2 * faults["BSF"],
    }
    title = (
        f"CWRU {meta['cwru_id'].iloc[chosen]}: inner-race fault 0.007 in, load 0, "
        f"{speed * 60:.0f} rpm; whitened, 1 s"
    )
    figure = plot_envelope_spectrum(
        ses.frequencies_, spectrum, marked, n_harmonics=3, title=title
    )
    figure.axes[0].set_xlabel("envelope frequency (Hz)")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.output, dpi=110)
    print(f"BPFI {faults['BPFI']:.1f} Hz; written {args.output}")
    return args.output


if __name__ == "__main__":
    main()
