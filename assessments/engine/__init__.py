"""Pure scoring engines for the LKE Zona Integritas (standard library only, no Django).

See docs/rulebooks.md for the rulebook format and the API contract.
"""

from .answers import Answer, AnswerProblem, validate_answers
from .eligibility import (
    EligibilityCriterion,
    EligibilityItem,
    EligibilityRules,
    check_eligibility,
    parse_eligibility,
)
from .gap import GapPlan, GapReason, GapStep, apply_gap_plan, item_gains, plan_gap
from .rulebook import (
    Area,
    CountInput,
    Formula,
    Group,
    HasilComponent,
    HasilIndicator,
    Indicator,
    LkeRulebook,
    Option,
    Part,
    PartArea,
    Predikat,
    PredikatCriterion,
    RulebookError,
    SubArea,
    parse_lke_rulebook,
)
from .scoring import AreaScore, LkeResult, ScoreWarning, exact_round2, round2, score_lke
from .verdict import CriterionResult, UnitFacts, Verdict, check_predikat

__all__ = [
    "Answer",
    "AnswerProblem",
    "Area",
    "AreaScore",
    "CountInput",
    "CriterionResult",
    "EligibilityCriterion",
    "EligibilityItem",
    "EligibilityRules",
    "Formula",
    "GapPlan",
    "GapReason",
    "GapStep",
    "Group",
    "HasilComponent",
    "HasilIndicator",
    "Indicator",
    "LkeResult",
    "LkeRulebook",
    "Option",
    "Part",
    "PartArea",
    "Predikat",
    "PredikatCriterion",
    "RulebookError",
    "ScoreWarning",
    "SubArea",
    "UnitFacts",
    "Verdict",
    "apply_gap_plan",
    "check_eligibility",
    "check_predikat",
    "exact_round2",
    "item_gains",
    "parse_eligibility",
    "parse_lke_rulebook",
    "plan_gap",
    "round2",
    "score_lke",
    "validate_answers",
]
