"""Build the installable plugin zip: ``dist/planaura_qgis-<version>.zip``.

The zip holds one folder, ``planaura_qgis/`` (the module name QGIS installs it under), with
what the plugin needs at run time: metadata, code, icons, styles, ``requirements.txt`` (the
pins the Install button uses), freshly compiled translations (``i18n/*.qm`` for the plugin,
``planaura_plugin/i18n/*.mo`` for the core's messages) and the HTML copies of the README that
*Help* opens offline (``help/``, see ``help_html.py``). Tests,
build and dev files, the venv, caches and sample data stay out. Files are taken from git
(tracked or new, not ignored), so local junk never slips in.
"""
from __future__ import annotations

import argparse
import configparser
import fnmatch
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from help_html import help_files  # noqa: E402 - the sibling script module

REPO = Path(__file__).resolve().parents[1]
PLUGIN_NAME = "planaura_qgis"
#: top-level entries of the repository that belong in the plugin
INCLUDE = ("__init__.py", "metadata.txt", "LICENSE", "requirements.txt", "icons", "ui", "i18n",
           "planaura_plugin", "processing_provider", "plugin_services")
#: never shipped, wherever they are
EXCLUDE = ("*/__pycache__/*", "*.pyc", "*/tests/*", "tests/*", "*/test_*.py", "test_*.py", "*/conftest.py",
           "*.ts", "*.qm", "*.po", "*.pot", "*.mo", "*.pro", "*.aux.xml", ".*")
#: the core's message catalogues (gettext): ``<CORE_I18N>/planaura_<lang>.po`` -> ``.mo``
CORE_I18N = "planaura_plugin/i18n"
#: the example Processing models (``docs/examples/*.model3``, both languages), shipped in ``examples/``
EXAMPLE_MODELS, EXAMPLES_IN_ZIP = "docs/examples", "examples"


def version(repo: Path = REPO) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(repo / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def source_files(repo: Path = REPO) -> List[str]:
    """Plugin files relative to ``repo``: git's view (tracked + untracked, not ignored) or a walk."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=repo,
                             capture_output=True, check=True)
        candidates = [p for p in out.stdout.decode().split("\0") if p and (repo / p).is_file()]
    except (OSError, subprocess.CalledProcessError):
        candidates = [str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file()]
    return sorted(p for p in set(candidates) if wanted(p))


def wanted(relative: str) -> bool:
    top = relative.split("/", 1)[0]
    if top not in INCLUDE:
        return False
    name = relative.rsplit("/", 1)[-1]
    return not any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern) for pattern in EXCLUDE)


def find_lrelease() -> Optional[str]:
    for name in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease"):
        found = shutil.which(name)
        if found:
            return found
    return None


def compile_translations(repo: Path, out_dir: Path) -> List[Path]:
    """Every ``i18n/*.ts`` compiled into ``out_dir`` (a stale .qm is never shipped)."""
    sources = sorted((repo / "i18n").glob("*.ts"))
    if not sources:
        return []
    tool = find_lrelease()
    if tool is None:
        raise SystemExit("package: lrelease not found (apt-get install qttools5-dev-tools, or run `make setup`)")
    built = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def compile_catalogues(repo: Path, out_dir: Path) -> List[Path]:
    """Every ``planaura_plugin/i18n/*.po`` compiled into ``out_dir`` with GNU gettext's msgfmt (checked)."""
    sources = sorted((repo / CORE_I18N).glob("*.po"))
    if not sources:
        return []
    tool = shutil.which("msgfmt")
    if tool is None:
        raise SystemExit("package: msgfmt not found (apt-get install gettext, or run `make setup`)")
    built = []
    for po in sources:
        mo = out_dir / (po.stem + ".mo")
        subprocess.run([tool, "--check", "-o", str(mo), str(po)], check=True)
        built.append(mo)
    return built


def build(out_dir: Path = REPO / "dist", repo: Path = REPO) -> Path:
    """Write the zip and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PLUGIN_NAME}-{version(repo)}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with tempfile.TemporaryDirectory() as work, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for relative in source_files(repo):
            zf.write(repo / relative, f"{PLUGIN_NAME}/{relative}")
        for qm in compile_translations(repo, Path(work)):
            zf.write(qm, f"{PLUGIN_NAME}/i18n/{qm.name}")
        for mo in compile_catalogues(repo, Path(work)):
            zf.write(mo, f"{PLUGIN_NAME}/{CORE_I18N}/{mo.name}")
        for relative, content in help_files(repo):  # Help opens these when offline
            zf.writestr(f"{PLUGIN_NAME}/{relative}", content)
        for model in sorted((repo / EXAMPLE_MODELS).glob("*.model3")):  # opened from the Processing toolbox
            zf.write(model, f"{PLUGIN_NAME}/{EXAMPLES_IN_ZIP}/{model.name}")
    tmp.replace(target)
    return target


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder of the zip (default: dist/)")
    args = parser.parse_args(argv)
    path = build(args.out)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    size = path.stat().st_size / 1e6
    print(f"package: {path} ({len(names)} files, {size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
