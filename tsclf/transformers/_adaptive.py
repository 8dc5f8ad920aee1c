"""A feature scaler that re-estimates its statistics on a new domain."""

from __future__ import annotations

from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data


class AdaptiveScaler(StandardScaler):
    """Standardise features, and re-estimate the statistics on a new domain.

    A :class:`~sklearn.preprocessing.StandardScaler` with one more method:
    ``adapt(X_new)`` replaces the mean and scale learnt in ``fit`` by those
    of unlabelled data from the machine the model now runs on, so that
    every later ``transform`` centres (and scales) each feature on that
    machine's own statistics. It is the feature-pipeline counterpart of the
    deep estimators' ``adapt`` (which re-estimates BatchNorm statistics);
    in a :class:`~tsclf.compose.AdaptivePipeline`, ``adapt`` reaches it
    through the steps before it.

    On log band energies (:class:`BandEnergies`,
    :class:`EnvelopeSpectrum`) this removes what another transfer path
    does to them: a sensor elsewhere on the machine, another mounting or
    acquisition chain multiplies the spectrum by its transfer function,
    which adds a constant to each band's log energy. Centring each band on
    the new machine's mean takes that constant away.

    Adapt to data that cover the new machine's conditions and classes in
    proportions like the training data's: the statistics of windows that
    are all one kind of fault carry that label, and centring removes it.

    Parameters
    ----------
    copy : bool, default=True
    with_mean : bool, default=True
    with_std : bool, default=True
        As for :class:`~sklearn.preprocessing.StandardScaler`.

    Attributes
    ----------
    mean_, scale_, var_, n_samples_seen_, n_features_in_
        As for :class:`~sklearn.preprocessing.StandardScaler`: those of the
        training data after ``fit``, of the new domain after ``adapt``.
    adapted_ : bool
        Whether the statistics are a new domain's (``adapt``) rather than
        the training data's (``fit``).

    See Also
    --------
    tsclf.compose.AdaptivePipeline : Adapts every step that can.

    Examples
    --------
    >>> import numpy as np
    >>> from tsclf.transformers import AdaptiveScaler
    >>> rng = np.random.default_rng(0)
    >>> train = rng.normal(size=(200, 2))
    >>> new_machine = train + [3.0, -1.0]  # another transfer path: offsets
    >>> scaler = AdaptiveScaler().fit(train)
    >>> scaler.transform(new_machine).mean(axis=0).round(1).tolist()
    [3.1, -1.0]
    >>> centred = scaler.adapt(new_machine).transform(new_machine)
    >>> bool(np.allclose(centred.mean(axis=0), 0.0)), scaler.adapted_
    (True, True)
    """

    def fit(self, X, y=None, sample_weight=None) -> AdaptiveScaler:
        """Learn the training data's mean and scale.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : AdaptiveScaler
        """
        super().fit(X, y, sample_weight=sample_weight)
        self.adapted_ = False
        return self

    def adapt(self, X) -> AdaptiveScaler:
        """Re-estimate the mean and scale on a new domain's unlabelled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features of the new domain, at least 2 samples, with as many
            features as in ``fit``.

        Returns
        -------
        self : AdaptiveScaler
        """
        check_is_fitted(self)
        # One sample has no spread: its "statistics" would centre every
        # feature on that sample alone.
        validate_data(
            self, X, reset=False, accept_sparse=("csr", "csc"), ensure_min_samples=2
        )
        super().fit(X)
        self.adapted_ = True
        return self
