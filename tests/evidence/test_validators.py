"""The validators refuse every hostile file of the corpus and accept every allowed type."""

from __future__ import annotations

import io

import pytest

from evidence.validators import (
    EvidenceRejected,
    check_content,
    check_file_name,
    check_link,
    sniff,
)
from tests.evidence import files


def _check(name: str, data: bytes, **overrides):
    checked_name, ext = check_file_name(name)
    return check_content(io.BytesIO(data), name=checked_name, ext=ext, size=len(data), **overrides)


@pytest.mark.parametrize("name", sorted(files.VALID))
def test_every_allowed_type_is_accepted(name):
    data = files.VALID[name]()
    checked = _check(name, data)
    assert checked.size == len(data)
    assert checked.content_type


@pytest.mark.parametrize("name", sorted(files.HOSTILE))
def test_hostile_file_is_refused_with_a_clear_message(name):
    data, word = files.HOSTILE[name]
    with pytest.raises(EvidenceRejected) as refused:
        _check(name, data)
    assert word.lower() in refused.value.message.lower(), refused.value.message


@pytest.mark.parametrize("raw", sorted(files.HOSTILE_NAMES))
def test_hostile_file_name_is_refused(raw):
    with pytest.raises(EvidenceRejected) as refused:
        check_file_name(raw)
    assert files.HOSTILE_NAMES[raw] in refused.value.message
    assert "\x00" not in refused.value.message and "\u202e" not in refused.value.message


def test_ordinary_indonesian_names_pass():
    assert check_file_name("SK Tim Kerja (revisi) 2026 – final.PDF") == (
        "SK Tim Kerja (revisi) 2026 – final.PDF",
        "pdf",
    )
    assert check_file_name("x" * 251 + ".pdf")[1] == "pdf"


def test_a_file_over_the_cap_is_refused(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    data = files.pdf() + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(EvidenceRejected) as refused:
        _check("besar.pdf", data)
    assert "1 MB" in refused.value.message


def test_sniffer_names_what_it_sees():
    assert sniff(files.pdf()) == "pdf"
    assert sniff(files.png()) == "png"
    assert sniff(files.jpeg()) == "jpeg"
    assert sniff(files.docx()) == "zip"
    assert sniff(files.ole()) == "ole"
    assert sniff(files.mp4()) == "mp4"
    assert sniff(b"MZ\x90\x00") == "executable"
    assert sniff(b"\xef\xbb\xbf<svg/>") == "svg"
    assert sniff(b"  <HTML>") == "html"
    assert sniff(b"just text") is None


def test_pdf_stream_bytes_that_look_like_js_are_not_a_script():
    """Compressed stream data is random; "/JS" inside a stream must not refuse the file."""
    base = files.pdf()
    noisy = base.replace(b"stream\n", b"stream\n/JS /Launch ", 1)
    assert _check("laporan.pdf", noisy).extension == "pdf"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://contoh.go.id/x",
        "file:///etc/passwd",
        "",
        "http://",
        "//contoh.go.id",
    ],
)
def test_links_must_be_http(url):
    with pytest.raises(EvidenceRejected):
        check_link(url)


def test_http_and_https_links_pass():
    assert check_link(" https://youtu.be/abc123 ") == "https://youtu.be/abc123"
    assert check_link("http://contoh.go.id/berita?id=5") == "http://contoh.go.id/berita?id=5"
