"""The English catalogue is complete: every Indonesian text has a reviewed English translation
(no empty or fuzzy entry, which gettext would silently show in Indonesian) with the same
placeholders, and the compiled catalogue is up to date."""

from __future__ import annotations

import re
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")


def _entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def test_header_is_final_and_english():
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    assert "nplurals=2" in po.metadata["Plural-Forms"]


def test_every_text_is_translated_and_reviewed():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def _placeholder_problem(entry) -> str | None:
    if entry.msgid_plural:
        source = set(_placeholders(entry.msgid_plural))
        for form in entry.msgstr_plural.values():
            named = {p for p in source if p.startswith("%(")} - {"%(n)s", "%(count)s"}
            if not set(_placeholders(form)) <= source or not named <= set(_placeholders(form)):
                return form
        return None
    return None if _placeholders(entry.msgstr) == _placeholders(entry.msgid) else entry.msgstr


def test_translations_keep_the_placeholders():
    wrong = {e.msgid: _placeholder_problem(e) for e in _entries() if _placeholder_problem(e)}
    assert not wrong, wrong


def test_compiled_catalogue_is_not_older_than_the_source():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run `make messages` (compilemessages)"
    compiled = {e.msgid: e for e in polib.mofile(str(mo))}
    for entry in _entries():
        assert entry.msgid in compiled, f"{entry.msgid[:60]!r}: run `make messages`"
