#!/usr/bin/env bash
# Install everything Planaura for QGIS needs on Debian/Ubuntu: QGIS and the scientific stack
# from the distribution, the rest into .venv (made with --system-site-packages so that
# qgis, osgeo and the system numpy stay visible). Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

APT_PACKAGES="qgis python3-qgis qgis-providers python3-venv python3-pip python3-numpy python3-scipy python3-yaml python3-gdal gdal-bin qttools5-dev-tools xvfb xauth"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
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
"$VENV/bin/python" - <<'PY'
import numpy, torch, osgeo, scipy, yaml, einops, huggingface_hub
print(f"setup: ok (torch {torch.__version__}, numpy {numpy.__version__}, GDAL {osgeo.__version__}, scipy {scipy.__version__})")
PY
