# asn-xblocks developer commands. `make run` starts the workbench; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
# Prefer Python 3.12 (Open edX's current releases); fall back to 3.11.
PYTHON ?= $(shell for p in python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 python3.11 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo $$p; break; fi; done)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= asn_xblocks.devsite.settings

COMPAT_VENV ?= .venv-compat
COMPAT_PYTHON ?= $(shell for p in python3.11 /root/.pyenv/versions/3.11*/bin/python3.11 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	    echo $$p; break; fi; done)

.PHONY: run test test-compat install messages check-messages benchmark clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or 3.12 is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.py requirements/test.txt
	$(BIN)/pip install --quiet --upgrade 'pip>=24' 'setuptools<82' wheel
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility audits of the browser tests.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --run-syncdb --verbosity 0
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: install $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Unit and integration tests on the oldest supported stack (Python 3.11, Django 4.2, XBlock 5).
test-compat:
	@test -n "$(COMPAT_PYTHON)" || { echo "Python 3.11 not found: compatibility run skipped"; exit 0; }
	test -x $(COMPAT_VENV)/bin/python || $(COMPAT_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/pip install --quiet --upgrade 'pip>=24' 'setuptools<82' wheel
	$(COMPAT_VENV)/bin/pip install --quiet -r requirements/compat.txt
	$(COMPAT_VENV)/bin/python -m pytest tests/unit tests/integration -q $(PYTEST_ARGS)

messages: install
	$(BIN)/python -m asn_xblocks.devsite.messages extract
	$(BIN)/python -m asn_xblocks.devsite.messages compile

check-messages: install
	$(BIN)/python -m asn_xblocks.devsite.messages check

benchmark: install
	$(BIN)/python -m benchmarks.run $(ARGS)

clean:
	rm -rf $(VENV) $(COMPAT_VENV) node_modules var build dist *.egg-info
