# Convenience targets; each calls bootstrap.py, which needs only Python 3.11+ and pip.
PYTHON ?= python3

.PHONY: setup run test clean

setup:
	$(PYTHON) bootstrap.py setup

run:
	$(PYTHON) bootstrap.py run

test:
	$(PYTHON) bootstrap.py test

clean:
	rm -rf .venv .pytest_cache .hypothesis .cache
