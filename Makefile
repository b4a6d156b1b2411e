# Peerpath — see README.md. Everything installs into .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench lint typecheck messages clean-venv

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/activate requirements.txt constraints.txt pyproject.toml
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

## Start Peerpath with demo data on SQLite (http://127.0.0.1:8000)
demo: $(VENV)/.runtime
	$(BIN)/peerpath demo

## Run the whole test suite: lint, SQLite, PostgreSQL and browser tests
test: $(VENV)/.dev
	bash scripts/test.sh

## Benchmarks on PostgreSQL; figures go to bench/results/*.json
bench: $(VENV)/.dev
	$(BIN)/peerpath bench all

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	$(BIN)/mypy peerpath config

## Re-extract and compile translations (needs gettext)
messages: $(VENV)/.runtime
	cd peerpath && ../$(BIN)/django-admin makemessages -l es --ignore "*/tests/*" && ../$(BIN)/django-admin compilemessages

clean-venv:
	rm -rf $(VENV)
