"""The plugin's user interface (Qt): plugin class, settings dialog, background tasks, widgets.

What it shares with ``processing_provider/`` without Qt is in ``plugin_services/``.
"""
