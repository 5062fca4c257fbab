"""Install dependencies without internet: pip's failures told in plain words (plugin_services/pip_failures.py,
on recorded pip outputs in data/pip_outputs/), and the offline route (plugin_services/offline_wheels.py): a
``pip download`` command for QGIS's platform and Python that pip accepts, and an install that
reads only a wheel folder. No QGIS needed."""
from __future__ import annotations

import importlib.util
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OUTPUTS = Path(__file__).parent / "data" / "pip_outputs"


def _load(name: str):
    path = REPO / "plugin_services" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"planaura_services_{name}_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


failures = _load("pip_failures")
offline = _load("offline_wheels")


@pytest.mark.parametrize("recorded, offline_run, kind, package", [
    ("proxy.txt", False, failures.PROXY, "torch==2.13.0"),
    ("no_connection.txt", False, failures.NO_CONNECTION, "torch==2.13.0"),
    ("no_connection_windows.txt", False, failures.NO_CONNECTION, "huggingface_hub==2.4.0"),
    ("ssl.txt", False, failures.SSL, "torch==2.13.0+cpu"),
    ("no_space.txt", False, failures.NO_SPACE, None),
    ("not_in_folder.txt", True, failures.NOT_IN_FOLDER, "torch==2.13.0"),
    ("no_matching_online.txt", False, failures.NO_MATCHING, "torch==2.13.0"),
    ("permission.txt", False, failures.PERMISSION, None),
    ("unknown.txt", False, failures.UNKNOWN, None),
])
def test_recorded_pip_outputs_are_classified(recorded, offline_run, kind, package):
    text = (OUTPUTS / recorded).read_text(encoding="utf-8")
    found = failures.classify_pip_output(text, offline=offline_run)
    assert found.kind == kind
    assert found.package == package
    assert found.error_line == failures.last_error_line(text.splitlines())
    assert found.error_line.startswith("ERROR:")


def test_every_recorded_output_is_tested():
    """A recording added to data/pip_outputs/ without its case above fails here."""
    tested = {"proxy", "no_connection", "no_connection_windows", "ssl", "no_space", "not_in_folder",
              "no_matching_online", "permission", "unknown"}
    assert {p.stem for p in OUTPUTS.glob("*.txt")} == tested


def test_an_offline_run_never_blames_the_network():
    text = (OUTPUTS / "not_in_folder.txt").read_text(encoding="utf-8")
    assert failures.classify_pip_output(text, offline=False).kind == failures.NO_MATCHING
    assert failures.classify_pip_output("", offline=True) == failures.PipFailure(failures.UNKNOWN, None, "")


@pytest.mark.parametrize("platform, first_tag", [
    ("linux-x86_64", "manylinux_2_28_x86_64"), ("linux-aarch64", "manylinux_2_28_aarch64"),
    ("win-amd64", "win_amd64"), ("macosx-11.0-arm64", "macosx_14_0_arm64"),
    ("macosx-10.9-x86_64", "macosx_12_0_x86_64")])
def test_download_command_names_the_platform_and_python(platform, first_tag):
    command = offline.pip_download_command(["torch==2.13.0", "numpy==1.26.4"], (3, 12), platform)
    args = command.split()  # nothing here needs quoting
    assert args[:4] == ["python", "-m", "pip", "download"]
    assert args[args.index("--python-version") + 1] == "3.12"
    assert "--only-binary=:all:" in args
    assert args[args.index("--platform") + 1] == first_tag
    assert args[-2:] == ["torch==2.13.0", "numpy==1.26.4"]


def test_download_command_refuses_a_platform_without_torch_wheels():
    with pytest.raises(ValueError, match="sunos"):
        offline.pip_download_command(["torch==2.13.0"], (3, 11), "sunos-5.11-i86pc")
    with pytest.raises(ValueError):
        offline.pip_download_command([], (3, 11), "linux-x86_64")


def test_pip_accepts_the_download_command(tmp_path):
    """pip parses the command (its options together are valid): run it against an empty local index,
    it fails for want of the wheel, not on its arguments (pip's usage error is exit status 2)."""
    command = offline.pip_download_command(["torch==2.13.0"], sys.version_info, None,
                                           index_url="https://download.pytorch.org/whl/cpu",
                                           folder=str(tmp_path / "wheels dir"))
    args = shlex.split(command)
    args[0] = sys.executable
    args = [a for i, a in enumerate(args) if a != "--extra-index-url" and args[i - 1] != "--extra-index-url"]
    args[4:4] = ["--no-index", "--find-links", str(tmp_path)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert failures.classify_pip_output(done.stdout + done.stderr, offline=True).kind == failures.NOT_IN_FOLDER


def _wheel(folder: Path, name: str, version: str) -> Path:
    """A pure-Python wheel of one module ``<name>.py`` holding ``VERSION``."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {f"{name}.py": f"VERSION = {version!r}\n",
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    files[f"{info}/RECORD"] = "".join(f"{n},,\n" for n in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as zf:
        for member, text in files.items():
            zf.writestr(member, text)
    return path


def test_offline_install_reads_only_the_wheel_folder(tmp_path):
    """The dialog's pip command, made offline, installs from the folder (an index URL that cannot be
    reached is dropped: without the rewrite pip would try it)."""
    wheels, target = tmp_path / "wheels", tmp_path / "target"
    wheels.mkdir()
    _wheel(wheels, "planaura_offline_probe", "1.2")
    online = [sys.executable, "-m", "pip", "install", "--target", str(target), "--upgrade", "--no-input",
              "--disable-pip-version-check", "--extra-index-url", "http://127.0.0.1:9/simple",
              "planaura_offline_probe==1.2"]
    cmd = offline.offline_install_command(online, str(wheels))
    assert cmd[3:7] == ["install", "--no-index", "--find-links", str(wheels)]
    assert "--extra-index-url" not in cmd and "http://127.0.0.1:9/simple" not in cmd
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "planaura_offline_probe.py").read_text() == "VERSION = '1.2'\n"
    missing = subprocess.run(offline.offline_install_command(online[:-1] + ["torch==2.13.0"], str(wheels)),
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0
    assert failures.classify_pip_output(missing.stdout + missing.stderr, offline=True).kind == failures.NOT_IN_FOLDER
