"""Studies beside the suites: each answers one question and writes its table.

Each is run as ``python -m benchmarks.studies.<name>`` and heads what it
writes with :func:`benchmarks.outputs.provenance` (the command and the host,
with its CPU model and flags).
"""
