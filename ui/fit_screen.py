"""Dialogs that fit a 1366 × 768 laptop: the content scrolls, the buttons stay on the screen.

A dialog whose content can grow (wrapped advice, pip's output) puts it in a QScrollArea and takes
its size hint from :func:`content_size_hint`: the whole content when the screen has room, else no
taller than the screen's free height (less the window frame) and never taller than
:data:`MAX_HEIGHT`, the height that still fits 768 px with a taskbar.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtWidgets import QApplication, QDialog, QScrollArea, QStyle

#: the tallest a dialog opens (768 px screen less a taskbar and the title bar)
MAX_HEIGHT = 680
#: the window frame and title bar around a dialog on most desktops
FRAME_MARGIN = 60


def available_height(dialog: QDialog) -> int:
    """The screen's free height for ``dialog`` (its screen, else the primary one), less the frame."""
    screen = None
    window = dialog.windowHandle()
    if window is not None:
        screen = window.screen()
    screen = screen or QApplication.primaryScreen()
    if screen is None:
        return MAX_HEIGHT
    return max(200, screen.availableGeometry().height() - FRAME_MARGIN)


def content_size_hint(dialog: QDialog, scroll: QScrollArea) -> QSize:
    """The size hint of ``dialog`` (its layout holding ``scroll``) with the whole scrolled content,
    bounded to :data:`MAX_HEIGHT` and the screen's free height."""
    layout = dialog.layout()
    base = layout.sizeHint() if layout is not None else QSize(0, 0)
    inner = scroll.widget().sizeHint() if scroll.widget() is not None else QSize(0, 0)
    shown = scroll.sizeHint()
    bar = dialog.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    width = base.width() - shown.width() + inner.width() + bar + 2 * scroll.frameWidth()
    height = base.height() - shown.height() + inner.height() + 2 * scroll.frameWidth()
    return QSize(width, min(height, MAX_HEIGHT, available_height(dialog)))
