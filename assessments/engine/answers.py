"""Answer validation: `validate_answers` turns raw input into the answers `score_lke` takes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .rulebook import LkeRulebook

__all__ = ["Answer", "AnswerProblem", "validate_answers"]

Answer = str | int | Decimal
_CENT = Decimal("0.01")
# A plain decimal literal: digits with an optional decimal point or comma, nothing else (no
# exponent, underscores, NaN or Infinity, which Decimal() would accept: "1e1000000" took the
# server tens of seconds to turn into an int). Longer literals are refused before parsing.
_LITERAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")  # ASCII digits only
_LITERAL_MAX = 30


class AnswerProblem(str):
    """One invalid answer: the Indonesian text (it is a str, as callers print it), plus the
    `code`, a `template` with %(name)s placeholders and its `params`, so that a user interface
    can translate it (see assessments/engine_texts.py)."""

    code: str
    template: str
    params: tuple[tuple[str, str], ...]

    def __new__(cls, code: str, template: str, **params: object) -> AnswerProblem:
        values = {"code": code, **{k: str(v) for k, v in params.items()}}
        problem = super().__new__(cls, template % values)
        problem.code, problem.template, problem.params = code, template, tuple(values.items())
        return problem


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> Decimal | None:
    """A finite Decimal from int/Decimal/float/str (a decimal comma is accepted), else None.
    A string must be a plain decimal literal of at most 30 characters."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > _LITERAL_MAX or not _LITERAL.fullmatch(text):
            return None
        text = text.replace(",", ".")
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number.adjusted() > _LITERAL_MAX:
        return None
    return number


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _shown(value: object) -> str:
    """The refused input as the user typed it, shortened."""
    text = str(value).strip()
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def validate_answers(
    rulebook: LkeRulebook, raw: Mapping[str, object]
) -> tuple[dict[str, Answer], list[AnswerProblem]]:
    """Check raw answers against the rulebook. Returns (answers, problems): answers holds the
    valid ones, normalised (option key, int count, Decimal index/value); problems lists every
    invalid entry, in Indonesian. Blank values (None, "") are unanswered and not a problem."""
    specs = rulebook.plan.specs
    answers: dict[str, Answer] = {}
    problems: list[AnswerProblem] = []
    for code, value in raw.items():
        spec = specs.get(code)
        if spec is None:
            problems.append(
                AnswerProblem(
                    code,
                    "%(code)s: kode tidak dikenal dalam rulebook %(rulebook)s.",
                    rulebook=rulebook.code,
                )
            )
            continue
        if _blank(value):
            continue
        if spec.kind == "persen":
            problems.append(
                AnswerProblem(
                    code,
                    "%(code)s: indikator persentase tidak diisi langsung; isi jumlah pada "
                    "%(inputs)s.",
                    inputs=", ".join(spec.inputs),
                )
            )
        elif spec.kind == "option":
            key = value.strip() if isinstance(value, str) else value
            if key in spec.options:
                answers[code] = key
                continue
            matches = (
                [o for o in spec.options if o.lower() == key.lower()]
                if isinstance(key, str)
                else []
            )
            if len(matches) == 1:
                answers[code] = matches[0]
            else:
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: jawaban %(value)s bukan pilihan yang sah (pilihan: "
                        "%(options)s).",
                        value=_shown(value),
                        options=", ".join(spec.options),
                    )
                )
        elif spec.kind == "count":
            number = _number(value)
            if number is None:
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: jumlah harus berupa bilangan bulat, bukan %(value)s.",
                        value=_shown(value),
                    )
                )
            elif number < 0:
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: jumlah tidak boleh negatif (%(value)s).",
                        value=_fmt(number),
                    )
                )
            elif number != number.to_integral_value():
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: jumlah harus bilangan bulat, bukan pecahan (%(value)s).",
                        value=_fmt(number),
                    )
                )
            else:
                answers[code] = int(number)
        else:
            number = _number(value)
            high = spec.scale_max if spec.kind == "indeks" else Decimal(1)
            indeks = spec.kind == "indeks"
            assert high is not None
            if number is None:
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: nilai indeks harus berupa angka, bukan %(value)s."
                        if indeks
                        else "%(code)s: nilai harus berupa angka, bukan %(value)s.",
                        value=_shown(value),
                    )
                )
            elif not Decimal(0) <= number <= high:
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: nilai indeks harus antara 0 dan %(high)s (diisi %(value)s)."
                        if indeks
                        else "%(code)s: nilai harus antara 0 dan %(high)s (diisi %(value)s).",
                        high=_fmt(high),
                        value=_fmt(number),
                    )
                )
            elif number != number.quantize(_CENT):
                problems.append(
                    AnswerProblem(
                        code,
                        "%(code)s: nilai indeks paling banyak 2 angka desimal (diisi %(value)s)."
                        if indeks
                        else "%(code)s: nilai paling banyak 2 angka desimal (diisi %(value)s).",
                        value=_fmt(number),
                    )
                )
            else:
                answers[code] = number.quantize(_CENT)
    return answers, problems
