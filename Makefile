# The README's commands. `make run` and `make test` work on a fresh clone:
# they create .venv/ and install everything first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test dev bench bench-quick late status lint docs demo clean install

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

# The raw-file sensor compares content hashes with audit.submissions, so after
# `make run` it requests nothing; the manifest is prepared by prepare_if_dev.
dev: $(STAMP)
	@mkdir -p $(DAGSTER_HOME)
	@ls -d raw/20*Q* >/dev/null 2>&1 || $(BIN)/werkmonitor generate --out raw
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/dagster dev -m werkmonitor.definitions

# `make bench QUICK=1` is the same as `make bench-quick`: scale 1 only (the
# quarter, the same quarter again unchanged, the plain-SQL baseline).
bench: $(STAMP)
	$(BIN)/python bench/run_bench.py $(if $(QUICK),--quick)

bench-quick: $(STAMP)
	$(BIN)/python bench/run_bench.py --quick

# Drop the demo's late correction into raw/: the sensor of `make dev` picks it
# up, `werkmonitor status` shows it pending until the next run.
late: $(STAMP)
	$(BIN)/werkmonitor generate --late --out raw
	$(BIN)/werkmonitor status

status: $(STAMP)
	$(BIN)/werkmonitor status

# sqlfluff's dbt templater opens the profile's DuckDB file: give it a scratch one.
lint: $(STAMP)
	$(BIN)/ruff check .
	@mkdir -p target
	WERKMONITOR_WAREHOUSE=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint models dbt_project

docs: $(STAMP)
	$(BIN)/werkmonitor dbt-docs

clean:
	rm -rf warehouse target logs .dagster_home
