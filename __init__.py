"""Planaura for QGIS: plugin entry point (QGIS calls ``classFactory``; nothing heavy here).

The one place that joins ``ui/`` (the plugin object) and ``processing_provider/`` (the
algorithms): neither imports the other; both use ``plugin_services/``.
"""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .ui.plugin import PlanauraPlugin

    return PlanauraPlugin(iface, make_processing_provider)


def make_processing_provider():
    """The ``planaura`` Processing provider, imported only when the plugin registers it (its
    failure is caught and logged by ``PlanauraPlugin.initProcessing``)."""
    from .processing_provider.provider import PlanauraProvider

    return PlanauraProvider()
