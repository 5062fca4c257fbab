"""Processing provider ``planaura``: thin QGIS algorithms over the Planaura core (``planaura_plugin``)."""
