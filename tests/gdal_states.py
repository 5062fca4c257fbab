"""GDAL's Python exceptions state for the tests: the two states a session of the plugin meets.

- "off": QGIS 3.22, a plain Python: gdal, ogr and osr return None / error codes.
- "on": QGIS >= 3.40 once its Processing plugin is imported: its modules call
  ``UseExceptions()`` for gdal, then ogr, then osr, so all three raise ``RuntimeError``.

On GDAL 3.6 the bindings keep a stack of the modules' error handlers and
``DontUseExceptions()`` refuses a module that is not on top of it ("Cannot call
gdal.DontUseExceptions() at that point since the stack of error handlers is: osr ogr gdal").
So a state is left in the reverse order it was entered, and switching exceptions off tries
the modules until the one on top gives way; when none does, the "off" variant is skipped
with the reason (the state cannot be switched back in this process). GDAL >= 3.7 has
``gdal.ExceptionMgr``, but only per module, and not on this machine's GDAL 3.6.2.
"""
from __future__ import annotations

import contextlib
from typing import Iterator, List, Tuple

import pytest

MODULE_NAMES = ("gdal", "ogr", "osr")  # the order QGIS's Processing turns them on


def _modules():
    from osgeo import gdal, ogr, osr

    return {"gdal": gdal, "ogr": ogr, "osr": osr}


def states() -> Tuple[int, ...]:
    """``GetUseExceptions()`` of gdal, ogr and osr (1 = on)."""
    modules = _modules()
    return tuple(int(modules[name].GetUseExceptions()) for name in MODULE_NAMES)


def _switch_on(changed: List[str]) -> None:
    modules = _modules()
    for name in MODULE_NAMES:
        if not modules[name].GetUseExceptions():
            modules[name].UseExceptions()
            changed.append(name)


def _switch_off(changed: List[str]) -> str:
    """Turn each module's exceptions off, top of GDAL's handler stack first; '' or why not."""
    modules = _modules()
    refusal = ""
    pending = [name for name in reversed(MODULE_NAMES) if modules[name].GetUseExceptions()]
    while pending:
        for name in list(pending):
            try:
                modules[name].DontUseExceptions()
            except RuntimeError as exc:  # GDAL 3.6: not on top of the handler stack
                refusal = str(exc)
                continue
            changed.append(name)
            pending = [n for n in pending if modules[n].GetUseExceptions()]  # GDAL >= 3.7 switches all
            break
        else:
            return refusal or f"{pending} stay on"
    return ""


def _restore(on: bool, changed: List[str]) -> None:
    """Undo the switches, last first (so that GDAL's handler stack is as it was)."""
    modules = _modules()
    for name in reversed(changed):
        if modules[name].GetUseExceptions() == int(on):
            (modules[name].DontUseExceptions if on else modules[name].UseExceptions)()


@contextlib.contextmanager
def exceptions(on: bool) -> Iterator[Tuple[int, ...]]:
    """Run the block with gdal, ogr and osr exceptions all on (QGIS >= 3.40) or all off (3.22).

    The state before is restored afterwards. The block must not change the state (the plugin
    never switches it): an AssertionError says so when it did.

    Yields:
        The state set, as :func:`states` gives it.

    Raises:
        pytest.skip.Exception: exceptions cannot be switched off in this process (GDAL 3.6
            after another module stacked its handlers above).
    """
    before, changed = states(), []  # type: Tuple[int, ...], List[str]
    if on:
        _switch_on(changed)
    else:
        refusal = _switch_off(changed)
        if refusal:
            _restore(on, changed)
            pytest.skip(f"GDAL's exceptions cannot be switched off in this process: {refusal}")
    wanted = states()
    try:
        yield wanted
        after = states()
    finally:
        _restore(on, changed)
    assert after == wanted, f"the GDAL exceptions state (gdal, ogr, osr) changed during the test: {wanted} -> {after}"
    assert states() == before, f"the GDAL exceptions state was not restored: {before} -> {states()}"
