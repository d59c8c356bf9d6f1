# Front Desk. `make run` sets up and opens the app on a demo database; `make test` sets up and
# runs the whole test suite (SQLite and a throwaway PostgreSQL server).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup run demo test postgres pango lint bench check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/frontdesk demo

postgres:
	@bash scripts/ensure-postgres.sh

pango: setup
	@bash scripts/ensure-pango.sh $(PY)

lint: setup
	$(VENV)/bin/lint-imports

test: setup postgres pango lint
	$(PY) -m pytest -n 3 --dist loadgroup -q  # three: screen tests wait on the UI as much as they compute

bench: setup postgres
	$(PY) -m bench  # every group against its floor; bench/results.json (python -m bench --help)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .import_linter_cache
