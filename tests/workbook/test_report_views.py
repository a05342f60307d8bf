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
