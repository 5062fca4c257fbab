"""The algorithms' outputs from the core's product registry (``planaura_plugin.products``).

Output parameters, their labels, layer names, styles and companion flags are derived here
from :data:`~planaura_plugin.products.PRODUCTS`, so an output declared there appears in the
algorithms without another list. Labels and names are translated in the registry's context.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

from qgis.PyQt.QtCore import QCoreApplication

from ..planaura_plugin.products import CHANGE_MAP_SCOPES, PRODUCTS, TR_CONTEXT, frame_kind, split_kind

ARROW = "\u2192"


def _tr(text: str) -> str:
    return QCoreApplication.translate(TR_CONTEXT, text)


def output_parameters() -> List[Tuple[str, str]]:
    """(kind, parameter) of every output of a two-date change map, in registry order.

    Per-frame products give one parameter per date (``feature_maps_0`` -> ``OUTPUT_EMBEDDINGS_BEFORE``).
    """
    out: List[Tuple[str, str]] = []
    for key, product in PRODUCTS.items():
        if product.scope not in CHANGE_MAP_SCOPES or not product.parameter:
            continue
        params = product.parameters()
        out += [(frame_kind(key, t) if product.per_frame else key, p) for t, p in enumerate(params)]
    return out


def mosaic_output_parameters() -> List[Tuple[str, str]]:
    """(parameter, kind) of every output of the mosaic algorithm (the products with a mosaic layer name)."""
    out: List[Tuple[str, str]] = []
    for key, product in PRODUCTS.items():
        if product.scope not in ("mosaic", "both") or not product.mosaic_names:
            continue
        params = product.parameters()
        out += [(p, frame_kind(key, t) if product.per_frame else key) for t, p in enumerate(params)]
    return out


def kind_style(kind: str) -> Optional[str]:
    """The style (``styles.STYLE_*``) of an output kind: ``feature_maps_1`` -> ``embeddings``.

    Returns:
        None for a kind without a style (feature tables) or one the registry does not know (a
        file a run wrote that is no product, e.g. a change types' ``.types.json``).
    """
    try:
        product, _frame = split_kind(kind)
    except KeyError:
        return None
    return product.style or None


def product_label(kind: str) -> str:
    """The translated label of a change-map output parameter."""
    product, frame = split_kind(kind)
    return _tr(product.labels[frame or 0])


def mosaic_label(kind: str) -> str:
    """The translated label of a mosaic output parameter (its mosaic label, else its change-map label)."""
    product, frame = split_kind(kind)
    return _tr((product.mosaic_labels or product.labels)[frame or 0])


def pair_layer_name(kind: str, day0: str, day1: str) -> str:
    """The translated layer name of a change-map output: 'Change intensity 2021-09-07 → 2022-09-02'.

    Args:
        kind: the output kind.
        day0, day1: the before and after dates (or names) of the pair.
    """
    product, frame = split_kind(kind)
    day, other = (day1, day0) if frame == 1 else (day0, day1)
    return _tr(product.layer_name).format(period=f"{day0} {ARROW} {day1}", day=day, other=other)


def mosaic_layer_name(kind: str, pairs: int) -> str:
    """The translated layer name of a mosaic output: 'Mosaic change intensity (12 pairs)'."""
    product, frame = split_kind(kind)
    return _tr(product.mosaic_names[frame or 0]).format(pairs=pairs)
