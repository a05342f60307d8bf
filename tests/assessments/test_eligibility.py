"""Kriteria Pengajuan: computed per instansi kind, from the pencanangan date and the year, with
met / not met / not filled; and the forms that enter the facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import InstansiFacts, UnitFactsRecord
from assessments.results import eligibility_rows


def _rows(assessment, instansi=None, unit=None):
    return {r.key: r for r in eligibility_rows(assessment, instansi, unit)}


@pytest.mark.parametrize(
    "kind,grade,target,status",
    [
        ("kementerian_lembaga", "CC", "WBK", "not_met"),
        ("kementerian_lembaga", "B", "WBK", "met"),
        ("pemerintah_daerah", "CC", "WBK", "met"),
        ("pemerintah_daerah", "C", "WBK", "not_met"),
        ("pemerintah_daerah", "B", "WBBM", "met"),
        ("kementerian_lembaga", "B", "WBBM", "not_met"),
        ("lainnya", "B", "WBK", "met"),
    ],
)
def test_indeks_rb_minimum_depends_on_the_kind_of_instansi(
    world, make_assessment, kind, grade, target, status
):
    world.instansi.kind = kind
    world.instansi.save()
    assessment = make_assessment(target=target)
    facts = InstansiFacts(instansi=world.instansi, year=2026, indeks_rb=grade)
    assert _rows(assessment, facts)["indeks_rb"].status == status


def test_everything_is_not_filled_without_facts(make_assessment):
    rows = eligibility_rows(make_assessment(), None, None)
    assert {r.status for r in rows} == {"not_filled"}
    assert len(rows) == 11  # WBK: the WBBM-only duration does not apply


@pytest.mark.parametrize(
    "pencanangan,status,months",
    [
        (dt.date(2025, 12, 31), "met", "12 bulan"),
        (dt.date(2025, 1, 1), "met", "23 bulan"),
        (dt.date(2026, 1, 1), "not_met", "11 bulan"),
        (dt.date(2026, 6, 30), "not_met", "6 bulan"),
    ],
)
def test_zi_built_for_a_year_counts_to_the_end_of_the_assessment_year(
    make_assessment, pencanangan, status, months
):
    assessment = make_assessment(year=2026)
    unit = UnitFactsRecord(assessment=assessment, pencanangan_date=pencanangan)
    row = _rows(assessment, unit=unit)["zi_duration_wbk"]
    assert (row.status, row.value, row.required) == (status, months, "12 bulan")


def test_unit_facts_met_and_not_met(make_assessment):
    assessment = make_assessment()
    unit = UnitFactsRecord(
        assessment=assessment,
        core_service=True,
        significant_impact=False,
        tlhp_percent=Decimal("100"),
        lhkpn_percent=Decimal("99.5"),
        sakip_unit="A",
    )
    rows = _rows(assessment, unit=unit)
    assert rows["core_service"].status == "met"
    assert rows["significant_impact"].status == "not_met"
    assert rows["tlhp_percent"].status == "met"
    assert (rows["lhkpn_percent"].status, rows["lhkpn_percent"].value) == ("not_met", "99,5%")
    assert rows["lhkpn_percent"].required == "100%"
    assert rows["lhkasn_percent"].status == "not_filled"
    assert rows["sakip_unit"].status == "met"


def test_wbbm_reads_the_wbbm_start_and_higher_minimums(make_assessment):
    assessment = make_assessment(target="WBBM")
    instansi = InstansiFacts(sakip_instansi="B", opini_bpk="WTP", spip_maturity_level=3)
    unit = UnitFactsRecord(
        assessment=assessment, wbbm_start_date=dt.date(2024, 5, 1), sakip_unit="BB"
    )
    rows = _rows(assessment, instansi, unit)
    assert rows["sakip_instansi"].status == "not_met"  # WBBM needs BB
    assert rows["zi_duration_wbbm"].status == "met"
    assert "zi_duration_wbk" not in rows
    assert rows["sakip_unit"].status == "met"


def test_unit_team_saves_unit_facts_with_decimal_comma(client_for, world, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    response = client.post(
        reverse("assessments:save_unit_facts", args=[assessment.pk]),
        {
            "core_service": "1",
            "significant_impact": "0",
            "tlhp_percent": "98,5",
            "lhkpn_percent": "100",
            "lhkasn_percent": "",
            "pencanangan_date": "2025-02-10",
            "sakip_unit": "BB",
            "has_wbk": "1",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#kriteria-unit")
    record = UnitFactsRecord.objects.get(assessment=assessment)
    assert record.tlhp_percent == Decimal("98.5") and record.lhkasn_percent is None
    assert record.core_service is True and record.significant_impact is False
    world.unit.refresh_from_db()
    assert world.unit.has_wbk is True
    html = client.get(response.url).content.decode()
    assert "Data kriteria unit disimpan." in html and "Terpenuhi" in html
    # shown again the Indonesian way, as typed (not 98.50 / 100.00)
    assert 'value="98,5"' in html and 'value="100"' in html and "98.50" not in html


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("tlhp_percent", "101", "tidak boleh lebih dari 100"),
        ("tlhp_percent", "-1", "tidak boleh kurang dari 0"),
        ("tlhp_percent", "sembilan", "Isi dengan angka 0 sampai 100"),
        ("tlhp_percent", "1e1", "Isi dengan angka 0 sampai 100"),
        ("tlhp_percent", "1_0", "Isi dengan angka 0 sampai 100"),
        ("tlhp_percent", "1e1000000", "Isi dengan angka 0 sampai 100"),
        ("lhkpn_percent", "99,999", "2 angka desimal"),
        ("pencanangan_date", "31-02-2025", "Tulis tanggal"),
        ("pencanangan_date", "2999-01-01", "masa depan"),
    ],
)
def test_bad_unit_facts_are_refused_and_nothing_saved(
    client_for, make_assessment, field, value, message
):
    assessment = make_assessment()
    response = client_for("unit_team").post(
        reverse("assessments:save_unit_facts", args=[assessment.pk]), {field: value, "has_wbk": "0"}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not UnitFactsRecord.objects.filter(assessment=assessment).exists()


def test_operator_enters_instansi_facts_for_the_year(client_for, world, make_assessment):
    assessment = make_assessment()
    page = client_for("operator").get(reverse("assessments:eligibility", args=[assessment.pk]))
    assert "Simpan data instansi" in page.content.decode()
    assert "Simpan data unit" not in page.content.decode()
    response = client_for("operator").post(
        reverse("assessments:save_instansi_facts", args=[assessment.pk]),
        {"opini_bpk": "WDP", "sakip_instansi": "A", "indeks_rb": "BB", "spip_maturity_level": "4"},
    )
    assert response.status_code == 302
    facts = InstansiFacts.objects.get(instansi=world.instansi, year=2026)
    assert (facts.opini_bpk, facts.spip_maturity_level, facts.updated_by) == (
        "WDP",
        4,
        world.users["operator"],
    )
    html = (
        client_for("unit_team")
        .get(reverse("assessments:eligibility", args=[assessment.pk]))
        .content.decode()
    )
    assert "Simpan data instansi" not in html and "Diisi oleh operator portal" in html
    assert "Belum terpenuhi" in html  # opini WDP < WTP


def test_unit_facts_form_is_read_only_after_submission(client_for, filled):
    filled.status = "submitted"
    filled.save()
    client = client_for("unit_team")
    html = client.get(reverse("assessments:eligibility", args=[filled.pk])).content.decode()
    assert "Simpan data unit" not in html
    response = client.post(
        reverse("assessments:save_unit_facts", args=[filled.pk]),
        {"core_service": "1", "has_wbk": "0"},
    )
    assert response.status_code == 302
    assert "tidak dapat diubah" in client.get(response.url).content.decode()
