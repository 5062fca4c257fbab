"""The sampling pass of the colour view and the clusters (a whole read of the raster, long on a large
one) moves the progress bar: its first half, by rows read; then the writing pass its second half."""
from __future__ import annotations

import pytest

from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.feedback import Feedback
from embedding_synthetic import write_synthetic

pytest.importorskip("sklearn")


class Progress(Feedback):
    def __init__(self) -> None:
        self.steps = []

    def progress(self, fraction: float, message: str = "") -> None:
        self.steps.append((fraction, message))


@pytest.mark.parametrize("tool", ["colour", "clusters"])
def test_sampling_fills_the_first_half_of_the_bar(tmp_path, tool):
    syn = write_synthetic(tmp_path, height=40, bands=16)
    record = Progress()
    max_values = 48 * 16 * 4  # 4 rows a window: 10 windows each pass
    if tool == "colour":
        colour_view(syn.path, str(tmp_path / "out.tif"), max_values=max_values, feedback=record)
    else:
        cluster_map(syn.path, str(tmp_path / "out.tif"), k=4, max_values=max_values, feedback=record)
    fractions = [f for f, _m in record.steps]
    sampling = [f for f, m in record.steps if m == "sampling the valid pixels"]
    assert sampling == pytest.approx([0.05 * i for i in range(1, 11)])
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert [f for f, m in record.steps if m != "sampling the valid pixels"] == \
        pytest.approx([0.5 + 0.05 * i for i in range(1, 11)])
