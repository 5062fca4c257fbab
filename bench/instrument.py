"""Manual timers for the benchmark: wrap functions, sum their time per thread, keep a timeline.

cProfile sees only the thread that enabled it, and the change-map pipeline runs a reader and
a writer thread beside the model; wrapping a dozen coarse functions costs microseconds per
call (a few hundred calls per run) and tells, per thread, where the wall time went.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any, Callable, Dict, List, Optional, Tuple


class Timers:
    """Wraps ``owner.attr`` callables; records (label, thread) -> seconds, calls, and intervals."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.seconds: Dict[Tuple[str, str], float] = defaultdict(float)
        self.calls: Dict[Tuple[str, str], int] = defaultdict(int)
        self.intervals: List[Tuple[str, str, float, float]] = []  # label, thread, start, end (s from t0)
        self._patched: List[Tuple[Any, str, Any]] = []
        self._lock = threading.Lock()

    def wrap(self, owner: Any, attr: str, label: Optional[str] = None, timeline: bool = False) -> None:
        """Replace ``owner.attr`` by a timed version (restored by :meth:`restore`)."""
        original = getattr(owner, attr)
        name = label or f"{getattr(owner, '__name__', type(owner).__name__)}.{attr}"
        timers = self

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                end = time.perf_counter()
                key = (name, threading.current_thread().name)
                with timers._lock:
                    timers.seconds[key] += end - start
                    timers.calls[key] += 1
                    if timeline:
                        timers.intervals.append((name, key[1], start - timers.t0, end - timers.t0))

        timed.__wrapped__ = original  # type: ignore[attr-defined]
        # keep staticmethod-ness when patching a class attribute
        raw = owner.__dict__.get(attr) if isinstance(owner, type) else None
        setattr(owner, attr, staticmethod(timed) if isinstance(raw, staticmethod) else timed)
        self._patched.append((owner, attr, raw if raw is not None else original))

    def restore(self) -> None:
        for owner, attr, original in reversed(self._patched):
            setattr(owner, attr, original)
        self._patched.clear()

    def table(self) -> Dict[str, Dict[str, Dict[str, float]]]:
        """{thread: {label: {"s": seconds, "calls": n}}}."""
        out: Dict[str, Dict[str, Dict[str, float]]] = defaultdict(dict)
        for (label, thread), s in sorted(self.seconds.items()):
            out[thread][label] = {"s": round(s, 4), "calls": self.calls[(label, thread)]}
        return dict(out)

    def total(self, label: str, thread: Optional[str] = None) -> float:
        return sum(s for (lab, th), s in self.seconds.items() if lab == label and (thread is None or th == thread))

    def count(self, label: str, thread: Optional[str] = None) -> int:
        return sum(n for (lab, th), n in self.calls.items() if lab == label and (thread is None or th == thread))

    def spans(self, label: str, thread: Optional[str] = None) -> List[Tuple[float, float]]:
        return [(s, e) for lab, th, s, e in self.intervals if lab == label and (thread is None or th == thread)]


def timed_call(fn: Callable[[], Any]) -> Tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


class _Stop(Exception):
    """Raised inside ``encode_dense`` to end it early."""


class StopAfterChunks:
    """Within ``with``: ``net.encode_dense`` stops after ``chunks`` chunks of sub-grid sequences per
    call (a dense tile sampled, then timed or measured by extrapolation); restored on exit.

    Attributes:
        offsets: the sub-grid offsets encoded, all calls together.
    """

    def __init__(self, net: Any, chunks: int) -> None:
        self.net, self.chunks, self.offsets = net, chunks, 0
        self.original = net.encode_dense

    def __enter__(self) -> "StopAfterChunks":
        def partial(xx, consume, opc):
            seen = [0]

            def counting(sl, normed):
                consume(sl, normed)
                self.offsets += sl.stop - sl.start
                seen[0] += 1
                if seen[0] >= self.chunks:
                    raise _Stop

            try:
                self.original(xx, counting, opc)
            except _Stop:
                pass

        self.net.encode_dense = partial
        return self

    def __exit__(self, *exc: Any) -> None:
        self.net.encode_dense = self.original
