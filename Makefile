# Planaura for QGIS: `make demo` and `make test` set everything up themselves.
VENV   ?= .venv
PY     := $(VENV)/bin/python
SHARED ?= $(abspath ../shared)
export PLANAURA_SHARED := $(SHARED)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup test demo bench package clean

setup:
	@bash scripts/setup.sh

test: setup
	$(PY) -m pytest

demo: setup
	$(PY) scripts/demo.py

bench: setup
	$(PY) bench/run_bench.py

clean:
	rm -rf demo_output build dist .pytest_cache
