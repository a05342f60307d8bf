"""Accounts: login by username or e-mail, Indonesian messages, no sign-up, reset, rate limit, MFA."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/akun/login/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _login(client, login, password):
    return client.post(LOGIN, {"login": login, "password": password})


def test_login_by_username_reaches_home(client, world):
    response = _login(client, "tim", "pw-uji-123")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_by_email_reaches_home(client, world):
    response = _login(client, "tim@uji.go.id", "pw-uji-123")
    assert response.status_code == 302


def test_wrong_password_gets_indonesian_message(client, world):
    body = _login(client, "tim", "salah").content.decode()
    assert "kata sandi yang anda masukkan tidak benar" in body


def test_unknown_user_gets_the_same_indonesian_message(client, world):
    body = _login(client, "tidakada", "salah").content.decode()
    assert "kata sandi yang anda masukkan tidak benar" in body


def test_inactive_user_is_told_the_account_is_inactive(client, world):
    user = world.users["unit_team"]
    user.is_active = False
    user.save()
    response = _login(client, "tim", "pw-uji-123")
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "tidak aktif" in body.lower()


def test_repeated_failures_lock_the_login_with_indonesian_message(client, world):
    for _ in range(5):
        _login(client, "tim", "salah")
    body = _login(client, "tim", "pw-uji-123").content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in body


def test_signup_is_closed(client, db):
    response = client.get("/akun/signup/")
    assert response.status_code == 200
    assert "ditutup" in response.content.decode().lower()
    response = client.post(
        "/akun/signup/",
        {
            "username": "baru",
            "email": "baru@x.id",
            "password1": "Rahasia-123!",
            "password2": "Rahasia-123!",
        },
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="baru").exists()


def test_password_reset_sends_mail_and_link_sets_new_password(client, world):
    response = client.post("/akun/password/reset/", {"email": "tim@uji.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/akun/password/reset/key/\S+)", mail.outbox[0].body).group(
        1
    )
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "Sandi-Baru-2026!", "password2": "Sandi-Baru-2026!"}
    )
    assert response.status_code == 302
    assert _login(client, "tim", "Sandi-Baru-2026!").status_code == 302


def test_expired_or_bad_reset_link_gets_indonesian_message(client, world):
    response = client.get("/akun/password/reset/key/zz-bukan-token/", follow=True)
    body = response.content.decode()
    assert "Token Salah" in body or "tidak valid" in body.lower()


def test_password_change_page_for_logged_in_user(client, world):
    client.force_login(world.users["unit_team"])
    assert client.get("/akun/password/change/").status_code == 200


def test_two_factor_page_is_available_to_every_user(client, world):
    for persona in ("unit_team", "pimpinan", "tpi", "operator"):
        client.force_login(world.users[persona])
        response = client.get(reverse("mfa_index"))
        assert response.status_code == 200
        assert reverse("mfa_activate_totp") in response.content.decode()


def test_login_page_is_indonesian_by_default(client, db):
    body = client.get(LOGIN).content.decode()
    assert 'lang="id"' in body
    assert "Masuk" in body


def test_language_switch_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN}, follow=True)
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "Sign in to ZI Portal" in body


def test_logout_requires_post_and_logs_out(client, world):
    client.force_login(world.users["unit_team"])
    response = client.post("/akun/logout/")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_browser_language_header_does_not_override_indonesian(client, db):
    body = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in body
    assert "Masuk ke ZI Portal" in body


def test_login_page_offers_no_signup_link(client, db):
    assert "/akun/signup/" not in client.get(LOGIN).content.decode()
