from __future__ import annotations

import functools
import http.server
import threading

import numpy as np
import pytest
from conftest import write_cwru_mat

from tsclf.datasets import cwru_data_home, fetch_cwru, load_cwru

pytestmark = pytest.mark.usefixtures("synthetic_cwru")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """Serve a folder over HTTP on loopback; yields (folder, base_url)."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{httpd.server_address[1]}/files"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_downloads_checks_and_loads(server, tmp_path, capsys):
    served, base_url = server
    write_cwru_mat(served / "files", 105, seed=1)
    write_cwru_mat(served / "files", 97, channels=("DE", "FE"), seed=2)
    folder = fetch_cwru(
        [97, 105], tmp_path / "data", base_url=base_url, insecure_mirror=True
    )
    assert sorted(p.name for p in folder.iterdir()) == ["105.mat", "97.mat"]
    assert "downloaded" in capsys.readouterr().out
    recordings = load_cwru(folder)
    assert [r.name for r in recordings] == ["97", "105"]
    original = load_cwru(served / "files", ids=[105])[0]
    assert np.array_equal(recordings[1].signal, original.signal)


def test_fetch_keeps_existing_files(server, tmp_path):
    served, base_url = server
    write_cwru_mat(served / "files", 105, seed=1)
    data = tmp_path / "data"
    fetch_cwru([105], data, base_url=base_url, insecure_mirror=True, verbose=False)
    write_cwru_mat(served / "files", 105, seed=99)
    fetch_cwru([105], data, base_url=base_url, insecure_mirror=True, verbose=False)
    kept = load_cwru(data)[0].signal
    fetch_cwru(
        [105],
        data,
        base_url=base_url,
        insecure_mirror=True,
        verbose=False,
        overwrite=True,
    )
    assert not np.array_equal(kept, load_cwru(data)[0].signal)


def test_fetch_missing_file_names_url(server, tmp_path):
    _, base_url = server
    with pytest.raises(
        OSError,
        match=r"Could not download http://127\.0\.0\.1.*/106\.mat \(3 attempts\)",
    ):
        fetch_cwru(
            [106],
            tmp_path / "data",
            base_url=base_url,
            insecure_mirror=True,
            verbose=False,
        )
    assert list((tmp_path / "data").iterdir()) == []


def test_fetch_corrupt_download_leaves_nothing(server, tmp_path):
    served, base_url = server
    (served / "files").mkdir()
    (served / "files" / "105.mat").write_bytes(b"<html>not found</html>")
    with pytest.raises(ValueError, match="Could not read CWRU file"):
        fetch_cwru(
            [105],
            tmp_path / "data",
            base_url=base_url,
            insecure_mirror=True,
            verbose=False,
        )
    assert list((tmp_path / "data").iterdir()) == []


def test_data_home_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TSCLF_DATA", str(tmp_path))
    assert cwru_data_home() == tmp_path / "cwru"
    assert cwru_data_home(tmp_path / "x") == tmp_path / "x"
