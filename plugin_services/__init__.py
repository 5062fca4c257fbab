"""The plugin's services without Qt, shared by ``ui/`` and ``processing_provider/``.

Settings keys (``settings_keys``) and their typed reader (``settings``), the last error
(``last_error``), the plugin's own Python packages (``dependencies``, ``pins``,
``torch_build``), the weights download (``weights``), *Copy diagnostics* (``diagnostics``)
and *Help* (``help``). No Qt here; ``qgis.core`` only for ``QgsSettings``, where the
user's values live (``settings``, ``last_error``). ``ui/`` and ``processing_provider/``
never import each other (tests/services/test_plugin_layers.py).
"""
