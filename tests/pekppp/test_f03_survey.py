"""The public F-03 survey: limits, repeat submissions, flooding, missing items, no personal data."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.urls import reverse

from pekppp import services
from pekppp.models import F03Response, UnitLokus
from tests.pekppp.conftest import f03_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _url(ule):
    return reverse("pekppp:survey", args=[ule.survey_token])


def test_visitor_sees_items_count_and_how_many_more_to_reach_ten(pekppp, client):
    for _ in range(3):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument))
    html = client.get(_url(pekppp.ule)).content.decode()
    assert "Layanan legalisir" in html
    assert "Sudah 3 dari paling banyak 20 jawaban." in html
    assert "Dibutuhkan 7 jawaban lagi untuk mencapai 10." in html
    assert html.count('class="btn-check"') == 14 * 6  # 14 items x scores 0..5


def test_answer_is_stored_without_personal_data_and_the_browser_is_remembered(pekppp, client):
    response = client.post(
        _url(pekppp.ule), f03_answers(pekppp.instrument, 5), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    stored = F03Response.objects.get()
    assert stored.answers == {i.code: 5 for i in pekppp.instrument.f03_items}
    assert {f.name for f in F03Response._meta.get_fields()} == {
        "id",
        "ule",
        "number",
        "answers",
        "submitted_on",
    }
    assert "10.1.2.3" not in str(stored.__dict__)
    # The same browser cannot answer again.
    response = client.get(_url(pekppp.ule))
    assert 'data-testid="survey-answered"' in response.content.decode()
    response = client.post(_url(pekppp.ule), f03_answers(pekppp.instrument, 1))
    assert response.status_code == 409
    assert F03Response.objects.count() == 1


def test_a_forged_cookie_does_not_count(pekppp, client):
    client.cookies[f"pekppp_f03_{pekppp.ule.pk}"] = "forged"
    response = client.post(_url(pekppp.ule), f03_answers(pekppp.instrument))
    assert response.status_code == 200


def test_missing_or_out_of_range_items_are_refused_and_nothing_saved(pekppp, client):
    answers = f03_answers(pekppp.instrument)
    del answers["2.a.K1"]
    answers["9.c.K"] = "6"
    response = client.post(_url(pekppp.ule), answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Belum dinilai: nomor 2." in html
    assert "Nilai harus 0 sampai 5. Periksa nomor 9." in html
    assert not F03Response.objects.exists()
    assert UnitLokus.objects.get(pk=pekppp.ule.pk).survey_count == 0


def test_the_21st_response_is_refused(pekppp, client):
    for _ in range(20):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument))
    with pytest.raises(services.SurveyFull):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument))
    response = client.post(_url(pekppp.ule), f03_answers(pekppp.instrument))
    assert response.status_code == 409
    assert 'data-testid="survey-full"' in response.content.decode()
    assert F03Response.objects.filter(ule=pekppp.ule).count() == 20
    assert sorted(F03Response.objects.values_list("number", flat=True)) == list(range(1, 21))


def test_flooding_from_one_address_is_rate_limited(pekppp, client):
    statuses = []
    for _ in range(7):
        client.cookies.clear()  # a flooder drops the cookie every time
        statuses.append(
            client.post(
                _url(pekppp.ule), f03_answers(pekppp.instrument), REMOTE_ADDR="10.9.9.9"
            ).status_code
        )
    assert statuses == [200] * 5 + [429, 429]
    assert F03Response.objects.count() == 5
    client.cookies.clear()
    other = client.post(_url(pekppp.ule), f03_answers(pekppp.instrument), REMOTE_ADDR="10.9.9.10")
    assert other.status_code == 200


def test_guessed_token_and_another_ules_token_do_not_mix(pekppp, client):
    assert client.get(reverse("pekppp:survey", args=["x" * 32])).status_code == 404
    assert client.post(reverse("pekppp:survey", args=["x" * 32]), {}).status_code == 404
    client.post(_url(pekppp.other_ule), f03_answers(pekppp.instrument))
    assert pekppp.other_ule.f03_responses.count() == 1 and not pekppp.ule.f03_responses.exists()


def test_tokens_are_long_random_and_unique(pekppp):
    a, b = pekppp.ule.survey_token, pekppp.other_ule.survey_token
    assert a != b and len(a) >= 32


@pytest.fixture
def _rulebooks(transactional_db):
    # A transactional test starts from whatever the previous one left (flushed tables).
    from assessments.rulebooks import load_rulebooks

    load_rulebooks()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_pass_the_cap(_rulebooks, pekppp):
    for _ in range(18):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument))
    errors: list[Exception] = []

    def submit():
        from django.db import connection as thread_connection

        try:
            services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument))
        except services.SurveyFull:
            return  # expected once the cap is reached
        except Exception as exc:  # any other failure is the finding
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert F03Response.objects.filter(ule=pekppp.ule).count() == 20
    assert UnitLokus.objects.get(pk=pekppp.ule.pk).survey_count == 20
    assert not errors
