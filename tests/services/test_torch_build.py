"""plugin_services/torch_build.py: the PyTorch build chosen from recorded nvidia-smi outputs, and the pip
command for it.

No network: the pip commands are composed and checked, never run.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load():
    """plugin_services/dependencies.py by file path, as scripts/setup.sh runs it (it loads torch_build.py beside it)."""
    spec = importlib.util.spec_from_file_location("planaura_services_dependencies_tb",
                                                  REPO / "plugin_services" / "dependencies.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


deps = _load()
tb = deps.torch_build
DATA = Path(__file__).resolve().parent / "data" / "nvidia_smi"
ALL_BUILDS = ("cu118", "cu121", "cu124", "cu126", "cu128", "cu129", "cu130")
PINS = {"torch": "2.13.0", "huggingface_hub": "2.4.0", "scikit-learn": "1.4.2",
        "pyarrow": "15.0.2"}


def smi(name: str, returncode: int = 0) -> "tb.SmiResult":
    return tb.SmiResult(found=True, returncode=returncode, stdout=(DATA / name).read_text())


@pytest.mark.parametrize("name, driver, gpu", [
    ("linux_470_query.txt", "470.256.02", "Tesla K80"),
    ("linux_470_banner.txt", "470.256.02", None),
    ("linux_525_query.txt", "525.147.05", "Tesla T4"),
    ("linux_550_query.txt", "550.54.15", "NVIDIA GeForce RTX 4090"),
    ("windows_551_query.txt", "551.86", "NVIDIA GeForce RTX 3060 Laptop GPU"),
    ("linux_570_query.txt", "570.133.07", "NVIDIA RTX A4000"),
    ("linux_570_banner.txt", "570.133.07", None),
    ("windows_572_query.txt", "572.83", "NVIDIA GeForce RTX 5080"),
    ("failing.txt", None, None),
])
def test_parse_recorded_nvidia_smi_outputs(name, driver, gpu):
    assert tb.parse_nvidia_smi((DATA / name).read_text()) == (driver, gpu)


@pytest.mark.parametrize("platform, name, kind, tag, reason, needed", [
    # the builds published for the pinned torch: cu126, cu128, cu130
    ("linux", "linux_470_query.txt", "cpu", "cpu", "driver_too_old", "560.28.03"),
    ("linux", "linux_525_query.txt", "cpu", "cpu", "driver_too_old", "560.28.03"),
    ("linux", "linux_550_query.txt", "cpu", "cpu", "driver_too_old", "560.28.03"),
    ("win32", "windows_551_query.txt", "cpu", "cpu", "driver_too_old", "560.76"),
    ("linux", "linux_570_query.txt", "cuda", "cu128", "driver", "570.26"),
    ("linux", "linux_570_banner.txt", "cuda", "cu128", "driver", "570.26"),
    ("win32", "windows_572_query.txt", "cuda", "cu128", "driver", "570.65"),
])
def test_build_matches_the_driver(platform, name, kind, tag, reason, needed):
    build = tb.choose_torch_build(platform, smi(name))
    assert (build.kind, build.tag, build.reason, build.needed_driver) == (kind, tag, reason, needed)
    assert build.index_url == f"https://download.pytorch.org/whl/{tag}"


@pytest.mark.parametrize("platform, name, tag", [
    # with every CUDA build NVIDIA's table knows: the newest one each driver supports
    ("linux", "linux_470_query.txt", None),  # 470 < 520.61.05 (CUDA 11.8)
    ("linux", "linux_525_query.txt", "cu118"),  # 525.147.05 >= 520.61.05, < 530.30.02 (12.1)
    ("linux", "linux_550_query.txt", "cu124"),  # >= 550.54.14, < 560.28.03 (12.6)
    ("win32", "windows_551_query.txt", "cu124"),  # Windows: 551.86 >= 551.61, < 560.76 (12.6)
    ("linux", "linux_570_query.txt", "cu128"),  # >= 570.26, < 575.51.03 (12.9)
    ("win32", "windows_572_query.txt", "cu128"),  # >= 570.65, < 576.02
])
def test_newest_compatible_cuda_among_all_builds(platform, name, tag):
    driver, _gpu = tb.parse_nvidia_smi((DATA / name).read_text())
    assert tb.newest_cuda_build(driver, platform == "win32", ALL_BUILDS)[0] == tag


def test_no_driver_or_failing_driver_gives_the_cpu_build():
    absent = tb.choose_torch_build("linux", tb.SmiResult(found=False))
    assert (absent.kind, absent.tag, absent.reason) == ("cpu", "cpu", "no_nvidia_smi")
    failing = tb.choose_torch_build("win32", smi("failing.txt", returncode=9))
    assert (failing.kind, failing.tag, failing.reason) == ("cpu", "cpu", "nvidia_smi_failed")
    assert failing.detail.startswith("NVIDIA-SMI has failed because it couldn't communicate")
    assert failing.index_url == "https://download.pytorch.org/whl/cpu"


def test_macos_gets_the_default_wheel_with_mps():
    build = tb.choose_torch_build("darwin", tb.SmiResult(found=False))
    assert (build.kind, build.tag, build.index_url, build.reason) == ("default", None, None, "apple")
    assert "mps" in build.describe()


def _command(tmp_path, build):
    reqs = deps.runtime_requirements(PINS)
    return deps.pip_command("/usr/bin/python3", tmp_path / "py3.11", reqs, tmp_path / "c.txt", build)


def test_pip_command_for_a_cuda_machine(tmp_path):
    cmd = _command(tmp_path, tb.choose_torch_build("linux", smi("linux_570_query.txt")))
    assert cmd[cmd.index("--extra-index-url") + 1] == "https://download.pytorch.org/whl/cu128"
    assert "torch==2.13.0+cu128" in cmd and "torch==2.13.0" not in cmd
    # the other packages keep their PyPI pins; numpy is only a constraint
    assert {"huggingface_hub==2.4.0", "scikit-learn==1.4.2", "pyarrow==15.0.2"} <= set(cmd)
    assert cmd[cmd.index("--constraint") + 1] == str(tmp_path / "c.txt")
    assert not any(arg.startswith("numpy") for arg in cmd)


@pytest.mark.parametrize("platform, smi_result", [
    ("linux", tb.SmiResult(found=False)),
    ("win32", tb.SmiResult(found=True, returncode=9, stdout=(DATA / "failing.txt").read_text())),
    ("linux", tb.SmiResult(found=True, stdout=(DATA / "linux_470_query.txt").read_text())),
])
def test_pip_command_for_a_cpu_machine(tmp_path, platform, smi_result):
    cmd = _command(tmp_path, tb.choose_torch_build(platform, smi_result))
    assert cmd[cmd.index("--extra-index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    assert "torch==2.13.0+cpu" in cmd


def test_pip_command_for_a_mac_and_without_torch(tmp_path):
    cmd = _command(tmp_path, tb.choose_torch_build("darwin", tb.SmiResult(found=False)))
    assert "torch==2.13.0" in cmd and "--extra-index-url" not in cmd
    # torch already installed: no PyTorch index, even for a CUDA machine
    reqs = [r for r in deps.runtime_requirements(PINS) if r.name == "pyarrow"]
    cmd = deps.pip_command("py", tmp_path, reqs, tmp_path / "c.txt",
                           tb.choose_torch_build("linux", smi("linux_570_query.txt")))
    assert "--extra-index-url" not in cmd and cmd[-1] == "pyarrow==15.0.2"


def test_run_nvidia_smi_absent_failing_and_working():
    assert tb.run_nvidia_smi(which=lambda _name: None) == tb.SmiResult(found=False)
    calls = []

    def fake_run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 9, stdout=(DATA / "failing.txt").read_text(), stderr="")

    failed = tb.run_nvidia_smi(run=fake_run, which=lambda _name: "/usr/bin/nvidia-smi")
    assert calls == [["/usr/bin/nvidia-smi", "--query-gpu=driver_version,name", "--format=csv,noheader"]]
    assert (failed.found, failed.returncode) == (True, 9)

    def hanging(args, **kwargs):
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    hung = tb.run_nvidia_smi(run=hanging, which=lambda _name: "/usr/bin/nvidia-smi")
    assert hung.returncode == -1 and "TimeoutExpired" in hung.stderr
    assert tb.choose_torch_build("linux", hung).reason == "nvidia_smi_failed"


def test_a_cpu_torch_on_a_cuda_machine_is_replaced():
    cuda = tb.choose_torch_build("linux", smi("linux_570_query.txt"))
    cpu = tb.choose_torch_build("linux", tb.SmiResult(found=False))
    assert tb.build_mismatch("2.13.0+cpu", cuda, "linux") is True
    assert tb.build_mismatch("2.13.0", cuda, "win32") is True  # PyPI's Windows wheel is CPU only
    assert tb.build_mismatch("2.13.0", cuda, "linux") is False  # PyPI's Linux wheel has CUDA
    assert tb.build_mismatch("2.13.0+cu126", cuda, "linux") is False
    assert tb.build_mismatch("2.13.0+cpu", cpu, "linux") is False
    assert tb.build_mismatch(None, cuda, "linux") is False


def test_the_cuda_builds_follow_the_torch_pinned_for_this_python(monkeypatch):
    """Python 3.9 gets torch 2.8.0, whose newest CUDA build is 12.9 (13.0 came with 2.9): a new driver
    must not be offered a build that does not exist for that torch."""
    new_driver = tb.SmiResult(found=True, stdout="580.65.06, NVIDIA RTX A4000\n")
    assert tb.choose_torch_build("linux", new_driver, tb.CUDA_BUILDS_BY_TORCH["2.13.0"]).tag == "cu130"
    assert tb.choose_torch_build("linux", new_driver, tb.CUDA_BUILDS_BY_TORCH["2.8.0"]).tag == "cu129"
    seen = []
    monkeypatch.setattr(tb, "run_nvidia_smi", lambda: new_driver)
    monkeypatch.setattr(tb, "choose_torch_build", lambda platform, smi, builds: seen.append(builds))
    for version in ("2.8.0", "2.8.0+cpu", "2.13.0", None):
        tb.torch_build_for_this_machine(version)
    assert seen == [tb.CUDA_BUILDS_BY_TORCH["2.8.0"]] * 2 + [tb.TORCH_CUDA_BUILDS] * 2
