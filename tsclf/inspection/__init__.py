"""What a fitted series model relies on."""

from tsclf.inspection._permutation import series_permutation_importance

__all__ = ["series_permutation_importance"]
