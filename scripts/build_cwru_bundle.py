"""Build the embedded CWRU bundle from a folder of CWRU ``.mat`` files.

Usage::

    python scripts/build_cwru_bundle.py [SOURCE_DIR]

SOURCE_DIR defaults to ``$TSCLF_SHARED/data/cwru`` or ``../shared/data/cwru``.
The drive-end channel of each of the 28 embedded recordings is stored as
int16 quantisation codes, a float64 scale and an int8 offset in units in the
last place, so that decoding is bit-identical to the ``.mat`` values. The
script checks that round trip before writing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from tsclf.datasets._cwru import BUNDLE_FILE, EMBEDDED_IDS
from tsclf.datasets._cwru_mat import read_cwru_mat
from tsclf.datasets._quantized import decode, encode

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tsclf" / "datasets" / "data" / BUNDLE_FILE


def default_source() -> Path:
    shared = os.environ.get("TSCLF_SHARED", str(ROOT.parent / "shared"))
    return Path(shared) / "data" / "cwru"


def main(source: Path) -> None:
    arrays: dict[str, np.ndarray] = {}
    for cwru_id in EMBEDDED_IDS:
        signal, rpm = read_cwru_mat(source / f"{cwru_id}.mat", cwru_id, ("DE",))
        parts = encode(signal[0])
        if not np.array_equal(decode(parts).view(np.int64), signal[0].view(np.int64)):
            raise RuntimeError(f"{cwru_id}.mat does not round-trip")
        for name, value in parts.items():
            arrays[f"{cwru_id}/{name}"] = np.asarray(value)
        arrays[f"{cwru_id}/rpm"] = np.float64(rpm)
        print(
            f"{cwru_id:>4}: {signal.shape[1]} samples, scale {parts['scale']:.6g}, "
            f"{parts['exception_index'].size} verbatim"
        )
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TARGET, **arrays)
    print(f"wrote {TARGET} ({TARGET.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default_source())
