"""What `make setup` leaves for qgis_process: the plugin linked and enabled in the user's default
profile, its dependencies in the plugin-owned folder, and a run that works from a new shell.

These tests read the machine's real profile, so they only run where setup installed the plugin
from this checkout (`make test` runs setup first); elsewhere they skip.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _dependencies():
    spec = importlib.util.spec_from_file_location("planaura_services_dependencies_installed",
                                                  REPO / "plugin_services" / "dependencies.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


deps = _dependencies()
# the profile a new shell's qgis_process uses (pytest-qgis points QGIS_CUSTOM_CONFIG_PATH elsewhere)
SHELL_ENV = {k: v for k, v in os.environ.items()
             if k not in {"QGIS_CUSTOM_CONFIG_PATH", "QGIS_PLUGINPATH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV",
                          "PLANAURA_DEPS_DIR"}}
SHELL_ENV["QT_QPA_PLATFORM"] = "offscreen"
PROFILE = deps.default_profile_dir(env=SHELL_ENV)
LINK = PROFILE / "python" / "plugins" / "planaura_qgis"
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")

pytestmark = pytest.mark.skipif(
    not (LINK.is_symlink() and LINK.resolve() == REPO.resolve() and QGIS_PROCESS),
    reason="the plugin is not installed from this checkout (run `make setup`)")


def test_setup_enabled_the_plugin_in_the_profile():
    ini = (PROFILE / "QGIS" / "QGIS3.ini").read_text(encoding="utf-8")
    assert "[PythonPlugins]" in ini and "planaura_qgis=true" in ini


@pytest.mark.skipif(os.environ.get("PLANAURA_PROFILE_DEPS") == "0",
                    reason="scripts/qgis_chroot.sh built this QGIS without the plugin's dependencies in its "
                           "profile (Debian 13: a second 5 GB CUDA torch; PROFILE_DEPS=1 installs them)")
def test_setup_installed_the_dependencies_for_qgis_python():
    folder = deps.deps_dir(PROFILE, env=SHELL_ENV)
    stamp = deps.read_stamp(folder)
    assert stamp is not None, f"no dependency stamp in {folder}"
    assert any(c.startswith("numpy==") or c == "numpy<2" for c in stamp["constraints"])
    code = (f"import sys; sys.path.insert(0, {str(folder)!r}); import torch, huggingface_hub, numpy, osgeo; "
            "print(torch.__version__, numpy.__version__)")
    done = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=SHELL_ENV)
    assert done.returncode == 0, done.stderr
    torch_version, numpy_version = done.stdout.split()
    assert torch_version.split("+")[0] == deps.torch_pin()
    # QGIS's own numpy (1.x on Debian 12, 2.x on Debian 13) is the one pip was constrained to, never replaced
    assert f"numpy=={numpy_version}" in stamp["constraints"]


def test_qgis_process_loads_the_plugin_from_the_profile():
    done = subprocess.run([QGIS_PROCESS, "plugins"], capture_output=True, text=True, env=SHELL_ENV, timeout=300)
    assert "* planaura_qgis" in done.stdout, done.stdout + done.stderr


def test_qgis_process_runs_the_change_map_from_a_new_shell(tmp_path, pair_a, tiny_model):
    """No PYTHONPATH, no venv: torch comes from the plugin's own folder, as for a user."""
    out = tmp_path / "change.tif"
    args = [QGIS_PROCESS, "run", "planaura:changemap", "--", f"BEFORE={pair_a['before']}",
            f"AFTER={pair_a['after']}", f"OUTPUT={out}"]
    args += [f"{key}={value}" for key, value in tiny_model.items() if key != "HALF_PRECISION"]
    done = subprocess.run(args, capture_output=True, text=True, env=SHELL_ENV, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert out.is_file() and out.with_suffix(".qml").is_file()
