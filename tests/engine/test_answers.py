"""validate_answers: normalisation and every kind of problem (Indonesian messages)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.engine import LkeRulebook, validate_answers

D = Decimal


def test_valid_answers_are_normalised(small_lke: LkeRulebook) -> None:
    answers, problems = validate_answers(
        small_lke,
        {
            "A.I.1.i.a": "ya",  # case-insensitive match of an option key
            "A.I.1.i.b": " B ",
            "A.II.1.i.a.1": "12",
            "A.II.1.i.a.2": 3.0,
            "B.I.a": "3,6",  # decimal comma
            "B.II.a": 4,
            "A.I.2.i.a": None,  # blank: unanswered
            "A.I.3.i.a": "",
        },
    )
    assert problems == []
    assert answers == {
        "A.I.1.i.a": "Ya",
        "A.I.1.i.b": "B",
        "A.II.1.i.a.1": 12,
        "A.II.1.i.a.2": 3,
        "B.I.a": D("3.60"),
        "B.II.a": D("4.00"),
    }


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("X.9", "A", "X.9: kode tidak dikenal"),
        ("A.I.1.i.a", "A", "bukan pilihan yang sah (pilihan: Ya, Tidak)"),
        ("A.I.1.i.b", "D", "bukan pilihan yang sah (pilihan: A, B, C)"),
        ("B.I.b", 3, "bukan pilihan yang sah"),
        ("A.II.1.i.a.1", -2, "jumlah tidak boleh negatif"),
        ("A.II.1.i.a.1", "2.5", "bukan pecahan"),
        ("A.II.1.i.a.1", "dua", "harus berupa bilangan bulat"),
        ("A.II.1.i.a.1", True, "harus berupa bilangan bulat"),
        ("B.I.a", "4.01", "harus antara 0 dan 4"),
        ("B.I.a", -1, "harus antara 0 dan 4"),
        ("B.I.a", "3.605", "paling banyak 2 angka desimal"),
        ("B.I.a", "tinggi", "nilai indeks harus berupa angka"),
        ("A.II.1.i.a", "100%", "indikator persentase tidak diisi langsung"),
    ],
)
def test_each_kind_of_problem(
    small_lke: LkeRulebook, code: str, value: object, message: str
) -> None:
    answers, problems = validate_answers(small_lke, {code: value})
    assert answers == {}
    assert len(problems) == 1
    assert problems[0].startswith(f"{code}: ")
    assert message in problems[0]


def test_nilai_outside_0_1(single_part_lke: LkeRulebook) -> None:
    _, problems = validate_answers(single_part_lke, {"A.1.i.a": "1.5", "B.I.b": "0.851"})
    assert problems == [
        "A.1.i.a: nilai harus antara 0 dan 1 (diisi 1,5).",
        "B.I.b: nilai paling banyak 2 angka desimal (diisi 0,851).",
    ]


def test_every_problem_is_listed_together(small_lke: LkeRulebook) -> None:
    answers, problems = validate_answers(
        small_lke,
        {
            "A.I.1.i.a": "Ya",
            "A.I.1.i.b": "Z",
            "A.II.1.i.a": "1",
            "A.II.1.i.a.1": -1,
            "A.II.1.i.a.2": 1.5,
            "B.I.a": "5",
            "NOPE": 1,
        },
    )
    assert answers == {"A.I.1.i.a": "Ya"}
    assert [p.split(":")[0] for p in problems] == [
        "A.I.1.i.b",
        "A.II.1.i.a",
        "A.II.1.i.a.1",
        "A.II.1.i.a.2",
        "B.I.a",
        "NOPE",
    ]
