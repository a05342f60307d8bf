"""Scoring throughput of the pure engines, in process, on one core (no Django, no database).

    .venv/bin/python bench/score_bench.py [-n 10000] [--seed 2021] [--lke PATH] [--pekppp PATH]

Scores N random LKE answer sets with the real 90/2021 rulebook and N random IPP score sets with
the real PEKPPP instrument (the random sets are made before the clock starts), then prints
scorings per second and the machine. Also times a few hundred gap plans, for information.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assessments.engine import (  # noqa: E402
    LkeRulebook,
    UnitFacts,
    parse_lke_rulebook,
    plan_gap,
    score_lke,
)
from pekppp.engine import Instrument, parse_instrument, score_ipp  # noqa: E402

LKE = ROOT / "rulebooks" / "lke" / "permenpanrb-90-2021.yaml"
PEKPPP = ROOT / "rulebooks" / "pekppp" / "pekppp-2023.yaml"


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def lke_sets(rb: LkeRulebook, n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Complete answer sets: random options, counts 0..20, survey indices 0.00..4.00."""
    out = []
    for _ in range(n):
        answers: dict[str, Any] = {}
        for code, spec in rb.plan.specs.items():
            if spec.kind == "option":
                answers[code] = rng.choice(spec.options)
            elif spec.kind == "count":
                answers[code] = rng.randint(0, 20)
            elif spec.kind == "indeks":
                assert spec.scale_max is not None
                answers[code] = Decimal(rng.randint(0, int(spec.scale_max * 100))).scaleb(-2)
            elif spec.kind == "nilai":
                answers[code] = Decimal(rng.randint(0, 100)).scaleb(-2)
        out.append(answers)
    return out


def ipp_sets(ins: Instrument, n: int, rng: random.Random) -> list[dict[str, int]]:
    codes = [i.code for i in ins.indicators()]
    return [{c: rng.randint(ins.scale_min, ins.scale_max) for c in codes} for _ in range(n)]


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label:<28} {count:>7} in {seconds:7.3f} s  = {per_second:>10,.0f} per second")
    return per_second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="answer sets per engine")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--lke", type=Path, default=LKE)
    parser.add_argument("--pekppp", type=Path, default=PEKPPP)
    parser.add_argument("--gap", type=int, default=300, help="gap plans to time (0: none)")
    args = parser.parse_args()

    print(f"machine     {platform.platform()} ({platform.machine()})")
    print(f"processor   {platform.processor() or 'unknown'}; cpu count {os.cpu_count()}")
    print(f"python      {platform.python_implementation()} {platform.python_version()}")
    print(f"rulebooks   {args.lke.name}, {args.pekppp.name}; n = {args.n}, seed = {args.seed}")
    print()

    rng = random.Random(args.seed)
    lke = parse_lke_rulebook(load(args.lke), source=str(args.lke))
    ins = parse_instrument(load(args.pekppp), source=str(args.pekppp))
    answer_sets = lke_sets(lke, args.n, rng)
    score_sets = ipp_sets(ins, args.n, rng)

    for answers in answer_sets[:100]:  # warm-up
        score_lke(lke, answers)
    start = time.perf_counter()
    for answers in answer_sets:
        score_lke(lke, answers)
    lke_rate = rate("LKE score_lke", len(answer_sets), time.perf_counter() - start)

    start = time.perf_counter()
    for scores in score_sets:
        score_ipp(ins, scores)
    rate("IPP score_ipp", len(score_sets), time.perf_counter() - start)

    if args.gap:
        facts = UnitFacts(has_wbk=True)
        sets = answer_sets[: args.gap]
        start = time.perf_counter()
        for i, answers in enumerate(sets):
            plan_gap(lke, answers, target="WBK" if i % 2 else "WBBM", unit_facts=facts)
        rate("LKE plan_gap (info)", len(sets), time.perf_counter() - start)

    goal = 2000
    print()
    print(
        f"goal: >= {goal} LKE scorings per second on one core: "
        f"{'met' if lke_rate >= goal else 'NOT met'}"
    )
    return 0 if lke_rate >= goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
