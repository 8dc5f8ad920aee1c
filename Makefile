# Two commands do all set-up on a fresh machine:
#   make run    build the environment if needed, then run the main job
#   make test   build the environment if needed, then run the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tsclf-installed

.PHONY: env run test docs lint format bundle clean

env: $(STAMP)

# torch is installed first and pinned by constraints.txt, so that no
# dependency can pull a CUDA build of torch onto a CPU-only machine.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -c constraints.txt "torch==2.13.0"
	$(BIN)/python -m pip install -c constraints.txt -e ".[test,benchmark,docs]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m benchmarks.run $(ARGS)

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)
	$(MAKE) docs

# The documentation site; warnings are errors and the examples run.
docs: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

format: $(STAMP)
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

bundle: $(STAMP)
	$(BIN)/python scripts/build_cwru_bundle.py

clean:
	rm -rf $(VENV) build *.egg-info docs/_build docs/generated docs/auto_examples
