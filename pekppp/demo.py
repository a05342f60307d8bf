"""Demo PEKPPP data (idempotent), called by `seed_demo` with the organisations' result.

Creates the `biro` account (evaluator_pekppp), the 2026 period with three ULEs (one per scope):
UPT-TIK scored and final, BAAK in F-01 with evidence, BAUK just nominated; and last year's
period with a final ULE whose follow-ups are still open. The 2026 stages are placed around
today so that every form can be tried at once (the real 2023 timeline is the default for new
periods)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import RulebookVersion
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Role
from pekppp import services
from pekppp.models import (
    EvaluatorAssignment,
    F02Score,
    F02Status,
    InstrumentIndicator,
    Period,
    PraEvaluasi,
    Recommendation,
    ServiceScope,
    StageKind,
    UnitLokus,
)
from pekppp.scoring import instrument_for, live_figures, snapshot_of

DEMO_YEAR = 2026

# Offsets in days from today: (start, end). Pelaksanaan (F-01, F-03) and laporan hasil (F-02)
# overlap so that the whole cycle can be tried in one sitting.
DEMO_STAGES = {
    StageKind.PENENTUAN_ULE: (-60, 30),
    StageKind.SOSIALISASI: (-50, -45),
    StageKind.PRA_EVALUASI: (-50, 30),
    StageKind.PEMBINAAN: (-40, 20),
    StageKind.PELAKSANAAN: (-14, 30),
    StageKind.LAPORAN_HASIL: (-7, 45),
    StageKind.VERIFIKASI: (46, 90),
    StageKind.PENERBITAN: (100, 130),
}

# The final demo ULE's scores, in instrument order (30 indicators).
DEMO_SCORES = [
    4,
    3,
    5,
    4,
    3,
    4,
    2,
    3,
    3,
    4,
    5,
    4,
    3,
    4,
    3,
    4,
    4,
    2,
    3,
    3,
    4,
    3,
    4,
    3,
    3,
    4,
    3,
    3,
    2,
    3,
]
LAST_YEAR_SCORES = [
    3,
    2,
    4,
    3,
    3,
    3,
    2,
    2,
    2,
    3,
    4,
    3,
    3,
    3,
    3,
    3,
    3,
    2,
    2,
    2,
    3,
    2,
    3,
    2,
    3,
    3,
    2,
    2,
    1,
    2,
]

PRA = {
    "service_types_count": 4,
    "users_per_year": 5200,
    "staff_count": 9,
    "service_hours": "Senin-Jumat 08.00-16.00 tanpa jeda istirahat",
    "address": "Gedung Rektorat Lt. 1, Jl. Pendidikan No. 1",
    "contact": "Kepala Subbagian Layanan, (0778) 123456",
    "has_standar_pelayanan": True,
    "has_maklumat": True,
    "skm_last_year": True,
    "has_complaint_channel": True,
    "has_online_service": True,
    "has_vulnerable_facilities": False,
    "has_innovation": False,
    "main_problems": "Antrean panjang pada awal semester; ruang tunggu sempit.",
    "improvement_plans": "Layanan daring untuk permohonan dan nomor antrean elektronik.",
}


def _biro(instansi):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="biro",
        defaults={
            "email": "biro@contoh.ac.id",
            "first_name": "Evaluator",
            "last_name": "Biro Organisasi",
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = False
    user.is_superuser = False
    user.save()
    Membership.objects.get_or_create(
        user=user, instansi=instansi, unit=None, role=Role.EVALUATOR_PEKPPP
    )
    return user


def _f03_answers(instrument, n: int) -> dict[str, str]:
    scale = instrument.f03.scale_max
    return {
        item.code: str(max(0, scale - ((n + i) % 3))) for i, item in enumerate(instrument.f03_items)
    }


def _score_all(ule: UnitLokus, scores: list[int], by) -> None:
    indicators = list(
        InstrumentIndicator.objects.filter(version=ule.period.instrument).order_by("order")
    )
    F02Score.objects.bulk_create(
        F02Score(
            ule=ule,
            indicator=ind,
            score=score,
            note="Sesuai bukti dukung." if score >= 4 else "Bukti dukung belum lengkap.",
            updated_by=by,
        )
        for ind, score in zip(indicators, scores, strict=True)
    )


def seed(world: dict) -> None:
    instansi = world["instansi"]
    units = world["units"]
    users = world["users"]
    biro = _biro(instansi)
    world["users"]["biro"] = biro
    if Period.objects.filter(instansi=instansi, year=DEMO_YEAR).exists():
        return
    admin = users["admin"]
    _last_year(instansi, units, biro, admin)

    today = timezone.localdate()
    period = services.create_period(instansi=instansi, year=DEMO_YEAR, by=admin)
    for stage in period.stages.all():
        start, end = DEMO_STAGES[stage.kind]
        stage.starts_on = today + dt.timedelta(days=start)
        stage.ends_on = today + dt.timedelta(days=end)
        stage.note = "Jadwal demo (di sekitar hari ini)"
        stage.save(update_fields=["starts_on", "ends_on", "note"])

    def nominate(code: str, scope: str, service: str) -> UnitLokus:
        return services.nominate_ule(
            period=period,
            unit=units[code],
            scope=scope,
            service_name=service,
            never_awarded=True,
            core_business=True,
            represents_scope=True,
            evaluators=[biro],
            by=admin,
        )

    tik = nominate("UPT-TIK", ServiceScope.JASA, "Layanan dukungan teknologi informasi (helpdesk)")
    baak = nominate("BAAK", ServiceScope.ADMINISTRATIF, "Layanan legalisir ijazah dan transkrip")
    nominate("BAUK", ServiceScope.BARANG, "Layanan peminjaman barang milik negara")
    instrument = instrument_for(period)

    # UPT-TIK: filled, surveyed, scored and final, with recommendations being followed up.
    services.save_pra_evaluasi(
        ule=tik,
        data={**PRA, "service_types": "Helpdesk\nAkun e-mail\nJaringan\nAplikasi"},
        by=admin,
    )
    services.record_skm_averages(
        ule=tik,
        averages={
            "U1": "3,40",
            "U2": "3,25",
            "U3": "3,10",
            "U4": "4,00",
            "U5": "3,30",
            "U6": "3,45",
            "U7": "3,60",
            "U8": "3,05",
            "U9": "3,20",
        },
        respondents=214,
        by=admin,
    )
    services.save_f01_aspect(
        ule=tik,
        aspect_code="I",
        answers={
            "1.a.Ak.q1": "Ya",
            "1.a.Ak.q2": "4",
            "1.a.Ak.q3": "4",
            "1.a.Ak.q4": "Ya",
            "1.a.Ak.q5": "Ya",
            "1.a.Ak.q6": "Ya",
            "1.a.Ak.q7": "Ya",
        },
        video=("https://www.youtube.com/watch?v=helpdesk-tik", "3", "40"),
        by=admin,
    )
    for n in range(12):
        services.submit_f03(ule=tik, raw=_f03_answers(instrument, n))
    _score_all(tik, DEMO_SCORES, biro)
    aspects = {a.code: a for a in tik.period.instrument.pekppp_aspects.all()}
    indicators = {i.code: i for i in InstrumentIndicator.objects.filter(version=period.instrument)}
    recs = [
        services.add_recommendation(
            ule=tik,
            indicator=indicators["7.a.T"],
            text="Publikasikan hasil SKM pada papan informasi, situs web dan media sosial unit.",
            by=biro,
        ),
        services.add_recommendation(
            ule=tik,
            indicator=indicators["18.c.K"],
            text="Sediakan sarana bagi pengguna layanan kelompok rentan (jalur kursi roda, kursi prioritas).",
            by=biro,
        ),
        services.add_recommendation(
            ule=tik,
            aspect=aspects["VI"],
            text="Susun payung hukum dan anggaran untuk keberlanjutan inovasi layanan helpdesk.",
            by=biro,
        ),
    ]
    services.finalize_f02(ule=tik, by=biro)
    tim_tik = users["admin"]
    services.update_follow_up(
        rec=recs[0],
        status="selesai",
        plan="Hasil SKM dipublikasikan di situs web dan papan informasi.",
        due_date=today - dt.timedelta(days=2),
        by=tim_tik,
    )
    services.update_follow_up(
        rec=recs[1],
        status="proses",
        plan="Pengadaan kursi prioritas dan pembuatan jalur landai.",
        due_date=today + dt.timedelta(days=60),
        by=tim_tik,
    )

    # BAAK (the `unit` account): pra-evaluasi done, F-01 started with evidence and a video.
    unit_user = users["unit"]
    services.save_pra_evaluasi(
        ule=baak,
        data={
            **PRA,
            "service_types": "Legalisir ijazah\nLegalisir transkrip\nSurat keterangan\nCuti akademik",
        },
        by=unit_user,
    )
    services.save_f01_aspect(
        ule=baak,
        aspect_code="I",
        answers={
            "1.a.Ak.q1": "Ya",
            "1.a.Ak.q2": "4",
            "1.a.Ak.q3": "4",
            "1.a.Ak.q4": "Ya",
            "1.a.Ak.q5": "Ya",
            "1.a.Ak.q6": "Ya",
            "1.a.Ak.q7": "Tidak",
            "2.a.P.q1": "Ya",
            "2.a.P.q2": ["Pengguna layanan", "Instansi terkait"],
        },
        video=("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "4", "30"),
        by=unit_user,
    )
    from evidence.demo import make_pdf

    for code, title, hint_index in (
        ("1.a.Ak", "SK Standar Pelayanan Legalisir", 1),
        ("2.a.P", "Berita Acara FKP Penyusunan Standar Pelayanan", 1),
    ):
        indicator = indicators[code]
        upload = ContentFile(make_pdf(title, ["Dokumen contoh PEKPPP", code]), name=f"{code}.pdf")
        services.attach_f01_upload(
            ule=baak,
            indicator=indicator,
            upload=upload,
            document_date=dt.date(DEMO_YEAR, 2, 1),
            title=title,
            hint=indicator.evidence_hints[hint_index],
            by=unit_user,
        )
    for n in range(3):
        services.submit_f03(ule=baak, raw=_f03_answers(instrument, n + 5))


def _last_year(instansi, units, biro, admin) -> None:
    """Last year's period, closed, with a final ULE whose follow-ups are still open. Written
    directly (its stages are closed, so the services would refuse it, as they should)."""
    year = DEMO_YEAR - 1
    if Period.objects.filter(instansi=instansi, year=year).exists():
        return
    period = Period.objects.create(
        instansi=instansi,
        year=year,
        instrument=RulebookVersion.objects.current("pekppp"),
        skm_rulebook=RulebookVersion.objects.current("skm"),
        created_by=admin,
    )
    services.add_default_stages(period=period)
    ule = UnitLokus.objects.create(
        period=period,
        unit=units["BAAK"],
        scope=ServiceScope.ADMINISTRATIF,
        service_name="Layanan legalisir ijazah dan transkrip",
        never_awarded=True,
        core_business=True,
        represents_scope=True,
        created_by=admin,
    )
    EvaluatorAssignment.objects.create(ule=ule, evaluator=biro, assigned_by=admin)
    PraEvaluasi.objects.create(ule=ule, service_types="Legalisir ijazah", **PRA, updated_by=admin)
    _score_all(ule, LAST_YEAR_SCORES, biro)
    indicators = {i.code: i for i in InstrumentIndicator.objects.filter(version=period.instrument)}
    Recommendation.objects.create(
        ule=ule,
        indicator=indicators["4.a.K"],
        text="Lakukan peninjauan ulang Standar Pelayanan setiap tahun untuk seluruh jenis layanan.",
        created_by=biro,
        status="proses",
        plan="Jadwal FKP peninjauan SP disusun.",
        due_date=dt.date(year, 12, 31),
    )
    Recommendation.objects.create(
        ule=ule,
        indicator=indicators["26.e.P"],
        text="Tambahkan kanal pengaduan yang dapat digunakan penyandang disabilitas.",
        created_by=biro,
    )
    figures = live_figures(ule)
    snapshot = snapshot_of(ule, figures)
    snapshot["recommendations"] = [
        {"target": r.target_label, "text": r.text} for r in ule.recommendations.all()
    ]
    snapshot["finalized_by"] = biro.get_full_name()
    ule.snapshot = snapshot
    ule.f02_status = F02Status.FINAL
    ule.finalized_at = timezone.make_aware(dt.datetime(year, 6, 28, 10, 0))
    ule.finalized_by = biro
    ule.save(update_fields=["snapshot", "f02_status", "finalized_at", "finalized_by"])
