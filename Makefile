# SEND Tracker. `make run` to start it, `make test` to test it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := send_tracker.settings

.PHONY: run test lint audit format check bench install install-dev assets migrate seed clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (looked for $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed markers let a second `make run` skip work that is already done.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

assets: | $(BIN)/python
	$(BIN)/python scripts/build_assets.py

# Web server, Celery worker and beat together; Ctrl-C stops all three.
run: install assets
	DEBUG=$${DEBUG:-true} $(BIN)/python scripts/run_dev.py

test: install-dev assets
	DEBUG=true $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# Known vulnerabilities in the installed dependencies, from the Python Packaging Advisory Database. It needs
# pypi.org's JSON API; --strict makes a dependency that could not be looked up fail the audit, so it never
# passes without having checked. Not part of `check`: the CI machines reach only the package index, not the API.
audit: install-dev
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off --desc on

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test

bench: install-dev assets
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
