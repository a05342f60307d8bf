"""Demo evidence (idempotent): a few generated PDF documents per demo unit, attached to the first
indicators of the demo assessments. Called by `seed_demo` after assessments.demo."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from assessments.models import Assessment, LkeItem
from assessments.models.rulebook import LkeItemKind
from evidence import services
from evidence.models import Attachment, ReviewStatus

# (title, document date, lines of text, index of the indicator it supports)
DEMO_DOCUMENTS = [
    (
        "SK Tim Kerja Pembangunan Zona Integritas",
        dt.date(2026, 1, 6),
        ["Keputusan Kepala Unit tentang Pembentukan Tim Kerja", "Pembangunan Zona Integritas"],
        0,
    ),
    (
        "Rencana Kerja Pembangunan Zona Integritas",
        dt.date(2026, 1, 20),
        ["Rencana kerja pembangunan ZI tahun 2026", "Target, kegiatan, penanggung jawab"],
        2,
    ),
    (
        "Laporan Monitoring dan Evaluasi Triwulan I",
        dt.date(2026, 4, 10),
        ["Laporan monitoring dan evaluasi", "pelaksanaan rencana kerja ZI triwulan I"],
        3,
    ),
]


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, uncompressed) with a title and some lines."""

    def esc(text: str) -> str:
        safe = text.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "72 760 Td", f"({esc(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        ops += ["0 -22 Td", f"({esc(line)}) Tj"]
    ops += ["0 -40 Td", "(Dokumen contoh ZI Portal - data demo.) Tj", "ET"]
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed(world: dict) -> None:
    users = world["users"]
    for code, unit in world["units"].items():
        if code not in {"BAAK", "BAUK"}:
            continue
        by = users["unit"] if code == "BAAK" else users["unit2"]
        documents = []
        for title, date, lines, index in DEMO_DOCUMENTS:
            upload = ContentFile(make_pdf(f"{title} - {unit.code}", lines), name=f"{title}.pdf")
            result = services.upload_evidence(
                unit=unit, upload=upload, by=by, document_date=date, title=title
            )
            documents.append((result.evidence, index))
        for assessment in Assessment.objects.filter(unit=unit).select_related("rulebook"):
            items = list(
                LkeItem.objects.filter(
                    version=assessment.rulebook, kind=LkeItemKind.INDICATOR
                ).order_by("order")[:5]
            )
            for evidence, index in documents:
                if index >= len(items):
                    continue
                Attachment.objects.get_or_create(
                    evidence=evidence,
                    assessment=assessment,
                    item=items[index],
                    defaults={"revision": evidence.current_revision, "attached_by": by},
                )
            _demo_review(assessment, users.get("tpi"))


def _demo_review(assessment: Assessment, tpi) -> None:
    """Show the unit what review statuses look like: the first attachment accepted, the last
    one waiting for a fix (only on assessments nobody has reviewed yet)."""
    attachments = list(assessment.evidence_attachments.order_by("item__order"))
    if len(attachments) < 3 or any(a.status != ReviewStatus.BELUM_DIREVIU for a in attachments):
        return
    services.set_review_status(attachment=attachments[0], status=ReviewStatus.DITERIMA, by=tpi)
    services.set_review_status(
        attachment=attachments[-1],
        status=ReviewStatus.PERLU_PERBAIKAN,
        note="Lampirkan laporan yang sudah ditandatangani kepala unit.",
        by=tpi,
    )


def support_every_claim(assessment: Assessment, by) -> None:
    """Attach one demo "bundle" PDF to every indicator that claims more than its lowest option,
    so a complete demo LKE passes the submission gate. Idempotent (same file, same SHA-256)."""
    lacking = services.items_missing_evidence(assessment)
    if not lacking:
        return
    unit = assessment.unit
    pdf = make_pdf(
        f"Kumpulan bukti dukung LKE {unit.code} {assessment.year}",
        ["Dokumen contoh untuk demo ZI Portal.", "Berisi rujukan bukti tiap indikator."],
    )
    result = services.upload_evidence(
        unit=unit,
        upload=ContentFile(pdf, name=f"bukti-lke-{unit.code.lower()}-{assessment.year}.pdf"),
        by=by,
        document_date=dt.date(assessment.year, 1, 15),
        title=f"Kumpulan bukti dukung LKE {assessment.year}",
    )
    for item in lacking:
        services.attach(evidence=result.evidence, assessment=assessment, item=item, by=by)
