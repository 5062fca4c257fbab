"""The core's message catalogue (gettext): every marked message is translated into French, keeps its
placeholders, compiles, and the core speaks French once asked to (and English otherwise)."""
from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "planaura_plugin"
PO = CORE / "i18n" / "planaura_fr.po"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (GNU gettext, installed by `make setup`) is missing")
    return found


def catalogue(po: Path, out: Path) -> dict:
    """msgid -> msgstr of a .po, as msgfmt compiles it (fuzzy and empty entries are left out)."""
    mo = out / (po.stem + ".mo")
    subprocess.run([tool("msgfmt"), "--check", "-o", str(mo), str(po)], check=True, capture_output=True)
    with open(mo, "rb") as handle:
        return {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if isinstance(k, str) and k}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """planaura_fr.mo compiled now from the committed .po (never a stale build)."""
    folder = tmp_path_factory.mktemp("core_i18n")
    subprocess.run([tool("msgfmt"), "--check", "-o", str(folder / "planaura_fr.mo"), str(PO)], check=True)
    return folder


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> dict:
    """Every message marked with _() in the core now (xgettext), as msgid -> msgid."""
    folder = tmp_path_factory.mktemp("core_pot")
    pot = folder / "planaura.pot"
    sources = sorted(str(p.relative_to(REPO)) for p in CORE.rglob("*.py"))
    subprocess.run([tool("xgettext"), "--language=Python", "--from-code=UTF-8", "--keyword=_",
                    "--keyword=N_", "--keyword=ngettext:1,2", "--no-wrap", "-o", str(pot), *sources],
                   cwd=REPO, check=True)
    pot.write_text(pot.read_text(encoding="utf-8").replace("charset=CHARSET", "charset=UTF-8"), encoding="utf-8")
    english = folder / "en.po"
    subprocess.run([tool("msgen"), "-o", str(english), str(pot)], check=True)
    return catalogue(english, folder)


@pytest.fixture
def french(compiled):
    from planaura_plugin import i18n

    before = i18n.language()
    assert i18n.set_language("fr_CA", compiled) == "fr"
    yield
    i18n.set_language(before)


def test_every_marked_message_is_translated(marked, tmp_path):
    assert len(marked) > 60  # the extraction found the core's messages (not an empty run)
    french = catalogue(PO, tmp_path)
    missing = sorted(m for m in marked if not french.get(m))
    assert not missing, "core messages without French (run `make update-translations`, then translate " \
                        "planaura_plugin/i18n/planaura_fr.po):\n" + "\n".join(missing)


def test_translations_keep_their_placeholders(tmp_path):
    for source, translation in catalogue(PO, tmp_path).items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), \
            f"placeholders differ: {source!r} -> {translation!r}"
        assert translation.endswith(" ") == source.endswith(" ") and translation.startswith(" ") == \
            source.startswith(" "), f"spacing around a fragment differs: {source!r} -> {translation!r}"


def test_the_core_speaks_french_when_asked(french):
    from planaura_plugin.dates import date_from_name, parse_iso_date
    from planaura_plugin.errors import InputError
    from planaura_plugin.inputs.checks import check_dates

    with pytest.raises(InputError, match="aucune date trouvée dans le nom de fichier 'scene.tif'"):
        date_from_name("/data/scene.tif", r"\.(\d{7})T")
    with pytest.raises(InputError, match="'2021-02-30' n'est pas une date : donnez-la sous la forme AAAA-MM-JJ"):
        parse_iso_date("2021-02-30")
    warnings = [f.message for f in check_dates(2022350, 2021250, ("a.tif", "b.tif"))]
    assert "l'image après b.tif (2021-09-07) est plus ancienne que l'image avant a.tif (2022-12-16)" in warnings[0]
    assert any("a.tif a été acquise le 2022-12-16 (décembre)" in w for w in warnings), warnings


def test_offline_weights_error_in_french_gives_the_advice_then_the_library(french, tmp_path, monkeypatch):
    pytest.importorskip("huggingface_hub")
    from planaura_plugin.errors import WeightsUnavailableError
    from planaura_plugin.model.checkpoint import hf_checkpoint_path

    with pytest.raises(WeightsUnavailableError) as info:
        hf_checkpoint_path("Planaura-1.0-HLS", cache_dir=str(tmp_path), offline=True)
    text = str(info.value)
    assert text.startswith("Les poids de Planaura Planaura-1.0-HLS.pth (dépôt NRCan/Planaura-1.0) ne sont pas")
    assert "le mode hors ligne (HF_HUB_OFFLINE) est actif" in text
    assert "https://huggingface.co/NRCan/Planaura-1.0" in text
    assert text.index("choisissez-le comme fichier de point de contrôle local") < text.index("Message de Hugging Face")


def test_english_by_default_and_for_languages_without_a_catalogue(compiled):
    from planaura_plugin import i18n
    from planaura_plugin.dates import parse_iso_date
    from planaura_plugin.errors import InputError

    before = i18n.language()
    try:
        for locale in ("en_US", "de_DE", "", None, "C.UTF-8"):
            assert i18n.set_language(locale, compiled) == "en", locale
            with pytest.raises(InputError, match="is not a date: give it as YYYY-MM-DD"):
                parse_iso_date("x")
        assert i18n.set_language("fr", compiled / "nowhere") == "en"  # no compiled catalogue: English
    finally:
        i18n.set_language(before)


def test_command_line_language_from_the_environment(compiled, tmp_path):
    """PLANAURA_LANGUAGE chooses the language of a fresh process (the catalogue as `make translations` puts it)."""
    plugin = tmp_path / "planaura_plugin"
    shutil.copytree(CORE, plugin, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(compiled / "planaura_fr.mo", plugin / "i18n" / "planaura_fr.mo")
    code = "from planaura_plugin import i18n; print(i18n.language())"
    for value, expected in (("fr_CA.UTF-8", "fr"), ("", "en")):
        env = {**os.environ, "PLANAURA_LANGUAGE": value}
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True)
        assert done.stdout.strip() == expected


def test_decimal_separator_follows_the_language(compiled):
    from planaura_plugin import i18n

    before = i18n.language()
    try:
        i18n.set_language("fr", compiled)
        assert (i18n.decimal(0.8), i18n.decimal(-1.25, 1), i18n.decimal(3, 0)) == ("0,80", "-1,25", "3")
        i18n.set_language("en")
        assert (i18n.decimal(0.8), i18n.decimal(-1.25, 1)) == ("0.80", "-1.25")  # limits are never rounded away
    finally:
        i18n.set_language(before)


def test_no_function_hides_the_translation_function():
    """A function that assigns ``_`` (``a, _ = ...``) and also calls ``_("...")`` fails at run time
    (UnboundLocalError): the message it meant to show would be lost."""
    import ast

    bad = []
    for path in CORE.rglob("*.py"):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nodes = list(ast.walk(fn))
                if any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes) and \
                        any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_" for n in nodes):
                    bad.append(f"{path.relative_to(REPO)}:{fn.lineno} {fn.name}")
    assert not bad, bad


def test_a_sentinel2_refusal_in_french(french, tmp_path):
    from planaura_plugin.errors import InputError
    from planaura_plugin.inputs.sentinel2 import sentinel2_product

    l1c = tmp_path / "S2A_MSIL1C_20220907T164901_N0400_R026_T15SXR_20220907T205017.SAFE"
    l1c.mkdir()
    (l1c / "MTD_MSIL1C.xml").write_text("<x/>")
    with pytest.raises(InputError) as info:
        sentinel2_product(str(l1c))
    assert str(info.value) == (f"'{l1c}' est un produit Sentinel-2 de niveau 1C (réflectance au sommet de "
                               "l'atmosphère); Planaura a besoin de la réflectance de surface de niveau 2A "
                               "(MSIL2A) : prenez le produit de niveau 2A de la même date (S2x_MSIL2A_..., p. ex. "
                               "sur le Copernicus Data Space Ecosystem), ou produisez-le à partir du produit de "
                               "niveau 1C avec Sen2Cor de l'ESA")


def test_upstream_config_errors_in_french_keep_the_yaml_keys(french, tmp_path):
    import yaml
    from support import GOLDEN

    from planaura_plugin.upstream import ConfigError, load_config, parse_config

    def base_config(**changes) -> dict:
        """A golden run's config (as tests/core/test_upstream_config.py) with ``changes``."""
        cfg = yaml.safe_load((GOLDEN / "raster" / "i_stride16_upsample" / "config.yaml").read_text())
        cfg["model_params"]["load_params"]["checkpoint_path"] = "./tiny.pth"
        cfg["inference_input_folder_frame_0"], cfg["inference_input_folder_frame_1"] = "./in/e21", "./in/e22"
        cfg.update(changes)
        return cfg

    with pytest.raises(ConfigError) as info:
        parse_config(base_config(num_frames=4))
    assert str(info.value) == "num_frames doit être entre 1 et 3; reçu 4"
    with pytest.raises(ConfigError) as info:
        parse_config(base_config(minimum_valid_percentage=70))
    assert str(info.value) == ("minimum_valid_percentage doit valoir au moins 0.0 et au plus 1.0; reçu 70.0 "
                               "(une fraction : 0,7 signifie 70 %)")
    with pytest.raises(ConfigError, match="clé.s. inconnue.s. dans la configuration : use_gpus"):
        parse_config(base_config(use_gpus=True))
    config = tmp_path / "c.yaml"
    config.write_text("csv_inference_file: a.csv\ncsv_inference_file: b.csv\n")
    with pytest.raises(ConfigError, match=r"la clé 'csv_inference_file' est donnée deux fois \(ligne 2\)"):
        load_config(config)


def test_checkpoint_architecture_mismatch_in_french(french, tiny_checkpoint):
    pytest.importorskip("torch")
    from planaura_plugin.errors import CheckpointError
    from planaura_plugin.model.checkpoint import load_network
    from planaura_plugin.model.config import ModelConfig

    with pytest.raises(CheckpointError) as info:
        load_network(ModelConfig(), tiny_checkpoint)  # the official ViT-B configuration, the tiny file
    text = str(info.value)
    assert text.startswith(f"{tiny_checkpoint} ne correspond pas à l'architecture configurée (embed_dim=768, ")
    assert "; le fichier ressemble à : embed_dim=64 " in text
    assert "clés manquantes : backbone.decoder_blocks.1." in text
    assert "47 clés avec d'autres formes : " in text and "(96, 32) != (1536, 512)" in text
    assert text.endswith("Pour un point de contrôle personnalisé, donnez sa configuration de modèle "
                         "(model_params du YAML).")


def test_the_command_line_summary_of_a_resumed_run_in_french(french):
    """The runner's own lines (summary, kept pairs, failed pairs) follow the language too."""
    from types import SimpleNamespace

    from planaura_plugin.__main__ import _summary

    result = SimpleNamespace(files=["/out/cosine_map!a!b.tif"], seconds=1.25, removed=[], computed=[],
                             skipped=["!a!b"], failed={"!c!d": "illisible"}, mosaic={"m": "x"},
                             mosaic_skipped=True, manifest="/out/planaura_run.json")
    lines = _summary(result, "/elsewhere")
    assert lines[0] in ("1 fichier(s) en 1.2 s, ceux des paires inchangées conservés :",
                        "1 fichier(s) en 1.3 s, ceux des paires inchangées conservés :")  # float rounding of 1.25
    assert lines[2] == ("paires : 0 calculée(s), 1 inchangée(s) (conservées), 1 en échec; mosaïque inchangée "
                        "(conservée); manifeste d'exécution /out/planaura_run.json")
    assert lines[3] == "  ÉCHEC c!d : illisible"


def test_log_lines_once_left_in_english_speak_french(french, tmp_path):
    """Issue 27 point 7: the band description, the tile/grid line and the YAML plan header in French."""
    from planaura_plugin.inputs.bands import _describe
    from planaura_plugin.pipeline.change.maps import run_change_map  # noqa: F401 - the tile line's module
    from planaura_plugin.i18n import _

    assert _describe(1, ("B02", 0, "B02")) == "bande 1 ('B02')" and _describe(7, None) == "bande 7"
    line = _("{n} tile(s) of {size} px in {passes} pass(es); output grid {width} x {height}").format(
        n=9, size=64, passes=1, width=128, height=128)
    assert line == "9 tuile(s) de 64 px en 1 passe(s); grille de sortie de 128 x 128"
    source = (REPO / "planaura_plugin" / "pipeline" / "change" / "maps.py").read_text(encoding="utf-8")
    assert 'f"output grid' not in source  # the line is the marked message, not an f-string
    assert _("done") != "done" and _("tasks: {tasks}").format(tasks="infer") == "tâches : infer"
