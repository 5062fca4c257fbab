"""Command line: ``python -m planaura_plugin run CONFIG.yaml [--device cpu|cuda|auto] [--dry-run]``.

Runs an upstream Planaura YAML (infer_geotiff.py's config) with this plugin's core. Exit
status 0 on success, 1 with a one-line message on a Planaura error (``--debug`` shows the
traceback), 2 on a command-line mistake, 130 when interrupted.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import List, Optional, Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planaura_plugin",
        description="Planaura change maps, embeddings and persistence mosaics from an upstream YAML config.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    run = sub.add_parser("run", help="run an upstream config (planaura_hls_config.yaml / planaura_s2_config.yaml)",
                         description="Run the tasks of an upstream Planaura YAML. Paths in the YAML and the CSV "
                                     "are relative to the current folder, as upstream.")
    run.add_argument("config", metavar="CONFIG.yaml", help="the upstream YAML file")
    run.add_argument("--device", choices=("cpu", "cuda", "auto"), default=None,
                     help="where the model runs; default: the config's use_gpu (true = auto)")
    run.add_argument("--dry-run", action="store_true", help="check the config and print the plan; run nothing")
    run.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return parser


def _terminal_feedback():
    """TerminalFeedback whose bar is cleared before a log line; no bar when stderr is not a
    terminal (a log file gets the lines without carriage-return noise)."""
    from .feedback import TerminalFeedback

    class CliFeedback(TerminalFeedback):
        def __init__(self) -> None:
            super().__init__()
            self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
            self.bar_open = False

        def progress(self, fraction: float, message: str = "") -> None:
            if self.tty:
                super().progress(fraction, message)
                self.bar_open = fraction < 1.0

        def _clear(self) -> None:
            if self.bar_open:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._last = 0.0  # redraw the bar at the next progress call

        def info(self, message: str) -> None:
            self._clear()
            super().info(message)

        def warning(self, message: str) -> None:
            self._clear()
            super().warning(message)

    return CliFeedback()


def _summary(result, cwd: str) -> List[str]:
    def show(path: str) -> str:
        rel = os.path.relpath(path, cwd)
        return path if rel.startswith("..") else rel

    lines = []
    files = result.files
    lines.append(f"{len(files)} file(s) written in {result.seconds:.1f} s:")
    lines += [f"  {show(p)}" for p in files]
    if result.removed:
        lines.append(f"{len(result.removed)} per-pair file(s) removed after the mosaic (delete_residues)")
    return lines


def _run(args: argparse.Namespace) -> int:
    from .upstream import build_plan, execute_plan, load_config

    cwd = os.getcwd()
    plan = build_plan(load_config(args.config), cwd=cwd, device=args.device)
    if args.dry_run:
        print(plan.describe())
        return 0
    result = execute_plan(plan, _terminal_feedback())
    print("\n".join(_summary(result, cwd)))
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status."""
    from .errors import PlanauraError

    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
    except PlanauraError as exc:
        if args.debug:
            traceback.print_exc()
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
