"""The shift suite: its protocols, the robustness pieces it compares, its tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GroupShuffleSplit

pytest.importorskip("matplotlib")
pytest.importorskip("psutil")

from benchmarks import report, suites
from benchmarks.measure import run_fold
from benchmarks.models import MODELS, Context, build_estimator
from benchmarks.protocols import Problem, cwru_problem
from tsclf.classification import MLPClassifier, SeedEnsembleClassifier
from tsclf.datasets import load_cwru_windows
from tsclf.model_selection import LeaveOneConditionOut, assert_no_leakage


def test_a_model_can_validate_on_a_whole_motor_load():
    recordings = load_cwru_windows().metadata.groupby("recording")["load_hp"].first()
    for protocol in ("lolo", "loso"):
        problem = cwru_problem(protocol)
        normal = problem.y[:, 0] == "normal"
        # Fault windows carry their recording's load; each block of the lone
        # normal recording gets a load of its own.
        faults = pd.Series(problem.groups[~normal]).map(recordings)
        np.testing.assert_array_equal(problem.loads[~normal], faults)
        per_block = pd.Series(problem.loads[normal]).groupby(problem.groups[normal])
        assert (per_block.nunique() == 1).all()
        assert sorted(per_block.first()) == [0, 1, 2]
        for _, train, _ in problem.folds:
            loads = problem.model_fit_groups(train, validate_on="load")
            np.testing.assert_array_equal(loads, problem.loads[train])
            np.testing.assert_array_equal(
                problem.model_fit_groups(train), problem.fit_groups[train]
            )
    with pytest.raises(ValueError, match="validate_on='recording'"):
        problem.model_fit_groups(train, validate_on="recording")
    without = Problem("X", "ucr", problem.X, problem.y, problem.tasks)
    with pytest.raises(ValueError, match="no load per window"):
        without.model_fit_groups(train, validate_on="load")


def test_each_window_names_its_bearing_and_a_search_can_hold_one_out():
    for protocol in ("lolo", "loso"):
        problem = cwru_problem(protocol)
        normal = problem.y[:, 0] == "normal"
        # A fault window's bearing is its fault size; each block of the lone
        # normal recording stands beside one of the three bearings.
        np.testing.assert_array_equal(problem.bearings[~normal], problem.y[~normal, 2])
        per_block = pd.Series(problem.bearings[normal]).groupby(problem.groups[normal])
        assert (per_block.nunique() == 1).all()
        assert sorted(per_block.first()) == ["007", "014", "021"]
    # Leaving a size out, the test fold is one bearing, normal block included.
    for name, train, test in problem.folds:
        assert set(problem.bearings[test]) == {name.removeprefix("size")}
        held = problem.model_fit_groups(train, "bearing", deep=False)
        np.testing.assert_array_equal(held, problem.bearings[train])
    # Classical models get no groups unless their search holds something out.
    assert problem.model_fit_groups(train, deep=False) is None
    without = Problem("X", "ucr", problem.X, problem.y, problem.tasks)
    with pytest.raises(ValueError, match="no bearing per window"):
        without.model_fit_groups(train, validate_on="bearing")


def test_the_selected_spectral_forest_chooses_its_bands_on_a_held_out_bearing():
    spec = MODELS["spectral-rf-selected"]
    assert spec.validate_on == "bearing" and spec.family == "classical"
    lolo = cwru_problem("lolo")
    _, train, test = lolo.folds[0]
    rng = np.random.default_rng(0)
    train = np.sort(rng.choice(train, 300, replace=False))
    test = np.sort(rng.choice(test, 60, replace=False))
    context = Context(lolo.sampling_rate, 0, 1, "cpu", "shift", "lolo", len(train))
    search = spec.build(context)
    bearings = lolo.bearings[train]
    # Every inner split holds one whole bearing out of training.
    for fit, valid in search.cv.split(lolo.X[train], None, bearings):
        assert len(set(bearings[valid])) == 1
        assert not set(bearings[valid]) & set(bearings[fit])
    row = run_fold(search, lolo, train, test, deep=False, validate_on="bearing")
    grid = search.param_grid["featureunion__envelopespectrum__n_bands"]
    assert search.n_splits_ == 3 and len(search.cv_results_["params"]) == len(grid)
    chosen = search.cv_results_["params"][
        int(np.argmax(search.cv_results_["mean_test_accuracy_location"]))
    ]
    assert row["selected"] == chosen == search.best_params_


@pytest.mark.parametrize(
    "model, validate_on, drawn",
    [
        ("cnn-spectrogram-mix-val-load", "load", {1, 2}),
        ("cnn-spectrogram-mix-val-bearing", "bearing", {"007", "014", "021"}),
    ],
)
def test_validating_on_a_condition_holds_one_whole_condition_out(
    model, validate_on, drawn
):
    problem = cwru_problem("lolo")
    _, train, _ = problem.folds[0]
    assert MODELS[model].validate_on == validate_on
    held_out = set()
    for seed in range(6):
        context = Context(12000.0, seed, 1, "cpu", "shift", "lolo", len(train))
        estimator = MODELS[model].build(context)
        groups = problem.model_fit_groups(train, validate_on=validate_on)
        ((fit, valid),) = estimator.validation.split(problem.X[train], None, groups)
        assert len(set(groups[valid])) == 1
        assert not set(groups[valid]) & set(groups[fit])
        held_out |= set(groups[valid])
    # The seed draws which training load or bearing is held out.
    assert held_out == drawn


def test_a_seed_ensemble_is_capped_and_reports_its_members_epochs():
    context = Context(12000.0, 3, 1, "cpu", "shift", "lolo", 100)
    ensemble = build_estimator(
        "cnn-spectrogram-mix-ensemble", context, max_epochs=2, verbose=1
    )
    assert isinstance(ensemble, SeedEnsembleClassifier)
    assert ensemble.n_estimators == 5 and ensemble.random_state == 3
    assert ensemble.estimator.max_epochs == 2 and ensemble.estimator.verbose == 1
    lolo = cwru_problem("lolo")
    rng = np.random.default_rng(0)
    _, train, test = lolo.folds[0]
    train = np.sort(rng.choice(train, 200, replace=False))
    test = np.sort(rng.choice(test, 50, replace=False))
    members = MLPClassifier(max_epochs=2, early_stopping_patience=None)
    small = SeedEnsembleClassifier(members, n_estimators=2, random_state=0)
    row = run_fold(small, lolo, train, test, deep=True)
    assert row["epochs"] == 2.0 and row["device"] == "cpu"


def test_leave_one_size_out_never_shares_a_bearing():
    loso = cwru_problem("loso")
    assert [name for name, _, _ in loso.folds] == ["size007", "size014", "size021"]
    sizes = loso.y[:, 2]
    normal = loso.y[:, 0] == "normal"
    for name, train, test in loso.folds:
        held_out = name.removeprefix("size")
        assert set(sizes[test]) == {held_out, "n/a"}
        assert held_out not in set(sizes[train])
        assert_no_leakage(train, test, loso.groups)
        # A block of the normal recording on each side.
        assert normal[train].any() and normal[test].any()


def test_cross_sensor_trains_on_one_end_and_tests_on_the_other(shared_cwru):
    problem = cwru_problem("cross-sensor")
    (_, de, fe), (_, fe_again, de_again) = problem.folds
    np.testing.assert_array_equal(de, de_again)
    np.testing.assert_array_equal(fe, fe_again)
    # The same windows of the same recordings, through two sensors.
    np.testing.assert_array_equal(problem.groups[de], problem.groups[fe])
    np.testing.assert_array_equal(problem.y[de], problem.y[fe])
    assert not np.allclose(problem.X[de], problem.X[fe])
    # The drive end is the embedded copy, bit for bit.
    embedded = load_cwru_windows()
    np.testing.assert_array_equal(problem.X[de], embedded.X)
    np.testing.assert_array_equal(problem.groups[de], embedded.groups)


def test_the_shift_suite_runs_three_seeds_on_every_shift_protocol():
    units = suites.plan_units("shift")
    protocols = {protocol for protocol, *_ in units}
    assert protocols == {"lolo", "cross-sensor", "loso"}
    for model in ("minirocket", "spectral-rf", "cesium-rf", "cnn", "resnet", "lite"):
        for protocol in protocols:
            seeds = {s for p, _, m, s in units if p == protocol and m == model}
            assert seeds == {0, 1, 2}
    # The other suites keep one seed on CWRU.
    assert {seed for *_, seed in suites.plan_units("quick")} == {0}
    assert suites.plan_units("quick", models=("cnn",)) == [("lolo", "CWRU", "cnn", 0)]


def test_shift_table_gives_each_protocol_its_headline_score():
    rows = []
    for protocol, metric in (("lolo", "joint_acc"), ("loso", "acc_location")):
        for seed, value in enumerate((0.8, 0.9)):
            rows.append(
                {
                    "model": "m",
                    "protocol": protocol,
                    "seed": seed,
                    "fold": "f",
                    "joint_acc": value if metric == "joint_acc" else 0.0,
                    "acc_location": value,
                    "fit_s": 2.0,
                    "predict_windows_per_s": 100.0,
                }
            )
    table = report.shift_table(pd.DataFrame(rows), {"loso": "acc_location"})
    assert table.loc[0, "lolo (joint_acc)"] == "0.850 ± 0.071 (2)"
    assert table.loc[0, "loso (acc_location)"] == "0.850 ± 0.071 (2)"
    assert table.loc[0, "fit_s"] == 2.0 and "fit_s (cuda)" not in table
    # A seed with a fold still to run is left out; with no complete seed the
    # cell says how many folds its mean covers.
    second_fold = {"fold": "g", "joint_acc": 0.2, "acc_location": 0.2}
    more = [{**rows[0], **second_fold}, {**rows[0], **second_fold, "model": "n"}]
    more.append({**rows[0], "model": "n"})
    table = report.shift_table(pd.DataFrame(rows + more), {}).set_index("model")
    assert table.loc["m", "lolo (joint_acc)"] == "0.500 (1)"  # seed 0's two folds
    assert table.loc["n", "lolo (joint_acc)"] == "0.500 (1)"
    lone = {**rows[0], "model": "p"}
    table = report.shift_table(pd.DataFrame(rows + more + [lone]), {})
    assert table.set_index("model").loc["p", "lolo (joint_acc)"] == (
        "0.800 (1 of 2 folds)"
    )
    # Fit times on a GPU are kept apart from the CPU's.
    for row in rows[:2]:
        row |= {"device": "cuda", "fit_s": 0.5, "predict_windows_per_s": 1000.0}
    table = report.shift_table(pd.DataFrame(rows), {"loso": "acc_location"})
    assert table.loc[0, "fit_s"] == 2.0 and table.loc[0, "fit_s (cuda)"] == 0.5
    assert table.loc[0, "predict_windows_per_s (cuda)"] == 1000.0


def test_ablation_table_pairs_seeds_that_ran_every_fold():
    scores = {  # (model, seed) -> per-fold joint accuracy
        ("base", 0): (0.5, 0.7),
        ("base", 1): (0.6, 0.6),
        ("base", 2): (0.9, 0.9),
        ("new", 0): (0.7, 0.9),
        ("new", 1): (0.9, 0.9),
        ("new", 2): (0.1,),  # a fold still to run: seed 2 is left out
        ("other", 0): (0.5, 0.5),
    }
    rows = [
        {"model": m, "seed": s, "protocol": "lolo", "fold": f"f{i}", "joint_acc": v}
        for (m, s), values in scores.items()
        for i, v in enumerate(values)
    ]
    steps = (
        ("base", "new", "a change"),
        ("base", "never-ran", "not run"),
        ("new", "other", "one seed"),
    )
    table = report.ablation_table(pd.DataFrame(rows), steps, {})
    assert table["change"].tolist() == ["a change", "one seed"]
    assert table.loc[0, "models"] == "base → new"
    # Gains per seed: +0.2 and +0.3.
    assert table.loc[0, "lolo (joint_acc)"] == "+0.250 ± 0.071 (2)"
    assert table.loc[1, "lolo (joint_acc)"] == "-0.300 (1)"


def test_every_model_builds_clones_and_names_a_known_validation():
    from sklearn.base import clone

    from benchmarks.protocols import VALIDATION_GROUPS

    context = Context(12000.0, 0, 1, "cpu", "shift", "loso", 100)
    for name, spec in MODELS.items():
        estimator = spec.build(context)
        assert spec.validate_on in VALIDATION_GROUPS, name
        assert clone(estimator).get_params().keys() == estimator.get_params().keys()
        # A model that gets loads or bearings as groups hands them to a
        # splitter that holds out whole groups; the others keep the default.
        params = estimator.get_params()
        splitter = params.get("validation", params.get("cv"))
        by_group = isinstance(splitter, GroupShuffleSplit | LeaveOneConditionOut)
        assert by_group == (spec.validate_on != "blocks"), name


def test_the_spectral_mlp_reads_the_forests_features_as_one_series():
    loso = cwru_problem("loso")
    _, train, test = loso.folds[0]
    rng = np.random.default_rng(0)
    train = np.sort(rng.choice(train, 200, replace=False))
    context = Context(loso.sampling_rate, 0, 1, "cpu", "shift", "loso", len(train))
    mlp = build_estimator("mlp-spectral", context, max_epochs=1)
    mlp.fit(loso.X[train], loso.y[train], groups=loso.fit_groups[train])
    # 32 FFT bands and 20 envelope bands, one channel.
    assert mlp.net_.module_.trunk[1].in_features == 52
    assert mlp.predict(loso.X[test[:5]]).shape == (5, 3)


def test_every_ablation_step_pairs_two_models_of_the_suite():
    for step in suites.ABLATION_STEPS:
        assert len(step) == 3, step  # (base, variant, what changed)
        base, variant, change = step
        assert base in MODELS and variant in MODELS and isinstance(change, str)


def test_protocols_are_one_registry_that_every_reader_follows():
    from benchmarks import protocols
    from benchmarks.studies import shift_monitor, vibration_selection

    assert set(protocols.HEADLINE) == set(protocols.PROTOCOLS)
    assert protocols.HEADLINE["loso"] == "acc_location"
    assert protocols.SHIFT_PROTOCOLS == ("cross-sensor", "loso")
    assert protocols.SHIFT_SUITE == ("lolo", "cross-sensor", "loso")
    # The studies read the registry instead of spelling protocols out.
    for study in (shift_monitor, vibration_selection):
        assert study.SHIFT_SUITE is protocols.SHIFT_SUITE
    # A new entry is all a protocol takes: here, one fault size held out
    # under the name of another protocol, with its own fold prefix.
    extra = protocols.Protocol(
        "one-size-out",
        "leave one fault size out",
        folds=protocols.leave_one_condition_out,
        condition=("fault_size", "held"),
    )
    problem = extra.load("CWRU")
    assert [name for name, _, _ in problem.folds] == [
        "held007",
        "held014",
        "held021",
    ]
    assert problem.protocol == "one-size-out"
