"""*Find imagery* that finds nothing warns, naming the catalogue, the window and what to do."""
from __future__ import annotations

import datetime as dt

from catalog_servers import BURN, CLOUD
from planaura_plugin.catalog.find import find_imagery
from planaura_plugin.catalog.sources import catalogue_for
from planaura_plugin.feedback import Feedback


class Recording(Feedback):
    def __init__(self) -> None:
        self.warnings: list = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def test_an_empty_window_and_a_too_strict_cloud_limit_are_warned_about(stac_servers):
    catalogue = catalogue_for(stac_servers.STAC)
    log = Recording()
    assert find_imagery(catalogue, CLOUD, dt.date(2020, 1, 1), dt.date(2020, 1, 10), collections=("hls-test",),
                        feedback=log) == []
    assert len(log.warnings) == 1 and "2020-01-01" in log.warnings[0] and "2020-01-10" in log.warnings[0]
    assert catalogue.title in log.warnings[0] and "widen the dates" in log.warnings[0]
    log = Recording()
    window = (dt.date(2022, 9, 1), dt.date(2022, 9, 10))
    found = find_imagery(catalogue, BURN, *window, collections=("hls-test",), feedback=log)
    assert len(found) == 2 and log.warnings == []  # both scenes, each with a little cloud over BURN
    strict = min(cover.cloud for _scene, cover in found) / 2
    assert strict > 0
    assert find_imagery(catalogue, BURN, *window, max_cloud=strict, collections=("hls-test",), feedback=log) == []
    assert len(log.warnings) == 1 and "raise the cloud limit" in log.warnings[0] and "2 scene(s)" in log.warnings[0]
