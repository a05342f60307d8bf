"""Answer validation: `validate_answers` turns raw input into the answers `score_lke` takes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .rulebook import LkeRulebook

__all__ = ["Answer", "validate_answers"]

Answer = str | int | Decimal
_CENT = Decimal("0.01")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> Decimal | None:
    """A finite Decimal from int/Decimal/float/str (a decimal comma is accepted), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if "," in text and "." not in text:
            text = text.replace(",", ".")
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def validate_answers(
    rulebook: LkeRulebook, raw: Mapping[str, object]
) -> tuple[dict[str, Answer], list[str]]:
    """Check raw answers against the rulebook. Returns (answers, problems): answers holds the
    valid ones, normalised (option key, int count, Decimal index/value); problems lists every
    invalid entry, in Indonesian. Blank values (None, "") are unanswered and not a problem."""
    specs = rulebook.plan.specs
    answers: dict[str, Answer] = {}
    problems: list[str] = []
    for code, value in raw.items():
        spec = specs.get(code)
        if spec is None:
            problems.append(f"{code}: kode tidak dikenal dalam rulebook {rulebook.code}.")
            continue
        if _blank(value):
            continue
        if spec.kind == "persen":
            problems.append(
                f"{code}: indikator persentase tidak diisi langsung; isi jumlah pada "
                f"{', '.join(spec.inputs)}."
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
                    f"{code}: jawaban {value!r} bukan pilihan yang sah "
                    f"(pilihan: {', '.join(spec.options)})."
                )
        elif spec.kind == "count":
            number = _number(value)
            if number is None:
                problems.append(f"{code}: jumlah harus berupa bilangan bulat, bukan {value!r}.")
            elif number < 0:
                problems.append(f"{code}: jumlah tidak boleh negatif ({_fmt(number)}).")
            elif number != number.to_integral_value():
                problems.append(
                    f"{code}: jumlah harus bilangan bulat, bukan pecahan ({_fmt(number)})."
                )
            else:
                answers[code] = int(number)
        else:
            number = _number(value)
            high = spec.scale_max if spec.kind == "indeks" else Decimal(1)
            what = "nilai indeks" if spec.kind == "indeks" else "nilai"
            assert high is not None
            if number is None:
                problems.append(f"{code}: {what} harus berupa angka, bukan {value!r}.")
            elif not Decimal(0) <= number <= high:
                problems.append(
                    f"{code}: {what} harus antara 0 dan {_fmt(high)} (diisi {_fmt(number)})."
                )
            elif number != number.quantize(_CENT):
                problems.append(
                    f"{code}: {what} paling banyak 2 angka desimal (diisi {_fmt(number)})."
                )
            else:
                answers[code] = number.quantize(_CENT)
    return answers, problems
