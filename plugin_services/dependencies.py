"""The plugin's own Python packages: where they live, what pip installs there, and how.

QGIS ships its own Python, usually without PyTorch. The plugin installs the packages it
needs (pinned in ``requirements.txt``, per Python version where releases differ: :mod:`pins`)
into a folder it owns, one per Python version (``<QGIS profile>/python/planaura_deps/py3.11``),
and puts that folder at the front of ``sys.path`` when it loads. A constraints file pins the
numpy that QGIS already has (1.x or 2.x), so that pip never replaces it (GDAL's and QGIS's
bindings are built against it). The optional packages are installed by their own pip calls.

No Qt and no QGIS here: the settings dialog, the install task, ``scripts/setup.sh`` (run as
``python3 plugin_services/dependencies.py install``) and the tests all use these functions.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple



def _sibling(name: str):
    """``plugin_services/<name>.py`` loaded by path: this file also runs as a script (scripts/setup.sh) or is loaded
    by file path (tests), without its package."""
    spec = importlib.util.spec_from_file_location(f"planaura_services_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


if __package__:
    from . import pins, torch_build
else:
    pins = _sibling("pins")
    torch_build = _sibling("torch_build")

PLUGIN_DIR = Path(__file__).resolve().parents[1]
REQUIREMENTS_FILE = PLUGIN_DIR / "requirements.txt"
DEPS_FOLDER_NAME = "planaura_deps"
STAMP_NAME = ".planaura-deps.json"
CONSTRAINTS_NAME = "constraints.txt"
#: Overrides the dependency folder (tests, shared installations).
ENV_DEPS_DIR = "PLANAURA_DEPS_DIR"

#: (pip distribution name, import name) of every package the algorithms need at run time.
RUNTIME_PACKAGES: Tuple[Tuple[str, str], ...] = (
    ("torch", "torch"),
    ("huggingface_hub", "huggingface_hub"),
    ("pyyaml", "yaml"),
    ("scikit-learn", "sklearn"),  # change types (HDBSCAN)
    ("pyarrow", "pyarrow"),  # GeoParquet tables
    # STAC catalogues (Find imagery, Change map from a catalogue); pure Python, installed with torch so that
    # pystac is held at its pin in the same pip call
    ("pystac-client", "pystac_client"),
    ("pystac", "pystac"),
)
#: Packages only some outputs need (installed by the same button), with what needs them.
OPTIONAL_PACKAGES: Dict[str, str] = {"pyarrow": "GeoParquet tables (.parquet)",
                                     "scikit-learn": "change types (clustering)"}
#: Installed only on request (``dependencies.py install --with distributed``): Dask distributed
#: runs of ``python -m planaura_plugin run --scheduler ...`` (README, Running at scale).
EXTRA_PACKAGES: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "distributed": (("dask", "dask"), ("distributed", "distributed"), ("cryptography", "cryptography")),
}
#: The pins of requirements.txt, used when it is not shipped beside the plugin (it normally is);
#: a test keeps the two the same.
FALLBACK_PINS: Tuple[str, ...] = (
    'torch==2.13.0; python_version >= "3.10"', 'torch==2.8.0; python_version < "3.10"',
    'huggingface_hub==2.4.0; python_version >= "3.10"', 'huggingface_hub==1.8.0; python_version < "3.10"',
    "pyarrow==18.0.0", "scikit-learn==1.5.2",
    'dask==2026.8.0; python_version >= "3.10"', 'distributed==2026.8.0; python_version >= "3.10"',
    "cryptography==38.0.4",
    'pystac-client==0.9.1; python_version >= "3.10"', 'pystac-client==0.8.3; python_version < "3.10"',
    "pystac==1.10.1")
#: Lower bound for a package that requirements.txt leaves to the system (PyYAML).
FALLBACK_MINIMUM: Dict[str, str] = {"pyyaml": "5.4"}


@dataclass(frozen=True)
class Requirement:
    """One package the plugin needs: its pip name, import name and pinned version (if any)."""

    name: str
    module: str
    version: Optional[str] = None

    @property
    def spec(self) -> str:
        """The pip requirement string: ``torch==2.13.0`` or ``pyyaml>=5.4``."""
        if self.version:
            return f"{self.name}=={self.version}"
        minimum = FALLBACK_MINIMUM.get(self.name)
        return f"{self.name}>={minimum}" if minimum else self.name


def normalise_name(name: str) -> str:
    """PEP 503 style name used to compare distribution names (``huggingface-hub`` == ``huggingface_hub``)."""
    return re.sub(r"[-_.]+", "_", name.strip()).lower()


def read_pins(path: Path = REQUIREMENTS_FILE, environment: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """``{normalised name: version}`` of the ``name==version`` lines of a requirements file whose
    environment marker holds for ``environment`` (default: this Python's, which is QGIS's).

    Raises:
        ValueError: the file pins a package twice for that environment.
    """
    try:
        lines: Sequence[str] = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = FALLBACK_PINS
    chosen = pins.select_pins(lines, pins.marker_environment() if environment is None else environment)
    return {key: version for key, (_name, version) in chosen.items()}


def runtime_requirements(pinned: Optional[Mapping[str, str]] = None, extras: Sequence[str] = ()) -> List[Requirement]:
    """The packages of :data:`RUNTIME_PACKAGES` (and of the :data:`EXTRA_PACKAGES` groups named in
    ``extras``) with the versions pinned in requirements.txt for this Python."""
    pinned = read_pins() if pinned is None else {normalise_name(k): v for k, v in pinned.items()}
    packages = list(RUNTIME_PACKAGES) + [p for extra in extras for p in EXTRA_PACKAGES[extra]]
    return [Requirement(name, module, pinned.get(normalise_name(name))) for name, module in packages]


def install_steps(requirements: Sequence[Requirement]) -> List[List[Requirement]]:
    """The pip calls that install ``requirements``: the needed packages together, then each optional
    package (:data:`OPTIONAL_PACKAGES`) alone, so that one without a wheel for this Python or numpy
    can never keep PyTorch from being installed."""
    needed = [r for r in requirements if r.name not in OPTIONAL_PACKAGES]
    return ([needed] if needed else []) + [[r] for r in requirements if r.name in OPTIONAL_PACKAGES]


def torch_pin(pinned: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The torch version requirements.txt pins for this Python (``2.13.0``; ``2.8.0`` on Python 3.9)."""
    return (read_pins() if pinned is None else pinned).get("torch")


def python_tag(version_info: Sequence[int] = sys.version_info) -> str:
    """``py3.11``: the dependency folder is per Python version (compiled wheels are)."""
    return f"py{version_info[0]}.{version_info[1]}"


def default_profile_dir(env: Mapping[str, str] = os.environ, platform: str = sys.platform,
                        home: Optional[Path] = None) -> Path:
    """The folder of QGIS 3's ``default`` user profile, as QGIS itself finds it.

    ``QGIS_CUSTOM_CONFIG_PATH`` wins; otherwise the platform's application-data folder.
    """
    home = Path(home) if home is not None else Path.home()
    custom = env.get("QGIS_CUSTOM_CONFIG_PATH")
    if custom:
        return Path(custom) / "profiles" / "default"
    if platform.startswith("win"):
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "QGIS" / "QGIS3"
    elif platform == "darwin":
        base = home / "Library" / "Application Support" / "QGIS" / "QGIS3"
    else:
        base = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "QGIS" / "QGIS3"
    return base / "profiles" / "default"


def deps_dir(profile_dir: Optional[Path] = None, version_info: Sequence[int] = sys.version_info,
             env: Mapping[str, str] = os.environ) -> Path:
    """``<profile>/python/planaura_deps/py3.11`` (or ``$PLANAURA_DEPS_DIR`` when set)."""
    if env.get(ENV_DEPS_DIR):
        return Path(env[ENV_DEPS_DIR])
    profile = Path(profile_dir) if profile_dir is not None else default_profile_dir(env)
    return profile / "python" / DEPS_FOLDER_NAME / python_tag(version_info)


def add_to_sys_path(folder: Path, path_list: Optional[List[str]] = None) -> bool:
    """Put ``folder`` first on ``sys.path`` if it exists; True when it is there afterwards.

    First, not last: the pinned packages (and the newer helpers torch needs, such as
    typing_extensions) must win over older copies in the system's site-packages.
    """
    path_list = sys.path if path_list is None else path_list
    folder = Path(folder)
    if not folder.is_dir():
        return False
    entry = str(folder)
    if entry not in path_list:
        path_list.insert(0, entry)
        importlib.invalidate_caches()
    return True


def system_version(module: str, python: Optional[str] = None) -> Optional[str]:
    """The version of ``module`` in QGIS's Python (this one, or ``python`` run as a subprocess), or None."""
    if python is None:
        try:
            found = __import__(module)
        except ImportError:
            return None
        return str(getattr(found, "__version__", "")) or None
    out = subprocess.run([python, "-c", f"import {module}; print({module}.__version__)"], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def numpy_version(python: Optional[str] = None) -> Optional[str]:
    """The numpy version of QGIS's Python (this one, or ``python`` run as a subprocess)."""
    return system_version("numpy", python)


def constraints_text(numpy_ver: Optional[str], scipy_ver: Optional[str] = None) -> str:
    """pip constraints that keep QGIS's numpy (its exact version, or ``numpy<2`` when it has none) and,
    when QGIS has one, its scipy: a package that needs them (scikit-learn) then gets the same versions
    in the plugin's folder, never others in front of QGIS's."""
    lines = ["# written by Planaura for QGIS: never replace the numpy QGIS and GDAL are built against"]
    lines.append(f"numpy=={numpy_ver}" if numpy_ver else "numpy<2")
    if scipy_ver:
        lines.append(f"scipy=={scipy_ver}")
    return "\n".join(lines) + "\n"


def installed_version(requirement: Requirement) -> Optional[str]:
    """Version of an installed distribution seen from ``sys.path`` now, or None."""
    from importlib import metadata

    for candidate in (requirement.name, requirement.name.replace("_", "-"), requirement.module):
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
    return None


def satisfies(installed: Optional[str], requirement: Requirement) -> bool:
    """True when ``installed`` fulfils the pin (a local tag such as ``+cpu`` is ignored)."""
    if installed is None:
        return False
    if not requirement.version:
        return True
    return installed.split("+", 1)[0] == requirement.version.split("+", 1)[0]


def missing_requirements(requirements: Iterable[Requirement],
                         version_of: Callable[[Requirement], Optional[str]] = installed_version
                         ) -> List[Requirement]:
    """The requirements that are absent or at another version than the pinned one."""
    return [r for r in requirements if not satisfies(version_of(r), r)]


def python_executable(executable: Optional[str] = None, exec_prefix: Optional[str] = None,
                      version_info: Sequence[int] = sys.version_info, platform: str = sys.platform,
                      exists: Callable[[str], bool] = os.path.isfile) -> str:
    """The interpreter of *this* Python (QGIS's), to run pip with.

    Inside QGIS ``sys.executable`` is unreliable: the embedded Python guesses it from PATH
    (a pyenv shim, another Python) or it is the QGIS program itself. The interpreter beside
    ``sys.exec_prefix`` comes first, then ``sys.executable`` if it is a Python, then PATH.
    """
    executable = sys.executable if executable is None else executable
    exec_prefix = sys.exec_prefix if exec_prefix is None else exec_prefix
    major, minor = version_info[0], version_info[1]
    prefix = Path(exec_prefix)
    if platform.startswith("win"):
        candidates = [prefix / "python.exe", prefix / "python3.exe", prefix / "bin" / "python.exe"]
    else:
        candidates = [prefix / "bin" / f"python{major}.{minor}", prefix / "bin" / f"python{major}"]
    for candidate in candidates:
        if exists(str(candidate)):
            return str(candidate)
    if executable and Path(executable).name.lower().startswith("python") and exists(executable):
        return executable
    found = shutil.which(f"python{major}.{minor}")
    if found:
        return found
    raise FileNotFoundError(f"no Python {major}.{minor} interpreter found next to {exec_prefix}; "
                            "install the packages of requirements.txt with QGIS's own Python")


def pip_command(python: str, target: Path, requirements: Iterable[Requirement],
                constraints_file: Path, build: Optional["torch_build.TorchBuild"] = None) -> List[str]:
    """The pip command line that installs ``requirements`` into ``target``.

    ``--target`` keeps QGIS's site-packages untouched (and works where the system Python is
    "externally managed"); ``--upgrade`` lets a newer pin replace an older copy in the folder.
    With a ``build`` that has a wheel index (CUDA or CPU) and torch among the requirements, torch
    is pinned with the build's local label (``torch==2.13.0+cu128``) and the PyTorch index is
    added with ``--extra-index-url`` (the other packages still come from PyPI).
    """
    specs: List[str] = []
    index: List[str] = []
    for r in requirements:
        if r.name == "torch" and r.version and build is not None and build.index_url:
            specs.append(build.torch_spec(r.version.split("+", 1)[0]))
            index = ["--extra-index-url", build.index_url]
        else:
            specs.append(r.spec)
    if not specs:
        raise ValueError("nothing to install")
    return [python, "-m", "pip", "install", "--target", str(target), "--upgrade", "--no-input",
            "--disable-pip-version-check", "--no-warn-script-location", "--progress-bar", "off",
            *index, "--constraint", str(constraints_file), *specs]


def stamp_content(requirements: Iterable[Requirement], constraints: str) -> Dict[str, object]:
    """What the stamp file records: the requirement strings and the numpy constraint."""
    return {"requirements": sorted(r.spec for r in requirements),
            "constraints": [line for line in constraints.splitlines() if line and not line.startswith("#")]}


def read_stamp(target: Path) -> Optional[Dict[str, object]]:
    try:
        return json.loads((Path(target) / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(target: Path, content: Mapping[str, object]) -> None:
    Path(target).mkdir(parents=True, exist_ok=True)
    (Path(target) / STAMP_NAME).write_text(json.dumps(dict(content), indent=1) + "\n", encoding="utf-8")


def prepare_install(target: Path, requirements: Sequence[Requirement], python: str,
                    numpy_ver: Optional[str], scipy_ver: Optional[str] = None,
                    build: Optional["torch_build.TorchBuild"] = None) -> Tuple[List[str], Dict[str, object]]:
    """Write the constraints file beside ``target`` and return (pip command, stamp content).

    ``scipy_ver`` defaults to the scipy of this interpreter (QGIS's Python, as ``numpy_ver``).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    constraints = constraints_text(numpy_ver, scipy_ver or system_version("scipy"))
    constraints_file = target.parent / f"{target.name}-{CONSTRAINTS_NAME}"
    constraints_file.write_text(constraints, encoding="utf-8")
    return (pip_command(python, target, requirements, constraints_file, build),
            stamp_content(requirements, constraints))


def _versions_outside(target: Path) -> Dict[str, Optional[str]]:
    """Installed versions seen by this interpreter without ``target`` on the path."""
    from importlib import metadata

    saved = list(sys.path)
    try:
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(target).resolve()]
        importlib.invalidate_caches()
        found: Dict[str, Optional[str]] = {}
        for req in runtime_requirements(extras=tuple(EXTRA_PACKAGES)):
            found[req.name] = None
            for dist in metadata.distributions(path=sys.path):
                if normalise_name(dist.metadata["Name"] or "") == normalise_name(req.name):
                    found[req.name] = dist.version
                    break
        return found
    finally:
        sys.path[:] = saved
        importlib.invalidate_caches()


@dataclass
class DependencyStatus:
    """What the settings dialog's dependency panel shows."""

    python: str
    folder: Path
    folder_on_path: bool
    packages: Dict[str, Optional[str]]
    torch_version: Optional[str] = None
    torch_location: Optional[str] = None
    cuda_available: bool = False
    gpu_name: Optional[str] = None
    torch_error: Optional[str] = None
    mps_available: bool = False  # torch reports the Apple GPU (macOS)

    @property
    def missing(self) -> List[str]:
        return [name for name, version in self.packages.items() if version is None]


def probe(folder: Path, import_torch: bool = True) -> DependencyStatus:
    """Versions of the runtime packages as this Python sees them; torch, CUDA and the GPU name.

    Importing torch takes a second or two; it is imported only when it is installed.
    """
    status = DependencyStatus(python=".".join(str(v) for v in sys.version_info[:3]), folder=Path(folder),
                              folder_on_path=str(folder) in sys.path,
                              packages={r.name: installed_version(r) for r in runtime_requirements()})
    if not import_torch or status.packages.get("torch") is None:
        return status
    try:
        import torch  # noqa: PLC0415 - heavy, only on request
    except Exception as exc:  # a broken install raises more than ImportError
        status.torch_error = f"{type(exc).__name__}: {exc}"
        return status
    status.torch_version = str(torch.__version__)
    status.torch_location = str(Path(torch.__file__).parent)
    try:
        status.cuda_available = bool(torch.cuda.is_available())
        if status.cuda_available:
            status.gpu_name = str(torch.cuda.get_device_name(0))
        mps = getattr(torch.backends, "mps", None)
        status.mps_available = bool(mps is not None and mps.is_available())
    except Exception as exc:  # a driver problem must not hide the rest of the panel
        status.torch_error = f"CUDA: {type(exc).__name__}: {exc}"
    return status


def versions_in(folder: Path) -> Dict[str, str]:
    """``{normalised name: version}`` of the distributions installed in ``folder`` (its dist-info)."""
    from importlib import metadata

    return {normalise_name(dist.metadata["Name"] or ""): dist.version
            for dist in metadata.distributions(path=[str(folder)])}


def still_to_install(needed: Sequence[Requirement], target: Path, stamp: Optional[Mapping[str, object]],
                     wanted: Mapping[str, object]) -> List[Requirement]:
    """What of ``needed`` pip must install into ``target``.

    Everything when the constraints changed since the last install (another numpy in QGIS);
    otherwise only what the folder lacks or holds at another version (a package added to the
    requirements, such as pyarrow, does not download torch again).
    """
    if stamp is None or stamp.get("constraints") != wanted.get("constraints"):
        return list(needed)
    present = versions_in(target)
    return [r for r in needed if not satisfies(present.get(normalise_name(r.name)), r)]


def _run_steps(target: Path, todo: Sequence[Requirement], python: str, numpy_ver: Optional[str],
               scipy_ver: Optional[str], build: Optional["torch_build.TorchBuild"], quiet: bool) -> int:
    """Run the pip calls of :func:`install_steps`; pip's exit status of the needed packages (0 when only
    an optional package failed: it is reported and left out, and tried again on the next install)."""
    for step in install_steps(todo):
        cmd, _stamp = prepare_install(target, step, python, numpy_ver, scipy_ver, build)
        done = subprocess.run(cmd + (["--quiet"] if quiet else []), check=False)
        if done.returncode == 0:
            continue
        if step[0].name not in OPTIONAL_PACKAGES:
            return done.returncode
        print(f"dependencies: the optional {step[0].spec} was not installed (pip exit status {done.returncode}): "
              f"{OPTIONAL_PACKAGES[step[0].name]} are unavailable; everything else works", file=sys.stderr)
    return 0


def install_cli(target: Path, python: str, force: bool = False, quiet: bool = False,
                build: Optional["torch_build.TorchBuild"] = None, extras: Sequence[str] = ()) -> int:
    """Install what QGIS's Python lacks into ``target``; quick no-op when the folder has it all.

    The pins are those of requirements.txt whose marker holds for ``python``. ``build``
    (``--torch-build auto``) picks the PyTorch build for this machine; without it torch comes from
    PyPI, as ``make setup`` has always installed it. ``extras`` adds groups of
    :data:`EXTRA_PACKAGES` (``--with distributed``). The needed packages and each optional one are
    installed by separate pip calls (:func:`install_steps`).
    """
    environment = pins.environment_of(None if python == sys.executable else python)
    requirements = runtime_requirements(read_pins(environment=environment), extras=extras)
    unpinned = [r.name for r in requirements if r.version is None and r.name not in FALLBACK_MINIMUM]
    if unpinned:
        print(f"dependencies: requirements.txt pins no {', '.join(unpinned)} for Python "
              f"{environment['python_version']}; use a QGIS with a newer Python", file=sys.stderr)
        return 2
    outside = _versions_outside(target)
    needed = [r for r in requirements if not satisfies(outside.get(r.name), r)]
    numpy_ver = numpy_version(None if python == sys.executable else python)
    scipy_ver = system_version("scipy", None if python == sys.executable else python)
    wanted = stamp_content(needed, constraints_text(numpy_ver, scipy_ver))
    if not needed:
        print(f"dependencies: QGIS's Python already has {', '.join(r.spec for r in requirements)}")
        return 0
    todo = list(needed) if force else still_to_install(needed, target, read_stamp(target), wanted)
    if not todo:
        write_stamp(target, wanted)
        print(f"dependencies: up to date in {target}")
        return 0
    print(f"dependencies: installing {' '.join(r.spec for r in todo)} into {target} "
          f"(numpy kept at {numpy_ver or '<2'})" + (f"; {build.describe()}" if build is not None else ""))
    status = _run_steps(target, todo, python, numpy_ver, scipy_ver, build, quiet)
    if status == 0:
        write_stamp(target, wanted)
    return status


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Planaura for QGIS: the plugin's dependency folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("profile", help="print the default QGIS profile folder")
    for name in ("path", "install"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--profile", type=Path, help="QGIS profile folder (default: the default profile)")
        cmd.add_argument("--target", type=Path,
                         help="dependency folder (default: <profile>/python/planaura_deps/pyX.Y)")
    sub.choices["install"].add_argument("--python", help="interpreter that runs pip (default: this one)")
    sub.choices["install"].add_argument("--force", action="store_true", help="install even when the stamp matches")
    sub.choices["install"].add_argument("--quiet", action="store_true", help="pip prints errors only")
    sub.choices["install"].add_argument("--with", dest="extras", action="append", default=[],
                                        choices=sorted(EXTRA_PACKAGES),
                                        help="also install a group of optional packages (distributed: Dask, for "
                                             "python -m planaura_plugin run --scheduler)")
    sub.choices["install"].add_argument("--torch-build", choices=("pypi", "auto"), default="pypi",
                                        help="pypi: PyPI's torch wheel (default); auto: the CUDA build matched to "
                                             "the NVIDIA driver, else the CPU build (as the settings dialog does)")
    args = parser.parse_args(argv)
    if args.command == "profile":
        print(default_profile_dir())
        return 0
    target = args.target or deps_dir(args.profile)
    if args.command == "path":
        print(target)
        return 0
    build = torch_build.torch_build_for_this_machine(torch_pin()) if args.torch_build == "auto" else None
    return install_cli(target, args.python or sys.executable, force=args.force, quiet=args.quiet, build=build,
                       extras=args.extras)


if __name__ == "__main__":
    sys.exit(main())
