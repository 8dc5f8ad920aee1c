"""Data-parallel training over two CPU processes, against one process."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from tsclf.classification import MLPClassifier
from tsclf.deep._callbacks import drops_lone_last_batch
from tsclf.deep._loader import BatchIndexLoader

WORKER = Path(__file__).with_name("distributed_worker.py")
pytestmark = pytest.mark.skipif(
    not torch.distributed.is_available(), reason="torch.distributed is missing"
)


def launch(out: Path, case: str, n_processes: int = 2) -> str:
    """Run the worker in ``n_processes`` processes; return what they printed."""
    out.mkdir(exist_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    if n_processes == 1:
        command = [sys.executable, str(WORKER), str(out), case, "--alone"]
    else:
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={n_processes}",
            str(WORKER),
            str(out),
            case,
        ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def read_history(path: Path) -> list[dict]:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def two_and_one(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    printed = launch(out, "mlp")
    launch(out, "mlp", n_processes=1)
    return out, printed


def test_two_processes_train_the_network_one_process_trains(two_and_one):
    out, _ = two_and_one
    alone, rank0, rank1 = (
        np.load(out / f"{n}.npy") for n in ("alone", "rank0", "rank1")
    )
    # The ranks hold one network; against one process with the same global
    # batch, only the order of floating-point sums differs.
    np.testing.assert_array_equal(rank0, rank1)
    np.testing.assert_allclose(rank0, alone, atol=1e-5)
    histories = [read_history(out / f"{n}.json") for n in ("alone", "rank0", "rank1")]
    assert histories[1] == histories[2]
    for distributed, single in zip(histories[1], histories[0], strict=True):
        assert distributed["train_loss"] == pytest.approx(
            single["train_loss"], abs=1e-5
        )
        assert distributed["valid_loss"] == pytest.approx(
            single["valid_loss"], abs=1e-5
        )


def test_only_rank_zero_prints_and_writes(two_and_one):
    out, printed = two_and_one
    assert printed.count("train_loss") == 1  # one epoch table
    expected = np.load(out / "rank0.npy")
    for rank in (0, 1):
        # save_model wrote once (rank 0), and the file loads on every rank.
        np.testing.assert_allclose(np.load(out / f"rank{rank}_loaded.npy"), expected)
        # The fitted model pickles and predicts in a process of its own.
        model = pickle.loads((out / f"rank{rank}.pkl").read_bytes())
        assert model.distributed and len(model.history_) == 3


def test_early_stopping_ends_every_rank_at_the_same_epoch(tmp_path):
    launch(tmp_path, "early")
    rank0, rank1 = (read_history(tmp_path / f"rank{r}.json") for r in (0, 1))
    assert rank0 == rank1
    assert len(rank0) < 30  # it did stop early


def test_ranks_record_the_same_history_when_shares_of_a_batch_differ(tmp_path):
    launch(tmp_path, "uneven")
    rank0, rank1 = (read_history(tmp_path / f"rank{r}.json") for r in (0, 1))
    # Without validation, early stopping and the scheduler read train_loss.
    assert rank0 == rank1 and len(rank0) == 6


def test_batchnorm_networks_train_data_parallel(tmp_path):
    launch(tmp_path, "cnn")
    launch(tmp_path, "cnn", n_processes=1)
    rank0, rank1, alone = (
        np.load(tmp_path / f"{n}.npy") for n in ("rank0", "rank1", "alone")
    )
    np.testing.assert_array_equal(rank0, rank1)
    # BatchNorm normalises each process's half of a batch: close, not equal.
    assert np.abs(rank0 - alone).max() < 0.2


def test_ranks_given_other_data_are_refused(tmp_path):
    launch(tmp_path, "other-data")
    for rank in (0, 1):
        message = (tmp_path / f"error_{rank}.txt").read_text()
        assert "same X and y" in message


def test_distributed_without_a_process_group_says_how_to_launch(monkeypatch):
    for name in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    X = np.random.default_rng(0).normal(size=(20, 1, 16)).astype("float32")
    with pytest.raises(RuntimeError, match="torchrun"):
        MLPClassifier(max_epochs=1, distributed=True).fit(X, np.arange(20) % 2)


def batches(num_replicas: int = 1, rank: int = 0) -> list[list[int]]:
    loader = BatchIndexLoader(
        np.arange(10),
        batch_size=4,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
        num_replicas=num_replicas,
        rank=rank,
    )
    return list(loader.sampler)


def test_each_rank_takes_its_share_of_every_batch():
    whole, first, second = batches(), batches(2, 0), batches(2, 1)
    assert len(whole) == len(first) == len(second) == 3
    for batch, mine, theirs in zip(whole, first, second, strict=True):
        assert mine == batch[0::2] and theirs == batch[1::2]


@pytest.mark.parametrize(
    ("n_train", "batch_size", "n_replicas", "drops"),
    [(65, 64, 1, True), (66, 64, 1, False), (67, 64, 2, True), (68, 64, 2, False)],
)
def test_a_last_batch_too_small_to_share_is_left_out(
    n_train, batch_size, n_replicas, drops
):
    assert drops_lone_last_batch(n_train, batch_size, n_replicas) is drops


def test_the_documented_recipe_runs_under_torchrun(tmp_path):
    docs = Path(__file__).parents[1] / "docs" / "tune-and-scale.md"
    script = re.search(
        r"```python\n(# train_data_parallel.py\n.*?)```", docs.read_text(), re.S
    ).group(1)
    (tmp_path / "train_data_parallel.py").write_text(script)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            "train_data_parallel.py",
            "cnn.tsclf",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("joint accuracy") == 1
    assert (tmp_path / "cnn.tsclf").exists()
