"""Every PEKPPP state change: one keyword-only function each, atomic, audited.

Bad input raises `PekpppError` with every problem in Indonesian; nothing is written then. A form
whose stage is closed raises `StageClosed` (a PekpppError) before anything is read from the input.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook
from organizations.models import Instansi, Membership, Role, UnitKerja
from pekppp import skm
from pekppp.display import id_number
from pekppp.engine import validate_scores
from pekppp.models import (
    AspectVideo,
    EvaluatorAssignment,
    F01Answer,
    F01Attachment,
    F02Score,
    F02Status,
    F03Response,
    FollowUpAttachment,
    FollowUpStatus,
    FormKind,
    InstrumentAspect,
    InstrumentIndicator,
    PekpppEvent,
    Period,
    PraEvaluasi,
    Recommendation,
    ServiceScope,
    SkmMethod,
    SkmRecord,
    Stage,
    StageReopening,
    UnitLokus,
)
from pekppp.scoring import instrument_for, live_figures, snapshot_of
from pekppp.timeline import default_stages, stages_prefetch, timeline_for


class PekpppError(Exception):
    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class StageClosed(PekpppError):
    """The form's stage is outside its window and has not been reopened."""


def _event(
    period: Period, action: str, by, *, ule: UnitLokus | None = None, note: str = ""
) -> None:
    PekpppEvent.objects.create(period=period, ule=ule, action=action, note=note, by=by)


def require_open(period: Period, form: str, *, today: dt.date | None = None) -> None:
    period = Period.objects.prefetch_related(stages_prefetch()).get(pk=period.pk)
    timeline = timeline_for(period, today)
    if not timeline.is_open(form):
        raise StageClosed(timeline.closed_message(form))


# --------------------------------------------------------------------------- periods


@transaction.atomic
def create_period(
    *,
    instansi: Instansi,
    year: int,
    by,
    instrument: RulebookVersion | None = None,
    skm_rulebook: RulebookVersion | None = None,
) -> Period:
    """A new period with the 2023 timeline moved to its year, on the current rulebooks."""
    if Period.objects.filter(instansi=instansi, year=year).exists():
        raise PekpppError(
            _("Periode PEKPPP %(year)s untuk instansi ini sudah ada.") % {"year": year}
        )
    period = Period.objects.create(
        instansi=instansi,
        year=year,
        instrument=instrument or RulebookVersion.objects.current("pekppp"),
        skm_rulebook=skm_rulebook or RulebookVersion.objects.current("skm"),
        created_by=by,
    )
    add_default_stages(period=period)
    _event(period, "periode_dibuat", by, note=str(year))
    return period


def add_default_stages(*, period: Period) -> None:
    """Prefill the stages a period lacks (used by create_period and the admin)."""
    have = set(period.stages.values_list("kind", flat=True))
    stages = [s for s in default_stages(period.year) if s.kind not in have]
    for stage in stages:
        stage.period = period
    Stage.objects.bulk_create(stages)


@transaction.atomic
def reopen_stage(*, stage: Stage, open_until: dt.date, reason: str, by) -> StageReopening:
    today = timezone.localdate()
    problems = []
    if not reason.strip():
        problems.append(_("Alasan membuka kembali tahap wajib diisi."))
    if open_until < today:
        problems.append(_("Tanggal 'dibuka sampai' tidak boleh sebelum hari ini."))
    if open_until <= stage.ends_on:
        problems.append(
            _("Tanggal 'dibuka sampai' harus setelah batas akhir tahap (%(date)s).")
            % {"date": stage.ends_on.strftime("%d-%m-%Y")}
        )
    if problems:
        raise PekpppError(problems)
    reopening = StageReopening.objects.create(
        stage=stage, open_until=open_until, reason=reason.strip(), by=by
    )
    _event(
        stage.period,
        "tahap_dibuka_kembali",
        by,
        note=f"{stage.get_kind_display()} s.d. {open_until.isoformat()}: {reason.strip()}",
    )
    return reopening


# --------------------------------------------------------------------------- ULE


def pekppp_evaluators(instansi: Instansi):
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(
        instansi=instansi, role=Role.EVALUATOR_PEKPPP, unit__isnull=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


@transaction.atomic
def nominate_ule(
    *,
    period: Period,
    unit: UnitKerja,
    scope: str,
    service_name: str,
    never_awarded: bool,
    core_business: bool,
    represents_scope: bool,
    evaluators: Iterable = (),
    blend_public: bool = False,
    by,
) -> UnitLokus:
    require_open(period, FormKind.NOMINASI)
    problems = []
    if unit.instansi_id != period.instansi_id:
        problems.append(_("Unit kerja harus berada di instansi periode ini."))
    if scope not in ServiceScope.values:
        problems.append(_("Pilih ruang lingkup: barang, jasa atau administratif."))
    elif UnitLokus.objects.filter(period=period, scope=scope).exists():
        problems.append(
            _(
                "Ruang lingkup %(scope)s sudah diwakili oleh ULE lain pada periode ini. "
                "Setiap ruang lingkup diwakili oleh satu ULE."
            )
            % {"scope": ServiceScope(scope).label}
        )
    if UnitLokus.objects.filter(period=period, unit=unit).exists():
        problems.append(_("Unit kerja ini sudah menjadi ULE pada periode ini."))
    if not service_name.strip():
        problems.append(_("Nama layanan yang dievaluasi wajib diisi."))
    if not (never_awarded and core_business and represents_scope):
        problems.append(
            _(
                "ULE harus memenuhi ketiga persyaratan: belum pernah mendapat penghargaan "
                "pelayanan prima, termasuk core bisnis instansi, dan merepresentasikan ruang "
                "lingkupnya."
            )
        )
    allowed = set(pekppp_evaluators(period.instansi).values_list("pk", flat=True))
    evaluators = list(evaluators)
    if any(e.pk not in allowed for e in evaluators):
        problems.append(_("Evaluator harus berperan Evaluator PEKPPP di instansi ini."))
    if problems:
        raise PekpppError(problems)
    try:
        with transaction.atomic():
            ule = UnitLokus.objects.create(
                period=period,
                unit=unit,
                scope=scope,
                service_name=service_name.strip(),
                never_awarded=never_awarded,
                core_business=core_business,
                represents_scope=represents_scope,
                blend_public=blend_public,
                created_by=by,
            )
    except IntegrityError:  # a concurrent nomination took the scope first
        raise PekpppError(
            _("Ruang lingkup ini baru saja diisi oleh ULE lain. Muat ulang halaman.")
        ) from None
    EvaluatorAssignment.objects.bulk_create(
        EvaluatorAssignment(ule=ule, evaluator=e, assigned_by=by) for e in evaluators
    )
    _event(period, "ule_diusulkan", by, ule=ule, note=f"{unit.code} ({scope})")
    return ule


@transaction.atomic
def set_evaluators(*, ule: UnitLokus, evaluators: Iterable, by) -> None:
    evaluators = list(evaluators)
    allowed = set(pekppp_evaluators(ule.period.instansi).values_list("pk", flat=True))
    if any(e.pk not in allowed for e in evaluators):
        raise PekpppError(_("Evaluator harus berperan Evaluator PEKPPP di instansi ini."))
    wanted = {e.pk for e in evaluators}
    ule.assignments.exclude(evaluator_id__in=wanted).delete()
    have = set(ule.assignments.values_list("evaluator_id", flat=True))
    EvaluatorAssignment.objects.bulk_create(
        EvaluatorAssignment(ule=ule, evaluator=e, assigned_by=by)
        for e in evaluators
        if e.pk not in have
    )
    names = ", ".join(sorted(e.username for e in evaluators)) or "-"
    _event(ule.period, "evaluator_ditetapkan", by, ule=ule, note=names)


@transaction.atomic
def set_blend(*, ule: UnitLokus, blend_public: bool, by) -> None:
    if ule.is_final:
        raise PekpppError(_("Hasil ULE ini sudah final; pengaturan penggabungan F-03 terkunci."))
    ule.blend_public = blend_public
    ule.save(update_fields=["blend_public"])
    _event(ule.period, "gabung_f03_" + ("ya" if blend_public else "tidak"), by, ule=ule)


# --------------------------------------------------------------------------- pra-evaluasi


@transaction.atomic
def save_pra_evaluasi(*, ule: UnitLokus, data: Mapping[str, Any], by) -> PraEvaluasi:
    """`data`: cleaned fields of PraEvaluasiForm."""
    require_open(ule.period, FormKind.PRA_EVALUASI)
    record, _created = PraEvaluasi.objects.update_or_create(
        ule=ule, defaults={**data, "updated_by": by}
    )
    _event(ule.period, "pra_evaluasi_disimpan", by, ule=ule)
    return record


# --------------------------------------------------------------------------- F-01


def parse_number(raw: str) -> Decimal:
    """A number as typed by an Indonesian user ("12", "87,5" or "87.5"), whole or with at most
    two decimals, 0 or more; raises ValueError with the message to show."""
    text = raw.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("harus berupa angka")) from None
    if not value.is_finite():
        raise ValueError(_("harus berupa angka"))
    if value < 0:
        raise ValueError(_("tidak boleh negatif"))
    if value >= Decimal("1e12"):
        raise ValueError(_("terlalu besar"))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("paling banyak dua angka di belakang koma"))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def clean_f01_answer(question, raw: Any) -> Any:
    """The stored value of one answer, None for blank; ValueError with the message to show."""
    if question.type == "PILIHAN" and question.multiple:
        values = [v for v in (raw or []) if str(v).strip()]
        if not values:
            return None
        unknown = [v for v in values if v not in question.choices]
        if unknown:
            raise ValueError(_("pilihan tidak dikenal: %(v)s") % {"v": ", ".join(unknown)})
        return [c for c in question.choices if c in values]
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if question.type == "YA_TIDAK":
        if text not in ("Ya", "Tidak"):
            raise ValueError(_("pilih Ya atau Tidak"))
        return text
    if question.type == "ANGKA":
        return str(parse_number(text))
    if question.type == "PILIHAN":
        if text not in question.choices:
            raise ValueError(_("pilihan tidak dikenal: %(v)s") % {"v": text})
        return text
    if len(text) > 2000:
        raise ValueError(_("paling banyak 2000 karakter"))
    return text


_URL = URLValidator(schemes=["http", "https"])


def clean_video(aspect, url: str, minutes: str, seconds: str) -> tuple[str, int] | None:
    """(url, seconds) or None when all blank; PekpppError listing every problem."""
    url, minutes, seconds = url.strip(), minutes.strip(), seconds.strip()
    if not (url or minutes or seconds):
        return None
    problems = []
    try:
        _URL(url)
    except ValidationError:
        problems.append(
            _(
                "Tautan video harus alamat web lengkap yang diawali http:// atau https://, misalnya https://youtu.be/..."
            )
        )
    try:
        m = int(minutes or "0")
        s = int(seconds or "0")
        if m < 0 or not 0 <= s < 60:
            raise ValueError
    except ValueError:
        problems.append(_("Durasi video diisi dengan menit (bilangan bulat) dan detik (0-59)."))
        m = s = 0
    total = m * 60 + s
    limit = aspect.video_max_minutes
    if not problems and total <= 0:
        problems.append(_("Isi durasi video (menit dan detik)."))
    elif limit is not None and total > limit * 60:
        problems.append(
            _("Durasi video paling lama %(limit)s menit; yang diisi %(m)s menit %(s)s detik.")
            % {"limit": limit, "m": m, "s": s}
        )
    if problems:
        raise PekpppError(problems)
    return url, total


@transaction.atomic
def save_f01_aspect(
    *,
    ule: UnitLokus,
    aspect_code: str,
    answers: Mapping[str, Any],
    video: tuple[str, str, str] | None,
    by,
) -> dict[str, str]:
    """Save the F-01 answers (and the video) of one aspect, all or nothing. Returns {} or the
    problems per question code (key "video" for the video) and then writes nothing."""
    require_open(ule.period, FormKind.F01)
    instrument = instrument_for(ule)
    aspect = next((a for a in instrument.aspects if a.code == aspect_code), None)
    if aspect is None:
        raise PekpppError(_("Aspek tidak dikenal."))
    indicators = {
        i.code: i
        for i in InstrumentIndicator.objects.filter(
            version=ule.period.instrument, aspect__code=aspect_code
        )
    }
    problems: dict[str, str] = {}
    cleaned: dict[str, tuple[InstrumentIndicator, Any]] = {}
    for ind in aspect.indicators:
        for q in ind.f01_questions:
            if q.code not in answers:
                continue
            try:
                cleaned[q.code] = (indicators[ind.code], clean_f01_answer(q, answers[q.code]))
            except ValueError as exc:
                problems[q.code] = f"{q.code}: {exc}."
    video_value = None
    if video is not None:
        try:
            video_value = clean_video(aspect, *video)
        except PekpppError as exc:
            problems["video"] = " ".join(exc.problems)
    if problems:
        return problems
    existing = {a.question_code: a for a in ule.f01_answers.filter(question_code__in=cleaned)}
    to_create, to_update, to_delete = [], [], []
    for code, (indicator, value) in cleaned.items():
        row = existing.get(code)
        if value is None:
            if row:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(
                F01Answer(
                    ule=ule, indicator=indicator, question_code=code, value=value, updated_by=by
                )
            )
        elif row.value != value:
            row.value, row.updated_by, row.updated_at = value, by, timezone.now()
            to_update.append(row)
    F01Answer.objects.filter(pk__in=to_delete).delete()
    F01Answer.objects.bulk_create(to_create)
    F01Answer.objects.bulk_update(to_update, ["value", "updated_by", "updated_at"])
    if video is not None:
        aspect_row = InstrumentAspect.objects.get(version=ule.period.instrument, code=aspect_code)
        if video_value is None:
            AspectVideo.objects.filter(ule=ule, aspect=aspect_row).delete()
        else:
            AspectVideo.objects.update_or_create(
                ule=ule,
                aspect=aspect_row,
                defaults={
                    "url": video_value[0],
                    "duration_seconds": video_value[1],
                    "updated_by": by,
                },
            )
    _event(ule.period, "f01_disimpan", by, ule=ule, note=f"aspek {aspect_code}")
    return {}


# --------------------------------------------------------------------------- F-02


def _require_scoring(ule: UnitLokus) -> None:
    require_open(ule.period, FormKind.F02)
    if ule.is_final:
        raise PekpppError(_("Penilaian F-02 ULE ini sudah final dan terkunci."))


@transaction.atomic
def save_f02_score(
    *, ule: UnitLokus, indicator: InstrumentIndicator, score: Any, note: str, by
) -> F02Score:
    """Store the score (0-5, blank to clear) and note of one indicator."""
    ule = UnitLokus.objects.select_for_update().get(pk=ule.pk)
    _require_scoring(ule)
    if indicator.version_id != ule.period.instrument_id:
        raise PekpppError(_("Indikator bukan bagian dari instrumen periode ini."))
    scores, problems = validate_scores(instrument_for(ule), {indicator.code: score})
    if len(note) > 5000:
        problems.append(_("Catatan paling banyak 5000 karakter."))
    if problems:
        raise PekpppError(problems)
    row, _created = F02Score.objects.update_or_create(
        ule=ule,
        indicator=indicator,
        defaults={"score": scores.get(indicator.code), "note": note.strip(), "updated_by": by},
    )
    return row


@transaction.atomic
def finalize_f02(*, ule: UnitLokus, by) -> UnitLokus:
    """Lock the F-02 and snapshot the result (IPP, aspects, band, F-03, recommendations)."""
    ule = UnitLokus.objects.select_for_update().select_related("period__instrument").get(pk=ule.pk)
    _require_scoring(ule)
    figures = live_figures(ule)
    if not figures.complete:
        raise PekpppError(
            _(
                "Masih ada %(n)s indikator yang belum dinilai. Nilai semua indikator sebelum memfinalkan."
            )
            % {"n": figures.total - figures.scored}
        )
    snapshot = snapshot_of(ule, figures)
    snapshot["recommendations"] = [
        {"target": r.target_label, "text": r.text}
        for r in ule.recommendations.select_related("indicator", "aspect")
    ]
    snapshot["evidence"] = [
        {
            "indicator": a.indicator.code,
            "title": a.evidence.title,
            "revision": a.evidence.current_revision.number if a.evidence.current_revision else None,
            "sha256": a.evidence.current_revision.sha256 if a.evidence.current_revision else "",
        }
        for a in ule.f01_attachments.select_related(
            "indicator", "evidence", "evidence__current_revision"
        )
    ]
    snapshot["finalized_by"] = by.get_full_name() or by.username
    ule.snapshot = snapshot
    ule.f02_status = F02Status.FINAL
    ule.finalized_at = timezone.now()
    ule.finalized_by = by
    ule.save(update_fields=["snapshot", "f02_status", "finalized_at", "finalized_by"])
    _event(
        ule.period,
        "f02_final",
        by,
        ule=ule,
        note=f"IPP {id_number(snapshot['ipp'])} {snapshot['band']}",
    )
    return ule


@transaction.atomic
def reopen_f02(*, ule: UnitLokus, reason: str, by) -> None:
    """Operator: unlock a final F-02 (the snapshot is kept in the audit note)."""
    if not ule.is_final:
        raise PekpppError(_("Penilaian F-02 ULE ini belum final."))
    if not reason.strip():
        raise PekpppError(_("Alasan membuka kembali penilaian wajib diisi."))
    old = ule.snapshot or {}
    ule.f02_status = F02Status.DRAFT
    ule.snapshot = None
    ule.finalized_at = None
    ule.finalized_by = None
    ule.save(update_fields=["snapshot", "f02_status", "finalized_at", "finalized_by"])
    _event(
        ule.period,
        "f02_dibuka_kembali",
        by,
        ule=ule,
        note=f"{reason.strip()} (sebelumnya IPP {id_number(old.get('ipp'))} {old.get('band')})",
    )


# --------------------------------------------------------------------------- F-03 survey


class SurveyFull(PekpppError):
    """The public F-03 survey already holds its maximum number of responses."""


def clean_f03(instrument, raw: Mapping[str, Any]) -> tuple[dict[str, int], list[str]]:
    answers: dict[str, int] = {}
    missing: list[str] = []
    invalid: list[str] = []
    for n, item in enumerate(instrument.f03_items, start=1):
        value = str(raw.get(item.code, "")).strip()
        if not value:
            missing.append(str(n))
            continue
        if not value.isdigit() or not 0 <= int(value) <= instrument.f03.scale_max:
            invalid.append(str(n))
            continue
        answers[item.code] = int(value)
    problems = []
    if missing:
        problems.append(
            _("Semua pernyataan wajib dinilai. Belum dinilai: nomor %(n)s.")
            % {"n": ", ".join(missing)}
        )
    if invalid:
        problems.append(
            _("Nilai harus 0 sampai %(max)s. Periksa nomor %(n)s.")
            % {"max": instrument.f03.scale_max, "n": ", ".join(invalid)}
        )
    return answers, problems


def submit_f03(*, ule: UnitLokus, raw: Mapping[str, Any]) -> F03Response:
    """Record one anonymous response. The cap is enforced by one conditional UPDATE of the
    ULE's counter, atomic in SQLite and PostgreSQL alike, so concurrent submissions can never
    push the count past the maximum. The checks read before the transaction starts, so that
    the transaction's first statement is the write (SQLite then queues writers instead of
    failing one with "database is locked")."""
    require_open(ule.period, FormKind.F03)
    instrument = instrument_for(ule)
    answers, problems = clean_f03(instrument, raw)
    if problems:
        raise PekpppError(problems)
    cap = instrument.f03.max_responses
    for attempt in range(_WRITE_ATTEMPTS):
        try:
            return _store_f03(ule, answers, cap)
        except OperationalError as exc:
            # SQLite reports a concurrent writer as "locked" once its busy timeout is spent (at
            # once for shared-cache databases); the transaction was rolled back, so try again.
            if "locked" not in str(exc) or attempt == _WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


_WRITE_ATTEMPTS = 5


def _store_f03(ule: UnitLokus, answers: dict[str, int], cap: int) -> F03Response:
    with transaction.atomic():
        if not UnitLokus.objects.filter(pk=ule.pk, survey_count__lt=cap).update(
            survey_count=F("survey_count") + 1
        ):
            raise SurveyFull(
                _("Survei ini sudah menerima %(max)s jawaban, jumlah paling banyak. Terima kasih.")
                % {"max": cap}
            )
        number = UnitLokus.objects.values_list("survey_count", flat=True).get(pk=ule.pk)
        return F03Response.objects.create(
            ule=ule, number=number, answers=answers, submitted_on=timezone.localdate()
        )


# --------------------------------------------------------------------------- recommendations


@transaction.atomic
def add_recommendation(
    *,
    ule: UnitLokus,
    text: str,
    indicator: InstrumentIndicator | None = None,
    aspect: InstrumentAspect | None = None,
    by,
) -> Recommendation:
    _require_scoring(ule)
    problems = []
    if (indicator is None) == (aspect is None):
        problems.append(_("Pilih satu indikator atau satu aspek untuk rekomendasi ini."))
    target = indicator or aspect
    if target is not None and target.version_id != ule.period.instrument_id:
        problems.append(_("Indikator/aspek bukan bagian dari instrumen periode ini."))
    if not text.strip():
        problems.append(_("Isi rekomendasi wajib diisi."))
    if problems:
        raise PekpppError(problems)
    rec = Recommendation.objects.create(
        ule=ule, indicator=indicator, aspect=aspect, text=text.strip(), created_by=by
    )
    _event(ule.period, "rekomendasi_ditambah", by, ule=ule, note=rec.target_label)
    return rec


@transaction.atomic
def delete_recommendation(*, rec: Recommendation, by) -> None:
    _require_scoring(rec.ule)
    _event(rec.ule.period, "rekomendasi_dihapus", by, ule=rec.ule, note=rec.text[:200])
    rec.delete()


@transaction.atomic
def update_follow_up(
    *, rec: Recommendation, status: str, plan: str, due_date: dt.date | None, by
) -> Recommendation:
    """The ULE's answer to a recommendation (not bound to a stage: follow-up runs all year)."""
    problems = []
    rec.ule.refresh_from_db(fields=["f02_status"])
    if not rec.ule.is_final:
        problems.append(_("Tindak lanjut diisi setelah hasil evaluasi ULE difinalkan."))
    if status not in FollowUpStatus.values:
        problems.append(_("Pilih status: belum, proses atau selesai."))
    if not plan.strip():
        problems.append(_("Rencana tindak lanjut wajib diisi."))
    if status in (FollowUpStatus.PROSES, FollowUpStatus.BELUM) and due_date is None:
        problems.append(_("Isi target tanggal selesai."))
    if problems:
        raise PekpppError(problems)
    rec.status, rec.plan, rec.due_date = status, plan.strip(), due_date
    rec.follow_up_by, rec.follow_up_at = by, timezone.now()
    rec.save(update_fields=["status", "plan", "due_date", "follow_up_by", "follow_up_at"])
    _event(rec.ule.period, "tindak_lanjut_" + status, by, ule=rec.ule, note=rec.text[:200])
    return rec


def engine_skm(period: Period):
    return engine_rulebook(period.skm_rulebook)


# --------------------------------------------------------------------------- SKM


@transaction.atomic
def record_skm_responses(*, ule: UnitLokus, data: bytes, file_name: str, by) -> SkmRecord:
    """From a spreadsheet of respondents' answers; wrong shape -> PekpppError, nothing saved."""
    require_open(ule.period, FormKind.F01)
    rulebook = engine_skm(ule.period)
    responses, problems = skm.read_responses_xlsx(data, rulebook)
    if problems:
        raise PekpppError(problems)
    result = skm.score_skm(rulebook, responses)
    return _store_skm(ule, SkmMethod.SPREADSHEET, result, len(responses), file_name[:200], by)


@transaction.atomic
def record_skm_averages(
    *, ule: UnitLokus, averages: Mapping[str, str], respondents: int, by
) -> SkmRecord:
    require_open(ule.period, FormKind.F01)
    rulebook = engine_skm(ule.period)
    values, problems = skm.parse_averages(averages, rulebook)
    if problems:
        raise PekpppError(problems)
    result = skm.score_averages(rulebook, values)
    return _store_skm(ule, SkmMethod.AVERAGES, result, respondents, "", by)


def _store_skm(ule, method, result, respondents: int, source: str, by) -> SkmRecord:
    record, _created = SkmRecord.objects.update_or_create(
        ule=ule,
        defaults={
            "rulebook": ule.period.skm_rulebook,
            "method": method,
            "respondents": respondents,
            "result": skm.result_dict(result, respondents),
            "mutu": result.mutu,
            "source_name": source,
            "updated_by": by,
        },
    )
    _event(
        ule.period, "skm_disimpan", by, ule=ule, note=f"IKM {id_number(result.nik)} {result.mutu}"
    )
    return record


# --------------------------------------------------------------------------- bukti dukung


def _upload_to_library(*, unit: UnitKerja, upload, document_date, title, page_reference, by):
    """The evidence app stores and validates the file (or finds the unit's identical one)."""
    from evidence import services as evidence_services
    from evidence.validators import EvidenceRejected

    try:
        return evidence_services.upload_evidence(
            unit=unit,
            upload=upload,
            by=by,
            document_date=document_date,
            title=title,
            page_reference=page_reference,
        )
    except EvidenceRejected as exc:
        raise PekpppError(exc.message) from None


def _attach_or_undo(result, create, by):
    """Attach; when that fails, a file stored just now is removed again (all or nothing)."""
    from evidence import services as evidence_services

    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if result.status == "created":
            evidence_services.delete_evidence(evidence=result.evidence, by=by)
        raise PekpppError(_("Bukti ini sudah dilampirkan di sini.")) from None
    except BaseException:
        if result.status == "created":
            evidence_services.delete_evidence(evidence=result.evidence, by=by)
        raise


def attach_f01_upload(
    *,
    ule: UnitLokus,
    indicator: InstrumentIndicator,
    upload,
    document_date: dt.date,
    title: str = "",
    page_reference: str = "",
    hint: str = "",
    by,
) -> tuple[F01Attachment, bool]:
    """Upload one file as bukti dukung of an indicator. (attachment, reused): reused is True
    when the unit's library already had this exact file, which is attached instead."""
    require_open(ule.period, FormKind.F01)
    if indicator.version_id != ule.period.instrument_id:
        raise PekpppError(_("Indikator bukan bagian dari instrumen periode ini."))
    if hint and hint not in indicator.evidence_hints:
        raise PekpppError(_("Pilih dokumen dari daftar bukti dukung yang diharapkan."))
    result = _upload_to_library(
        unit=ule.unit,
        upload=upload,
        document_date=document_date,
        title=title,
        page_reference=page_reference,
        by=by,
    )
    if F01Attachment.objects.filter(
        ule=ule, indicator=indicator, evidence=result.evidence
    ).exists():
        raise PekpppError(
            _("Berkas ini sudah dilampirkan pada indikator %(code)s sebagai “%(title)s”.")
            % {"code": indicator.code, "title": result.evidence.title}
        )

    def create() -> F01Attachment:
        attachment = F01Attachment.objects.create(
            ule=ule, indicator=indicator, evidence=result.evidence, hint=hint, added_by=by
        )
        _event(
            ule.period, "bukti_f01", by, ule=ule, note=f"{indicator.code}: {result.evidence.title}"
        )
        return attachment

    return _attach_or_undo(result, create, by), result.status == "duplicate"


@transaction.atomic
def detach_f01(*, attachment: F01Attachment, by) -> None:
    require_open(attachment.ule.period, FormKind.F01)
    _event(
        attachment.ule.period,
        "bukti_f01_dilepas",
        by,
        ule=attachment.ule,
        note=f"{attachment.indicator.code}: {attachment.evidence.title}",
    )
    attachment.delete()


def attach_follow_up_upload(
    *,
    rec: Recommendation,
    upload,
    document_date: dt.date,
    title: str = "",
    page_reference: str = "",
    by,
) -> tuple[FollowUpAttachment, bool]:
    rec.ule.refresh_from_db(fields=["f02_status"])
    if not rec.ule.is_final:
        raise PekpppError(_("Tindak lanjut diisi setelah hasil evaluasi ULE difinalkan."))
    result = _upload_to_library(
        unit=rec.ule.unit,
        upload=upload,
        document_date=document_date,
        title=title,
        page_reference=page_reference,
        by=by,
    )
    if FollowUpAttachment.objects.filter(recommendation=rec, evidence=result.evidence).exists():
        raise PekpppError(_("Berkas ini sudah dilampirkan pada tindak lanjut ini."))

    def create() -> FollowUpAttachment:
        attachment = FollowUpAttachment.objects.create(
            recommendation=rec, evidence=result.evidence, added_by=by
        )
        _event(rec.ule.period, "bukti_tindak_lanjut", by, ule=rec.ule, note=result.evidence.title)
        return attachment

    return _attach_or_undo(result, create, by), result.status == "duplicate"
