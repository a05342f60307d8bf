"""A new user's first minutes: log in, see the role's home page, switch language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_unit_logs_in_and_sees_its_unit_but_not_the_second(page, live_server, demo, login):
    login("unit")
    own = page.get_by_test_id("own-units")
    expect(own).to_contain_text("Biro Administrasi Akademik dan Kemahasiswaan")
    expect(page.get_by_text("Langkah berikutnya").first).to_be_visible()
    second = demo["units"]["BAUK"]
    response = page.goto(f"{live_server.url}/unit/{second.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("Halaman tidak ditemukan")


def test_pimpinan_sees_every_unit_of_the_instansi(page, live_server, demo, login):
    login("pimpinan")
    units = page.get_by_test_id("instansi-units")
    for name in ("Biro Administrasi Akademik", "Biro Administrasi Umum", "UPT Teknologi Informasi"):
        expect(units).to_contain_text(name)
    expect(page.get_by_role("link", name="Administrasi", exact=True)).to_have_count(0)


def test_wrong_password_shows_indonesian_message(page, live_server, demo):
    page.goto(f"{live_server.url}/akun/login/")
    page.fill("input[name=login]", "unit")
    page.fill("input[name=password]", "salah-sandi")
    page.click("form button[type=submit]")
    expect(page.locator("body")).to_contain_text("kata sandi yang anda masukkan tidak benar")


def test_language_switch_to_english_and_back(page, live_server, demo, login):
    login("unit")
    expect(page.locator("h2").first).to_contain_text("Unit kerja Anda")
    page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2").first).to_contain_text("Your work units")
    page.select_option("#lang-select", "id")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "id")
