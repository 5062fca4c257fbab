"""Batch size from free GPU memory and the devices of a run (model/devices.py), with made-up
memory figures and device counts: no GPU needed."""
from __future__ import annotations

import pytest

from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.devices import (CPU_BATCH, MAX_AUTO_BATCH, choose_batch_size, device_list, split_sizes,
                                           tile_bytes, weights_bytes)

GB = 2 ** 30


def test_cpu_keeps_the_batch_asked_for():
    assert choose_batch_size(7, None, per_tile=GB) == (7, None)
    assert choose_batch_size(0, None, per_tile=GB) == (CPU_BATCH, None)


def test_automatic_batch_from_free_memory():
    # 80 GB free, 70 % usable, half a GB of weights, 1 GB per tile: (56 - 0.5) // 1 = 55
    assert choose_batch_size(0, [80 * GB], per_tile=GB, fixed=GB // 2) == (55, None)
    assert choose_batch_size(0, [200 * GB], per_tile=GB // 10) == (MAX_AUTO_BATCH, None)  # capped
    assert choose_batch_size(0, [GB], per_tile=2 * GB) == (1, None)  # never less than one tile


def test_a_batch_too_big_for_the_card_is_lowered_and_said():
    size, note = choose_batch_size(100, [80 * GB], per_tile=GB, fixed=GB // 2)
    assert size == 55
    assert "lowered from 100 to 55" in note and "80.0 GB free" in note
    assert choose_batch_size(16, [80 * GB], per_tile=GB) == (16, None)  # fits: kept


def test_several_devices_are_sized_by_the_fullest_one():
    # 56 and 28 tiles fit; each device gets half of the batch, so 2 x 28
    assert choose_batch_size(0, [80 * GB, 40 * GB], per_tile=GB) == (56, None)
    assert choose_batch_size(0, [200 * GB] * 2, per_tile=GB // 10) == (2 * MAX_AUTO_BATCH, None)


@pytest.mark.parametrize("device, count, multi, expected", [
    ("cuda", 4, True, ["cuda:0", "cuda:1", "cuda:2", "cuda:3"]),
    ("cuda", 4, False, ["cuda"]),
    ("cuda", 1, True, ["cuda"]),
    ("cuda:1", 4, True, ["cuda:1"]),  # a numbered device is a choice of one
    ("cpu", 0, True, ["cpu"]),
])
def test_device_list(device, count, multi, expected):
    assert device_list(device, count, multi) == expected


def test_split_sizes():
    assert split_sizes(9, 2) == [5, 4]
    assert split_sizes(8, 4) == [2, 2, 2, 2]
    assert split_sizes(1, 4) == [1]  # no empty part
    assert split_sizes(0, 2) == []


def test_tile_memory_of_the_base_model_by_hand():
    cfg = ModelConfig()  # ViT-B, 512 px, 2 frames, stride 16: 1 + 2 x 32 x 32 tokens
    n = 2049
    inputs = 3 * 6 * 2 * 512 * 512 * 4
    act = n * 768 * 4 * (7 + 8) + 12 * n * n * 4
    outputs = 2 * 32 * 32 * 768 * 4 + 3 * 32 * 32 * 4
    assert tile_bytes(cfg) == inputs + act + outputs
    assert tile_bytes(cfg, channels=0) == inputs + act + 3 * 32 * 32 * 4
    # half precision halves the activations only
    assert tile_bytes(cfg, "bfloat16") == inputs + act // 2 + outputs
    # ViT-B encoder ~85 M and decoder ~25 M parameters: about 0.4 GB in float32
    assert 0.35 * GB < weights_bytes(cfg) < 0.5 * GB


def test_dense_tile_memory_counts_one_sub_grid_sequence():
    cfg = ModelConfig(patch_stride=1)  # 497 x 497 positions; sub-grids of 32 x 32 per frame
    n = 2 * 32 * 32
    g = 497
    expected = 3 * 6 * 2 * 512 * 512 * 4 + (n * 768 * 4 * 15 + 12 * n * n * 4) + 2 * g * g * 768 * 4 + 3 * g * g * 4
    assert tile_bytes(cfg) == expected
