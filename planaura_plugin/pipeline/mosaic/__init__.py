"""The persistence mosaic: many change-map pairs merged onto one target grid (SPEC 5, 7).

The public face of the sub-package; its modules, bottom up: :mod:`.pairs` (raster facts,
finding the layers of pairs), :mod:`.identity` (one pair given twice), :mod:`.layers` (layer
types, pairs on the target grid, outputs), :mod:`.blocks` (block mosaicking) and
:mod:`.persistence` (:func:`run_mosaic`: :func:`mosaic_layout` then :func:`write_mosaic`).
"""
from .blocks import MosaicRun, mosaic_block
from .pairs import find_pair_layers
from .persistence import MosaicLayout, mosaic_layout, run_mosaic, write_mosaic

__all__ = ["MosaicLayout", "MosaicRun", "find_pair_layers", "mosaic_block", "mosaic_layout", "run_mosaic",
           "write_mosaic"]
