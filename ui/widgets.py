"""Small widgets of the plugin's dialogs."""
from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedPathLabel(QLabel):
    """A one-line label ``prefix + path`` whose path is elided in the middle to the label's width.

    The full path is the tooltip and stays selectable through :meth:`path`; the label never
    widens its dialog (its width follows the layout).
    """

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._prefix = ""
        self._path = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_path(self, path: str, prefix: str = "") -> None:
        """Show ``prefix`` then ``path`` (elided); the tooltip is the full path."""
        self._prefix, self._path = prefix, str(path)
        self.setToolTip(self._path)
        self._elide()

    def path(self) -> str:
        return self._path

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        room = max(0, self.width() - metrics.horizontalAdvance(self._prefix) - 4)
        self.setText(self._prefix + metrics.elidedText(self._path, Qt.TextElideMode.ElideMiddle, room))
