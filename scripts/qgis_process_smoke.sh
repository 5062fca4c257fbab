#!/usr/bin/env bash
# The plugin end to end through qgis_process, on whatever QGIS is installed (used in the chroots of
# scripts/qgis_chroot.sh: `scripts/qgis_chroot.sh smoke`):
#   1. `qgis_process plugins` lists planaura_qgis and `qgis_process list` every algorithm that
#      processing_provider/provider.py declares (ALGORITHMS: 13 at present);
#   2. planaura:changemap of sample_data's pair with a tiny random checkpoint (shared/tools/
#      make_checkpoint.py --preset tiny --seed 0) on the CPU: the cosine map must be 480 x 512
#      float32 with values in [-1, 1] and the sample's CRS;
#   3. planaura:persistencemosaic of that change map, no target CRS (the inputs' CRS, which has no
#      EPSG code for HLS tiles, must be identified): the mosaic must start at the change map's
#      origin, with its pixel size, and hold its values wherever the change map has one.
#   scripts/qgis_process_smoke.sh OUTDIR     (run in the checkout; python with torch on PATH;
#                                            PLANAURA_SHARED: the shared folder)
# Exit status 0 when every check passed, 1 otherwise; each step prints its result and wall time.
set -uo pipefail
OUT=${1:?usage: qgis_process_smoke.sh OUTDIR}
SHARED=${PLANAURA_SHARED:?set PLANAURA_SHARED to the shared folder}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
# QGIS runs the system Python: the venv's packages (torch) are made visible to it
PYTHONPATH=$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
export PYTHONPATH
QP=$(command -v qgis_process.bin || command -v qgis_process)
failures=0
check() {   # check WHAT CONDITION-COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failures=$((failures + 1)); fi
}
timed() {   # timed LOG CMD...: run CMD, its output into LOG, and print its exit status and wall time
  local log=$1 rc=0 t0; shift
  t0=$(date +%s)
  "$@" > "$log" 2>&1 || rc=$?
  echo "$(basename "$log" .log): exit $rc, $(( $(date +%s) - t0 )) s"
  [ "$rc" -eq 0 ] || tail -20 "$log"
  return "$rc"
}

echo "QGIS: $("$QP" --version 2>/dev/null | grep -m1 -i qgis)"
check "planaura_qgis loaded" bash -c "'$QP' plugins 2>/dev/null | grep -q 'planaura_qgis'"
algorithms=$("$QP" list 2>/dev/null | grep -o 'planaura:[a-z]*' | sort -u | tr '\n' ' ')
echo "algorithms: $algorithms"
declared=$(grep -c '^    ("[a-z_]*", "[A-Za-z]*Algorithm"),' processing_provider/provider.py)
check "$declared planaura algorithms (as provider.py declares)" test "$(echo "$algorithms" | wc -w)" -eq "$declared"

python "$SHARED/tools/make_checkpoint.py" --preset tiny --seed 0 --out "$OUT/tiny.pth" > /dev/null
before=sample_data/HLS.S30.T15SXR.2021250T163901.v2.0.tif
after=sample_data/HLS.S30.T15SXR.2022245T163901.v2.0.tif
rm -f "$OUT"/cosine.tif "$OUT"/classes.tif "$OUT"/mosaic.tif "$OUT"/persistence.tif
check "planaura:changemap" timed "$OUT/changemap.log" "$QP" run planaura:changemap -- \
  BEFORE="$before" AFTER="$after" MODEL=2 CHECKPOINT="$OUT/tiny.pth" DEVICE=1 \
  MODEL_CONFIG="$SHARED/golden/raster/i_stride16_upsample/config.yaml" \
  OUTPUT="$OUT/cosine.tif" OUTPUT_CLASSES="$OUT/classes.tif"
check "cosine map: 480 x 512 float32 in [-1, 1], the sample's CRS" python - "$OUT/cosine.tif" "$before" <<'PY'
import sys
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
osr.UseExceptions()
out, src = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
band = out.GetRasterBand(1)
values = band.ReadAsArray()
valid = values[values != band.GetNoDataValue()] if band.GetNoDataValue() is not None else values.ravel()
same_crs = osr.SpatialReference(out.GetProjection()).IsSame(osr.SpatialReference(src.GetProjection()))
print(f"  {out.RasterXSize} x {out.RasterYSize} {values.dtype}, {valid.size} valid, "
      f"range {valid.min():.6f} .. {valid.max():.6f}, mean {valid.mean():.9f}, same CRS {bool(same_crs)}")
ok = ((out.RasterXSize, out.RasterYSize) == (480, 512) and values.dtype == np.float32 and valid.size > 0
      and np.isfinite(valid).all() and valid.min() >= -1 and valid.max() <= 1 and same_crs)
sys.exit(0 if ok else 1)
PY

check "planaura:persistencemosaic (no target CRS)" timed "$OUT/persistencemosaic.log" "$QP" run \
  planaura:persistencemosaic -- CHANGE_MAPS="$OUT/cosine.tif" OUTPUT="$OUT/mosaic.tif" \
  OUTPUT_PERSISTENCE="$OUT/persistence.tif"
check "mosaic: the change map's origin, pixel size and values" python - "$OUT/mosaic.tif" "$OUT/cosine.tif" <<'PY'
import sys
import numpy as np
from pathlib import Path
from osgeo import gdal
gdal.UseExceptions()
if not Path(sys.argv[1]).is_file():
    sys.exit(f"  no {sys.argv[1]}")
mosaic, source = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
rows, cols = source.RasterYSize, source.RasterXSize
values, nodata = source.ReadAsArray(), source.GetRasterBand(1).GetNoDataValue()
valid = values != nodata
covered = mosaic.ReadAsArray()[:rows, :cols]
print(f"  mosaic {mosaic.RasterXSize} x {mosaic.RasterYSize}, change map {cols} x {rows}")
ok = (mosaic.GetGeoTransform() == source.GetGeoTransform() and covered.shape == values.shape
      and np.array_equal(covered[valid], values[valid]))
sys.exit(0 if ok else 1)
PY
echo "smoke: $failures check(s) failed; outputs in $OUT"
[ "$failures" -eq 0 ]
