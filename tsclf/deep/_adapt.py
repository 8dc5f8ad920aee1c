"""Test-time adaptation: re-estimating a fitted model's normalisation.

Kept apart from the training engine: ``adapt`` runs after ``fit``, on
unlabelled windows of the domain a model is deployed to.
"""

from __future__ import annotations

import torch
from sklearn.utils.validation import check_is_fitted

from tsclf.deep._forward import recompute_batchnorm
from tsclf.utils.adaptation import adapt_fitted, can_adapt


class TestTimeAdaptationMixin:
    """Adds ``adapt`` to a deep estimator: AdaBN on new-domain windows.

    A preprocessor that adapts (one with an ``adapt`` method, or a
    pipeline or union holding such a step) adapts first.

    Relies on the estimator's fitted ``net_`` and its ``_validate_X`` and
    ``_transform_input``, so new windows are checked and preprocessed
    exactly as in ``predict``.
    """

    def adapt(self, X, y=None) -> TestTimeAdaptationMixin:
        """Re-estimate the model's normalisation statistics on new-domain data.

        Adaptive batch normalisation (AdaBN, Li et al. 2016): every BatchNorm
        layer's running mean and variance are recomputed on ``X`` (through
        :func:`torch.optim.swa_utils.update_bn`), the weights are left as
        trained. The fitted ``preprocessor``'s steps that have an ``adapt``
        method (an :class:`~tsclf.transformers.AdaptiveScaler` or a
        :class:`~tsclf.monitoring.ShiftMonitor`, in a pipeline or not) adapt
        first, so
        the network's statistics are taken on what it now passes on. Call
        it with unlabelled windows of the machine, sensor or condition the
        model will run on, then ``predict`` there. ``predict`` itself stays
        independent of the batch it is given.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timepoints)
            Unlabelled windows of the new domain, at least 2.
        y : None
            Ignored.

        Returns
        -------
        self : estimator
            Adapted in place; refitting undoes it.

        Raises
        ------
        ValueError
            If the network has no BatchNorm layer and the preprocessor
            cannot adapt, so there is nothing to adapt.

        Notes
        -----
        The statistics absorb whatever ``X`` holds, the machine and its
        label mix alike. Adapt to windows that cover the states the machine
        runs in (a new sensor on a machine seen healthy and faulty), not to
        windows of one kind of fault: in tsclf's shift suite adapting lifts
        cross-sensor joint accuracy by 17 to 24 points and lowers leave one
        fault size out, where the new windows are one fault size's
        recordings (see the benchmark page).

        Examples
        --------
        >>> from tsclf.classification import CNNClassifier
        >>> from tsclf.datasets import make_spike_anomaly
        >>> X, y = make_spike_anomaly(n_samples=60, random_state=0)
        >>> clf = CNNClassifier(max_epochs=2, random_state=0).fit(X, y)
        >>> clf.adapt(2.0 * X + 1.0).predict(X[:3]).shape
        (3,)
        """
        check_is_fitted(self, "net_")
        norms = torch.nn.modules.batchnorm._BatchNorm
        has_norms = any(isinstance(m, norms) for m in self.net_.module_.modules())
        preprocessor_adapts = can_adapt(self.preprocessor_)
        if not (has_norms or preprocessor_adapts):
            raise ValueError(
                f"{type(self).__name__}'s network ({type(self.net_.module_).__name__})"
                " has no BatchNorm layer and no step of its preprocessor adapts: "
                "adapt has no statistics to re-estimate."
            )
        X = self._validate_X(X, reset=False)
        if X.shape[0] < 2:
            raise ValueError("adapt needs at least 2 windows, got 1.")
        if preprocessor_adapts:
            adapt_fitted(self.preprocessor_, X)
        if has_norms:
            recompute_batchnorm(self.net_, self._transform_input(X))
        return self
