"""`make package`: the installable zip holds the plugin as QGIS installs it, and nothing else."""
from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    if not any(shutil.which(t) for t in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease")):
        pytest.skip("lrelease (qttools5-dev-tools, installed by `make setup`) is missing")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "package.py"), "--out", str(out)],
                          capture_output=True, text=True, check=True)
    assert "package:" in done.stdout
    zips = list(out.glob("*.zip"))
    assert len(zips) == 1
    return zips[0]


def test_zip_is_named_after_module_and_version(package):
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(REPO / "metadata.txt", encoding="utf-8")
    assert package.name == f"planaura_qgis-{meta['general']['version']}.zip"


def test_zip_holds_one_plugin_folder_with_what_qgis_needs(package):
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        assert {n.split("/", 1)[0] for n in names} == {"planaura_qgis"}
        inside = {n.split("/", 1)[1] for n in names}
        for required in ("__init__.py", "metadata.txt", "icons/planaura.svg", "ui/plugin.py", "ui/settings_dialog.py",
                         "plugin_services/dependencies.py", "i18n/planaura_fr.qm", "requirements.txt",
                         "planaura_plugin/model/loading.py", "processing_provider/provider.py",
                         "plugin_services/settings_keys.py", "plugin_services/__init__.py"):
            assert required in inside, f"{required} missing from the zip"
        assert zf.read("planaura_qgis/i18n/planaura_fr.qm")[:4] == bytes.fromhex("3cb86418")  # Qt .qm magic
        # the core's French messages (gettext), compiled: GNU .mo magic, little- or big-endian
        assert zf.read("planaura_qgis/planaura_plugin/i18n/planaura_fr.mo")[:4] in (bytes.fromhex("de120495"),
                                                                                   bytes.fromhex("950412de"))
        assert zf.testzip() is None
    # the icon named by metadata.txt is in the zip
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(REPO / "metadata.txt", encoding="utf-8")
    assert meta["general"]["icon"] in inside


def test_zip_leaves_out_tests_dev_files_and_data(package):
    with zipfile.ZipFile(package) as zf:
        inside = [n.split("/", 1)[1] for n in zf.namelist()]
    forbidden_tops = {"tests", "scripts", "bench", "docs", "sample_data", ".venv", ".cache", ".ci", ".git",
                      ".qgis-settings", "demo_output", "dist", "build"}
    assert not [n for n in inside if n.split("/", 1)[0] in forbidden_tops]
    assert not [n for n in inside if "__pycache__" in n or n.endswith((".pyc", ".ts", ".po", ".pth"))]
    assert not [n for n in inside if n.rsplit("/", 1)[-1].startswith(("test_", "conftest"))]
    for dev_file in ("Makefile", "pytest.ini", "requirements-dev.txt", ".gitignore"):
        assert dev_file not in inside
    assert sum(1 for _ in inside) < 400


def test_zip_ships_the_example_models_in_both_languages(package):
    """Every docs/examples/*.model3 is in the ZIP's examples/ folder, byte for byte, English and French."""
    shipped = sorted((REPO / "docs" / "examples").glob("*.model3"))
    assert {m.name for m in shipped} >= {"change_map_to_polygons.model3", "change_map_to_polygons.fr.model3"}
    with zipfile.ZipFile(package) as zf:
        for model in shipped:
            assert zf.read(f"planaura_qgis/examples/{model.name}") == model.read_bytes(), model.name


def test_zip_is_smaller_than_a_few_megabytes(package):
    assert package.stat().st_size < 5_000_000


def test_zip_ships_the_readme_as_html_for_offline_help(package):
    """Help opens help/README.html (help/README.fr.html in French) when the site cannot be reached:
    rendered HTML with its pictures and links to the other copies, not Markdown."""
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        page = zf.read("planaura_qgis/help/README.html").decode("utf-8")
        page_fr = zf.read("planaura_qgis/help/README.fr.html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h1" in page and "<table>" in page
    assert '<img alt="Planaura settings" src="images/settings_dialog.png"' in page
    assert "planaura_qgis/help/images/settings_dialog.png" in names
    assert 'href="README.fr.html"' in page and 'href="parameters.html"' in page
    assert "planaura_qgis/help/parameters.html" in names
    # anchors of the headings exist for the README's own links
    assert 'id="speed-memory-and-precision-on-a-cpu"' in page
    assert 'href="#speed-memory-and-precision-on-a-cpu"' in page
    assert '<h1 id="planaura-pour-qgis">Planaura pour QGIS</h1>' in page_fr
    assert 'href="README.html#speed-memory-and-precision-on-a-cpu"' in page_fr


def test_help_pages_without_python_markdown_are_readable(monkeypatch):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import help_html
    finally:
        sys.path.remove(str(REPO / "scripts"))
    monkeypatch.setitem(sys.modules, "markdown", None)  # import markdown -> ImportError
    page = help_html.markdown_to_html("# Title <x>\n\ntext", "Title")
    assert "<pre># Title &lt;x&gt;\n\ntext</pre>" in page
    assert help_html.rewrite_links("[fr](README.fr.md) ![a](docs/images/a.png) [p](docs/parameters.md#x) "
                                   "[w](https://example.org/README.md)") == (
        "[fr](README.fr.html) ![a](images/a.png) [p](parameters.html#x) [w](https://example.org/README.md)")
