"""The other leadership views kept with the workbook views: the public report verification
(rate limit, codes typed from paper, key figures) and the instansi summary PDF (its years)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- verification


@pytest.fixture
def final_report(make_assessment, world):
    from tests.assessments.conftest import fill
    from tests.leadership.conftest import finalise, tpi_answer

    assessment = make_assessment()
    fill(assessment, by=world.users["unit_team"], evidence=False)
    tpi_answer(assessment)
    return finalise(assessment, code="HJK2345MNPQR")


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _verify(client, code: str) -> int:
    return client.get(reverse("verify_report", args=[code])).status_code


def test_a_limited_client_gets_429_even_for_a_valid_code(client, final_report, fresh_cache):
    statuses = [_verify(client, f"X{i:011d}") for i in range(30)]
    assert statuses == [404] * 30
    assert _verify(client, "HJK2345MNPQR") == 429
    assert _verify(client, "X99999999999") == 429


def test_valid_codes_do_not_use_up_the_limit(client, final_report, fresh_cache):
    for _ in range(40):
        assert _verify(client, "HJK2345MNPQR") == 200
    assert _verify(client, "X00000000000") == 404


def test_a_code_typed_with_dashes_or_spaces_is_found(client, final_report, fresh_cache):
    assert _verify(client, "HJK2-345M-NPQR") == 200
    assert _verify(client, "hjk2 345m–npqr") == 200


def test_the_verification_page_names_the_full_predikat(client, final_report, fresh_cache):
    html = client.get(reverse("verify_report", args=["HJK2345MNPQR"])).content.decode()
    assert "<td>Menuju WBK</td>" in html


# --------------------------------------------------------------------------- summary PDF


@pytest.mark.parametrize("year", [1900, 2025, 2999])
def test_the_summary_pdf_of_a_year_without_assessments_is_404(client_for, world, year, assessment):
    url = reverse("leadership:summary_pdf", args=[world.instansi.pk, year])
    assert client_for("pimpinan").get(url).status_code == 404


def test_the_summary_pdf_covers_the_years_between_assessments(client_for, world, make_assessment):
    make_assessment(year=2022)
    client = client_for("pimpinan")
    for year in (2022, 2024, 2026):
        url = reverse("leadership:summary_pdf", args=[world.instansi.pk, year])
        assert client.get(url).status_code == 200, year
    url = reverse("leadership:summary_pdf", args=[world.instansi.pk, 2021])
    assert client.get(url).status_code == 404


def test_the_summary_of_an_instansi_without_assessments_keeps_the_rulebook_years(client_for, world):
    """Not only the current year: the outsider's summary for 2026 must not turn 404 in 2027."""
    from django.utils import timezone

    client = client_for("outsider_operator")

    def status(year: int) -> int:
        url = reverse("leadership:summary_pdf", args=[world.other_instansi.pk, year])
        return client.get(url).status_code

    assert status(2019) == 200  # PermenPANRB 10/2019, the first LKE rulebook
    assert status(timezone.localdate().year) == 200
    assert status(2018) == 404 and status(timezone.localdate().year + 1) == 404
