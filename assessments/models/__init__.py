from assessments.models.assessment import (
    Answer,
    Assessment,
    AssessmentEvent,
    Assignment,
    InstansiFacts,
    Predikat,
    Status,
    UnitFactsRecord,
)
from assessments.models.evaluation import (
    AssessmentDecision,
    AssessmentSnapshot,
    EvaluatorAnswer,
    EvaluatorFacts,
)
from assessments.models.rulebook import (
    LkeArea,
    LkeItem,
    LkeOption,
    LkeSubArea,
    PredikatThreshold,
    Rulebook,
    RulebookVersion,
)

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentDecision",
    "AssessmentEvent",
    "AssessmentSnapshot",
    "Assignment",
    "EvaluatorAnswer",
    "EvaluatorFacts",
    "InstansiFacts",
    "LkeArea",
    "LkeItem",
    "LkeOption",
    "LkeSubArea",
    "Predikat",
    "PredikatThreshold",
    "Rulebook",
    "RulebookVersion",
    "Status",
    "UnitFactsRecord",
]
