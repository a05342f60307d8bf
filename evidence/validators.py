"""What an evidence upload must be: a sane file name, an allowed extension, content that really is
what the extension says (sniffed from the bytes, never from the browser's content type), and a
size within EVIDENCE_MAX_UPLOAD_MB.

The sniffer is deliberately small: it knows the dozen formats the allowlist names, the markers
of what must never pass (executables, HTML, SVG, scripts), and the usual polyglot tricks (a
second format's header in the first KiB, a ZIP directory appended to an image or a PDF).
Every refusal raises `EvidenceRejected` with an Indonesian message for the user.
"""

from __future__ import annotations

import html
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 255
HEAD_SIZE = 4096
_ZIP_TAIL = 22 + 65535  # end-of-central-directory record plus the longest comment


@dataclass(frozen=True, slots=True)
class FileFormat:
    key: str
    label: str
    content_type: str


_FORMATS = {
    f.key: f
    for f in (
        FileFormat("pdf", "PDF", "application/pdf"),
        FileFormat("jpeg", "JPEG", "image/jpeg"),
        FileFormat("png", "PNG", "image/png"),
        FileFormat("doc", "Word 97-2003", "application/msword"),
        FileFormat("xls", "Excel 97-2003", "application/vnd.ms-excel"),
        FileFormat("ppt", "PowerPoint 97-2003", "application/vnd.ms-powerpoint"),
        FileFormat(
            "docx",
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileFormat(
            "xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        FileFormat(
            "pptx",
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileFormat("odt", "OpenDocument Text", "application/vnd.oasis.opendocument.text"),
        FileFormat(
            "ods", "OpenDocument Spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"
        ),
        FileFormat("mp4", "MP4", "video/mp4"),
    )
}

# Extension -> the format its content must have.
ALLOWED_EXTENSIONS: dict[str, str] = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "ppt": "ppt",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "mp4": "mp4",
}
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# OLE2 stream names (UTF-16LE in the compound file's directory) that identify each format.
_OLE_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
_OLE_MACROS = ("_VBA_PROJECT", "Macros")
_OOXML_MAIN = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
# Markers of content a browser would run or render as a page, looked for in the first bytes.
_ACTIVE_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<svg",
    b"<?php",
    b"<%@",
    b"javascript:",
)
_EXECUTABLE_MARKERS = (b"This program cannot be run in DOS mode", b"\x7fELF")
# PDF names that run code or carry other files, matched after #xx escapes are decoded.
_PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"RichMedia"})
_PDF_TOKEN = re.compile(rb"endstream|stream\r?\n|/([A-Za-z0-9#]{2,40})")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class EvidenceRejected(ValueError):
    """An upload or link that is refused; `message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    name: str
    extension: str
    format: FileFormat
    size: int

    @property
    def content_type(self) -> str:
        return self.format.content_type


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def allowed_extensions_text() -> str:
    return ", ".join(ALLOWED_EXTENSIONS)


# --------------------------------------------------------------------------- names


def check_file_name(raw: str) -> tuple[str, str]:
    """The file name as the user sent it, refused when it could mislead or escape a folder.
    Returns (name, extension in lower case)."""
    name = html.unescape(raw or "")
    if not name.strip():
        raise EvidenceRejected(_("Nama berkas kosong."))
    shown = _shown_name(name)
    if len(name) > MAX_NAME_LENGTH:
        raise EvidenceRejected(
            _("Nama berkas terlalu panjang (%(n)s karakter; paling banyak %(max)s).")
            % {"n": len(name), "max": MAX_NAME_LENGTH}
        )
    if "/" in name or "\\" in name:
        raise EvidenceRejected(
            _(
                "Nama berkas “%(name)s” memuat pemisah folder (/ atau \\). Ganti namanya lalu unggah ulang."
            )
            % {"name": shown}
        )
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in name):
        raise EvidenceRejected(
            _("Nama berkas “%(name)s” memuat karakter kontrol atau karakter tersembunyi.")
            % {"name": shown}
        )
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip(" .") or name.startswith("."):
        raise EvidenceRejected(
            _("Nama berkas “%(name)s” tidak berekstensi. Jenis yang diizinkan: %(allowed)s.")
            % {"name": shown, "allowed": allowed_extensions_text()}
        )
    ext = ext.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise EvidenceRejected(
            _("Jenis berkas .%(ext)s tidak diizinkan. Jenis yang diizinkan: %(allowed)s.")
            % {"ext": _shown_name(ext)[:20], "allowed": allowed_extensions_text()}
        )
    return name, ext


def _shown_name(name: str) -> str:
    """A name safe to echo in a message: control characters made visible, length capped."""
    visible = "".join(
        "?" if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} else ch
        for ch in name
    )
    return visible if len(visible) <= 80 else visible[:77] + "..."


# --------------------------------------------------------------------------- sniffing


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce (a key of _FORMATS, or one of "executable", "html",
    "svg", "script", "zip", "ole"), or None when unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_PNG_MAGIC):
        return "png"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(
        (
            b"MZ",
            b"\x7fELF",
            b"\xca\xfe\xba\xbe",
            b"\xfe\xed\xfa",
            b"\xcf\xfa\xed\xfe",
            b"\xce\xfa\xed\xfe",
        )
    ):
        return "executable"
    if head.startswith(b"#!"):
        return "script"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if b"<svg" in text[:1024] or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if text.startswith(b"<") or any(marker in text[:1024] for marker in _ACTIVE_MARKERS):
        return "html"
    return None


def _refuse_dangerous(kind: str | None, ext: str, name: str) -> None:
    if kind == "executable":
        raise EvidenceRejected(
            _("“%(name)s” adalah program (executable), bukan dokumen .%(ext)s. Berkas ditolak.")
            % {"name": _shown_name(name), "ext": ext}
        )
    if kind == "script":
        raise EvidenceRejected(
            _("“%(name)s” berisi skrip, bukan dokumen .%(ext)s. Berkas ditolak.")
            % {"name": _shown_name(name), "ext": ext}
        )
    if kind == "svg":
        raise EvidenceRejected(
            _(
                "“%(name)s” adalah gambar SVG (dapat memuat skrip) dan tidak diizinkan. Simpan sebagai PNG atau PDF."
            )
            % {"name": _shown_name(name)}
        )
    if kind == "html":
        raise EvidenceRejected(
            _("“%(name)s” berisi halaman web (HTML/skrip), bukan dokumen .%(ext)s. Berkas ditolak.")
            % {"name": _shown_name(name), "ext": ext}
        )


def check_content(fileobj: BinaryIO, *, name: str, ext: str, size: int) -> CheckedFile:
    """Refuse content that is not what `ext` promises. `fileobj` must be seekable; it is left
    at position 0."""
    expected = ALLOWED_EXTENSIONS[ext]
    fmt = _FORMATS[expected]
    if size <= 0:
        raise EvidenceRejected(
            _("Berkas “%(name)s” kosong (0 bita).") % {"name": _shown_name(name)}
        )
    limit = max_upload_bytes()
    if size > limit:
        raise EvidenceRejected(too_large_message(name))
    fileobj.seek(0)
    head = fileobj.read(HEAD_SIZE)
    kind = sniff(head)
    _refuse_dangerous(kind, ext, name)
    family = {"ole": ("doc", "xls", "ppt"), "zip": ("docx", "xlsx", "pptx", "odt", "ods")}
    matches = kind == expected or expected in family.get(kind or "", ())
    if not matches:
        raise EvidenceRejected(mismatch_message(name, ext, kind))
    _refuse_polyglot(fileobj, head, expected=expected, name=name, size=size)
    if kind == "ole":
        _check_ole(fileobj, expected, name)
    elif kind == "zip":
        _check_zip(fileobj, expected, name)
    elif kind == "mp4":
        _check_mp4(head, name)
    elif kind == "png":
        _check_png(head, name)
    elif kind == "pdf":
        _check_pdf(fileobj, name)
    fileobj.seek(0)
    return CheckedFile(name=name, extension=ext, format=fmt, size=size)


def too_large_message(name: str) -> str:
    return _(
        "Berkas “%(name)s” melebihi batas %(mb)s MB. Perkecil berkas (misalnya kompres PDF) lalu unggah ulang."
    ) % {"name": _shown_name(name), "mb": settings.EVIDENCE_MAX_UPLOAD_MB}


def mismatch_message(name: str, ext: str, kind: str | None) -> str:
    found = _FORMATS[kind].label if kind in _FORMATS else None
    if found:
        return _(
            "Isi berkas “%(name)s” tidak sesuai ekstensinya: berkas .%(ext)s ini ternyata %(found)s. Simpan ulang dengan format yang benar."
        ) % {"name": _shown_name(name), "ext": ext, "found": found}
    return _(
        "Isi berkas “%(name)s” tidak sesuai ekstensinya (.%(ext)s): berkas rusak atau bukan dokumen %(label)s."
    ) % {"name": _shown_name(name), "ext": ext, "label": _FORMATS[ALLOWED_EXTENSIONS[ext]].label}


def _polyglot(name: str, what: str) -> EvidenceRejected:
    return EvidenceRejected(
        _("“%(name)s” adalah berkas gabungan (%(what)s) dan ditolak. Simpan ulang dokumen aslinya.")
        % {"name": _shown_name(name), "what": what}
    )


def _refuse_polyglot(
    fileobj: BinaryIO, head: bytes, *, expected: str, name: str, size: int
) -> None:
    lowered = head.lower()
    if any(marker in lowered for marker in _ACTIVE_MARKERS):
        raise _polyglot(name, _("memuat HTML/skrip"))
    if any(marker in head for marker in _EXECUTABLE_MARKERS):
        raise _polyglot(name, _("memuat program"))
    if expected != "pdf" and b"%PDF-" in head[:1024]:
        raise _polyglot(name, _("memuat PDF"))
    if expected in {"docx", "xlsx", "pptx", "odt", "ods"}:
        return
    fileobj.seek(max(0, size - _ZIP_TAIL))
    tail = fileobj.read(_ZIP_TAIL)
    if _has_zip_directory(tail):
        raise _polyglot(name, _("memuat arsip ZIP"))


def _has_zip_directory(tail: bytes) -> bool:
    """True when `tail` ends with a well-formed ZIP end-of-central-directory record."""
    start = len(tail)
    while True:
        start = tail.rfind(b"PK\x05\x06", 0, start)
        if start < 0:
            return False
        record = tail[start : start + 22]
        if len(record) == 22:
            comment_length = struct.unpack("<H", record[20:22])[0]
            if start + 22 + comment_length == len(tail):
                return True


def _scan(fileobj: BinaryIO, needles: tuple[bytes, ...], chunk_size: int = 1 << 20) -> set[bytes]:
    """Which needles occur anywhere in the file (read in chunks, overlapping)."""
    found: set[bytes] = set()
    overlap = max(len(n) for n in needles) - 1
    fileobj.seek(0)
    carry = b""
    while True:
        chunk = fileobj.read(chunk_size)
        if not chunk:
            return found
        window = carry + chunk
        found.update(n for n in needles if n in window)
        carry = window[-overlap:]


def _check_ole(fileobj: BinaryIO, expected: str, name: str) -> None:
    streams = {n: n.encode("utf-16-le") for n in (*_OLE_STREAMS[expected], *_OLE_MACROS)}
    found = _scan(fileobj, tuple(streams.values()))
    if not any(streams[n] in found for n in _OLE_STREAMS[expected]):
        raise EvidenceRejected(mismatch_message(name, expected, None))
    if any(streams[n] in found for n in _OLE_MACROS):
        raise EvidenceRejected(
            _(
                "“%(name)s” berisi makro dan ditolak. Simpan ulang tanpa makro (misalnya sebagai PDF)."
            )
            % {"name": _shown_name(name)}
        )


def _check_zip(fileobj: BinaryIO, expected: str, name: str) -> None:
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > 20000:
                raise EvidenceRejected(mismatch_message(name, expected, None))
            if expected in _OOXML_MAIN:
                if "[Content_Types].xml" not in names or _OOXML_MAIN[expected] not in names:
                    raise EvidenceRejected(mismatch_message(name, expected, None))
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise EvidenceRejected(
                        _(
                            "“%(name)s” berisi makro dan ditolak. Simpan ulang tanpa makro (misalnya sebagai PDF)."
                        )
                        % {"name": _shown_name(name)}
                    )
            else:
                first = infos[0] if infos else None
                if (
                    first is None
                    or first.filename != "mimetype"
                    or first.file_size > 200
                    or "content.xml" not in names
                    or archive.read(first).strip() != _ODF_MIMETYPES[expected]
                ):
                    raise EvidenceRejected(mismatch_message(name, expected, None))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, EvidenceRejected):
            raise
        raise EvidenceRejected(mismatch_message(name, expected, None)) from None


def _check_mp4(head: bytes, name: str) -> None:
    box_size = struct.unpack(">I", head[:4])[0]
    brand = head[8:12]
    if box_size < 8 or box_size > 4096 or not all(32 <= b < 127 for b in brand):
        raise EvidenceRejected(mismatch_message(name, "mp4", None))


def _check_png(head: bytes, name: str) -> None:
    if head[12:16] != b"IHDR":
        raise EvidenceRejected(mismatch_message(name, "png", None))


def _check_pdf(fileobj: BinaryIO, name: str) -> None:
    """Refuse PDFs that run code or carry other files (the evaluator opens them). Names are
    read only outside streams: compressed stream data is random bytes, where "/JS" turns up by
    chance. Code hidden in compressed object streams is not found; the download headers are
    what keeps the portal itself safe."""
    fileobj.seek(0)
    carry = b""
    in_stream = False
    while True:
        chunk = fileobj.read(1 << 20)
        window = carry + chunk
        last = not chunk
        resume = len(window) if last else max(0, len(window) - 64)
        limit = resume
        for match in _PDF_TOKEN.finditer(window):
            if match.start() >= limit:
                break
            resume = max(resume, match.end())
            token = match.group(0)
            if token == b"endstream":
                in_stream = False
            elif token.startswith(b"stream"):
                in_stream = True
            elif not in_stream:
                pdf_name = match.group(1)
                if b"#" in pdf_name:
                    pdf_name = _PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), pdf_name)
                if pdf_name in _PDF_ACTIVE_NAMES:
                    raise EvidenceRejected(
                        _(
                            "PDF “%(name)s” memuat skrip, aksi otomatis atau berkas sisipan dan ditolak. Cetak ulang sebagai PDF biasa."
                        )
                        % {"name": _shown_name(name)}
                    )
        if last:
            return
        carry = window[resume:]


# --------------------------------------------------------------------------- links


def check_link(url: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = (url or "").strip()
    if not url:
        raise EvidenceRejected(_("Tautan wajib diisi."))
    if len(url) > 2000:
        raise EvidenceRejected(_("Tautan terlalu panjang (paling banyak 2000 karakter)."))
    if not url.lower().startswith(("http://", "https://")):
        raise EvidenceRejected(_("Tautan harus diawali http:// atau https://."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise EvidenceRejected(
            _("Tautan tidak valid. Salin alamat lengkapnya dari peramban.")
        ) from None
    return url
