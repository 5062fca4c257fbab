"""HTML copies of the README (English, French) and the parameter tables, for the plugin zip.

*Help* opens them when the project's site cannot be reached (``plugin_services/help.py``). Rendered with
python-markdown (pinned in requirements-dev.txt) when it is importable; otherwise each page is
the Markdown text itself in a ``<pre>`` block, still readable. Links between the pages and the
pictures are rewritten to the copies beside them: ``help/README.html``, ``help/images/*.png``.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Dict, List, Tuple

#: Markdown source (relative to the repository) -> page name in help/
PAGES: Dict[str, str] = {"README.md": "README.html", "README.fr.md": "README.fr.html",
                         "docs/parameters.md": "parameters.html", "docs/parameters.fr.md": "parameters.fr.html"}
IMAGES_DIR = "docs/images"
HELP_DIR = "help"


def _link_target(target: str) -> str:
    """A link or picture address of a page, as it must read from help/."""
    path, sep, anchor = target.partition("#")
    name = path.rsplit("/", 1)[-1]
    if path and "://" not in path:
        if name.endswith(".md"):
            for source, page in PAGES.items():
                if source.rsplit("/", 1)[-1] == name:
                    return page + sep + anchor
        if "/images/" in f"/{path}":
            return "images/" + name
    return target


def rewrite_links(text: str) -> str:
    """Markdown links ``[x](README.fr.md)`` and pictures ``![x](docs/images/a.png)`` -> the help/ copies."""
    return re.sub(r"(\]\()([^)\s]+)(\))", lambda m: m.group(1) + _link_target(m.group(2)) + m.group(3), text)


def markdown_to_html(text: str, title: str) -> str:
    """A complete HTML page of Markdown ``text`` (python-markdown, else preformatted text)."""
    try:
        import markdown
        from markdown.extensions.toc import slugify_unicode

        body = markdown.markdown(text, extensions=["tables", "fenced_code", "toc", "sane_lists"],
                                 extension_configs={"toc": {"slugify": slugify_unicode}})
    except ImportError:
        body = f"<pre>{html.escape(text)}</pre>"
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em;line-height:1.45}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
            "code,pre{background:#f4f4f4}img{max-width:100%}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")


def help_files(repo: Path) -> List[Tuple[str, bytes]]:
    """(path inside the plugin, content) of every help page and picture.

    Args:
        repo: the repository root.

    Returns:
        ``help/README.html``, ``help/README.fr.html``, ``help/parameters*.html``, ``help/images/*.png``
        (the pages whose Markdown exists).
    """
    files: List[Tuple[str, bytes]] = []
    for source, page in PAGES.items():
        path = repo / source
        if path.is_file():
            text = rewrite_links(path.read_text(encoding="utf-8"))
            title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), page)
            files.append((f"{HELP_DIR}/{page}", markdown_to_html(text, title).encode("utf-8")))
    for image in sorted((repo / IMAGES_DIR).glob("*.png")):
        files.append((f"{HELP_DIR}/images/{image.name}", image.read_bytes()))
    return files
