"""The follow-up plan as a printable PDF (fpdf2 with a Unicode TrueType font, so æ, ø and å print).

It carries what the plan says and who approved it — never a diagnosis or medical reason, which the
employer side does not have.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from naervaer.followup.models import FollowupCase, Plan
from naervaer.pdf import Document

CAPACITY = {"can": "can do", "adapted": "with adaptation", "cannot": "cannot do"}
STATUS = {"proposed": "proposed", "agreed": "agreed", "not_relevant": "not relevant"}


def plan_labels() -> tuple[dict[str, str], dict[str, str]]:
    """A task's capacity and a measure's status in words, in the active language."""
    return ({k: _(v) for k, v in CAPACITY.items()}, {k: _(v) for k, v in STATUS.items()})


def plan_pdf(case: FollowupCase, plan: Plan) -> bytes:
    capacity, status = plan_labels()
    pdf = Document(_("Follow-up plan"))

    pdf.heading(_("Follow-up plan"), 16)
    pdf.paragraph(
        f"{case.employee.first_name} {case.employee.last_name} – {case.employment.unit.name}"
    )
    pdf.paragraph(
        _("Case start: %(day)s. Version %(version)s, saved %(saved)s.")
        % {
            "day": case.start.isoformat(),
            "version": plan.version,
            "saved": plan.updated_at.strftime("%Y-%m-%d %H:%M"),
        }
    )
    pdf.heading(_("Work tasks"))
    for task in plan.tasks or []:
        pdf.paragraph(f"• {task['task']}: {capacity.get(task['capacity'], task['capacity'])}")
    pdf.heading(_("Measures"))
    for measure in plan.measures or []:
        extra = ", ".join(filter(None, [measure.get("owner", ""), measure.get("deadline", "")]))
        pdf.paragraph(
            f"• {measure['measure']} ({status.get(measure['status'], measure['status'])}{'; ' + extra if extra else ''})"
        )
    pdf.heading(_("Information to colleagues"))
    pdf.paragraph(plan.information_to_colleagues or "–")
    pdf.heading(_("Evaluation date"))
    pdf.paragraph(plan.evaluation_date.isoformat() if plan.evaluation_date else "–")
    pdf.heading(_("Sharing"))
    pdf.paragraph(
        _("Shared with the doctor: %(answer)s")
        % {"answer": _("yes") if plan.share_with_doctor else _("no")}
    )
    pdf.paragraph(
        _("Shared with NAV: %(answer)s") % {"answer": _("yes") if plan.share_with_nav else _("no")}
    )
    pdf.heading(_("Approval"))
    for label, when in (
        (_("Leader"), plan.approved_by_leader_at),
        (_("Employee"), plan.approved_by_employee_at),
    ):
        pdf.paragraph(f"{label}: {when.strftime('%Y-%m-%d %H:%M') if when else _('not approved')}")
    return pdf.content()
