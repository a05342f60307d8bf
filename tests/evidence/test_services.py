"""Evidence workflows and what the LKE asks of evidence: reuse across years, revisions, the
submission gate, the evidence-supported answers, review counts and deletion rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.models import Answer, LkeItem
from evidence import services
from evidence.models import Attachment, EvidenceRevision, ReviewStatus
from evidence.validators import EvidenceRejected
from tests.evidence import files
from tests.evidence.conftest import stored_files


def _code(version, code):
    return LkeItem.objects.get(version=version, code=code)


def _answer(assessment, item, value):
    Answer.objects.update_or_create(
        assessment=assessment, item=item, defaults={"value": str(value)}
    )


@pytest.fixture
def by(world):
    return world.users["unit_team"]


def test_one_item_reused_in_a_later_year_without_a_new_file(
    make_assessment, lke_version, upload, by, media
):
    last_year = make_assessment(year=2025)
    this_year = make_assessment(year=2026)
    item = _code(lke_version, "A.I.1.i.a")
    evidence = upload(name="sk-tim.pdf", attach_to=(last_year, item)).evidence
    last_year.status = "final"
    last_year.save()
    services.attach(evidence=evidence, assessment=this_year, item=item, by=by)
    assert sorted(evidence.attachments.values_list("assessment__year", flat=True)) == [2025, 2026]
    assert EvidenceRevision.objects.count() == 1 and len(stored_files(media)) == 1


def test_attaching_twice_to_one_indicator_is_refused(assessment, item, upload, by):
    evidence = upload(attach_to=(assessment, item)).evidence
    with pytest.raises(EvidenceRejected, match="sudah dilampirkan"):
        services.attach(evidence=evidence, assessment=assessment, item=item, by=by)


def test_attaching_to_a_submitted_assessment_or_a_count_input_is_refused(
    make_assessment, lke_version, upload, by
):
    evidence = upload().evidence
    submitted = make_assessment(year=2024, status="submitted")
    with pytest.raises(EvidenceRejected, match="tidak dapat diubah"):
        services.attach(
            evidence=evidence, assessment=submitted, item=_code(lke_version, "A.I.1.i.a"), by=by
        )
    draft = make_assessment(year=2027)
    count_input = LkeItem.objects.filter(version=lke_version, kind="input").first()
    with pytest.raises(EvidenceRejected, match="tidak menerima"):
        services.attach(evidence=evidence, assessment=draft, item=count_input, by=by)


def test_replacing_adds_a_revision_and_keeps_what_was_submitted(
    make_assessment, lke_version, upload, by, media
):
    item = _code(lke_version, "A.I.1.i.a")
    submitted = make_assessment(year=2025)
    draft = make_assessment(year=2026)
    evidence = upload(name="v1.pdf", data=files.pdf("v1"), attach_to=(submitted, item)).evidence
    services.attach(evidence=evidence, assessment=draft, item=item, by=by)
    flagged = draft.evidence_attachments.get()
    services.set_review_status(
        attachment=flagged, status=ReviewStatus.PERLU_PERBAIKAN, note="Belum ditandatangani", by=by
    )
    submitted.status = "submitted"
    submitted.save()
    first = evidence.current_revision

    from django.core.files.base import ContentFile

    revision = services.replace_file(
        evidence=evidence, upload=ContentFile(files.pdf("v2"), name="v2.pdf"), by=by
    )
    assert revision.number == 2 and revision.original_name == "v2.pdf"
    evidence.refresh_from_db()
    assert evidence.current_revision == revision
    kept = submitted.evidence_attachments.get()
    moved = draft.evidence_attachments.get()
    assert kept.revision == first
    assert (
        moved.revision == revision
        and moved.status == ReviewStatus.BELUM_DIREVIU
        and moved.review_note == ""
    )
    assert len(stored_files(media)) == 2


def test_replacing_with_the_same_bytes_is_refused(upload, by):
    from django.core.files.base import ContentFile

    evidence = upload(data=files.pdf("x")).evidence
    with pytest.raises(EvidenceRejected, match="sama persis"):
        services.replace_file(
            evidence=evidence, upload=ContentFile(files.pdf("x"), name="lagi.pdf"), by=by
        )


def test_deleting_evidence_of_a_submitted_assessment_is_refused(
    make_assessment, item, upload, by, media
):
    submitted = make_assessment(year=2025)
    evidence = upload(attach_to=(submitted, item)).evidence
    submitted.status = "submitted"
    submitted.save()
    with pytest.raises(EvidenceRejected, match="sudah dikirim"):
        services.delete_evidence(evidence=evidence, by=by)
    assert len(stored_files(media)) == 1


def test_deleting_unused_evidence_removes_rows_and_files(
    assessment, item, upload, by, media, django_capture_on_commit_callbacks
):
    evidence = upload(attach_to=(assessment, item)).evidence
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(evidence=evidence, by=by)
    assert not Attachment.objects.exists() and not EvidenceRevision.objects.exists()
    assert stored_files(media) == []


def test_perlu_perbaikan_needs_a_note(assessment, item, upload, by):
    attachment = upload(attach_to=(assessment, item)).attachment
    with pytest.raises(EvidenceRejected, match="catatan"):
        services.set_review_status(
            attachment=attachment, status=ReviewStatus.PERLU_PERBAIKAN, by=by
        )


# --------------------------------------------------------------------------- the gate


def test_gate_lists_answers_above_the_lowest_option_without_evidence(
    assessment, lke_version, upload
):
    ya = _code(lke_version, "A.I.1.i.a")  # Ya/Tidak
    abc = _code(lke_version, "A.I.1.i.b")  # A/B/C
    lowest = _code(lke_version, "A.I.1.ii.a")
    persen = _code(lke_version, "A.II.1.i.a")
    ipak = _code(lke_version, "B.I.a")
    _answer(assessment, ya, "Ya")
    _answer(assessment, abc, "B")
    _answer(assessment, lowest, "Tidak")
    for count_input in persen.inputs.all():
        _answer(assessment, count_input, 0)
    _answer(assessment, ipak, "3,40")
    assert [i.code for i in services.items_missing_evidence(assessment)] == [
        "A.I.1.i.a",
        "A.I.1.i.b",
        "B.I.a",
    ]

    upload(attach_to=(assessment, ya))
    flagged = upload(name="b.pdf", data=files.pdf("b"), attach_to=(assessment, abc)).attachment
    services.set_review_status(
        attachment=flagged, status=ReviewStatus.PERLU_PERBAIKAN, note="Kurang", by=None
    )
    base, numerator = persen.inputs.order_by("order")
    _answer(assessment, numerator, 3)
    # 3 achieved of a base of 0 scores 0% (the zero-denominator rule): nothing claimed yet
    assert [i.code for i in services.items_missing_evidence(assessment)] == ["B.I.a"]
    _answer(assessment, base, 5)
    # evidence marked perlu perbaikan is still evidence for the gate; 3 of 5 claims
    assert [i.code for i in services.items_missing_evidence(assessment)] == ["A.II.1.i.a", "B.I.a"]


def test_gate_is_empty_for_an_untouched_assessment(assessment):
    assert services.items_missing_evidence(assessment) == []


# --------------------------------------------------------------------------- supported score


def test_supported_answers_lower_claims_without_acceptable_evidence(
    assessment, lke_version, upload
):
    ya, abc, capaian = (_code(lke_version, c) for c in ("A.I.1.i.a", "A.I.1.i.b", "B.I.b"))
    persen = _code(lke_version, "A.II.1.i.a")
    inputs = [i.code for i in persen.inputs.order_by("order")]
    answers = {
        "A.I.1.i.a": "Ya",
        "A.I.1.i.b": "A",
        "B.I.b": "B",
        "B.I.a": Decimal("3.50"),
        inputs[0]: 10,
        inputs[1]: 4,
    }
    supported = services.evidence_supported_answers(assessment, answers)
    assert (
        supported["A.I.1.i.a"] == "Tidak"
        and supported["A.I.1.i.b"] == "C"
        and supported["B.I.b"] == "E"
    )
    assert supported["B.I.a"] == Decimal("0")
    formula = services._item_facts(assessment)["A.II.1.i.a"]
    assert supported[formula.numerator] == 0
    assert answers["A.I.1.i.a"] == "Ya"  # the input is not changed

    accepted = upload(attach_to=(assessment, ya)).attachment
    waiting = upload(name="b.pdf", data=files.pdf("b"), attach_to=(assessment, abc)).attachment
    flagged = upload(name="c.pdf", data=files.pdf("c"), attach_to=(assessment, capaian)).attachment
    services.set_review_status(attachment=accepted, status=ReviewStatus.DITERIMA, by=None)
    services.set_review_status(
        attachment=flagged, status=ReviewStatus.PERLU_PERBAIKAN, note="Tidak terbaca", by=None
    )
    assert waiting.status == ReviewStatus.BELUM_DIREVIU
    supported = services.evidence_supported_answers(assessment, answers)
    assert supported["A.I.1.i.a"] == "Ya"  # diterima
    assert supported["A.I.1.i.b"] == "A"  # not reviewed yet, not flagged: counts
    assert supported["B.I.b"] == "E"  # perlu perbaikan: does not count


def test_supported_score_and_evidence_steps(assessment, lke_version):
    from assessments.engine import score_lke
    from assessments.rulebooks import engine_rulebook

    answers = {"A.I.1.i.a": "Ya", "A.I.1.i.b": "A", "A.I.1.ii.a": "Tidak"}
    rulebook = engine_rulebook(lke_version)
    claimed = score_lke(rulebook, answers).total
    supported = score_lke(rulebook, services.evidence_supported_answers(assessment, answers)).total
    assert supported < claimed
    steps = services.evidence_steps(assessment, answers)
    assert [s.item.code for s in steps] == ["A.I.1.i.a", "A.I.1.i.b"] or {
        s.item.code for s in steps
    } == {"A.I.1.i.a", "A.I.1.i.b"}
    assert all(s.points > 0 and s.reason == "tambah" for s in steps)
    assert sum(s.points for s in steps) == claimed - supported


def test_review_counts_per_area(assessment, lke_version, upload):
    ya, ipak = _code(lke_version, "A.I.1.i.a"), _code(lke_version, "B.I.a")
    accepted = upload(attach_to=(assessment, ya)).attachment
    upload(name="b.pdf", data=files.pdf("b"), attach_to=(assessment, ipak))
    services.set_review_status(attachment=accepted, status=ReviewStatus.DITERIMA, by=None)
    counts = services.review_counts_by_area(assessment)
    assert counts[ya.area_id] == {"belum_direviu": 0, "diterima": 1, "perlu_perbaikan": 0}
    assert counts[None]["belum_direviu"] == 1


def test_attachments_by_item_is_one_query(
    assessment, lke_version, upload, django_assert_num_queries
):
    for index, code in enumerate(("A.I.1.i.a", "A.I.1.i.b", "A.I.1.ii.a")):
        upload(
            name=f"{index}.pdf",
            data=files.pdf(code),
            attach_to=(assessment, _code(lke_version, code)),
        )
    with django_assert_num_queries(1):
        grouped = services.attachments_by_item(assessment)
        titles = [a.evidence.title for rows in grouped.values() for a in rows]
        sizes = [a.revision.size for rows in grouped.values() for a in rows]
    assert len(titles) == 3 and all(sizes)


def test_a_percentage_at_its_lowest_claims_nothing(assessment):
    """The submission gate and the supported score ask for evidence only where a percentage
    indicator scores above what it scores without evidence (walkthrough: 1 obliged, 0 reported
    was treated as a claim)."""
    facts = services._item_facts(assessment)
    lhkpn = facts["A.II.5.iii.a.1"]
    assert lhkpn.numerator and lhkpn.denominator
    den = lhkpn.denominator[0]

    def claims(values, facts=lhkpn):
        return services._claims(facts, values)

    assert not claims({den: 1, lhkpn.numerator: 0})
    assert not claims({den: 0, lhkpn.numerator: 0})
    assert not claims({den: 0, lhkpn.numerator: 4})  # no base: the zero rule, not a claim
    assert claims({den: 5, lhkpn.numerator: 3})
    reduction = next(f for f in facts.values() if f.previous and f.current)
    assert claims({reduction.previous: 5, reduction.current: 3}, reduction)
    assert not claims({reduction.previous: 3, reduction.current: 5}, reduction)
    assert not claims({reduction.previous: 0, reduction.current: 0}, reduction)
