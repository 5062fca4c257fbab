"""Demo of the catalogue path against the local test catalogue (no internet): ``make demo-catalog``.

1. The loopback servers of the tests (``scripts/test_servers.sh``: stac-fastapi-pgstac and nginx,
   installed by ``make setup``) are started with the test catalogue built from
   ``../shared/data/hls_t15sxr`` (``tests/catalog_servers.py``).
2. *Find imagery* over an area under the synthetic cloud of 2022-09-02: the 2022-09-07 scene, whose
   own cover says 90 %, comes first because it is the clear one over the area.
3. *Change map from a catalogue* over the north-west 512 x 512 px of the scene (one tile of the base
   model; the burn scar and the clearing): 2021-09-07 before, the clearest scene of
   2022-09-01..05 after, streamed from the COGs; ``demo_output/catalog/`` receives the change map, its
   quality, the chosen scenes (CSV) and the scenes' VRTs.

Both run through ``qgis_process.bin`` when the installed plugin has the algorithms, else through the
core. The weights are the demo's (``scripts/demo.py``: official if cached or downloadable, else random).
"""
from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "scripts")]
OUT = REPO / "demo_output" / "catalog"


def extent(aoi) -> str:
    xmin, ymin, xmax, ymax = aoi.bbox
    return f"{xmin},{xmax},{ymin},{ymax} [EPSG:32615]"


def run(binary: str, algorithm: str, params: dict) -> None:
    args = [binary, "run", algorithm, "--"] + [f"{k}={v}" for k, v in params.items()]
    print("demo-catalog: qgis_process.bin run " + algorithm)
    done = subprocess.run(args, capture_output=True, text=True, env=demo.qgis_process_env())
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"demo-catalog: {algorithm} failed (exit {done.returncode})")


def find(servers, binary) -> None:
    window = ("2022-09-01", "2022-09-10")
    if binary:
        run(binary, "planaura:findimagery", {"SOURCE": 3, "STAC_URL": servers.STAC, "COLLECTIONS": "hls-test",
                                             "EXTENT": extent(servers.CLOUD), "START_DATE": window[0],
                                             "END_DATE": window[1], "OUTPUT": OUT / "found.gpkg"})
    from planaura_plugin.catalog.find import find_imagery
    from planaura_plugin.catalog.sources import catalogue_for

    found = find_imagery(catalogue_for(servers.STAC), servers.CLOUD, *(dt.date.fromisoformat(d) for d in window),
                         collections=("hls-test",))
    for rank, (scene, cover) in enumerate(found, start=1):
        print(f"demo-catalog:   {rank}. {scene.item_id}: scene cover {scene.scene_cloud:.0f} %, "
              f"cloud over the area {cover.cloud:.0%}, valid {cover.valid:.0%}")


def change_map(servers, binary, checkpoint: str) -> None:
    area = servers.aoi_px(0, 0, 512, 512)  # the base model's tile: a smaller area gives no tile
    params = {"SOURCE": 3, "STAC_URL": servers.STAC, "COLLECTIONS": "hls-test", "EXTENT": extent(area),
              "BEFORE_START": "2021-09-01", "BEFORE_END": "2021-09-10", "AFTER_START": "2022-09-01",
              "AFTER_END": "2022-09-05", "MAX_CLOUD": 100, "MIN_VALID_AOI": 0, "CHECKPOINT": checkpoint,
              "DEVICE": 0, "OUTPUT": OUT / "change_intensity.tif", "OUTPUT_QUALITY": OUT / "quality.tif",
              "SCENES_TABLE": OUT / "scenes.csv"}
    if binary:
        run(binary, "planaura:catalogchangemap", params)
    else:
        from planaura_plugin.catalog.change_pair import CatalogChangeRequest, catalog_change_map
        from planaura_plugin.catalog.sources import catalogue_for
        from planaura_plugin.feedback import TerminalFeedback
        from planaura_plugin.model.loading import ModelSpec
        from planaura_plugin.pipeline.requests import ChangeMapOutputs

        days = [dt.date.fromisoformat(params[k]) for k in ("BEFORE_START", "BEFORE_END", "AFTER_START", "AFTER_END")]
        catalog_change_map(CatalogChangeRequest(
            catalogue=catalogue_for(servers.STAC), aoi=area, before=(days[0], days[1]),
            after=(days[2], days[3]), collections=("hls-test",), max_cloud=1.0, min_valid=0.0,
            model=ModelSpec(checkpoint=checkpoint),
            outputs=ChangeMapOutputs(cosine_map=str(params["OUTPUT"]), quality_fmask=str(params["OUTPUT_QUALITY"])),
            scenes_table=str(params["SCENES_TABLE"])), TerminalFeedback())
    for row in csv.DictReader(open(params["SCENES_TABLE"], encoding="utf-8")):
        print(f"demo-catalog:   {row['role']}: {row['item_id']} (cloud over the area {float(row['aoi_cloud']):.0%})")
    print(f"demo-catalog: {params['OUTPUT']}: {demo.cosine_summary(params['OUTPUT'])}")


def main() -> None:
    import catalog_servers

    missing = catalog_servers.installed()
    if missing:
        raise SystemExit(f"demo-catalog: the local catalogue's servers are not installed ({missing}); run make setup")
    catalog_servers.start()
    OUT.mkdir(parents=True, exist_ok=True)
    binary = demo.qgis_process()
    binary = binary if binary and demo.has_algorithm(binary, "planaura:catalogchangemap") else None
    if binary is None:
        print("demo-catalog: the installed plugin has no catalogue algorithms: the core runs them")
    find(catalog_servers, binary)
    checkpoint, label = demo.weights()
    change_map(catalog_servers, binary, checkpoint)
    print(f"demo-catalog: outputs in {OUT} ({label} weights)")


import demo  # noqa: E402 - scripts/ is on the path only now

if __name__ == "__main__":
    main()
