"""plugin_services/dependencies.py: the plugin's dependency folder, pip command line and numpy constraint."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load():
    """plugin_services/dependencies.py by file path: it has no Qt or package-relative imports on purpose."""
    spec = importlib.util.spec_from_file_location("planaura_services_dependencies",
                                                  REPO / "plugin_services" / "dependencies.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


deps = _load()


def test_pins_come_from_requirements_txt():
    pins = deps.read_pins(REPO / "requirements.txt")
    assert pins["torch"] == "2.13.0"
    reqs = {r.name: r for r in deps.runtime_requirements(pins)}
    assert reqs["torch"].spec == "torch==2.13.0"
    assert "einops" not in reqs  # never imported: not installed
    assert reqs["huggingface_hub"].spec == f"huggingface_hub=={pins['huggingface_hub']}"
    assert reqs["pyyaml"].module == "yaml"


def test_dask_is_installed_only_on_request_with_its_pins():
    pins = deps.read_pins(REPO / "requirements.txt")
    assert "dask" not in {r.name for r in deps.runtime_requirements(pins)}
    extra = {r.name: r.spec for r in deps.runtime_requirements(pins, extras=("distributed",))}
    assert extra["dask"] == f"dask=={pins['dask']}" and extra["distributed"] == f"distributed=={pins['distributed']}"
    assert pins["dask"] == pins["distributed"]  # released together; distributed pins its dask


def test_missing_requirements_file_falls_back_to_known_pins(tmp_path):
    assert deps.read_pins(tmp_path / "absent.txt")["torch"] == "2.13.0"


def _environment(python: str, platform: str = "linux"):
    env = dict(deps.pins.marker_environment())
    env.update(python_version=python, python_full_version=python + ".0", sys_platform=platform)
    return env


@pytest.mark.parametrize("python", ["3.9", "3.10", "3.11", "3.12", "3.13"])
@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_python_qgis_ships_gets_one_pin_of_each_package(tmp_path, python, platform):
    """Python 3.9 (QGIS 3.22-3.28 on Windows and macOS) to 3.13 (Debian 13): each runtime package has
    exactly one pin, the fallback of the installer gives the same pins as requirements.txt, and Dask
    (Python 3.10+) is absent only where no release has the pinned version's wheels."""
    env = _environment(python, platform)
    pinned = deps.read_pins(REPO / "requirements.txt", env)
    assert deps.read_pins(tmp_path / "absent.txt", env) == pinned
    required = {deps.normalise_name(name) for name, _module in deps.RUNTIME_PACKAGES} - {"pyyaml"}
    assert required <= set(pinned)
    assert pinned["torch"] == ("2.8.0" if python == "3.9" else "2.13.0")
    assert pinned["huggingface_hub"] == ("1.8.0" if python == "3.9" else "2.4.0")
    assert ("dask" in pinned) == (python != "3.9")
    assert deps.torch_pin(pinned) in deps.torch_build.CUDA_BUILDS_BY_TORCH


def test_the_fallback_pins_are_the_lines_of_requirements_txt():
    lines = [line for line in (REPO / "requirements.txt").read_text().splitlines() if deps.pins.parse_line(line)]
    assert [deps.pins.parse_line(line) for line in lines] == [deps.pins.parse_line(p) for p in deps.FALLBACK_PINS]


def test_optional_packages_get_their_own_pip_call():
    reqs = deps.runtime_requirements({"torch": "2.13.0", "pyarrow": "18.0.0", "scikit-learn": "1.5.2"})
    steps = deps.install_steps(reqs)
    assert [[r.name for r in step] for step in steps] == [["torch", "huggingface_hub", "pyyaml", "pystac-client",
                                                           "pystac"], ["scikit-learn"], ["pyarrow"]]
    only_optional = [r for r in reqs if r.name == "pyarrow"]
    assert deps.install_steps(only_optional) == [only_optional]
    assert deps.install_steps([]) == []


def test_pip_command_installs_pinned_packages_into_the_target(tmp_path):
    reqs = deps.runtime_requirements({"torch": "2.13.0", "huggingface_hub": "2.4.0"})
    cmd = deps.pip_command("/usr/bin/python3", tmp_path / "py3.11", reqs, tmp_path / "c.txt")
    assert cmd[:4] == ["/usr/bin/python3", "-m", "pip", "install"]
    assert cmd[cmd.index("--target") + 1] == str(tmp_path / "py3.11")
    assert cmd[cmd.index("--constraint") + 1] == str(tmp_path / "c.txt")
    assert "--upgrade" in cmd
    assert {"torch==2.13.0", "huggingface_hub==2.4.0", "pyyaml>=5.4"} <= set(cmd)
    assert not any(arg.startswith("numpy") for arg in cmd), "numpy is never a requirement, only a constraint"
    with pytest.raises(ValueError):
        deps.pip_command("python", tmp_path, [], tmp_path / "c.txt")


def test_constraints_keep_qgis_numpy_and_never_allow_numpy_2():
    assert "numpy==1.24.2" in deps.constraints_text("1.24.2").splitlines()
    assert "numpy<2" in deps.constraints_text(None).splitlines()
    import numpy

    assert f"numpy=={numpy.__version__}" in deps.constraints_text(deps.numpy_version()).splitlines()
    assert deps.numpy_version(sys.executable) == numpy.__version__


def test_prepare_install_writes_the_constraints_file(tmp_path):
    target = tmp_path / "planaura_deps" / "py3.11"
    reqs = deps.runtime_requirements()
    cmd, stamp = deps.prepare_install(target, reqs, "/usr/bin/python3", "1.24.2")
    constraints = Path(cmd[cmd.index("--constraint") + 1])
    assert constraints.parent == target.parent
    assert "numpy==1.24.2" in constraints.read_text().splitlines()
    scipy = deps.system_version("scipy")  # this interpreter's, as QGIS's own in the plugin
    assert stamp["constraints"] == ["numpy==1.24.2"] + ([f"scipy=={scipy}"] if scipy else [])
    assert "torch==2.13.0" in stamp["requirements"]
    deps.write_stamp(target, stamp)
    assert deps.read_stamp(target) == stamp


def test_scikit_learn_gets_qgis_numpy_and_scipy_never_others():
    """scikit-learn pulls numpy and scipy into the plugin's folder: pinned to QGIS's own versions."""
    text = deps.constraints_text("1.24.2", "1.10.1").splitlines()
    assert "numpy==1.24.2" in text and "scipy==1.10.1" in text
    assert not any(line.startswith("scipy") for line in deps.constraints_text("1.24.2", None).splitlines())


def test_dependency_folder_is_per_python_version_inside_the_profile(tmp_path):
    assert deps.python_tag((3, 11, 2)) == "py3.11"
    folder = deps.deps_dir(tmp_path / "profiles" / "default", (3, 12, 0), env={})
    assert folder == tmp_path / "profiles" / "default" / "python" / "planaura_deps" / "py3.12"
    assert deps.deps_dir(tmp_path, env={"PLANAURA_DEPS_DIR": "/opt/x"}) == Path("/opt/x")


def test_default_profile_follows_qgis_rules(tmp_path):
    home = tmp_path
    assert deps.default_profile_dir({}, "linux", home) == home / ".local/share/QGIS/QGIS3/profiles/default"
    assert deps.default_profile_dir({"XDG_DATA_HOME": "/x"}, "linux", home) == Path(
        "/x/QGIS/QGIS3/profiles/default")
    assert deps.default_profile_dir({"APPDATA": "C:/Users/a/AppData/Roaming"}, "win32", home) == Path(
        "C:/Users/a/AppData/Roaming/QGIS/QGIS3/profiles/default")
    mac_profile = home / "Library/Application Support/QGIS/QGIS3/profiles/default"
    assert deps.default_profile_dir({}, "darwin", home) == mac_profile
    assert deps.default_profile_dir({"QGIS_CUSTOM_CONFIG_PATH": "/c"}, "linux", home) == Path("/c/profiles/default")


def test_python_executable_inside_qgis():
    # QGIS's sys.executable is the QGIS program or a guess from PATH (a pyenv shim, another
    # Python): the interpreter beside the embedded Python's prefix wins
    found = deps.python_executable("/usr/bin/qgis", "/usr", (3, 11), "linux",
                                   exists=lambda p: p == "/usr/bin/python3.11")
    assert found == "/usr/bin/python3.11"
    shim = "/home/u/.pyenv/shims/python3"
    assert deps.python_executable(shim, "/usr", (3, 11), "linux",
                                  exists=lambda p: p in {"/usr/bin/python3.11", shim}) == "/usr/bin/python3.11"
    assert deps.python_executable(shim, "/opt/none", (3, 11), "linux", exists=lambda p: p == shim) == shim
    win = deps.python_executable("C:/OSGeo4W/bin/qgis-bin.exe", "C:/OSGeo4W/apps/Python312", (3, 12), "win32",
                                 exists=lambda p: p.endswith("Python312/python.exe"))
    assert Path(win) == Path("C:/OSGeo4W/apps/Python312/python.exe")
    # this test's own interpreter
    found = deps.python_executable()
    assert subprocess.run([found, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True,
                          check=True).stdout.strip() == sys.prefix


def test_missing_requirements_compares_pins_without_local_tags():
    reqs = deps.runtime_requirements({"torch": "2.13.0", "huggingface_hub": "2.4.0"})
    versions = {"torch": "2.13.0+cpu", "huggingface_hub": None, "pyyaml": "6.0",
                "scikit-learn": "1.4.2", "pyarrow": None, "pystac-client": "0.9.1", "pystac": "1.10.1"}
    missing = deps.missing_requirements(reqs, version_of=lambda r: versions[r.name])
    assert [r.name for r in missing] == ["huggingface_hub", "pyarrow"]


def test_add_to_sys_path_puts_the_folder_first_once(tmp_path):
    path_list = ["/usr/lib/python3/dist-packages"]
    assert not deps.add_to_sys_path(tmp_path / "absent", path_list)
    assert deps.add_to_sys_path(tmp_path, path_list)
    assert deps.add_to_sys_path(tmp_path, path_list)
    assert path_list == [str(tmp_path), "/usr/lib/python3/dist-packages"]


def test_probe_reports_the_installed_packages(tmp_path):
    status = deps.probe(tmp_path, import_torch=False)
    assert set(status.packages) == {"torch", "huggingface_hub", "pyyaml", "scikit-learn", "pyarrow", "pystac-client",
                                    "pystac"}
    assert status.packages["pyarrow"] == deps.read_pins()["pyarrow"]  # the venv of the tests has the pinned pyarrow
    assert status.torch_version is None and not status.cuda_available


def test_command_line_prints_the_folder_and_skips_a_satisfied_install(tmp_path):
    script = str(REPO / "plugin_services" / "dependencies.py")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, script, "path", "--profile", str(tmp_path)], capture_output=True,
                         text=True, check=True, env=env)
    assert out.stdout.strip() == str(tmp_path / "python" / "planaura_deps" / deps.python_tag())
    # the test interpreter already has every pinned package: nothing to install, nothing written
    out = subprocess.run([sys.executable, script, "install", "--target", str(tmp_path / "t")], capture_output=True,
                         text=True, check=True, env=env)
    assert "already has" in out.stdout
    assert not (tmp_path / "t").exists()


def test_install_into_a_folder_adds_only_what_it_lacks(tmp_path):
    """A requirement added later (pyarrow) is installed alone: torch is not downloaded again;
    another numpy in QGIS (constraints changed) installs everything again."""
    reqs = deps.runtime_requirements({"torch": "2.13.0", "einops": "0.8.2", "pyarrow": "15.0.2"})
    for name, version in (("torch", "2.13.0+cpu"), ("einops", "0.8.2"), ("pyarrow", "14.0.0")):
        info = tmp_path / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    assert deps.versions_in(tmp_path)["torch"] == "2.13.0+cpu"
    wanted = deps.stamp_content(reqs, deps.constraints_text("1.24.2"))
    old = {"requirements": ["torch==2.13.0"], "constraints": wanted["constraints"]}
    todo = deps.still_to_install(reqs, tmp_path, old, wanted)
    assert [r.spec for r in todo] == ["huggingface_hub", "pyyaml>=5.4", "scikit-learn", "pyarrow==15.0.2",
                                      "pystac-client", "pystac"]
    other_numpy = {"requirements": ["torch==2.13.0"], "constraints": ["numpy==1.26.4"]}
    assert deps.still_to_install(reqs, tmp_path, other_numpy, wanted) == list(reqs)
    assert deps.still_to_install(reqs, tmp_path, None, wanted) == list(reqs)


def _fake_pip(tmp_path, fail_on: str) -> str:
    """A "python" whose pip records its calls and fails for requirements containing ``fail_on``;
    everything else (the marker environment, numpy's version) is answered by the real Python."""
    script = tmp_path / "python"
    script.write_text(f'''#!/bin/sh
case "$*" in
  *" -m pip install "*{fail_on}*) echo "ERROR: No matching distribution found" >&2; exit 1;;
  *" -m pip install "*) echo "$*" >> "{tmp_path}/calls"; exit 0;;
  *) exec "{sys.executable}" "$@";;
esac
'''.replace('*" -m pip', '*"-m pip'))
    script.chmod(0o755)
    return str(script)


def test_an_optional_package_that_fails_never_blocks_torch(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(deps, "_versions_outside", lambda target: {})  # QGIS's Python has none of them
    target = tmp_path / "deps"
    python = _fake_pip(tmp_path, "pyarrow==")
    assert deps.install_cli(target, python) == 0
    calls = (tmp_path / "calls").read_text().splitlines()
    pinned = deps.read_pins()
    assert len(calls) == 2
    assert f"torch=={pinned['torch']}" in calls[0].split() and "pyarrow" not in calls[0]
    assert calls[1].split()[-1] == f"scikit-learn=={pinned['scikit_learn']}"
    assert f"pyarrow=={pinned['pyarrow']} was not installed" in capsys.readouterr().err
    assert deps.read_stamp(target) is not None  # the next install tries only what the folder lacks
    (tmp_path / "calls").unlink()
    assert deps.install_cli(target, _fake_pip(tmp_path, "torch==")) == 1  # the needed ones failing fails
    assert not (tmp_path / "calls").exists()
