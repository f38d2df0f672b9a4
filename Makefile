# The README's commands. `make run` and `make test` work on a fresh clone:
# they create .venv/ and install everything first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test dev bench lint docs demo clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Main job: demo landing zone when raw/ holds no quarter, then every quarter
# end to end (load, quality gates, dbt build, publish).
run: $(STAMP)
	@mkdir -p $(DAGSTER_HOME)
	@ls -d raw/20*Q* >/dev/null 2>&1 || $(BIN)/werkmonitor generate --out raw
	$(BIN)/werkmonitor run --all

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q --durations=15

dev: $(STAMP)
	@mkdir -p $(DAGSTER_HOME)
	@ls -d raw/20*Q* >/dev/null 2>&1 || $(BIN)/werkmonitor generate --out raw
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/dagster dev -m werkmonitor.definitions

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# sqlfluff's dbt templater opens the profile's DuckDB file: give it a scratch one.
lint: $(STAMP)
	$(BIN)/ruff check .
	@mkdir -p target
	WERKMONITOR_WAREHOUSE=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint models dbt_project

docs: $(STAMP)
	$(BIN)/werkmonitor dbt-docs

clean:
	rm -rf warehouse target logs .dagster_home
