"""*Help*: the README online, the HTML copy shipped in the plugin when offline, the URL when no browser opens.

No widget here: the plugin's menu and the settings dialog pass how to open a URL
(``QDesktopServices.openUrl``) and how to show a message (their message bar).
"""
from __future__ import annotations

import socket
from pathlib import Path
from typing import Callable, Optional

PLUGIN_DIR = Path(__file__).resolve().parents[1]
HELP_URL = "https://github.com/planaura-qgis/planaura-qgis#readme"
HELP_URL_FR = "https://github.com/planaura-qgis/planaura-qgis/blob/main/README.fr.md"
#: the HTML copies of README.md / README.fr.md that scripts/package.py puts in the zip
LOCAL_DIR = "help"
HELP_HOST = "github.com"


def is_french(locale: str) -> bool:
    return (locale or "").lower().startswith("fr")


def online_url(locale: str) -> str:
    """The README on the project's site, French for a French QGIS."""
    return HELP_URL_FR if is_french(locale) else HELP_URL


def local_readme(locale: str, folder: Path = PLUGIN_DIR) -> Optional[Path]:
    """The shipped HTML README (``help/README.fr.html`` for French, else ``help/README.html``), if present."""
    names = ("README.fr.html", "README.html") if is_french(locale) else ("README.html",)
    for name in names:
        path = folder / LOCAL_DIR / name
        if path.is_file():
            return path
    return None


def is_online(host: str = HELP_HOST, timeout: float = 1.5) -> bool:
    """Whether the help site answers on HTTPS (a TCP connection within ``timeout`` seconds)."""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def help_target(locale: str, online: bool, folder: Path = PLUGIN_DIR) -> str:
    """What Help opens: the online README, or the local HTML copy when offline and shipped.

    Args:
        locale: QGIS's user locale (``fr_CA``, ``en``...).
        online: whether the help site can be reached.
        folder: the plugin folder.

    Returns:
        A URL (``https://...`` or ``file:///...``).
    """
    local = None if online else local_readme(locale, folder)
    return local.as_uri() if local is not None else online_url(locale)


def open_help(locale: str, open_url: Callable[[str], bool], show_url: Callable[[str], None],
              online: Optional[Callable[[], bool]] = None, folder: Path = PLUGIN_DIR) -> str:
    """Open the help; when nothing opens it, hand the URL to ``show_url`` (the message bar).

    Args:
        locale: QGIS's user locale.
        open_url: opens a URL, returns False when no browser did (``QDesktopServices.openUrl``).
        show_url: shows the URL to the user.
        online: the reachability check (:func:`is_online` by default).
        folder: the plugin folder.

    Returns:
        The URL chosen.
    """
    url = help_target(locale, (online or is_online)(), folder)
    if not open_url(url):
        show_url(url)
    return url
