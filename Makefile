# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make demo   - create .venv from the lock file, run the whole pipeline, print the KPI
#   make test   - create .venv from the lock file, run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test stop lock clean bench hostile

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	@echo "==> creating $(VENV) from requirements.lock (about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

demo: setup
	$(BIN)/taza demo

# Two pytest-xdist workers, each with its own warehouse, simulator and Airflow (tests/conftest.py
# groups the tests and puts the whole-history group first; --no-loadscope-reorder keeps that order
# instead of xdist's most-tests-first); TEST_WORKERS=0 runs them in this process, one after another.
TEST_WORKERS ?= 2
test: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

stop:
	$(BIN)/taza stop

# Re-resolve the lock file after changing pyproject.toml's dependencies.
lock:
	rm -rf /tmp/taza-lock-venv && $(PYTHON) -m venv /tmp/taza-lock-venv
	/tmp/taza-lock-venv/bin/pip install --quiet -e ".[test]"
	/tmp/taza-lock-venv/bin/pip freeze --exclude-editable > requirements.lock

clean:
	-$(BIN)/taza stop
	rm -rf $(VENV) .taza

# Benchmarks print ratios against a baseline measured in the same run.
bench: setup
	cd benchmarks && ../$(BIN)/python run_all.py

# All three families, January-June 2024 (a week of telemetry per month), through the
# hostile proxy of tests/hostile; prints the reconciliation table (faults, mutations,
# quarantined, lost). TAZA_HOSTILE_SEED=... for another seed.
hostile: setup
	TAZA_HOSTILE_MONTHS=2024-01:2024-06 TAZA_HOSTILE_DATASETS=all TAZA_HOSTILE_TELEMETRY_DAYS=7 \
	TAZA_HOSTILE_MUTATION_RATE=0.004 $(BIN)/pytest tests/hostile -p no:cacheprovider -s -q --timeout 3600
