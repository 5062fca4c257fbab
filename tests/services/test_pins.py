"""plugin_services/pins.py: requirement lines with environment markers, evaluated for QGIS's Python."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker

REPO = Path(__file__).resolve().parents[2]
PYENV = Path("/root/.pyenv/versions")


def _load():
    spec = importlib.util.spec_from_file_location("planaura_services_pins_test", REPO / "plugin_services" / "pins.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


pins = _load()

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.8", "3.1", "4.0"]
PLATFORMS = ["linux", "win32", "darwin", "cygwin"]


def _environment(python: str, platform: str, micro: int = 0):
    env = dict(pins.marker_environment())
    env.update(python_version=python, python_full_version=f"{python}.{micro}", sys_platform=platform)
    return env


@st.composite
def comparisons(draw):
    variable = draw(st.sampled_from(["python_version", "python_full_version", "sys_platform"]))
    if variable == "sys_platform":
        op = draw(st.sampled_from(["==", "!=", "in", "not in"]))
        value = draw(st.sampled_from(PLATFORMS + ["lin", "win"]))
    else:
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~="]))
        value = draw(st.sampled_from(PYTHONS + ["3.9.1", "3.10.0", "3.13.5"]))
    quote = draw(st.sampled_from(["'", '"']))
    if draw(st.booleans()) and op not in ("in", "not in"):
        return f"{quote}{value}{quote} {op} {variable}"
    return f"{variable} {op} {quote}{value}{quote}"


markers = st.recursive(comparisons(), lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
    inner.map(lambda m: f"({m})")), max_leaves=6)


@settings(max_examples=400, deadline=None)
@given(markers, st.sampled_from(PYTHONS), st.sampled_from(PLATFORMS), st.integers(0, 9))
def test_the_small_evaluator_agrees_with_packaging(marker, python, platform, micro):
    """Where packaging is missing (some QGIS Pythons), the fallback gives pip's answer."""
    env = _environment(python, platform, micro)
    assert pins.evaluate_simple(marker, env) == Marker(marker).evaluate(env), marker


@pytest.mark.parametrize("marker", ['python_version <', 'python_version < "3.10" and', '(python_version < "3.10"',
                                    'unknown_variable == "x"', 'sys_platform < "linux"', 'python_version ~= "3"',
                                    'python_version < "3.10")'])
def test_the_small_evaluator_refuses_what_it_cannot_read(marker):
    with pytest.raises(ValueError):
        pins.evaluate_simple(marker, _environment("3.11", "linux"))


def test_lines_are_parsed_with_their_markers():
    assert pins.parse_line('torch==2.8.0; python_version < "3.10"  # comment') == pins.PinLine(
        "torch", "2.8.0", 'python_version < "3.10"')
    assert pins.parse_line("pyarrow == 18.0.0") == pins.PinLine("pyarrow", "18.0.0", None)
    for line in ("# torch==1.0", "", "-r requirements.txt", "pyyaml>=5.4", "torch"):
        assert pins.parse_line(line) is None


def test_select_pins_takes_the_line_of_each_python_and_refuses_two():
    lines = ['torch==2.13.0; python_version >= "3.10"', 'torch==2.8.0; python_version < "3.10"', "pyarrow==18.0.0"]
    assert pins.select_pins(lines, _environment("3.9", "win32")) == {"torch": ("torch", "2.8.0"),
                                                                     "pyarrow": ("pyarrow", "18.0.0")}
    assert pins.select_pins(lines, _environment("3.13", "linux"))["torch"] == ("torch", "2.13.0")
    with pytest.raises(ValueError, match="pinned twice"):
        pins.select_pins(lines + ["Torch==2.9.0"], _environment("3.12", "linux"))


def test_environment_of_another_python_is_its_own():
    """The installer may run pip with another interpreter (--python): its markers are asked to it."""
    assert pins.environment_of(None) == pins.marker_environment()
    assert pins.environment_of(sys.executable)["python_version"] == "%d.%d" % sys.version_info[:2]
    others = sorted(PYENV.glob("3.9*/bin/python")) + sorted(PYENV.glob("3.13*/bin/python"))
    if not others:
        pytest.skip("no other Python here (pyenv 3.9 / 3.13)")
    for python in others:
        version = subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        env = pins.environment_of(str(python))
        assert env["python_version"] == version
        assert set(env) == set(pins.marker_environment())
        assert Marker('python_version < "3.10"').evaluate(env) == (version == "3.9")
