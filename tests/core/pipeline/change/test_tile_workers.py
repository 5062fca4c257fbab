"""The change-map run's batch size and map threads (pipeline/change/tile_workers.py, run.py), made-up GPU memory."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import TINY
from planaura_plugin.model import devices
from planaura_plugin.pipeline.change import tile_workers
from planaura_plugin.pipeline.change.run import run_batch_size
from planaura_plugin.pipeline.change.tile_workers import map_workers, ordered_map


def test_map_workers():
    assert map_workers(1) == 1 and map_workers(2) == 2 and map_workers(64) == tile_workers.MAX_MAP_WORKERS
    assert 1 <= map_workers() <= tile_workers.MAX_MAP_WORKERS


@pytest.mark.parametrize("threads", [None, 1, 3])
def test_ordered_map_keeps_order_and_bounds_work_ahead(threads):
    started, running, peak = [], [0], [0]
    lock = threading.Lock()

    def work(i):
        with lock:
            started.append(i)
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.002 * (5 - i % 5))  # later items often finish first
        with lock:
            running[0] -= 1
        return i * i

    pool = ThreadPoolExecutor(threads) if threads else None
    got = []
    for value in ordered_map(pool, work, 12, ahead=2):
        # never more than ahead + 1 items submitted beyond the ones taken
        assert len(started) <= len(got) + 3
        got.append(value)
    assert got == [i * i for i in range(12)]
    if pool is not None:
        pool.shutdown()
        assert peak[0] <= min(threads, 3)


def test_ordered_map_raises_the_failing_items_error_in_its_turn():
    def work(i):
        if i == 3:
            raise ValueError("tile 3")
        return i

    with ThreadPoolExecutor(2) as pool:
        it = ordered_map(pool, work, 6, ahead=2)
        assert [next(it), next(it), next(it)] == [0, 1, 2]
        with pytest.raises(ValueError, match="tile 3"):
            next(it)


class Notes:
    def __init__(self):
        self.lines = []

    def info(self, message):
        self.lines.append(message)


class FakePlan:
    """What run_batch_size reads of a ChangeMapPlan."""

    def __init__(self, spec, channels=None, infer=False):
        from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest

        self.request = ChangeMapRequest(inputs=["a.tif", "b.tif"], outputs=ChangeMapOutputs(cosine_map="c.tif"),
                                        model=spec)
        self.frames, self.stride = 2, 16
        self.model_channels = channels
        self._infer = infer

    def kinds(self, prefix):
        return {0: "r.tif"} if self._infer and prefix == "infer_" else {}


def test_batch_size_from_made_up_gpu_memory(monkeypatch, tiny_checkpoint):
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec

    cfg = ModelConfig(**TINY)
    spec = ModelSpec(config=cfg, checkpoint=str(tiny_checkpoint), device="cpu", batch_size=0)
    notes = Notes()
    assert run_batch_size(FakePlan(spec), notes) == devices.CPU_BATCH and not notes.lines  # a CPU: 4
    # two GPUs with 1 GiB and 0.5 GiB free
    monkeypatch.setattr("planaura_plugin.model.loading.run_devices", lambda s: ["cuda:0", "cuda:1"])
    monkeypatch.setattr(devices, "free_memory", lambda ds: [2 ** 30, 2 ** 29])
    cfg2 = cfg.with_(num_frames=2, patch_stride=16)
    per_tile = devices.tile_bytes(cfg2, channels=0)
    fits = int((2 ** 29 * devices.GPU_SHARE - devices.weights_bytes(cfg2)) // per_tile)
    auto = run_batch_size(FakePlan(spec, channels=[]), notes)
    assert auto == min(fits, devices.MAX_AUTO_BATCH) * 2 and not notes.lines
    from dataclasses import replace

    big = run_batch_size(FakePlan(replace(spec, batch_size=100_000), channels=[]), notes)
    assert big == fits * 2
    assert notes.lines == [f"batch size lowered from 100000 to {fits * 2}: 2 device(s) with 0.5 GB free hold "
                           f"about {fits * 2} tile(s) at a time"]


def test_each_in_threads_keeps_order_and_raises_the_first_error_in_order():
    from planaura_plugin.pipeline.change.tile_workers import each_in_threads

    assert each_in_threads(lambda v: v * 2, [3, 1, 2]) == [6, 2, 4]
    assert each_in_threads(lambda v: v, []) == []

    def check(v):
        if v > 0:
            time.sleep(0.01 * (3 - v))  # the later item fails first
            raise ValueError(f"input {v}")
        return v

    with pytest.raises(ValueError, match="input 1"):
        each_in_threads(check, [0, 1, 2])
