"""Layering of the core: floors that import only downward, read with :mod:`ast` (nothing is imported).

The table :data:`FLOORS` gives each folder (or root module) of ``planaura_plugin/`` its floor.
The rules, each failing with the offending import (``file:line``, what it imports, the rule):

- ``floor``: a module imports only from its own floor or below;
- ``sideways``: two folders on the same floor (above the root vocabulary, floor 0) do not
  import each other (``raster/`` and ``model/``; ``analysis/`` and ``upstream/``);
- ``unknown part``: every folder and root module has a floor in the table;
- ``cycle``: no file-level import cycle in ``planaura_plugin/`` (imports inside functions count:
  moving an import into a function does not remove a cycle);
- ``private``: no module imports another module's ``_private`` name;
- ``core``: the core never imports QGIS, Qt, ``ui/`` or ``processing_provider/``.

So ``runs/`` sits above ``upstream/``, ``pipeline/`` and ``analysis/``; ``raster/`` and ``model/``
never import ``inputs/``, ``pipeline/`` or above. :data:`EXCEPTIONS` lists the violations other
work of issue 23 removes, each with its reason; an entry that no longer matches a violation fails
too (remove it). ``python tests/import_graph.py [REPO]`` prints the counts of any checkout.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping

import pytest

from import_graph import (CORE, FORBIDDEN_ROOTS, all_imports, core_edges, core_modules, cycles, part_of,
                          private_names)

REPO = Path(__file__).resolve().parents[1]

#: part of the core (folder or root module) -> floor; a module imports from its floor or below.
FLOORS: Dict[str, int] = {
    # 0: the vocabulary every floor uses
    "__init__": 0, "errors": 0, "i18n": 0, "feedback": 0, "products": 0, "presets": 0, "gdal_calls": 0,
    "normalisation": 0, "dates": 0, "fmask": 0, "quality_kinds": 0,
    # 1: rasters (GDAL datasets, grids, GeoTIFF writing) and the network, side by side
    "raster": 1, "model": 1,
    # 2: what a user hands over, made into model bands; the record of how an output was made (weights, input
    # files: provenance uses raster/ and model/)
    "inputs": 2, "provenance": 2,
    # 3: the change map and the persistence mosaic
    "pipeline": 3,
    # 4: what is made of a change map; the upstream YAML made into a plan (runs nothing)
    "analysis": 4, "upstream": 4,
    # 4: imagery from STAC catalogues (searches, assembles, then runs the change map of pipeline/)
    "catalog": 4,
    # 5: the execution of a plan (this process or Dask, resumable); tools over embedding rasters (use the polygons
    # of analysis/)
    "runs": 5, "embedding_tools": 5,
    # 6: the command line; change over time (a series of pairs, each run as runs/ runs a pair)
    "__main__": 6, "series": 6,
}

#: violation key -> why it is allowed for now (the lead empties this list once issue 23 is merged)
EXCEPTIONS: Dict[str, str] = {
    "floor: planaura_plugin/dates.py -> planaura_plugin.raster.datasets":
        "dates.date_from_name searches the names of a GDAL dataset name (raster/datasets.date_names, "
        "imported inside the function); it imported inputs/datasets.py (floor 2) before issue 23; the "
        "follow-up moves date_from_name and input_dates (an input's acquisition date) into inputs/",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``key`` (stable across line moves, matched against :data:`EXCEPTIONS`) and
    ``where`` (``file:line``)."""

    rule: str
    key: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail} [rule {self.rule}]"


def _floor_violations(repo: Path, floors: Mapping[str, int]) -> List[Violation]:
    known = core_modules(repo)
    out: List[Violation] = []
    for part in sorted({part_of(m) for m in known} - set(floors)):
        out.append(Violation("unknown part", f"unknown part: {part}", f"{CORE}/{part}",
                             f"'{part}' has no floor in FLOORS (tests/test_layering.py): give it one"))
    for imp in core_edges(all_imports(repo), known):
        low, high = floors.get(part_of(imp.source)), floors.get(part_of(imp.target))
        if low is None or high is None or part_of(imp.source) == part_of(imp.target):
            continue
        if high > low:
            out.append(Violation("floor", f"floor: {imp.path} -> {imp.target}", imp.where(),
                                 f"{imp.source} (floor {low}) imports {imp.target} (floor {high}): upward"))
        elif high == low and low > 0:
            out.append(Violation("sideways", f"sideways: {imp.path} -> {imp.target}", imp.where(),
                                 f"{imp.source} imports {imp.target}: two parts of floor {low} are independent"))
    return out


def _other_violations(repo: Path) -> List[Violation]:
    known = core_modules(repo)
    imports = all_imports(repo)
    out: List[Violation] = []
    for component in cycles(imports, known):
        members = set(component)
        first = next(i for i in core_edges(imports, known) if i.source in members and i.target in members)
        names = " ".join(m[len(CORE) + 1:] or CORE for m in component)
        out.append(Violation("cycle", f"cycle: {names}", first.where(),
                             f"file-level import cycle of {len(component)} modules: {names}"))
    for imp in core_edges(imports, known):
        for name in private_names(imp):
            out.append(Violation("private", f"private: {imp.path} -> {imp.target}.{name}", imp.where(),
                                 f"{imp.source} imports {name} from {imp.target}: make it public or move it"))
    for imp in imports:
        if imp.target.split(".")[0] in FORBIDDEN_ROOTS or imp.target.startswith("<above"):
            out.append(Violation("core", f"core: {imp.path} -> {imp.target}", imp.where(),
                                 f"the core imports {imp.target}: it never imports QGIS, Qt, ui/ or "
                                 "processing_provider/"))
    return out


def violations(repo: Path, floors: Mapping[str, int] = FLOORS) -> List[Violation]:
    """Every broken rule of the core of the checkout ``repo`` (exceptions not applied)."""
    return _floor_violations(repo, floors) + _other_violations(repo)


@pytest.fixture(scope="module")
def found_here() -> List[Violation]:
    return violations(REPO)


def test_the_core_imports_only_downward(found_here):
    found = [v for v in found_here if v.key not in EXCEPTIONS]
    assert not found, "imports that break the layering:\n" + "\n".join(map(str, found))


def test_every_exception_is_still_needed(found_here):
    keys = {v.key for v in found_here}
    stale = [k for k in EXCEPTIONS if k not in keys]
    assert not stale, "fixed: remove from EXCEPTIONS in tests/test_layering.py:\n" + "\n".join(stale)


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / CORE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PLANTED = {
    "__init__.py": "",
    "errors.py": "class PlanauraError(Exception):\n    pass\n",
    "i18n.py": "def _(text):\n    return text\n",
    "raster/__init__.py": "",
    "raster/reader.py": "from ..errors import PlanauraError\nfrom ..i18n import _\n\n\ndef read():\n"
                        "    from ..inputs.datasets import open_dataset\n    return open_dataset\n",
    "model/__init__.py": "",
    "model/net.py": "from ..raster import reader\n",
    "inputs/__init__.py": "",
    "inputs/datasets.py": "from . import bands\n\n\ndef open_dataset():\n    pass\n",
    "inputs/bands.py": "from .datasets import _helper\nimport qgis.core\n",
    "runs/__init__.py": "",
    "runs/pair_task.py": "from ..upstream import plan\n",
    "upstream/__init__.py": "",
    "upstream/plan.py": "def build():\n    from ..runs.pair_task import compute\n",
}


def test_the_checker_finds_each_kind_of_violation_with_its_file_and_line(tmp_path):
    """A planted tree with one violation of each rule: each is reported at its file:line."""
    found = {(v.rule, v.where) for v in violations(_plant(tmp_path, PLANTED))}
    rp = f"{CORE}/raster/reader.py"
    assert ("floor", f"{rp}:6") in found  # raster imports inputs, inside a function
    assert ("sideways", f"{CORE}/model/net.py:1") in found  # model imports raster (same floor)
    assert ("floor", f"{CORE}/upstream/plan.py:2") in found  # upstream imports runs
    assert ("private", f"{CORE}/inputs/bands.py:1") in found
    assert ("core", f"{CORE}/inputs/bands.py:2") in found
    cycle_rules = [v for v in violations(tmp_path) if v.rule == "cycle"]
    assert sorted(v.key for v in cycle_rules) == ["cycle: inputs.bands inputs.datasets",
                                                   "cycle: runs.pair_task upstream.plan"]
    assert not [v for v in violations(tmp_path) if v.rule == "unknown part"]
    assert len(found) == 7, sorted(found)  # nothing else: `from ..i18n import _` is not a private import


def test_the_checker_passes_a_clean_tree_and_names_a_part_without_floor(tmp_path):
    clean = {k: v for k, v in PLANTED.items() if k in ("__init__.py", "errors.py", "i18n.py", "raster/__init__.py")}
    clean["raster/reader.py"] = "from ..errors import PlanauraError\nfrom ..i18n import _\n"
    assert violations(_plant(tmp_path / "clean", clean)) == []
    clean["newpart/thing.py"] = "from ..raster.reader import PlanauraError\n"
    found = violations(_plant(tmp_path / "new", clean))
    assert [(v.rule, v.key) for v in found] == [("unknown part", "unknown part: newpart")]


@pytest.mark.parametrize("level, expected", [(1, "planaura_plugin.upstream.jobs"), (2, "planaura_plugin.jobs"),
                                             (3, "<above planaura_plugin>.jobs")])
def test_relative_imports_resolve_from_the_importing_package(tmp_path, level, expected):
    root = _plant(tmp_path, {"__init__.py": "", "upstream/__init__.py": "",
                             "upstream/plan.py": "from " + "." * level + "jobs import PairJob\n"})
    targets = [i.target for i in all_imports(root) if i.source == f"{CORE}.upstream.plan"]
    assert targets == [expected]


def unresolved_imports(repo: Path) -> List[str]:
    """Imports of a core module (inside functions too) that name no module of the core: ``file:line target``."""
    known = core_modules(repo)
    return [f"{i.where()} {i.target}" for i in all_imports(repo)
            if i.target.startswith(CORE + ".") and i.target not in known]


def test_every_core_import_names_a_module_that_exists():
    """A module moved without its importers updated fails here, even where the import sits inside a function
    that no other test reaches (an embedding tool imported pipeline.output_sizes after it moved to
    pipeline/change/)."""
    assert not unresolved_imports(REPO), "imports of modules that do not exist:\n  " + "\n  ".join(
        unresolved_imports(REPO))


def test_an_import_of_a_moved_module_is_caught(tmp_path):
    tree = tmp_path / CORE
    (tree / "pipeline" / "change").mkdir(parents=True)
    for init in (tree, tree / "pipeline", tree / "pipeline" / "change"):
        (init / "__init__.py").write_text("")
    (tree / "tool.py").write_text("def f():\n    from .pipeline.output_sizes import X\n    return X\n")
    assert unresolved_imports(tmp_path) == [f"{CORE}/tool.py:2 {CORE}.pipeline.output_sizes"]
