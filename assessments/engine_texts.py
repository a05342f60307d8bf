"""The engine's user-facing texts, translated for the user interface.

The scoring engine (assessments/engine) knows no languages: its warnings and gap-plan reasons
carry an Indonesian template with %(name)s placeholders and the values. The templates are listed
here with gettext_noop so that makemessages puts them in the catalogue, and translated at display
time. tests/assessments/test_engine_texts.py checks that every template the engine can produce is
listed here, word for word.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.engine import AnswerProblem, GapPlan, LkeRulebook, ScoreWarning

ENGINE_TEXTS = (
    # scoring: PERSEN indicators
    gettext_noop(
        "%(code)s: jumlah pembagi (penyebut) 0; nilai ditetapkan %(value)s sesuai aturan penilaian."
    ),
    gettext_noop(
        "%(code)s: pembilang (%(num)s) melebihi penyebut (%(den)s); nilai dibatasi 100%%."
    ),
    gettext_noop(
        "%(code)s: jumlah periode sebelumnya 0 (periode ini %(current)s); nilai ditetapkan "
        "%(value)s sesuai aturan penilaian."
    ),
    # gap plan
    gettext_noop("Nilai survei %(survey)s belum diisi; rencana tidak dapat mengisi nilai survei"),
    gettext_noop("Unit kerja belum berpredikat %(prior)s; %(target)s mensyaratkannya"),
    gettext_noop(
        "Nilai survei %(survey)s di bawah minimum; tidak dapat dicapai dengan mengubah jawaban"
    ),
    gettext_noop(
        "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban (nilai survei "
        "%(surveys)s terlalu rendah)"
    ),
    gettext_noop(
        "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban; lengkapi dulu data "
        "jumlah %(codes)s"
    ),
    gettext_noop("Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban"),
    gettext_noop("Kriteria tidak tercapai"),
    # answers (every one starts with "%(code)s: ", which a card without its code strips)
    gettext_noop("%(code)s: kode tidak dikenal dalam rulebook %(rulebook)s."),
    gettext_noop(
        "%(code)s: indikator persentase tidak diisi langsung; isi jumlah pada %(inputs)s."
    ),
    gettext_noop("%(code)s: jawaban %(value)s bukan pilihan yang sah (pilihan: %(options)s)."),
    gettext_noop("%(code)s: jumlah harus berupa bilangan bulat, bukan %(value)s."),
    gettext_noop("%(code)s: jumlah tidak boleh negatif (%(value)s)."),
    gettext_noop("%(code)s: jumlah harus bilangan bulat, bukan pecahan (%(value)s)."),
    gettext_noop("%(code)s: nilai indeks harus berupa angka, bukan %(value)s."),
    gettext_noop("%(code)s: nilai harus berupa angka, bukan %(value)s."),
    gettext_noop("%(code)s: nilai indeks harus antara 0 dan %(high)s (diisi %(value)s)."),
    gettext_noop("%(code)s: nilai harus antara 0 dan %(high)s (diisi %(value)s)."),
    gettext_noop("%(code)s: nilai indeks paling banyak 2 angka desimal (diisi %(value)s)."),
    gettext_noop("%(code)s: nilai paling banyak 2 angka desimal (diisi %(value)s)."),
)


def _translated(template: str, params: dict[str, str]) -> str:
    if template not in ENGINE_TEXTS:  # a new engine text not listed yet: show it as it is
        return template % params
    return _(template) % params


def warning_text(warning: ScoreWarning) -> str:
    """A scoring warning in the user's language."""
    if not warning.template:
        return warning.message
    return _translated(warning.template, dict(warning.params))


def answer_problem_text(problem: str, *, with_code: bool = True) -> str:
    """An answer problem of the engine in the user's language; without its "CODE: " prefix
    (capitalised) when shown on the indicator's own card."""
    if isinstance(problem, AnswerProblem):
        text = _translated(problem.template, dict(problem.params))
        code = problem.code
    else:
        text, code = str(problem), str(problem).split(":", 1)[0]
    if not with_code and text.startswith(f"{code}: "):
        text = text.removeprefix(f"{code}: ")
        text = text[:1].upper() + text[1:]
    return text


def gap_reason_text(rulebook: LkeRulebook, plan: GapPlan) -> str | None:
    """Why the target cannot be reached, in the user's language, with criterion keys
    (area:penguatan_pengawasan) replaced by their names. None when it can be reached."""
    from assessments.results import criterion_label, readable_reason

    if plan.reachable:
        return None
    if not plan.reasons:
        return readable_reason(rulebook, plan.reason)
    texts = []
    for reason in plan.reasons:
        params = dict(reason.params)
        if "criterion" in params:
            params["criterion"] = criterion_label(rulebook, params["criterion"])
        texts.append(_translated(reason.template, params))
    return ". ".join(texts)
