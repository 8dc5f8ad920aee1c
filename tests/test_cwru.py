from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import scipy.io
from conftest import write_cwru_mat

from tsclf.datasets import (
    EMBEDDED_IDS,
    NOT_APPLICABLE,
    Recording,
    cwru_catalog,
    load_cwru,
    load_cwru_windows,
    make_windows,
    read_cwru_mat,
)
from tsclf.model_selection import block_lone_recordings


def test_catalog_follows_reference_file_map():
    catalog = cwru_catalog().set_index("cwru_id")
    assert len(catalog) == 112
    assert catalog.index.is_unique
    assert catalog.loc[97, "fault"] == "Normal"
    assert catalog.loc[97, "rate_hz"] == 48000
    assert catalog.loc[217, ["fault", "size", "load_hp", "rate_hz"]].tolist() == [
        "IR",
        "021",
        3,
        48000,
    ]
    assert catalog.loc[274, ["fault", "fault_end", "size"]].tolist() == [
        "IR",
        "FE",
        "014",
    ]
    assert catalog.loc[315, ["fault", "fault_end", "size", "load_hp"]].tolist() == [
        "OR",
        "FE",
        "021",
        0,
    ]
    normal = catalog[catalog["fault"] == "Normal"]
    assert set(normal["location"]) == {NOT_APPLICABLE}
    assert set(normal["size"]) == {NOT_APPLICABLE}


def test_embedded_copy_has_the_28_recordings_with_labels():
    recordings = load_cwru()
    assert [int(r.name) for r in recordings] == sorted(EMBEDDED_IDS)
    by_name = {r.name: r for r in recordings}
    assert by_name["97"].sampling_rate == 48000
    assert by_name["97"].labels == {
        "detection": "normal",
        "location": NOT_APPLICABLE,
        "size": NOT_APPLICABLE,
    }
    assert by_name["236"].labels == {
        "detection": "fault",
        "location": "OR",
        "size": "021",
    }
    assert by_name["236"].metadata["load_hp"] == 2
    assert all(r.channels == ("DE",) for r in recordings)


def test_embedded_copy_matches_manifest(shared_cwru):
    manifest = pd.read_csv(shared_cwru / "MANIFEST.csv").set_index("cwru_id")
    recordings = load_cwru()
    assert len(recordings) == len(manifest) == 28
    for rec in recordings:
        row = manifest.loc[int(rec.name)]
        assert rec.n_samples == row["n_samples"]
        assert rec.sampling_rate == row["rate_hz"]
        assert rec.metadata["load_hp"] == row["load_hp"]
        assert rec.metadata["nominal_rpm"] == row["nominal_rpm"]
        assert rec.metadata["rpm"] == row["rpm_in_file"]
        if row["fault"] == "Normal":
            assert rec.labels["detection"] == "normal"
        else:
            assert rec.labels["detection"] == "fault"
            assert rec.labels["location"] == row["fault"].replace("@6", "")
            assert rec.labels["size"] == f"{round(row['size_in'] * 1000):03d}"


def test_embedded_copy_is_bit_identical_to_mat_files(shared_cwru):
    for rec in load_cwru():
        original = scipy.io.loadmat(shared_cwru / f"{rec.name}.mat")
        key = next(k for k in original if k.endswith("_DE_time"))
        values = original[key].ravel()
        assert rec.signal.dtype == np.float64
        assert np.array_equal(rec.signal[0].view(np.int64), values.view(np.int64))


def test_folder_and_embedded_copy_agree(shared_cwru):
    from_files = load_cwru(shared_cwru, ids=[97, 105, 236])
    embedded = load_cwru(ids=[97, 105, 236])
    for a, b in zip(from_files, embedded, strict=True):
        assert a.name == b.name
        assert a.labels == b.labels
        assert np.array_equal(a.signal, b.signal)


def test_all_channels_from_real_files(shared_cwru):
    (rec,) = load_cwru(shared_cwru, ids=[105], channels=("DE", "FE", "BA"))
    assert rec.signal.shape == (3, 121265)
    with pytest.raises(ValueError, match=r"97\.mat.*_BA_time"):
        load_cwru(shared_cwru, ids=[97], channels=("DE", "BA"))


@pytest.mark.usefixtures("synthetic_cwru")
def test_nested_folder_and_key_suffix(tmp_path):
    write_cwru_mat(tmp_path / "12k" / "IR" / "007", 105, seed=1)
    write_cwru_mat(tmp_path / "48k" / "IR" / "014", 174, key_id=173, seed=2)
    write_cwru_mat(tmp_path / "normal", 97, channels=("DE", "FE"), seed=3)
    recordings = load_cwru(tmp_path, channels=("DE", "FE"))
    assert [r.name for r in recordings] == ["97", "105", "174"]
    rec174 = recordings[2]
    assert rec174.labels == {"detection": "fault", "location": "IR", "size": "014"}
    assert rec174.sampling_rate == 48000
    expected = scipy.io.loadmat(tmp_path / "48k/IR/014/174.mat")["X173_FE_time"]
    assert np.array_equal(rec174.signal[1], expected.ravel())


@pytest.mark.usefixtures("synthetic_cwru")
def test_ids_names_and_speeds_are_read_strictly(tmp_path):
    write_cwru_mat(tmp_path, 105, seed=1)
    # A file named in other scripts' digits is not a CWRU id.
    shutil.copy(tmp_path / "105.mat", tmp_path / "\u0661\u0660\u0665.mat")
    assert [r.name for r in load_cwru(tmp_path)] == ["105"]
    for bad in (105.9, "../../x", True):
        with pytest.raises(ValueError, match="CWRU ids are integers"):
            load_cwru(tmp_path, ids=[bad])
    assert [r.name for r in load_cwru(tmp_path, ids=["105"])] == ["105"]
    content = scipy.io.loadmat(tmp_path / "105.mat")
    for rpm in (np.array([]), np.array(["fast"])):
        content["X105RPM"] = rpm
        scipy.io.savemat(tmp_path / "105.mat", content)
        with pytest.raises(ValueError, match="shaft speed as one number"):
            load_cwru(tmp_path, ids=[105])


@pytest.mark.usefixtures("synthetic_cwru")
def test_filters(tmp_path):
    for cwru_id in (97, 105, 106, 118, 109, 278):
        write_cwru_mat(tmp_path, cwru_id)
    names = lambda **kw: [r.name for r in load_cwru(tmp_path, **kw)]  # noqa: E731
    assert names() == ["97", "105", "106", "109", "118", "278"]
    assert names(rate=12000) == ["97", "105", "106", "118", "278"]
    assert names(rate=12000, end="DE") == ["97", "105", "106", "118"]
    assert names(load=1) == ["106"]
    assert names(fault=["IR"], end="DE", rate=12000) == ["105", "106"]
    assert names(fault="Normal") == ["97"]
    assert names(size=0.007, fault="B") == ["118"]
    assert names(ids=[106, 97]) == ["97", "106"]
    assert [r.name for r in load_cwru(load=2, fault="OR")] == ["132", "199", "236"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"load": 7}, r"Unknown value 7 for filter `load`; valid values are 0, 1"),
        ({"fault": "cage"}, r"Unknown value 'cage' for filter `fault`"),
        ({"rate": 24000}, r"Unknown value 24000 for filter `rate`"),
        ({"end": "XX"}, r"Unknown value 'XX' for filter `end`"),
        ({"size": "028"}, r"Unknown value '028' for filter `size`"),
        ({"ids": [5]}, r"CWRU id 5 is not in the catalogue"),
        ({"ids": [98]}, r"CWRU ids \[98\] are not in the embedded copy"),
        ({"channels": ("FE",)}, r"embedded CWRU copy holds the drive-end channel"),
    ],
)
def test_bad_filter_values_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_cwru(**kwargs)


@pytest.mark.usefixtures("synthetic_cwru")
def test_missing_file_is_named(tmp_path):
    write_cwru_mat(tmp_path, 105)
    with pytest.raises(FileNotFoundError, match=r"CWRU file 106\.mat not found"):
        load_cwru(tmp_path, ids=[105, 106])
    with pytest.raises(FileNotFoundError, match="CWRU folder not found"):
        load_cwru(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="No CWRU recording matches"):
        load_cwru(tmp_path, load=3)


@pytest.mark.usefixtures("synthetic_cwru")
def test_corrupt_file_is_named(tmp_path):
    (tmp_path / "105.mat").write_bytes(b"MATLAB 5.0 this is not a mat file" * 10)
    with pytest.raises(ValueError, match=r"Could not read CWRU file .*105\.mat"):
        load_cwru(tmp_path)


@pytest.mark.usefixtures("synthetic_cwru")
def test_wrong_key_is_named(tmp_path):
    write_cwru_mat(tmp_path, 105, channels=("DE",))
    with pytest.raises(ValueError, match=r"105\.mat: expected exactly one variable"):
        load_cwru(tmp_path, channels=("FE",))
    with pytest.raises(ValueError, match="channels must be a non-empty subset"):
        read_cwru_mat(tmp_path / "105.mat", 105, ("XX",))


@pytest.mark.usefixtures("synthetic_cwru")
def test_nan_in_signal_is_refused(tmp_path):
    path = write_cwru_mat(tmp_path, 105, channels=("DE",))
    content = scipy.io.loadmat(path)
    content["X105_DE_time"][10] = np.nan
    scipy.io.savemat(path, {k: v for k, v in content.items() if k[0] != "_"})
    with pytest.raises(ValueError, match=r"Recording '105' holds 1 NaN"):
        load_cwru(tmp_path)


@pytest.mark.usefixtures("synthetic_cwru")
def test_duplicate_ids_in_folder_are_refused(tmp_path):
    write_cwru_mat(tmp_path / "a", 105)
    write_cwru_mat(tmp_path / "b", 105)
    with pytest.raises(ValueError, match="CWRU id 105 appears twice"):
        load_cwru(tmp_path)


def test_resampling_removes_content_above_new_nyquist():
    rate = 48000
    t = np.arange(rate) / rate
    low, high = np.sin(2 * np.pi * 1000 * t), np.sin(2 * np.pi * 10000 * t)
    rec = Recording("tone", np.vstack([low, high]), rate)
    down = rec.resample(12000)
    assert down.n_samples == 12000
    assert down.sampling_rate == 12000
    core = slice(200, -200)
    t12 = np.arange(12000) / 12000
    assert np.allclose(
        down.signal[0, core], np.sin(2 * np.pi * 1000 * t12)[core], atol=1e-2
    )
    # A 10 kHz tone folds onto 2 kHz without an anti-aliasing filter.
    assert np.abs(down.signal[1, core]).max() < 1e-2


def test_reference_windowing_gives_floor_n_over_1200_per_recording():
    recordings = load_cwru(resample_to=12000)
    normal = next(r for r in recordings if r.name == "97")
    assert normal.n_samples == 60985  # 243938 samples at 48 kHz, divided by 4
    windows = make_windows(recordings, length=1200, step=1200)
    counts = pd.Series(windows.groups).value_counts()
    for rec in recordings:
        assert counts[rec.name] == rec.n_samples // 1200
    assert windows.X.shape == (sum(r.n_samples // 1200 for r in recordings), 1, 1200)
    assert windows.X.dtype == np.float32


def test_cwru_windows_spread_normal_blocks_over_loads():
    raw = load_cwru_windows()
    assert sorted(set(raw.groups[(raw.y["detection"] == "normal").to_numpy()])) == [
        "97"
    ]
    assert "condition" not in raw.metadata  # the loader knows no protocol
    windows = block_lone_recordings(load_cwru_windows(), condition="load_hp")
    normal = (windows.y["detection"] == "normal").to_numpy()
    assert normal.sum() == 48  # 50 windows, one dropped in each of two gaps
    blocks = windows.groups[normal]
    assert sorted(set(blocks)) == ["97#0", "97#1", "97#2"]
    conditions = windows.metadata["condition"].to_numpy()
    assert {b: set(conditions[normal][blocks == b]) for b in set(blocks)} == {
        "97#0": {0},
        "97#1": {1},
        "97#2": {2},
    }
    assert set(windows.metadata["load_hp"][normal]) == {0}
    faults = ~normal
    assert np.array_equal(
        conditions[faults], windows.metadata["load_hp"].to_numpy()[faults]
    )


def test_real_files_copied_into_nested_layout(shared_cwru, tmp_path):
    for cwru_id, sub in ((105, "12k/IR/007"), (97, "normal")):
        (tmp_path / sub).mkdir(parents=True)
        shutil.copy(shared_cwru / f"{cwru_id}.mat", tmp_path / sub)
    recordings = load_cwru(tmp_path, resample_to=12000)
    assert [r.name for r in recordings] == ["97", "105"]
    assert recordings[0].n_samples == 60985
