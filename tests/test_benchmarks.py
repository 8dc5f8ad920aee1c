"""The benchmark runner: protocols, caching, outputs."""

from __future__ import annotations

import platform
import time

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("psutil")


from benchmarks import behaviour, execute, report, run, store, suites
from benchmarks.measure import PeakMemory, run_fold
from benchmarks.models import MODELS, Context
from benchmarks.protocols import Problem, cwru_problem, ucr_problem
from tsclf.classification import MLPClassifier
from tsclf.metrics import joint_accuracy
from tsclf.model_selection import assert_no_leakage


def test_protocols_split_as_documented():
    lolo = cwru_problem("lolo")
    assert [name for name, _, _ in lolo.folds] == ["load0", "load1", "load2"]
    recording = cwru_problem("recording")
    assert len(recording.folds) == 1
    for problem in (lolo, recording):
        for _, train, test in problem.folds:
            assert_no_leakage(train, test, problem.groups)
            # Every one of the ten joint classes is tested.
            assert len({"|".join(row) for row in problem.y[test]}) == 10
    leaky = cwru_problem("leaky")
    ((_, train, test),) = leaky.folds
    assert leaky.fit_groups is None
    # The leaky split shares recordings between train and test, by design.
    assert set(leaky.groups[train]) & set(leaky.groups[test])
    gunpoint = ucr_problem("GunPoint")
    ((_, train, test),) = gunpoint.folds
    assert (len(train), len(test)) == (50, 150)
    assert gunpoint.tasks == ["class"]


def test_deep_models_validate_on_blocks_of_their_training_recordings():
    lolo = cwru_problem("lolo")
    blocks = pd.Series(lolo.fit_groups)
    # Each block lies inside one group (a recording, or a third of the lone
    # normal recording), and each of the 30 groups has five blocks.
    parent = blocks.str.rsplit("#", n=1).str[0]
    assert (parent == lolo.groups).all()
    blocks_per_group = blocks.drop_duplicates().str.rsplit("#", n=1).str[0]
    assert (blocks_per_group.value_counts() == 5).all()
    assert blocks_per_group.nunique() == 30
    for _, train, test in lolo.folds:
        assert not set(blocks[train]) & set(blocks[test])


def test_suites_are_parts_narrowed_by_the_command_line():
    full = suites.plan_units("full")
    lolo = [unit for unit in full if unit[0] == "lolo"]
    assert {model for _, _, model, _ in lolo} == set(suites.ALL_CWRU)
    leaky_models = {model for protocol, _, model, _ in full if protocol == "leaky"}
    assert leaky_models == set(suites.BASELINES + suites.QUICK_DEEP)
    plaid = {model for _, dataset, model, _ in full if dataset == "PLAID"}
    assert plaid == {"minirocket", "cesium-rf"}
    assert len({unit for unit in full if unit[2] == "inception"}) == 1 + 5 * 3
    narrowed = suites.plan_units("full", protocols=("ucr",), seeds=1)
    assert {unit[0] for unit in narrowed} == {"ucr"}
    assert {unit[3] for unit in narrowed} == {0}
    config = run.parse_args(
        ["--protocols", "ucr", "--models", "inception", "--datasets", "PLAID"]
    )
    chosen = suites.plan_units(
        config.suite,
        protocols=config.protocols,
        models=config.models,
        datasets=config.datasets,
    )
    assert chosen == [("ucr", "PLAID", "inception", seed) for seed in range(3)]


def test_held_out_curve_is_recorded_without_touching_training():
    lolo = cwru_problem("lolo")
    rng = np.random.default_rng(0)
    _, train, test = lolo.folds[2]
    train = np.sort(rng.choice(train, 300, replace=False))
    test = np.sort(rng.choice(test, 200, replace=False))
    problem = Problem("CWRU", "lolo", lolo.X, lolo.y, lolo.tasks)
    problem.fit_groups = lolo.fit_groups

    def mlp():
        # No early stopping: the weights kept are the last epoch's.
        return MLPClassifier(max_epochs=3, early_stopping_patience=None, random_state=0)

    with_curve = run_fold(mlp(), problem, train, test, deep=True, curve=True)
    without = run_fold(mlp(), problem, train, test, deep=True)
    assert len(with_curve["curve"]) == with_curve["epochs"] == 3
    assert with_curve["curve"][-1] == pytest.approx(with_curve["joint_acc"])
    assert with_curve["last5_min"] == min(with_curve["curve"])
    assert "curve" not in without
    assert with_curve["predicted"] == without["predicted"]
    assert with_curve["joint_acc"] == joint_accuracy(
        problem.y[test], np.array(without["predicted"])
    )


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="frees memory with glibc")
def test_peak_memory_counts_memory_that_earlier_work_freed():
    # Once glibc has raised its mmap threshold (after the first round),
    # freed 4 MB blocks below small live objects stay with the process, and
    # a later allocation of the same size reuses them without the resident
    # size growing.
    small = []
    for _ in range(2):
        blocks = []
        for _ in range(50):
            blocks.append(np.ones((500, 1000)))
            small.append(np.ones(2000))
        del blocks
    with PeakMemory() as memory:
        later = [np.ones((500, 1000)) for _ in range(25)]  # 100 MB
        # Wait for the sampling thread to see it (late on a loaded CPU); the
        # limit only ends a run where it never does.
        deadline = time.monotonic() + 60
        while memory._peak - memory._start < 75 * 2**20:
            assert time.monotonic() < deadline, "the sampler never saw the peak"
            time.sleep(0.01)
        del later
    assert memory.peak_mb > 75


def test_cwru_table_names_the_devices_the_fits_ran_on():
    rows = pd.DataFrame(
        {
            "model": ["a", "a", "b", "b"],
            "family": ["deep"] * 4,
            "seed": [0, 0, 0, 0],
            "joint_acc": [0.9, 0.8, 0.7, 0.6],
            "fit_s": [1.0, 3.0, 2.0, 2.0],
            "device": ["cuda:0", "cpu", None, "cpu"],
        }
    )
    table = report.cwru_table(rows).set_index("model")
    assert table.loc["a", "device"] == "cpu+cuda"
    assert table.loc["b", "device"] == "cpu"  # rows from before devices were kept
    assert table.loc["a", "fit_s"] == 2.0


def test_fold_table_gives_each_fold_and_the_settling_range():
    results = pd.DataFrame(
        {
            "model": ["a", "a", "b", "b"],
            "fold": ["load0", "load1", "load0", "load1"],
            "joint_acc": [0.9, 0.7, 0.95, 0.85],
            "last5_min": [np.nan, np.nan, 0.9, 0.8],
            "last5_max": [np.nan, np.nan, 0.96, 0.86],
        }
    )
    table = report.fold_table(results)
    assert list(table["model"]) == ["b", "a"]
    assert table.loc[0, "mean"] == pytest.approx(0.9)
    assert table.loc[0, "load1, last 5 epochs"] == "0.800 to 0.860"
    assert table.loc[1, "load0, last 5 epochs"] == ""
    # A model with a fold still to run has no mean.
    partial = report.fold_table(results.drop(index=2))
    assert partial.set_index("model").loc["b", "mean"] == ""
    assert list(partial["model"]) == ["a", "b"]


def key_of(estimator, groups=None, model="mlp", family="deep") -> str:
    """The record key of ``estimator`` on the first leave-one-load-out fold."""
    problem = cwru_problem("lolo")
    return store.fit_key(
        model=model,
        behaviour=family,
        estimator=estimator,
        protocol="lolo",
        dataset="CWRU",
        seed=0,
        fold=problem.folds[0],
        fit_groups=groups,
    )


def test_record_key_follows_the_settings_that_change_results():
    problem = cwru_problem("lolo")
    args = run.parse_args(["--suite", "full", "--max-epochs", "1"])
    short = execute.build("mlp", problem, 0, 100, args)
    args = run.parse_args(["--suite", "full", "--max-epochs", "2"])
    longer = execute.build("mlp", problem, 0, 100, args)
    assert short.max_epochs == 1 and longer.max_epochs == 2
    assert key_of(short) != key_of(longer)
    # Parallelism and device do not change results: same key.
    assert key_of(short) == key_of(short.set_params(device="cpu"))
    # The validation blocks a deep model is given do.
    blocks = problem.fit_groups[:100]
    assert key_of(short, blocks) != key_of(short, blocks[::-1])
    # So does the model's name, and its family's behaviour version.
    assert key_of(short) != key_of(short, model="other")
    before = key_of(short)
    versions = {**behaviour.VERSIONS, "deep": behaviour.VERSIONS["deep"] + 1}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "VERSIONS", versions)
        assert key_of(short) != before


def test_a_new_parameter_at_its_default_keeps_every_key():
    from sklearn.base import BaseEstimator

    class Before(BaseEstimator):
        def __init__(self, depth=3, noise=None):
            self.depth, self.noise = depth, noise

    class After(BaseEstimator):  # the same class, one parameter more
        def __init__(self, depth=3, noise=None, new_option="keep"):
            self.depth, self.noise, self.new_option = depth, noise, new_option

    After.__qualname__ = Before.__qualname__
    for settings in ({}, {"depth": 5}, {"noise": Before(depth=1)}):
        assert store.describe(Before(**settings)) == store.describe(After(**settings))
        assert key_of(Before(**settings), family="features") == key_of(
            After(**settings), family="features"
        )
    # Set away from its default, the new parameter counts.
    assert store.describe(After(new_option="other")) != store.describe(Before())
    # Every benchmark model's key is stable from one build to the next.
    problem = cwru_problem("lolo")
    config = run.parse_args(["--suite", "shift"])
    for name in ("cnn-robust", "vibration", "spectral-rf-scaled", "minirocket"):
        builds = [execute.build(name, problem, 0, 100, config) for _ in range(2)]
        assert store.describe(builds[0]) == store.describe(builds[1])


def test_moving_a_class_between_private_modules_keeps_every_key():
    from sklearn.ensemble import RandomForestClassifier

    from tsclf.compose import JointLabelClassifier

    model = JointLabelClassifier(RandomForestClassifier(n_estimators=7))
    described, key = store.describe(model), key_of(model, family="features")
    assert described["class"] == "tsclf.compose.JointLabelClassifier"
    assert described["estimator"]["class"] == "sklearn.ensemble.RandomForestClassifier"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(JointLabelClassifier, "__module__", "tsclf.compose._moved")
        assert store.describe(model) == described
        assert key_of(model, family="features") == key
    # A class no public module hands out keeps its own module's name.
    assert store.public_name(store.Store) == "benchmarks.store.Store"
    local = type("Local", (), {"__module__": "tsclf._nowhere"})
    assert store.public_name(local) == "tsclf._nowhere.Local"


def test_ucr_settings_follow_dl4tsc_for_tiny_training_sets():
    context = Context(1.0, 0, 1, "cpu", "full", "ucr", n_train=50)
    resnet = MODELS["resnet"].build(context)
    assert resnet.batch_size == 5 and resnet.validation is None
    quick = MODELS["resnet"].build(
        Context(1.0, 0, 1, "cpu", "quick", "lolo", n_train=2000)
    )
    assert quick.max_epochs == 3


def test_fcn_is_dl4tsc_fcn_at_full_resolution():
    import torch

    context = Context(1.0, 0, 1, "cpu", "full", "ucr", n_train=12)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 1, 40)), np.repeat(["a", "b"], 6)
    network = MODELS["fcn"].build(context).set_params(max_epochs=1).fit(X, y)
    network = network.net_.module_
    convolutions = [m for m in network.modules() if isinstance(m, torch.nn.Conv1d)]
    shapes = [(conv.out_channels, conv.kernel_size[0]) for conv in convolutions]
    assert shapes == [(128, 8), (256, 5), (128, 3)]
    dropouts = [m.p for m in network.modules() if isinstance(m, torch.nn.Dropout)]
    assert not any(dropouts)
    before_average = network.features[:-3]  # average, flatten, dropout
    assert before_average(torch.zeros(2, 1, 40)).shape == (2, 128, 40)


def test_published_gaps():
    results = pd.DataFrame(
        {
            "dataset": ["GunPoint", "GunPoint", "ArrowHead"],
            "model": ["resnet", "resnet", "cnn"],
            "acc_class": [0.98, 0.99, 0.8],
        }
    )
    gaps = report.published_gaps(results)
    assert len(gaps) == 1  # cnn has no published twin
    row = gaps.iloc[0]
    assert row["published"] == pytest.approx(0.991)
    assert row["gap (points)"] == pytest.approx(100 * (0.985 - 0.991))


def test_verbose_runs_print_deep_epochs_and_leave_pipelines_alone(tmp_path, capsys):
    # -v used to call Pipeline.set_params(verbose=1) on the classical models.
    args = ["--models", "spectral-rf", "mlp", "--folds", "load0", "--n-jobs", "1"]
    results = run.main([*args, "--max-epochs", "1", "-v", "--results", str(tmp_path)])
    assert sorted(results["model"]) == ["mlp", "spectral-rf"]
    assert "train_loss" in capsys.readouterr().out


def test_result_columns_are_identifiers(tmp_path):
    results = run.main(
        ["--models", "spectral-rf", "--n-jobs", "1", "--results", str(tmp_path)]
    )
    written = pd.read_csv(tmp_path / "quick" / "results.csv")
    assert all(column.isidentifier() for column in written.columns), written.columns
    assert len(results) == 3
    # Every record names the CPU that timed it and the threads it had.
    from benchmarks.outputs import cpu

    assert set(results["host"]) == {cpu()}
    assert (results["threads"] >= 1).all()
    summary = (tmp_path / "quick" / "summary.md").read_text()
    threads = results["threads"].iloc[0]
    assert f"Timed on: {cpu()}, {threads} thread(s): 3 fits." in summary


def test_record_key_follows_a_changed_scheduler_and_list_items():
    import functools

    from torch.optim.lr_scheduler import ReduceLROnPlateau

    from tsclf.augmentation import AdditiveNoise

    problem = cwru_problem("lolo")
    config = run.parse_args(["--suite", "shift"])
    estimator = execute.build("cnn", problem, 0, 100, config)
    before = key_of(estimator)
    other = functools.partial(ReduceLROnPlateau, factor=0.5, patience=4)
    assert key_of(estimator.set_params(lr_scheduler=other)) != before
    # A transform in a list setting counts with the settings it changes.
    robust = execute.build("cnn-robust", problem, 0, 100, config)
    before = key_of(robust)
    transforms = [
        t.set_params(p=t.p / 2) if isinstance(t, AdditiveNoise) else t
        for t in robust.augmentation
    ]
    assert key_of(robust.set_params(augmentation=transforms)) != before


def test_point_labels_of_the_time_figure_do_not_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from benchmarks.report import plot_accuracy_vs_fit_time

    # Five models within a hair of each other: their labels would pile up.
    results = pd.DataFrame(
        {
            "model": [f"model-{i}" for i in range(5)],
            "family": ["deep"] * 5,
            "joint_acc": [0.900, 0.901, 0.902, 0.9005, 0.9015],
            "fit_s": [100.0, 101.0, 102.0, 100.5, 101.5],
        }
    )
    figure = plot_accuracy_vs_fit_time(results, "joint_acc", "crowded")
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [text.get_window_extent(renderer) for text in figure.axes[0].texts]
    assert len(boxes) == 5
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])


def test_the_store_appends_reads_back_and_prunes_superseded_records(tmp_path):
    path = tmp_path / "suite.jsonl.gz"
    writer, reader = store.Store(path), store.Store(path)
    writer.put("CWRU/lolo/cnn/load0/seed0/old", {"joint_acc": 0.5})
    writer.put("CWRU/lolo/cnn/load0/seed0/new", {"joint_acc": 0.6})
    writer.put("CWRU/lolo/cnn/load1/seed0/other", {"joint_acc": 0.7})
    # Another process's store reads what was appended since its last read.
    assert len(reader) == 3
    writer.put("CWRU/lolo/cnn/load0/seed0/new", {"joint_acc": 0.65})
    reader.sync()
    assert reader.get("CWRU/lolo/cnn/load0/seed0/new") == {"joint_acc": 0.65}
    # The old digest of a current unit goes; a unit no key names stays.
    assert reader.prune_superseded(["CWRU/lolo/cnn/load0/seed0/new"]) == 1
    fresh = store.Store(path)
    assert sorted(key.rsplit("/", 3)[-3] for key in fresh) == [
        "load0",
        "load1",
    ]
