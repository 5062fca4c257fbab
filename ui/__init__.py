"""The plugin's user interface: plugin class, settings dialog, background tasks, dependencies."""
