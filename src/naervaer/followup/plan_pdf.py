"""The follow-up plan as a printable PDF (fpdf2 with a Unicode TrueType font, so æ, ø and å print).

It carries what the plan says and who approved it — never a diagnosis or medical reason, which the
employer side does not have.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from naervaer.followup.models import FollowupCase, Plan

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CAPACITY = {"can": "can do", "adapted": "with adaptation", "cannot": "cannot do"}
STATUS = {"proposed": "proposed", "agreed": "agreed", "not_relevant": "not relevant"}


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    return ({k: _(v) for k, v in CAPACITY.items()}, {k: _(v) for k, v in STATUS.items()})


def plan_pdf(case: FollowupCase, plan: Plan) -> bytes:
    capacity, status = _labels()
    pdf = FPDF(format="A4")
    pdf.set_title(_("Follow-up plan"))
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.ln(2)
        pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    heading(_("Follow-up plan"), 16)
    line(f"{case.employee.first_name} {case.employee.last_name} – {case.employment.unit.name}")
    line(
        _("Case start: %(day)s. Version %(version)s, saved %(saved)s.")
        % {
            "day": case.start.isoformat(),
            "version": plan.version,
            "saved": plan.updated_at.strftime("%Y-%m-%d %H:%M"),
        }
    )
    heading(_("Work tasks"))
    for task in plan.tasks or []:
        line(f"• {task['task']}: {capacity.get(task['capacity'], task['capacity'])}")
    heading(_("Measures"))
    for measure in plan.measures or []:
        extra = ", ".join(filter(None, [measure.get("owner", ""), measure.get("deadline", "")]))
        line(
            f"• {measure['measure']} ({status.get(measure['status'], measure['status'])}{'; ' + extra if extra else ''})"
        )
    heading(_("Information to colleagues"))
    line(plan.information_to_colleagues or "–")
    heading(_("Evaluation date"))
    line(plan.evaluation_date.isoformat() if plan.evaluation_date else "–")
    heading(_("Sharing"))
    line(
        _("Shared with the doctor: %(answer)s")
        % {"answer": _("yes") if plan.share_with_doctor else _("no")}
    )
    line(
        _("Shared with NAV: %(answer)s") % {"answer": _("yes") if plan.share_with_nav else _("no")}
    )
    heading(_("Approval"))
    for label, when in (
        (_("Leader"), plan.approved_by_leader_at),
        (_("Employee"), plan.approved_by_employee_at),
    ):
        line(f"{label}: {when.strftime('%Y-%m-%d %H:%M') if when else _('not approved')}")
    return bytes(pdf.output())
