"""A Pipeline whose steps adapt to a new domain's unlabelled data."""

from __future__ import annotations

from sklearn.pipeline import Pipeline
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from tsclf.utils.adaptation import adapt_in_sequence, can_adapt


def _some_step_adapts(pipeline: AdaptivePipeline) -> bool:
    return any(can_adapt(step) for _, step in pipeline.steps)


class AdaptivePipeline(Pipeline):
    """A :class:`~sklearn.pipeline.Pipeline` with an ``adapt`` method.

    ``adapt(X_new)`` passes unlabelled data of a new domain (another
    machine, sensor or acquisition chain) through the fitted steps and
    calls ``adapt`` on every step that has one, each on ``X_new`` as the
    steps before it transform it (those before it already adapted), also
    where it sits inside a nested Pipeline or FeatureUnion: an
    :class:`~tsclf.transformers.AdaptiveScaler` re-estimates its feature
    statistics, a deep estimator its BatchNorm statistics. Nothing else
    changes: no label is needed and no weight or tree is refitted.
    ``fit``, ``predict`` and every other method are the Pipeline's.

    Parameters
    ----------
    steps : list of (str, estimator)
    memory : str or object with the joblib.Memory interface, default=None
    transform_input : list of str, default=None
    verbose : bool, default=False
        As for :class:`~sklearn.pipeline.Pipeline`.

    See Also
    --------
    tsclf.transformers.AdaptiveScaler : The feature scaler that adapts.

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from tsclf.compose import AdaptivePipeline
    >>> from tsclf.datasets import load_cwru_windows
    >>> from tsclf.transformers import AdaptiveScaler, BandEnergies
    >>> windows = load_cwru_windows()
    >>> X, y = windows.X[::4], windows.y["location"].to_numpy()[::4]
    >>> model = AdaptivePipeline(
    ...     [
    ...         ("bands", BandEnergies(sampling_rate=12000)),
    ...         ("scale", AdaptiveScaler()),
    ...         ("forest", RandomForestClassifier(random_state=0)),
    ...     ]
    ... ).fit(X[::2], y[::2])

    The other windows through a sensor three times as sensitive (+2.2 in
    every log band):

    >>> X_new, y_new = 3.0 * X[1::2], y[1::2]
    >>> float((model.predict(X_new) == y_new).mean().round(3))
    0.375
    >>> float((model.adapt(X_new).predict(X_new) == y_new).mean())
    1.0
    """

    @available_if(_some_step_adapts)
    def adapt(self, X) -> AdaptivePipeline:
        """Adapt every step that can to a new domain's unlabelled data.

        Parameters
        ----------
        X : array-like
            Input of the new domain, as for ``predict``.

        Returns
        -------
        self : AdaptivePipeline
        """
        check_is_fitted(self)
        adapt_in_sequence([step for _, step in self.steps], X)
        return self
