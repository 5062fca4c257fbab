"""The core's Feedback on top of a QgsProcessingFeedback."""
from __future__ import annotations

from typing import List, Optional

from qgis.core import QgsProcessingFeedback

from ..planaura_plugin.feedback import Feedback

class ProcessingFeedbackAdapter(Feedback):
    """The core's :class:`Feedback` on top of a ``QgsProcessingFeedback`` (progress 0-100, cancel)."""

    LOG_STEP = 0.05  # a progress text (one log line in the dialog) per 5 % of the run, not per batch

    def __init__(self, feedback: Optional[QgsProcessingFeedback]) -> None:
        self.feedback = feedback
        self._last_message = ""
        self._last_logged = -1.0  # the fraction at which the last progress text was shown
        self.warnings: List[str] = []  # kept so that a failing algorithm can say why

    def progress(self, fraction: float, message: str = "") -> None:
        """The bar follows every call; the text (a log line each) only every LOG_STEP and at the end."""
        if self.feedback is None:
            return
        fraction = min(max(float(fraction), 0.0), 1.0)
        due = fraction >= 1.0 or fraction - self._last_logged >= self.LOG_STEP
        if message and message != self._last_message and due:
            self._last_message = message
            self._last_logged = fraction
            self.feedback.setProgressText(message)
        self.feedback.setProgress(100.0 * fraction)

    def info(self, message: str) -> None:
        if self.feedback is not None:
            self.feedback.pushInfo(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)
        if self.feedback is not None:
            self.feedback.pushWarning(message)

    def is_cancelled(self) -> bool:
        return self.feedback is not None and self.feedback.isCanceled()
