"""Planaura for QGIS: plugin entry point (QGIS calls ``classFactory``; nothing heavy here)."""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .ui.plugin import PlanauraPlugin

    return PlanauraPlugin(iface)
