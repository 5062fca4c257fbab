"""Date patterns: every shape of catastrophic backtracking is refused, the legitimate patterns are kept.

Bounded repeats were not counted: ``(.*){1,30}x`` (a repeat repeated up to 30 times), a series of
wide bounded repeats (``.{0,300}`` five times), an ambiguous alternation repeated a bounded number
of times (``(a|a){1,60}b``), an optional part inside an unbounded repeat (``(?:[ab]?.)*``) and a
conditional group (``(?(1)...)``, whose branches were not walked) passed the check and ran for
hours on a file name.
"""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest

from planaura_plugin.dates import check_date_regex, date_from_name, date_pattern_problem
from planaura_plugin.errors import InputError
from planaura_plugin.presets import HLS, S2

CATASTROPHIC = [r"(.*){1,30}x", r"(.*?){5,40}Z", r"(.{0,100}){2,30}x", r".{0,300}.{0,300}.{0,300}.{0,300}.{0,300}x",
                r"(a|a){1,60}b", r"(a|ab){1,100}c", r"(x)?(?(1)(a*)*Z|y)", r"(a|a)*", r"(\d+)+$", r"(?:[ab]?.)*?Z"]

LEGITIMATE = [HLS.date_regex, S2.date_regex, r"_(\d{8})_", r"HLS\.S30\.T\w{5}\.(\d{7})T\d{6}\.v2\.0",
              r"S2[AB]_MSIL2A_(\d{8})T\d{6}_N\d{4}_R\d{3}_T\w{5}_\d{8}T\d{6}",
              r"T\d{2}[A-Z]{3}_(\d{8})T\d{6}_B\w+_\d{2}m", r"(?<=\.)(\d{7})(?=T)",
              r"LC0[89]_L2SP_\d{6}_(\d{8})_\d{8}_02_T1", r"(?:^|_)(\d{8})(?:_|$)", r"(\d{4}-?\d{2}-?\d{2})",
              r"(?:HLS|S2).*?(\d{7})T", r"[._](\d{7}|\d{8})[T_]", r"^.*_(\d{8})T.*$", r"(?i)hls\.s30\.t\w{5}\.(\d{7})t",
              r"(?:\d{4}){1,100}", r"(x)?(?(1)a|b)(\d{7})"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_pattern_is_refused_with_its_reason(pattern):
    assert date_pattern_problem(pattern) is not None
    with pytest.raises(InputError, match=r"is refused: it.* could take hours"):
        check_date_regex(pattern, "date_regex")
    with pytest.raises(InputError, match="is refused"):
        date_from_name("/data/HLS.S30.T15SXR.2021250T170000.tif", pattern)


@pytest.mark.parametrize("pattern", LEGITIMATE)
def test_legitimate_pattern_is_accepted(pattern):
    assert date_pattern_problem(pattern) is None, pattern


def test_bounded_repeat_message_gives_the_ways_and_the_limit():
    reason = date_pattern_problem(r"(.*){1,30}x")
    assert reason is not None and re.search(r"about \d\.\de\+\d+ ways .* at most 1\.7e\+07", reason), reason


def _random_pattern(rng: random.Random, depth: int) -> str:
    """A random pattern over a, b, '.', \\d with repeats (bounded or not), groups and alternations."""
    parts = []
    for _ in range(rng.randint(1, 3)):
        if depth > 0 and rng.random() < 0.4:
            inner = "|".join(_random_pattern(rng, depth - 1) for _ in range(rng.choice((1, 1, 2))))
            atom = f"(?:{inner})"
        else:
            atom = rng.choice(("a", "b", ".", r"\d", "[ab]"))
        quantifier = rng.choice(("", "", "*", "+", "?", "*?", f"{{0,{rng.randint(1, 60)}}}",
                                 f"{{1,{rng.randint(2, 40)}}}", f"{{{rng.randint(1, 5)}}}"))
        parts.append(atom + quantifier)
    return "".join(parts)


_TIMER = """
import json, re, sys, time
worst = {}
for pattern in json.loads(sys.argv[1]):
    started = time.perf_counter()
    for name in ("a" * 60, "ab" * 30, "1" * 60, "a1" * 30):
        re.search(pattern + "Z", name)
    worst[pattern] = time.perf_counter() - started
    print(json.dumps([pattern, worst[pattern]]), flush=True)
"""


def test_accepted_random_patterns_are_fast_on_adversarial_names():
    """Property: every random pattern the check accepts searches names made to fail it in a few
    seconds (four names of 60 characters; the check allows up to about 16 million ways at each
    place, a refused pattern may take hours). Run in a child process so that a missed
    catastrophic pattern fails the test instead of hanging it."""
    rng = random.Random(21)
    patterns = sorted({_random_pattern(rng, 2) for _ in range(600)})
    accepted = [p for p in patterns if date_pattern_problem(p) is None]
    assert 100 < len(accepted) < len(patterns), (len(accepted), len(patterns))
    try:
        run = subprocess.run([sys.executable, "-c", _TIMER, json.dumps(accepted)], capture_output=True, text=True,
                             timeout=120)
        lines = run.stdout.splitlines()
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode().splitlines()
        done = {json.loads(line)[0] for line in lines}
        pytest.fail(f"an accepted pattern ran for minutes: {[p for p in accepted if p not in done][:1]}")
    slow = [(p, t) for p, t in map(json.loads, lines) if t > 5.0]
    assert len(lines) == len(accepted) and not slow, slow


@pytest.mark.parametrize("pattern", [r"(x)?\.(\d{7})T", r"(?:(L30)\.)?T\w{5}\.(\d{7})T", r"(\d{8})?\.(\d{7})T"])
def test_a_group_left_out_of_the_match_is_skipped(pattern):
    """The date is in the first group that took part in the match: an optional group before it left out gave
    a TypeError (len of None) instead of the date."""
    assert date_from_name("/data/HLS.S30.T15SXR.2021250T163901.v2.0.tif", pattern) == 2021250


def test_a_pattern_whose_groups_all_stay_out_uses_the_whole_match():
    assert date_from_name("/data/S2A_MSIL2A_20210907T163901.tif", r"(x)?\d{8}") == 2021250
