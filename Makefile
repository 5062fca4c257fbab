# Planaura for QGIS: `make demo` and `make test` set everything up themselves.
VENV   ?= .venv
PY     := $(VENV)/bin/python
# the package needs no venv: any Python 3 will do
PYANY  := $(if $(wildcard $(PY)),$(PY),python3)
SHARED ?= $(abspath ../shared)
export PLANAURA_SHARED := $(SHARED)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup translations update-translations test test-qgis340 test-qgis-trixie demo bench bench-gpu package docs clean

# system packages, .venv, translations, the plugin installed and enabled in QGIS's default
# profile with its dependencies (scripts/setup.sh; quick when already done)
setup:
	@bash scripts/setup.sh

# i18n/*.qm from i18n/*.ts (lrelease)
translations:
	@bash scripts/translations.sh

# re-extract the strings of ui/ and processing_provider/ into i18n/planaura_fr.ts (pylupdate5)
update-translations:
	@bash scripts/translations.sh --update

test: setup
	$(PY) -m pytest

# the same plugin on newer QGIS, in a Debian chroot under /var/tmp/planaura-chroots (root; outside
# the checkout; its committed HEAD is cloned in): the qgis_process smoke run, tests/qgis and the
# golden parity tests (scripts/qgis_chroot.sh check; exit 3 = chroot not built, not a test failure).
# QGIS 3.40 LTR from bookworm-backports: Python 3.11, numpy 1.24, GDAL 3.6 and torch wheel as here
test-qgis340:
	QGIS_SUITE=bookworm-backports SHARED=$(SHARED) bash scripts/qgis_chroot.sh check

# Debian 13 before a release: QGIS_SUITE=trixie-backports (QGIS 3.44) or trixie (3.40); Python 3.13,
# numpy 2.2, GDAL 3.10; torch is PyPI's CUDA build (~5 GB download, it runs on the CPU)
QGIS_SUITE ?= trixie-backports
test-qgis-trixie:
	QGIS_SUITE=$(QGIS_SUITE) SHARED=$(SHARED) TIME_LIMIT=$${TIME_LIMIT:-90m} bash scripts/qgis_chroot.sh check

demo: setup
	$(PY) scripts/demo.py

# the catalogue path (Find imagery, Change map from a catalogue) against the local test catalogue
# of tests/catalog (scripts/test_servers.sh, installed by make setup): scripts/demo_catalog.py
.PHONY: demo-catalog
demo-catalog: setup
	$(PY) scripts/demo_catalog.py

bench: setup
	$(PY) bench/run_bench.py

# the GPU path on a CUDA machine: golden tests on the GPU, bf16/fp16 errors, one tile at stride
# 16 and 1 (TFLOP/s vs the card's peak), the sample and an HLS-size pair end to end
# (bench/results/gpu_<date>.json); `$(PY) bench/gpu_check.py --device cpu --quick` is its dry run
bench-gpu: setup
	$(PY) bench/gpu_check.py

# dist/planaura_qgis-<version>.zip, installable with Plugins > Install from ZIP
package: translations
	$(PYANY) scripts/package.py

# docs/images/*.png (the real dialogs in QGIS under Xvfb, English and French; the result
# picture uses demo_output/) and docs/parameters*.md (generated from the algorithms)
docs: setup
	$(PY) scripts/parameter_reference.py
	$(PY) scripts/screenshots.py

clean:
	rm -rf demo_output build dist .pytest_cache
