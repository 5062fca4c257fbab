"""Progress and cancellation inside one model pass (issue 27: a cancel that stops within seconds).

A batch of base-model tiles takes tens of seconds on a CPU; the caller learns how far the pass
is, and can stop it, at every half transformer block (after the attention, after the MLP:
:meth:`~.network.Block.forward`). :class:`PassSteps` counts those parts and turns them into a
fraction of the pass.
"""
from __future__ import annotations

from typing import Callable, Optional

StepCallback = Callable[[float], None]


class PassSteps:
    """Counts the half blocks of one pass and reports ``done / total`` (in [0, 1]) to ``step``.

    ``step`` may raise (e.g. :class:`~planaura_plugin.errors.Cancelled`) to end the pass: the
    exception leaves the network call as it is raised, nothing of the batch is kept.
    """

    def __init__(self, step: Optional[StepCallback], total_parts: int) -> None:
        """Args:
            step: the caller's callback, or None (then :meth:`hook` is None and nothing is counted).
            total_parts: half blocks the pass will run (2 per block per encoder or decoder call).
        """
        self.step = step
        self.total = max(1, int(total_parts))
        self.done = 0

    @property
    def hook(self) -> Optional[Callable[[], None]]:
        """The ``after_part`` callable to hand to the network, or None without a callback."""
        return None if self.step is None else self._after_part

    def _after_part(self) -> None:
        self.done += 1
        assert self.step is not None  # hook is None otherwise
        self.step(min(1.0, self.done / self.total))


def pass_parts(depth: int, encoder_calls: int, decoder_depth: int = 0) -> int:
    """Half blocks of one pass: 2 per encoder block per encoder call, 2 per decoder block.

    Args:
        depth: encoder blocks.
        encoder_calls: 1 at stride p; the number of sub-grid chunks at stride 1.
        decoder_depth: decoder blocks when the reconstruction is asked for, else 0.
    """
    return 2 * depth * max(1, encoder_calls) + 2 * decoder_depth
