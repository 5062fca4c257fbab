#!/usr/bin/env bash
# Install everything Planaura for QGIS needs on Debian/Ubuntu, and the plugin itself for the
# current user. Safe to run again: each step checks its own state (or a stamp) and only does
# what is missing, so a second run takes a few seconds.
#   1. system packages (QGIS, GDAL, numpy, scipy from the distribution; Qt's and gettext's translation tools;
#      Qt's own French (qttranslations5-l10n: qt_fr.qm, which QGIS loads for Close / Help / Cancel))
#   2. .venv (--system-site-packages, so qgis, osgeo and the system numpy stay visible) with
#      the pinned packages of requirements*.txt: what the tests and the demo run in
#   3. the compiled translations (i18n/*.qm; the core's planaura_plugin/i18n/*.mo)
#   4. the plugin in QGIS's default profile: python/plugins/planaura_qgis -> this folder,
#      enabled in QGIS3.ini ([PythonPlugins] planaura_qgis=true), so qgis_process loads it
#   5. its Python dependencies for QGIS's own Python, in the plugin-owned folder
#      <profile>/python/planaura_deps/pyX.Y (what Settings > Install dependencies does)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd -P)
VENV=${VENV:-.venv}
SYSPY=/usr/bin/python3   # QGIS's Python on Debian (never a pyenv/conda shim)

APT_PACKAGES="qgis python3-qgis qgis-providers python3-venv python3-pip python3-numpy python3-scipy python3-yaml python3-gdal python3-pyproj gdal-bin qttools5-dev-tools pyqt5-dev-tools qttranslations5-l10n gettext xvfb xauth"
# apt_ensure WHAT PACKAGE...: install the Debian packages that are not installed yet
apt_ensure() {
  local what=$1 missing="" pkg
  shift
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  [ -n "$missing" ] || return 0
  echo "setup: installing $what:$missing"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}
# shellcheck disable=SC2086
apt_ensure "system packages" $APT_PACKAGES

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  $SYSPY -m venv --system-site-packages "$VENV"
fi
# keep the distribution's numpy: GDAL's bindings are built against it (never numpy 2)
"$VENV/bin/python" -c "import numpy; print('numpy==' + numpy.__version__)" > "$VENV/constraints.txt"
stamp="$VENV/.requirements.sha"
want=$(cat requirements.txt requirements-dev.txt "$VENV/constraints.txt" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$VENV/constraints.txt" -r requirements-dev.txt
  echo "$want" > "$stamp"
fi

# --- the catalogue tests' servers (tests/catalog; started by the tests via scripts/test_servers.sh) ---
# PostgreSQL + PostGIS and nginx from Debian; stac-fastapi-pgstac in its own venv (requirements-stac.txt)
PG_MAJOR=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9]*\)$/\1/p' | head -1)
SERVER_PACKAGES="postgresql postgresql-${PG_MAJOR:-15}-postgis-3 nginx curl"
# shellcheck disable=SC2086
apt_ensure "the catalogue tests' servers" $SERVER_PACKAGES
STAC_VENV=${PLANAURA_STAC_VENV:-/var/tmp/planaura-venv-stac}
[ -x "$STAC_VENV/bin/python" ] || $SYSPY -m venv "$STAC_VENV"
stac_want=$(sha256sum requirements-stac.txt | cut -d' ' -f1)
if [ "$(cat "$STAC_VENV/.requirements.sha" 2>/dev/null)" != "$stac_want" ]; then
  echo "setup: installing the STAC API server into $STAC_VENV"
  "$STAC_VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-stac.txt
  echo "$stac_want" > "$STAC_VENV/.requirements.sha"
fi

bash scripts/translations.sh

# --- the plugin, installed for the current user -------------------------------------------
PROFILE=$($SYSPY plugin_services/dependencies.py profile)
PLUGINS="$PROFILE/python/plugins"
LINK="$PLUGINS/planaura_qgis"
mkdir -p "$PLUGINS"
if [ -L "$LINK" ]; then
  [ "$(readlink "$LINK")" = "$REPO" ] || { ln -sfn "$REPO" "$LINK"; echo "setup: $LINK -> $REPO"; }
else
  if [ -e "$LINK" ]; then
    aside="$LINK.replaced-$(date +%Y%m%d%H%M%S)"
    mv "$LINK" "$aside"
    echo "setup: an installed copy of the plugin was moved to $aside"
  fi
  ln -s "$REPO" "$LINK"
  echo "setup: $LINK -> $REPO"
fi
$SYSPY - "$PROFILE/QGIS/QGIS3.ini" <<'PY'
import sys
from pathlib import Path
from qgis.PyQt.QtCore import QSettings  # PyQt5 on QGIS 3, PyQt6 on QGIS 4
ini = Path(sys.argv[1])
ini.parent.mkdir(parents=True, exist_ok=True)
settings = QSettings(str(ini), QSettings.Format.IniFormat)
if str(settings.value("PythonPlugins/planaura_qgis", "false")).lower() != "true":
    settings.setValue("PythonPlugins/planaura_qgis", True)
    settings.sync()
    print(f"setup: plugin planaura_qgis enabled in {ini}")
PY
$SYSPY plugin_services/dependencies.py install --quiet

"$VENV/bin/python" - <<'PY'
import numpy, torch, osgeo, scipy, yaml, huggingface_hub
print(f"setup: ok (torch {torch.__version__}, numpy {numpy.__version__}, GDAL {osgeo.__version__}, scipy {scipy.__version__})")
PY
