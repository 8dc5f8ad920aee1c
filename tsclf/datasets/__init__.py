"""Data: recordings, windows cut from them, CWRU, UCR/UEA and synthetic sets."""

from tsclf.datasets._cwru import EMBEDDED_IDS, load_cwru
from tsclf.datasets._cwru_catalog import NOT_APPLICABLE, TASKS, cwru_catalog
from tsclf.datasets._cwru_checksums import cwru_checksums
from tsclf.datasets._cwru_mat import CWRU_CHANNELS, read_cwru_mat
from tsclf.datasets._cwru_windows import load_cwru_windows
from tsclf.datasets._disk import WindowArray, open_windows, save_recordings
from tsclf.datasets._download import CWRU_BASE_URL, cwru_data_home, fetch_cwru
from tsclf.datasets._recording import Recording, recordings_frame
from tsclf.datasets._synthetic import make_spike_anomaly
from tsclf.datasets._ucr import BUNDLED_UCR_UEA, load_ts_file, load_ucr_uea
from tsclf.datasets._windows import Windows, make_forecasting_windows, make_windows

__all__ = [
    "BUNDLED_UCR_UEA",
    "CWRU_BASE_URL",
    "CWRU_CHANNELS",
    "EMBEDDED_IDS",
    "NOT_APPLICABLE",
    "TASKS",
    "Recording",
    "WindowArray",
    "Windows",
    "cwru_catalog",
    "cwru_checksums",
    "cwru_data_home",
    "fetch_cwru",
    "load_cwru",
    "load_cwru_windows",
    "load_ts_file",
    "load_ucr_uea",
    "make_forecasting_windows",
    "make_spike_anomaly",
    "make_windows",
    "open_windows",
    "read_cwru_mat",
    "recordings_frame",
    "save_recordings",
]
