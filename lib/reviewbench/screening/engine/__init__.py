"""Active-learning screening engine (placeholder docstring, completed after benchmarking)."""

from .ranker import DEFAULTS, Ranker

__all__ = ["DEFAULTS", "Ranker"]
