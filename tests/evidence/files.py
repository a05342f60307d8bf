"""Generated test files: valid documents of every allowed type, and a corpus of hostile ones.
Nothing is read from disk or the network; every file is built here, byte by byte."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from evidence.demo import make_pdf


def pdf(text: str = "Dokumen uji") -> bytes:
    return make_pdf(text, ["Baris satu", "Baris dua"])


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    # SOI, a JFIF APP0 segment, a comment, EOI: enough for the sniffer (and harmless).
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"foto kegiatan"
    return (
        b"\xff\xd8\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xfe"
        + struct.pack(">H", len(comment) + 2)
        + comment
        + b"\xff\xd9"
    )


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=kind)
    return buffer.getvalue()


_CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(extra: list[tuple[str, bytes]] = ()) -> bytes:
    return _zip([("[Content_Types].xml", _CT), ("word/document.xml", b"<w:document/>"), *extra])


def xlsx() -> bytes:
    return _zip([("[Content_Types].xml", _CT), ("xl/workbook.xml", b"<workbook/>")])


def pptx() -> bytes:
    return _zip([("[Content_Types].xml", _CT), ("ppt/presentation.xml", b"<p:presentation/>")])


def odf(kind: str = "text") -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return _zip(
        [("mimetype", mimetype), ("content.xml", b"<office:document-content/>")], stored_first=True
    )


def ole(stream: str = "WordDocument", extra: str = "") -> bytes:
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    body += stream.encode("utf-16-le").ljust(64, b"\x00")
    if extra:
        body += extra.encode("utf-16-le").ljust(64, b"\x00")
    return bytes(body.ljust(2048, b"\x00"))


def mp4() -> bytes:
    return struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00isomiso2" + b"\x00" * 64


VALID = {
    "laporan.pdf": pdf,
    "foto.jpg": jpeg,
    "foto.jpeg": jpeg,
    "bagan.png": png,
    "notulen.docx": docx,
    "anggaran.xlsx": xlsx,
    "paparan.pptx": pptx,
    "notulen.odt": lambda: odf("text"),
    "anggaran.ods": lambda: odf("spreadsheet"),
    "lama.doc": lambda: ole("WordDocument"),
    "lama.xls": lambda: ole("Workbook"),
    "lama.ppt": lambda: ole("PowerPoint Document"),
    "video.mp4": mp4,
}

_PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"
_HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
_SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def _zip_tail() -> bytes:
    return _zip([("payload.html", _HTML)])


def _with_pdf_js(name: bytes) -> bytes:
    body = pdf().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /" + name + b" /JS (app.alert(1)) >> >>",
    )
    return body


# name -> (bytes, a word the refusal message must contain)
HOSTILE = {
    "program.pdf": (_PE, "program"),
    "elf.pdf": (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "program"),
    "skrip.pdf": (b"#!/bin/sh\nrm -rf /\n", "skrip"),
    "halaman.pdf": (_HTML, "HTML"),
    "halaman-spasi.pdf": (b"\n\n   " + _HTML, "HTML"),
    "gambar.png": (_SVG, "SVG"),
    "gambar.pdf": (
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        "SVG",
    ),
    "poliglot-html.pdf": (b"%PDF-1.4\n%<html><script>alert(1)</script>\n" + pdf()[9:], "gabungan"),
    "poliglot-pe.pdf": (pdf()[:20] + _PE + pdf()[20:], "gabungan"),
    "poliglot-zip.pdf": (pdf() + _zip_tail(), "gabungan"),
    "poliglot-pdf.jpg": (
        jpeg()[:2] + b"\xff\xfe\x00\x20%PDF-1.4 1 0 obj<<>>endobj " + jpeg()[2:],
        "gabungan",
    ),
    "poliglot-zip.png": (png() + _zip_tail(), "gabungan"),
    "bukan-word.docx": (_zip([("a.txt", b"halo")]), "tidak sesuai"),
    "makro.docx": (docx([("word/vbaProject.bin", b"\x00" * 10)]), "makro"),
    "makro.doc": (ole("WordDocument", "_VBA_PROJECT"), "makro"),
    "salah-ole.xls": (ole("WordDocument"), "tidak sesuai"),
    "png-sebagai.jpg": (png(), "PNG"),
    "pdf-sebagai.docx": (pdf(), "PDF"),
    "teks.pdf": (b"Ini hanya teks biasa, bukan PDF.", "tidak sesuai"),
    "js.pdf": (_with_pdf_js(b"JavaScript"), "skrip"),
    "js-escape.pdf": (_with_pdf_js(b"J#61vaScript"), "skrip"),
    "kosong.pdf": (b"", "kosong"),
    "odt-palsu.odt": (_zip([("content.xml", b"<x/>")]), "tidak sesuai"),
}

# raw names (as sent in the multipart header) -> a word of the refusal
HOSTILE_NAMES = {
    "../../etc/passwd.pdf": "pemisah folder",
    "..\\..\\boot.pdf": "pemisah folder",
    "a/b.pdf": "pemisah folder",
    "nama\x00.pdf": "karakter kontrol",
    "nama\x07bel.pdf": "karakter kontrol",
    "laporan\u202efdp.exe.pdf": "karakter kontrol",
    ("x" * 300) + ".pdf": "terlalu panjang",
    "program.exe": "tidak diizinkan",
    "laporan.pdf.exe": "tidak diizinkan",
    "gambar.svg": "tidak diizinkan",
    "halaman.html": "tidak diizinkan",
    "tanpa-ekstensi": "tidak berekstensi",
    ".pdf": "tidak berekstensi",
    "..": "tidak berekstensi",
}


def multipart(
    fields: dict[str, str], files: list[tuple[str, bytes]], field: str = "files"
) -> tuple[bytes, str]:
    """A multipart body with file names exactly as given (the test client would strip paths)."""
    boundary = "----zi-uji-batas"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, data in files:
        quoted = name.replace('"', "%22")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{quoted}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
