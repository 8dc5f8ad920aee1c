"""The settings of one benchmark run, frozen once parsed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunConfig:
    """What the command line asked for; see ``python -m benchmarks.run -h``."""

    suite: str = "quick"
    protocols: tuple[str, ...] | None = None
    models: tuple[str, ...] | None = None
    datasets: tuple[str, ...] | None = None
    folds: tuple[str, ...] | None = None
    seeds: int | None = None
    device: str = "auto"
    max_epochs: int | None = None
    n_jobs: int = -1
    workers: int = 1
    scheduler: str | None = None
    results: Path = Path("results")
    records: Path | None = None
    no_cache: bool = False
    verbose: int = 0
    plan: bool = False
    cached_only: bool = False
    prune: bool = False

    @property
    def store_path(self) -> Path:
        """The suite's record of every fit (:mod:`benchmarks.store`), in
        ``records`` or else ``<results>/records``."""
        folder = self.records if self.records is not None else self.results / "records"
        return folder / f"{self.suite}.jsonl.gz"
