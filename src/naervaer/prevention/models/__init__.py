"""The prevention app's models: surveys (anonymous by construction) and HSE work."""

from naervaer.prevention.models.hse import (
    ActionPlan,
    AmuMeeting,
    ChecklistTemplate,
    Conversation,
    Deviation,
    Goal,
    Inspection,
    Measure,
    PlanComment,
    ReminderSent,
    StaffMeeting,
)
from naervaer.prevention.models.surveys import (
    ExternalResult,
    Instrument,
    Invitation,
    Response,
    SurveyRound,
)

__all__ = [
    "ActionPlan",
    "AmuMeeting",
    "ChecklistTemplate",
    "Conversation",
    "Deviation",
    "ExternalResult",
    "Goal",
    "Inspection",
    "Instrument",
    "Invitation",
    "Measure",
    "PlanComment",
    "ReminderSent",
    "Response",
    "StaffMeeting",
    "SurveyRound",
]
