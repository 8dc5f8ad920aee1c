"""Warnings tsclf raises, each a class of its own so that it can be filtered."""

from __future__ import annotations


class UngroupedValidationWarning(UserWarning):
    """A deep estimator validated on windows held out at random.

    Raised by ``fit`` when ``validation`` holds out a share of the windows
    (``"auto"`` or a float) and ``fit`` got no ``groups``. Windows cut from
    one recording are near-copies of each other, so early stopping and the
    best-epoch restore then judge the network on recordings it trains on.

    The remedies: pass ``groups`` (recording ids) to ``fit``; inside
    ``GridSearchCV`` or ``cross_validate``, enable scikit-learn's metadata
    routing, under which tsclf's deep estimators request ``groups`` by
    default; or give ``validation`` a splitter of your choice. When every
    sample is an independent series (most UCR sets), the random hold-out is
    sound and the warning can be silenced::

        import warnings
        from tsclf.exceptions import UngroupedValidationWarning
        warnings.filterwarnings("ignore", category=UngroupedValidationWarning)

    Examples
    --------
    >>> import warnings
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> from tsclf.exceptions import UngroupedValidationWarning
    >>> X, y = make_spike_anomaly(n_samples=40, random_state=0)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = CNNClassifier(max_epochs=1, random_state=0).fit(X, y)
    >>> [w.category.__name__ for w in caught]
    ['UngroupedValidationWarning']
    """


class NoValidationWarning(UserWarning):
    """A deep estimator asked to validate found nothing to hold out.

    Raised by ``fit`` when ``validation`` is set but the data allow no
    hold-out (fewer than 4 samples, a single group, or no split leaving two
    training samples and one validation sample): training then runs without
    validation, and early stopping, the best-epoch restore and the scheduler
    watch the training loss. Pass more groups, or ``validation=None`` to say
    so explicitly.
    """


class ThreadedFitWarning(UserWarning):
    """Deep fits ran at the same time in threads of one process.

    torch draws weight initialisation and dropout from one global random
    generator per process, so fits overlapping in threads (joblib's
    threading backend, dask workers that are threads) interleave their
    draws: with ``random_state`` set, their results are still not
    reproducible. Raised at the end of each overlapping fit. Run parallel
    fits in processes (joblib's default backend, dask worker processes).
    """


class EmulatedPrecisionWarning(UserWarning):
    """bfloat16 was asked for on a CPU that has no native bfloat16 kernels.

    Without AVX512-BF16 or AMX-BF16 (``lscpu | grep bf16``), torch emulates
    bfloat16 arithmetic on the CPU: training runs, often no faster than
    float32 and less precisely. Raised by ``fit`` with
    ``precision="bfloat16"`` on such a CPU (Linux, where the flags are
    known); use ``precision="float32"`` there.
    """


class DivergenceError(FloatingPointError):
    """Training diverged: the loss or a weight of the network is not finite.

    Raised by ``fit`` of a deep estimator at the end of the first epoch
    whose training or validation loss, or any network parameter, is NaN or
    infinite, rather than returning a model that predicts NaN. The message
    names the epoch and the settings most likely at fault (a learning rate
    too high, extreme task or class weights, inputs of huge amplitude
    without a preprocessor).

    Examples
    --------
    >>> from tsclf.classification import CNNClassifier
    >>> from tsclf.datasets import make_spike_anomaly
    >>> from tsclf.exceptions import DivergenceError
    >>> X, y = make_spike_anomaly(n_samples=40, random_state=0)
    >>> try:
    ...     CNNClassifier(lr=1e30, gradient_clip=None, validation=None).fit(X, y)
    ... except DivergenceError as error:
    ...     print(str(error)[:26], "...")
    Training diverged in epoch ...
    """


__all__ = [
    "DivergenceError",
    "EmulatedPrecisionWarning",
    "NoValidationWarning",
    "ThreadedFitWarning",
    "UngroupedValidationWarning",
]


class InputShiftWarning(UserWarning):
    """Series given to a fitted model lie outside the range of its training data.

    Raised by :class:`tsclf.monitoring.ShiftMonitor` (a pipeline step, or a
    step of a deep estimator's ``preprocessor``) at ``transform``, that is
    at ``predict``, when a batch holds many more series far from the
    training data than series like them would. Models answer such input
    without complaint, and often wrongly: on CWRU a network trained on the
    drive-end accelerometer predicts nearly one class on the fan-end one.

    What to do: check that the new data are what the model was trained on
    (sensor, position, sampling rate, units, scaling). If they come from
    another machine or sensor, adapt the model to unlabelled data of it
    (``adapt`` of a deep estimator or of an
    :class:`~tsclf.compose.AdaptivePipeline`, which also makes that data
    the monitor's reference), label some of it and retrain, or treat the
    predictions as unreliable. To log rather than warn, call the monitor's
    ``check`` and read its report; to silence the warning::

        import warnings
        from tsclf.exceptions import InputShiftWarning
        warnings.filterwarnings("ignore", category=InputShiftWarning)
    """
