"""The catalogue's error."""
from __future__ import annotations

from ..errors import InputError


class CatalogError(InputError):
    """A catalogue, an item or an asset cannot be used; the message names it and says what to do."""
