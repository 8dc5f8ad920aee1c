"""Benchmark scripts for tsclf; run them with ``python -m benchmarks.<name>``."""
