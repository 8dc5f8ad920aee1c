from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score, f1_score

from tsclf.metrics import joint_accuracy, mean_task_score, multitask_scoring, task_score

Y_TRUE = np.array(
    [
        ["fault", "IR", "007"],
        ["fault", "B", "014"],
        ["normal", "n/a", "n/a"],
        ["fault", "OR", "021"],
        ["fault", "IR", "014"],
        ["normal", "n/a", "n/a"],
    ]
)
Y_PRED = np.array(
    [
        ["fault", "IR", "007"],
        ["fault", "IR", "014"],
        ["normal", "n/a", "n/a"],
        ["fault", "OR", "007"],
        ["normal", "n/a", "n/a"],
        ["fault", "B", "021"],
    ]
)


@pytest.mark.parametrize("task", [0, 1, 2])
def test_task_scores_equal_sklearn(task):
    assert task_score(Y_TRUE, Y_PRED, task=task) == accuracy_score(
        Y_TRUE[:, task], Y_PRED[:, task]
    )
    assert task_score(Y_TRUE, Y_PRED, task=task, metric="f1_macro") == f1_score(
        Y_TRUE[:, task], Y_PRED[:, task], average="macro"
    )


def test_hand_computed_values():
    assert task_score(Y_TRUE, Y_PRED, task=0) == pytest.approx(4 / 6)
    assert task_score(Y_TRUE, Y_PRED, task=1) == pytest.approx(3 / 6)
    assert joint_accuracy(Y_TRUE, Y_PRED) == pytest.approx(2 / 6)
    assert mean_task_score(Y_TRUE, Y_PRED) == pytest.approx((4 / 6 + 3 / 6 + 3 / 6) / 3)
    frame = pd.DataFrame(Y_TRUE, columns=["detection", "location", "size"])
    assert task_score(frame, Y_PRED, task=2) == pytest.approx(3 / 6)


class _Fixed(DummyClassifier):
    """Predicts Y_PRED whatever the input."""

    def predict(self, X):
        return Y_PRED


def test_scoring_dict_drives_estimators():
    scoring = multitask_scoring(
        ["detection", "location", "size"], ("accuracy", "f1_macro")
    )
    estimator = _Fixed().fit(np.zeros((6, 1)), Y_TRUE[:, 0])
    X = np.zeros((6, 1))
    assert scoring["accuracy_location"](estimator, X, Y_TRUE) == pytest.approx(0.5)
    assert scoring["accuracy_joint"](estimator, X, Y_TRUE) == pytest.approx(2 / 6)
    assert scoring["f1_macro_mean"](estimator, X, Y_TRUE) == pytest.approx(
        np.mean(
            [f1_score(Y_TRUE[:, t], Y_PRED[:, t], average="macro") for t in range(3)]
        )
    )
    with pytest.raises(ValueError, match="metric must be one of"):
        multitask_scoring(["a"], ("auc",))


def test_report_equals_sklearn_per_task():
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    from tsclf.metrics import multitask_classification_report

    tasks = ["detection", "location", "size"]
    report = multitask_classification_report(
        pd.DataFrame(Y_TRUE, columns=tasks), pd.DataFrame(Y_PRED, columns=tasks)
    )
    assert report.summary.index.tolist() == tasks
    for column, task in enumerate(tasks):
        true, pred = Y_TRUE[:, column], Y_PRED[:, column]
        row = report.summary.loc[task]
        assert row["accuracy"] == accuracy_score(true, pred)
        for average in ("macro", "weighted"):
            expected = precision_recall_fscore_support(
                true, pred, average=average, zero_division=0.0
            )
            assert row[f"precision_{average}"] == pytest.approx(expected[0])
            assert row[f"recall_{average}"] == pytest.approx(expected[1])
            assert row[f"f1_{average}"] == pytest.approx(expected[2])
        classes = sorted(set(true) | set(pred))
        np.testing.assert_array_equal(
            report.confusion_matrices[task].to_numpy(),
            confusion_matrix(true, pred, labels=classes),
        )
        assert report.per_class[task]["support"].sum() == len(true)
    assert report.joint_accuracy == joint_accuracy(Y_TRUE, Y_PRED) == 2 / 6
    # Hand check: location gets rows 0, 2, 3 right.
    assert report.summary.loc["location", "accuracy"] == pytest.approx(3 / 6)
    text = report.to_text(digits=2)
    assert "Joint accuracy (all tasks right): 0.33" in text
    assert "size: confusion matrix" in text


def test_report_single_task_and_bad_input():
    from tsclf.metrics import multitask_classification_report

    report = multitask_classification_report(["a", "b", "a"], ["a", "a", "a"])
    assert report.joint_accuracy is None
    assert report.summary.index.tolist() == ["task0"]
    assert report.per_class["task0"].loc["b", "recall"] == 0.0
    with pytest.raises(ValueError, match="same shape"):
        multitask_classification_report(Y_TRUE, Y_PRED[:, :2])
    with pytest.raises(ValueError, match="2 task names for 3 label columns"):
        multitask_classification_report(Y_TRUE, Y_PRED, tasks=["a", "b"])


def test_a_named_series_keeps_its_task_name():
    from tsclf.metrics import multitask_classification_report

    y_true = pd.Series(["a", "b", "a"], name="location")
    report = multitask_classification_report(y_true, np.array(["a", "a", "a"]))
    assert report.summary.index.tolist() == ["location"]
