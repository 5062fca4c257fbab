"""Write the parameter reference of the Planaura algorithms, in English and French, from the code.

``docs/parameters.md`` and ``docs/parameters.fr.md`` are generated from the registered
algorithms themselves (ids, labels, types, defaults, help texts) so that they cannot drift
from what QGIS shows; run ``make docs`` after changing an algorithm or a translation.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import List

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

TEXT = {
    "en": {"title": "Parameter reference", "intro": "Generated from the algorithms (`make docs`). "
           "`qgis_process.bin help <id>` prints the same list with the accepted values.",
           "param": "Parameter", "label": "Label", "type": "Type", "default": "Default", "optional": "optional",
           "yes": "yes", "outputs": "Outputs", "help": "Help", "options": "options"},
    "fr": {"title": "Référence des paramètres", "intro": "Généré à partir des algorithmes (`make docs`). "
           "`qgis_process.bin help <id>` affiche la même liste avec les valeurs acceptées.",
           "param": "Paramètre", "label": "Libellé", "type": "Type", "default": "Par défaut",
           "optional": "facultatif", "yes": "oui", "outputs": "Sorties", "help": "Aide", "options": "options"},
}


def plugin_module():
    folder = Path(tempfile.mkdtemp(prefix="planaura_ref_"))
    (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(folder))
    import planaura_qgis

    return planaura_qgis


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def default_of(param) -> str:
    value = param.defaultValue()
    if value is None or value == "":
        return ""
    if param.type() == "enum":
        options = param.options()
        try:
            return f"{int(value)} ({options[int(value)]})"
        except (TypeError, ValueError, IndexError):
            return str(value)
    return str(value)


def html_to_markdown(html: str) -> str:
    from qgis.PyQt.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(html)
    text = document.toMarkdown() if hasattr(document, "toMarkdown") else document.toPlainText()
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def reference(lang: str) -> str:
    from qgis.core import QgsProcessingDestinationParameter

    from planaura_qgis.processing_provider.provider import PlanauraProvider

    words = TEXT[lang]
    provider = PlanauraProvider()
    provider.loadAlgorithms()
    lines: List[str] = [f"# {words['title']}", "", words["intro"], ""]
    algorithms = [alg.create() for alg in provider.algorithms()]
    for alg in algorithms:
        lines += [f"## {alg.displayName()} — `{alg.id()}`", "", alg.shortDescription() or "", ""]
        lines += [f"| {words['param']} | {words['label']} | {words['type']} | {words['default']} |",
                  "| --- | --- | --- | --- |"]
        for param in alg.parameterDefinitions():
            if isinstance(param, QgsProcessingDestinationParameter):
                continue
            label = param.description()
            if param.flags() & param.FlagOptional:
                label += f" ({words['optional']})"
            kind = param.type()
            if kind == "enum":
                kind += ": " + ", ".join(f"{i} {o}" for i, o in enumerate(param.options()))
            lines.append(f"| `{param.name()}` | {cell(label)} | {cell(kind)} | {cell(default_of(param))} |")
        lines += ["", f"**{words['outputs']}**", "", f"| {words['param']} | {words['label']} | {words['type']} |",
                  "| --- | --- | --- |"]
        for param in alg.destinationParameterDefinitions():
            label = param.description() + (f" ({words['optional']})" if param.flags() & param.FlagOptional else "")
            lines.append(f"| `{param.name()}` | {cell(label)} | {cell(param.type())} |")
        lines += ["", f"<details><summary>{words['help']}</summary>", "",
                  html_to_markdown(alg.shortHelpString() or ""), "", "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    plugin_module()
    from planaura_qgis.ui.i18n import load_translator, unload_translator

    DOCS.mkdir(exist_ok=True)
    (DOCS / "parameters.md").write_text(reference("en"), encoding="utf-8")
    translator = load_translator("fr_CA")
    if translator is None:
        raise SystemExit("parameter_reference: i18n/planaura_fr.qm is missing (make translations)")
    (DOCS / "parameters.fr.md").write_text(reference("fr"), encoding="utf-8")
    unload_translator(translator)
    print(f"parameter_reference: {DOCS / 'parameters.md'}, {DOCS / 'parameters.fr.md'}")
    app.exitQgis()


if __name__ == "__main__":
    main()
