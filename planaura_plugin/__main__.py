"""Command line: ``python -m planaura_plugin run CONFIG.yaml [--device cpu|cuda|auto] [--dry-run]
[--scheduler local[:N]|tcp://HOST:PORT|FILE.json] [--dashboard] [--no-resume] [--force]``.

Runs an upstream Planaura YAML (infer_geotiff.py's config) with this plugin's core, pair by
pair with a run manifest (``planaura_run.json`` in the first save folder): a second run skips
the pairs already complete and unchanged. With ``--scheduler`` the pairs and the mosaic blocks
are Dask tasks. Exit status 0 on success, 1 with a one-line message on a Planaura error or when
some pairs failed (``--debug`` shows the traceback), 2 on a command-line mistake, 130 when
interrupted.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import List, Optional, Sequence

from .i18n import _


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
    run.add_argument("--scheduler", metavar="SCHEDULER", default=None,
                     help="run the pairs and the mosaic blocks on Dask: local, local:N (N worker processes here), "
                          "tcp://HOST:PORT (a running scheduler) or a scheduler file (.json); default: this process")
    run.add_argument("--dashboard", action="store_true",
                     help="with --scheduler local[:N], serve Dask's dashboard on 127.0.0.1 (this machine only); "
                          "default: the local cluster serves no HTTP")
    resume = run.add_mutually_exclusive_group()
    resume.add_argument("--resume", dest="resume", action="store_true", default=True,
                        help="skip the pairs recorded complete and unchanged in planaura_run.json (default)")
    resume.add_argument("--no-resume", dest="resume", action="store_false",
                        help="compute every pair again (the manifest is still written)")
    resume.add_argument("--force", action="store_true", help="same as --no-resume")
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
    if result.skipped or result.mosaic_skipped:  # some files come from an earlier execution (resume)
        lines.append(_("{n} file(s) in {seconds} s, those of unchanged pairs kept:").format(
            n=len(files), seconds=f"{result.seconds:.1f}"))
    else:
        lines.append(_("{n} file(s) written in {seconds} s:").format(n=len(files), seconds=f"{result.seconds:.1f}"))
    lines += [f"  {show(p)}" for p in files]
    if result.removed:
        lines.append(_("{n} per-pair file(s) removed after the mosaic (delete_residues)").format(
            n=len(result.removed)))
    done = _("pairs: {computed} computed, {kept} unchanged (kept), {failed} failed").format(
        computed=len(result.computed), kept=len(result.skipped), failed=len(result.failed))
    if result.mosaic:
        done += "; " + (_("mosaic unchanged (kept)") if result.mosaic_skipped else _("mosaic computed"))
    lines.append(done + "; " + _("run manifest {path}").format(path=show(result.manifest)))
    lines += ["  " + _("FAILED {pair}: {reason}").format(pair=fid.lstrip("!"), reason=reason)
              for fid, reason in result.failed.items()]
    return lines


def _run(args: argparse.Namespace) -> int:
    from . import catalog  # noqa: F401 - STAC assets and item URLs in the CSV rows are images (registers its adapter)
    from .runs import run_plan
    from .upstream import build_plan, load_config

    cwd = os.getcwd()
    if args.scheduler:
        from .runs.dask import parse_scheduler

        parse_scheduler(args.scheduler)  # a mistake is reported before the plan is checked
    plan = build_plan(load_config(args.config), cwd=cwd, device=args.device)
    if args.dry_run:
        print(plan.describe())
        return 0
    result = run_plan(plan, _terminal_feedback(), scheduler=args.scheduler, resume=args.resume and not args.force,
                      force=args.force, show_progress=bool(args.scheduler) and sys.stdout.isatty(),
                      dashboard=args.dashboard)
    print("\n".join(_summary(result, cwd)))
    if result.failed:
        print(_("error: {failed} of {total} pair(s) failed (reasons above and in {manifest}); run again to retry "
                "them").format(failed=len(result.failed), total=len(plan.pairs), manifest=result.manifest),
              file=sys.stderr)
        return 1
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
    except OSError as exc:  # a file of the run itself (lock, manifest) that cannot be written
        if args.debug:
            traceback.print_exc()
        name = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {name}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
