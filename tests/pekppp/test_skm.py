"""SKM per ULE: a spreadsheet of answers or the nine averages, scored by the engine."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook
from pekppp import skm
from pekppp.engine import score_skm
from pekppp.models import SkmRecord

pytestmark = pytest.mark.django_db
CODES = [f"U{i}" for i in range(1, 10)]


def _xlsx(rows, header=CODES) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["No", *header])
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, ule, data, name="skm.xlsx"):
    return client.post(
        reverse("pekppp:skm", args=[ule.pk]),
        {"mode": "spreadsheet", "file": SimpleUploadedFile(name, data)},
    )


def test_spreadsheet_of_answers_gives_ikm_and_mutu(pekppp, client_for):
    rows = [[4] * 9, [3] * 9, [4, 4, 4, 4, 4, 4, 4, 3, 3]]
    response = _upload(client_for("unit_team"), pekppp.ule, _xlsx(rows))
    assert response.status_code == 302
    record = SkmRecord.objects.get()
    assert record.respondents == 3 and record.method == "spreadsheet"
    # NRR: seven unsur 11/3, two unsur 10/3 -> IKM = (7 x 11/3 + 2 x 10/3) / 9 = 97/27
    assert Decimal(record.result["ikm"]).quantize(Decimal("0.0001")) == Decimal("3.5926")
    assert record.mutu == "A"  # NIK 89.81
    html = (
        client_for("evaluator_assigned")
        .get(reverse("pekppp:f02", args=[pekppp.ule.pk]))
        .content.decode()
    )
    assert "SKM periode ini: IKM 89,81, mutu A (3 responden)." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"bukan excel", "bukan lembar kerja Excel"),
        (_xlsx([[4] * 8], header=CODES[:8]), "Tidak ditemukan: U9"),
        (_xlsx([]), "tidak berisi jawaban responden"),
        (_xlsx([[4, 4, 4, 4, 5, 4, 4, 4, 4]]), "Baris 2 kolom U5: nilai harus bilangan bulat 1-4"),
        (_xlsx([[4, 4, 4, "baik", 4, 4, 4, 4, 4]]), "kolom U4"),
        (_xlsx([[4, 4, 4, 3.5, 4, 4, 4, 4, 4]]), "kolom U4"),
    ],
)
def test_wrong_spreadsheets_are_refused_with_a_message(pekppp, client_for, data, message):
    response = _upload(client_for("unit_team"), pekppp.ule, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SkmRecord.objects.exists()


def test_template_downloads_and_is_accepted_once_filled(pekppp, client_for):
    client = client_for("unit_team")
    template = client.get(reverse("pekppp:skm_template", args=[pekppp.ule.pk])).content
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    ws["B3"].value = None
    for col in range(2, 11):
        ws.cell(row=3, column=col, value=3)
    out = io.BytesIO()
    wb.save(out)
    assert _upload(client, pekppp.ule, out.getvalue()).status_code == 302
    assert SkmRecord.objects.get().result["nrr"]["U1"] == "3"


def test_nine_averages_give_the_same_result_as_the_answers_they_summarise(pekppp, client_for):
    client = client_for("unit_team")
    averages = {
        "U1": "3,40",
        "U2": "3,25",
        "U3": "3,10",
        "U4": "4",
        "U5": "3,30",
        "U6": "3,45",
        "U7": "3,60",
        "U8": "3,05",
        "U9": "1,00",
    }
    response = client.post(
        reverse("pekppp:skm", args=[pekppp.ule.pk]),
        {"mode": "averages", "respondents": "214", **averages},
    )
    assert response.status_code == 302
    record = SkmRecord.objects.get()
    assert record.respondents == 214 and record.method == "averages"
    mean = sum(Decimal(v.replace(",", ".")) for v in averages.values()) / 9
    assert Decimal(record.result["ikm"]).quantize(Decimal("0.000001")) == mean.quantize(
        Decimal("0.000001")
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("U3", "4,5", "antara 1 dan 4"),
        ("U3", "0", "antara 1 dan 4"),
        ("U3", "tiga", "berupa angka"),
        ("U3", "3,333", "dua angka"),
        ("respondents", "0", "paling sedikit 1"),
    ],
)
def test_bad_averages_are_refused(pekppp, client_for, field, value, message):
    data = {"mode": "averages", "respondents": "10", **dict.fromkeys(CODES, "3")} | {field: value}
    response = client_for("unit_team").post(reverse("pekppp:skm", args=[pekppp.ule.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SkmRecord.objects.exists()


def test_read_only_roles_cannot_record_skm(pekppp, client_for):
    data = {"mode": "averages", "respondents": "10", **dict.fromkeys(CODES, "3")}
    assert (
        client_for("pimpinan").post(reverse("pekppp:skm", args=[pekppp.ule.pk]), data).status_code
        == 403
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.decimals(min_value=1, max_value=4, places=2), min_size=9, max_size=9))
def test_averages_reach_the_engine_exactly(values):
    rulebook = engine_rulebook(RulebookVersion.objects.current("skm"))
    averages = dict(zip(CODES, values, strict=True))
    result = skm.score_averages(rulebook, averages)
    for code, value in averages.items():
        assert result.nrr[code] == value
    expected = score_skm(rulebook, [])  # shape only
    assert set(result.nrr) == set(expected.nrr)
