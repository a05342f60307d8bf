"""The period's timeline: the 2023 prefill, the current stage, the next deadline, and whether a
form is open today. Reads stages with their reopenings prefetched (two queries per period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pekppp.models import FORM_STAGE, Period, Stage, StageKind, StageReopening

# The 2023 timeline of the seed slides ("Lini masa PEKPPP TA. 2023"), as (month, day) pairs;
# a new period gets it with its own year. Where the slides give a month ("April - Juni") the
# whole month is used; where they give no date (laporan hasil) the gap between the stages
# around it is used. The operator adjusts the dates in the admin.
TIMELINE_2023: list[tuple[str, tuple[int, int], tuple[int, int], str]] = [
    (StageKind.PENENTUAN_ULE, (3, 1), (3, 31), "Batas akhir penyampaian lokus 31 Maret"),
    (StageKind.SOSIALISASI, (3, 16), (3, 27), "ULE 16 Maret, evaluator 27 Maret"),
    (StageKind.PRA_EVALUASI, (3, 10), (3, 31), "Formulir data ULE dan kondisi layanan"),
    (StageKind.PEMBINAAN, (4, 1), (6, 30), "April - Juni"),
    (StageKind.PELAKSANAAN, (6, 5), (6, 11), "Minggu II bulan Juni"),
    (StageKind.LAPORAN_HASIL, (6, 12), (6, 30), "Oleh evaluator melalui aplikasi"),
    (StageKind.VERIFIKASI, (7, 1), (8, 31), "Juli - Agustus, oleh Kementerian PANRB"),
    (StageKind.PENERBITAN, (10, 1), (10, 31), "Oktober"),
]


def default_stages(year: int) -> list[Stage]:
    return [
        Stage(
            kind=kind,
            starts_on=dt.date(year, *start),
            ends_on=dt.date(year, *end),
            note=note,
        )
        for kind, start, end, note in TIMELINE_2023
    ]


def stages_prefetch() -> Prefetch:
    return Prefetch(
        "stages",
        queryset=Stage.objects.prefetch_related(
            Prefetch("reopenings", queryset=StageReopening.objects.select_related("by"))
        ),
    )


@dataclass(frozen=True)
class Timeline:
    today: dt.date
    stages: list[Stage]

    @property
    def current(self) -> list[Stage]:
        """Stages open today, latest start first (stages may overlap)."""
        open_now = [s for s in self.stages if s.is_open(self.today)]
        return sorted(open_now, key=lambda s: s.starts_on, reverse=True)

    @property
    def next_deadline(self) -> Stage | None:
        """The open or upcoming stage whose deadline comes first."""
        ahead = [s for s in self.stages if (s.open_until(self.today) or s.ends_on) >= self.today]
        return min(ahead, key=lambda s: s.open_until(self.today) or s.ends_on, default=None)

    @property
    def upcoming(self) -> Stage | None:
        later = [s for s in self.stages if s.starts_on > self.today]
        return min(later, key=lambda s: s.starts_on, default=None)

    def stage(self, kind: str) -> Stage | None:
        return next((s for s in self.stages if s.kind == kind), None)

    def form_stage(self, form: str) -> Stage | None:
        return self.stage(FORM_STAGE[form])

    def is_open(self, form: str) -> bool:
        stage = self.form_stage(form)
        return stage is not None and stage.is_open(self.today)

    def closed_message(self, form: str) -> str:
        """Why a form is closed, in words a civil servant can act on."""
        stage = self.form_stage(form)
        if stage is None:
            return _("Tahap untuk formulir ini belum dijadwalkan. Hubungi operator portal.")
        if self.today < stage.starts_on:
            return _("Formulir ini dibuka pada tahap %(stage)s, mulai %(date)s.") % {
                "stage": stage.get_kind_display(),
                "date": date_id(stage.starts_on),
            }
        return _(
            "Tahap %(stage)s sudah ditutup pada %(date)s. Bila perlu perubahan, minta operator "
            "portal membuka kembali tahap ini."
        ) % {"stage": stage.get_kind_display(), "date": date_id(stage.last_day)}


def timeline_for(period: Period, today: dt.date | None = None) -> Timeline:
    """Stages must be prefetched with `stages_prefetch()` to keep this query-free."""
    return Timeline(today or timezone.localdate(), list(period.stages.all()))


def date_id(value: dt.date) -> str:
    """31 Maret 2026 (month names in the interface language)."""
    return date_format(value, "j F Y")
