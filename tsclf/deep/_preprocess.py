"""The ``preprocessor`` of a deep estimator: fitted in ``fit``, routed to.

Kept apart from the training engine: what reaches the network is the
preprocessor's output, and under metadata routing the preprocessor gets the
metadata of ``fit`` it asks for (e.g. a
:class:`~tsclf.monitoring.ShiftMonitor` the recordings, to calibrate on
held-out recordings), as a step of a :class:`~sklearn.pipeline.Pipeline`
would.
"""

from __future__ import annotations

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, clone
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
)

from tsclf.datasets import WindowArray
from tsclf.deep._lazy import network_windows


class PreprocessorMixin:
    """Fits, applies and routes metadata to a deep estimator's ``preprocessor``.

    ``fit`` calls ``_transform_input(X, fit=True, groups=..., ...)``: a clone
    of ``preprocessor`` is fitted on the training windows in one
    ``fit_transform`` pass (some steps, such as a ``ShiftMonitor``, treat the
    data they are fitted on differently from data they transform later).
    Later calls transform with the fitted clone. ``preprocessor="auto"``
    stands for :meth:`_auto_preprocessor`, which a subclass may override.
    """

    def _auto_preprocessor(self) -> BaseEstimator:
        """Return what ``preprocessor="auto"`` stands for: per-window scaling."""
        from tsclf.transformers import WindowStandardizer

        return WindowStandardizer()

    def _resolved_preprocessor(self) -> BaseEstimator | None:
        """Return ``preprocessor``, with "auto" resolved."""
        if isinstance(self.preprocessor, str):  # "auto", validated in fit
            return self._auto_preprocessor()
        return self.preprocessor

    def get_metadata_routing(self) -> MetadataRouter:
        """Get the metadata routing of this estimator.

        The estimator consumes ``groups`` (and ``sample_weight``,
        ``conditions`` on request) itself; its ``fit`` also routes to the
        ``preprocessor``'s ``fit_transform`` what that asks for, e.g. after
        ``ShiftMonitor(...).set_fit_request(groups=True)``.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating the routing information.
        """
        router = MetadataRouter(owner=type(self).__name__).add_self_request(self)
        preprocessor = self._resolved_preprocessor()
        if preprocessor is not None:
            router.add(
                preprocessor=preprocessor,
                method_mapping=MethodMapping().add(
                    caller="fit", callee="fit_transform"
                ),
            )
        return router

    def _preprocessor_params(self, metadata: dict) -> dict:
        """Return what the preprocessor asked for of ``fit``'s ``metadata``.

        Nothing without metadata routing, as for a scikit-learn
        meta-estimator. With it, metadata the preprocessor could take but
        has not said whether it wants raises scikit-learn's
        ``UnsetMetadataPassedError``, naming the request to set.
        """
        if not get_config()["enable_metadata_routing"]:
            return {}
        # scikit-learn leaves None values out itself.
        routed = self.get_metadata_routing().route_params(params=metadata, caller="fit")
        return routed["preprocessor"]["fit_transform"]

    def _transform_input(
        self, X: np.ndarray, *, fit: bool = False, **metadata
    ) -> np.ndarray:
        """Apply ``preprocessor``; when ``fit``, fit a clone of it first.

        ``metadata`` (``fit``'s ``groups`` and ``sample_weight``) reaches the
        clone's ``fit_transform`` under metadata routing, as requested.
        Windows on disk come back as :class:`~tsclf.deep._lazy.NetworkWindows`,
        read and preprocessed a batch at a time.
        """
        if isinstance(X, WindowArray):
            params = self._preprocessor_params(metadata) if fit else {}
            return network_windows(self, X, fit=fit, params=params)
        if not fit:
            if self.preprocessor_ is None:
                return X
            return self._network_input(self.preprocessor_.transform(X), len(X))
        preprocessor = self._resolved_preprocessor()
        if preprocessor is None:
            self.preprocessor_ = None
            return X
        params = self._preprocessor_params(metadata)
        self.preprocessor_ = clone(preprocessor)
        Xt = self.preprocessor_.fit_transform(X, **params)
        return self._network_input(Xt, len(X))

    def _network_input(self, Xt, n_windows: int) -> np.ndarray:
        """Check the preprocessor's output and shape it for the network.

        A table (one row of features per window, e.g. band energies) is
        read as one channel of feature values, as a 2-D ``X`` is read as
        univariate series; series (3-D) and images (4-D) pass as they are.
        """
        Xt = np.asarray(Xt, dtype=np.float32)
        step, shape = type(self.preprocessor_).__name__, Xt.shape
        if Xt.ndim == 2:
            Xt = Xt[:, np.newaxis, :]
        if Xt.ndim not in (3, 4) or Xt.shape[0] != n_windows:
            raise ValueError(
                f"The preprocessor {step} returned an array of shape {shape} "
                f"for {n_windows} windows; the network takes one row of "
                "features, one series (n_channels, length) or one image "
                "(n_channels, height, width) per window."
            )
        if not np.isfinite(Xt).all():
            raise ValueError(
                f"The preprocessor {step} returned NaN or infinite values; the "
                "network would train (or predict) on them silently."
            )
        return Xt
