"""Eligibility (Kriteria Pengajuan): parsing and evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assessments.engine import RulebookError, check_eligibility, parse_eligibility
from assessments.engine.eligibility import EligibilityRules, add_months, months_between
from tests.engine.conftest import ELIGIBILITY, REPO, require

REF = dt.date(2025, 6, 30)


def data() -> dict[str, Any]:
    return {
        "kind": "eligibility",
        "code": "uji",
        "version": "1",
        "title": "Kriteria uji",
        "grade_orders": {"sakip": ["AA", "A", "BB", "B", "CC", "C", "D"],
                         "opini_bpk": ["WTP", "WDP", "TW", "TMP"]},
        "criteria": [
            {"key": "opini_bpk", "level": "instansi", "fact": "opini_bpk", "label": "Opini BPK",
             "rule": "grade_at_least", "order": "opini_bpk", "min": {"WBK": "WTP", "WBBM": "WTP"}},
            {"key": "indeks_rb", "level": "instansi", "label": "Indeks RB",
             "rule": "grade_at_least", "order": "sakip",
             "min_by_instansi_kind": {"kementerian_lembaga": {"WBK": "B", "WBBM": "BB"},
                                      "pemerintah_daerah": {"WBK": "CC", "WBBM": "B"}}},
            {"key": "spip", "level": "instansi", "fact": "spip_level", "label": "SPIP",
             "rule": "number_at_least", "min": {"WBK": "3", "WBBM": "3"}},
            {"key": "core", "level": "unit", "fact": "core_service", "label": "Core",
             "rule": "true", "min": {"WBK": True, "WBBM": True}},
            {"key": "durasi_wbk", "level": "unit", "fact": "pencanangan_date", "label": "1 tahun",
             "rule": "months_since_at_least", "min": {"WBK": 12, "WBBM": None}},
        ],
    }  # fmt: skip


@pytest.fixture
def rules() -> EligibilityRules:
    return parse_eligibility(data(), source="uji")


def statuses(items: list) -> dict[str, str]:
    return {i.key: i.status for i in items}


def test_all_met(rules: EligibilityRules) -> None:
    facts = {
        "opini_bpk": "WTP",
        "indeks_rb": "bb",
        "spip_level": 3,
        "core_service": True,
        "pencanangan_date": dt.date(2024, 6, 30),
    }
    items = check_eligibility(
        rules, predikat="WBK", instansi_kind="kementerian_lembaga", facts=facts, reference_date=REF
    )
    assert statuses(items) == dict.fromkeys(
        ["opini_bpk", "indeks_rb", "spip", "core", "durasi_wbk"], "met"
    )
    assert [i.level for i in items] == ["instansi"] * 3 + ["unit"] * 2
    durasi = items[-1]
    assert (durasi.value, durasi.required) == (12, 12)


def test_not_met_and_not_filled(rules: EligibilityRules) -> None:
    facts = {"opini_bpk": "WDP", "indeks_rb": "CC", "spip_level": "2", "core_service": False}
    items = check_eligibility(
        rules, predikat="WBK", instansi_kind="kementerian_lembaga", facts=facts, reference_date=REF
    )
    assert statuses(items) == {
        "opini_bpk": "not_met",
        "indeks_rb": "not_met",  # K/L needs B
        "spip": "not_met",
        "core": "not_met",
        "durasi_wbk": "not_filled",
    }
    spip = items[2]
    assert (spip.value, spip.required) == (Decimal(2), Decimal(3))


def test_minimum_by_instansi_kind(rules: EligibilityRules) -> None:
    facts = {"indeks_rb": "CC"}
    pemda = check_eligibility(
        rules, predikat="WBK", instansi_kind="pemerintah_daerah", facts=facts, reference_date=REF
    )
    assert statuses(pemda)["indeks_rb"] == "met"
    unknown = check_eligibility(
        rules, predikat="WBK", instansi_kind=None, facts=facts, reference_date=REF
    )
    assert statuses(unknown)["indeks_rb"] == "not_filled"


def test_criterion_not_applying_to_a_predikat_is_left_out(rules: EligibilityRules) -> None:
    items = check_eligibility(
        rules, predikat="WBBM", instansi_kind="lainnya", facts={}, reference_date=REF
    )
    assert [i.key for i in items] == ["opini_bpk", "indeks_rb", "spip", "core"]
    assert all(i.status == "not_filled" for i in items)


@pytest.mark.parametrize(
    ("start", "ref", "months", "met"),
    [
        (dt.date(2024, 6, 30), dt.date(2025, 6, 29), 11, False),
        (dt.date(2024, 6, 30), dt.date(2025, 6, 30), 12, True),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12, True),  # end of month clamps
        (dt.date(2024, 1, 31), dt.date(2025, 1, 30), 11, False),
        ("2024-01-31", dt.date(2025, 1, 31), 12, True),
    ],
)
def test_months_since(
    rules: EligibilityRules, start: Any, ref: dt.date, months: int, met: bool
) -> None:
    (item,) = [
        i
        for i in check_eligibility(
            rules,
            predikat="WBK",
            instansi_kind=None,
            facts={"pencanangan_date": start},
            reference_date=ref,
        )
        if i.key == "durasi_wbk"
    ]
    assert (item.value, item.status) == (months, "met" if met else "not_met")


def test_month_helpers() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1
    assert months_between(dt.date(2025, 3, 1), dt.date(2025, 1, 1)) == -2
    assert months_between(dt.date(2025, 1, 1), dt.date(2024, 12, 31)) == 0


def test_invalid_file_lists_every_problem() -> None:
    bad = data()
    bad["criteria"][0]["min"]["WBK"] = "WTPX"
    bad["criteria"][1]["min_by_instansi_kind"]["bumn"] = {"WBK": "B"}
    bad["criteria"][2]["rule"] = "at_least"
    bad["criteria"][3]["level"] = "pusat"
    bad["criteria"][4]["min"]["WBK"] = -1
    with pytest.raises(RulebookError) as exc:
        parse_eligibility(bad, source="uji.yaml")
    assert exc.value.problems == [
        "uji.yaml: criterion opini_bpk WBK: minimum 'WTPX' is not in the grade order "
        "['WTP', 'WDP', 'TW', 'TMP']",
        "uji.yaml: criterion indeks_rb: unknown instansi kind 'bumn' (expected "
        "kementerian_lembaga, pemerintah_daerah, lainnya)",
        "uji.yaml: criterion spip: unknown rule 'at_least' (expected one of grade_at_least, "
        "number_at_least, true, months_since_at_least)",
        "uji.yaml: criterion core: level must be one of instansi, unit, got 'pusat'",
        "uji.yaml: criterion durasi_wbk WBK: minimum months must be a whole number >= 0, got -1",
    ]


def test_real_file() -> None:
    rules = parse_eligibility(require(ELIGIBILITY), source=str(ELIGIBILITY.relative_to(REPO)))
    keys = [c.key for c in rules.criteria]
    assert {"opini_bpk", "sakip_instansi", "indeks_rb", "spip_maturity", "sakip_unit"} <= set(keys)
    facts = {"indeks_rb": "CC", "sakip_instansi": "BB"}
    wbk = check_eligibility(
        rules, predikat="WBK", instansi_kind="pemerintah_daerah", facts=facts, reference_date=REF
    )
    wbbm = check_eligibility(
        rules, predikat="WBBM", instansi_kind="pemerintah_daerah", facts=facts, reference_date=REF
    )
    assert statuses(wbk)["indeks_rb"] == "met" and statuses(wbbm)["indeks_rb"] == "not_met"
    assert statuses(wbk)["sakip_instansi"] == "met" and statuses(wbbm)["sakip_instansi"] == "met"
    assert "zi_duration_wbk" in statuses(wbk) and "zi_duration_wbk" not in statuses(wbbm)
