"""How far a ULE is: F-01 answers, evidence and videos per aspect (no queries of its own)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pekppp.engine import Instrument


@dataclass(frozen=True)
class AspectProgress:
    code: str
    name: str
    questions: int
    answered: int
    indicators: int
    with_evidence: int
    has_video: bool

    @property
    def complete(self) -> bool:
        return (
            self.answered == self.questions
            and self.with_evidence == self.indicators
            and self.has_video
        )


def f01_progress(
    instrument: Instrument,
    answered_codes: Iterable[str],
    evidence_indicator_codes: Iterable[str],
    video_aspect_codes: Iterable[str],
) -> list[AspectProgress]:
    answered = set(answered_codes)
    with_evidence = set(evidence_indicator_codes)
    videos = set(video_aspect_codes)
    out = []
    for aspect in instrument.aspects:
        codes = [q.code for i in aspect.indicators for q in i.f01_questions]
        out.append(
            AspectProgress(
                code=aspect.code,
                name=aspect.name,
                questions=len(codes),
                answered=sum(1 for c in codes if c in answered),
                indicators=len(aspect.indicators),
                with_evidence=sum(1 for i in aspect.indicators if i.code in with_evidence),
                has_video=aspect.code in videos,
            )
        )
    return out
