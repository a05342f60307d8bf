from pekppp.models.attachments import F01Attachment, FollowUpAttachment
from pekppp.models.evaluation import F02Score, F03Response, FollowUpStatus, Recommendation
from pekppp.models.fill import AspectVideo, F01Answer, SkmMethod, SkmRecord
from pekppp.models.instrument import (
    F03Item,
    InstrumentAspect,
    InstrumentIndicator,
    IppBand,
    RubricLevel,
)
from pekppp.models.period import FORM_STAGE, FormKind, Period, Stage, StageKind, StageReopening
from pekppp.models.ule import (
    EvaluatorAssignment,
    F02Status,
    PekpppEvent,
    PraEvaluasi,
    ServiceScope,
    UnitLokus,
)

__all__ = [
    "FORM_STAGE",
    "AspectVideo",
    "EvaluatorAssignment",
    "F01Answer",
    "F01Attachment",
    "F02Score",
    "F02Status",
    "F03Item",
    "F03Response",
    "FollowUpAttachment",
    "FollowUpStatus",
    "FormKind",
    "InstrumentAspect",
    "InstrumentIndicator",
    "IppBand",
    "PekpppEvent",
    "Period",
    "PraEvaluasi",
    "Recommendation",
    "RubricLevel",
    "ServiceScope",
    "SkmMethod",
    "SkmRecord",
    "Stage",
    "StageKind",
    "StageReopening",
    "UnitLokus",
]
