"""``python -m planaura_plugin.series CONFIG.yaml [--scheduler S] [--no-resume] [--device D]``: change over
time from a YAML (see :mod:`.config`). Exit status 0 on success, 1 with a one-line message on a
Planaura error, 2 on a command-line mistake."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Run the YAML's series; print the files written."""
    from ..errors import PlanauraError
    from ..feedback import TerminalFeedback
    from .config import load_series_config
    from .run import run_series

    parser = argparse.ArgumentParser(prog="python -m planaura_plugin.series",
                                     description="Change over time: a series of images from a YAML file.")
    parser.add_argument("config", metavar="CONFIG.yaml")
    parser.add_argument("--scheduler", default=None, help="run the pairs on Dask: local:N, tcp://HOST:PORT, FILE.json")
    parser.add_argument("--no-resume", dest="resume", action="store_false", help="compute every pair again")
    parser.add_argument("--device", choices=("cpu", "cuda", "auto"), default=None)
    args = parser.parse_args(argv)
    try:
        request = load_series_config(args.config, scheduler=args.scheduler, resume=args.resume, device=args.device)
        written = run_series(request, TerminalFeedback())
    except PlanauraError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    for kind, path in written.items():
        print(f"{kind}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
