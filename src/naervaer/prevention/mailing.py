"""E-mail of the prevention side, idempotent so ``naervaer prevention remind`` can run from cron:
survey invitations and reminders until the round closes, and overdue HSE measures to their owners.

An invitation mail carries the single-use link and the round's title — no name is needed to
answer, and the mail is the only place the link exists (the database keeps its hash).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse

from naervaer.prevention import survey_services
from naervaer.prevention.models import Invitation, Measure, ReminderSent, SurveyRound


def answer_url(invitation: Invitation) -> str:
    path = reverse("prevention:answer", args=[survey_services.token_for(invitation)])
    return settings.NAERVAER_BASE_URL.rstrip("/") + path


def _invitation_mail(invitation: Invitation, reminder: bool, connection) -> None:
    survey = invitation.round
    subject = (
        f"Påminnelse / reminder: {survey.title}"
        if reminder
        else f"Undersøkelse / survey: {survey.title}"
    )
    closes = f"{survey.closes_on:%d.%m.%Y}"
    body = (
        f"Hei!\n\nDu er invitert til å svare på «{survey.title}». Svaret ditt er anonymt: "
        f"lenken kan brukes én gang, og svaret lagres uten navn. Undersøkelsen stenger {closes}.\n\n"
        f"{answer_url(invitation)}\n\n"
        f"—\n\nYou are invited to answer «{survey.title}». Your answer is anonymous: the link "
        f"works once and the answer is stored without your name. The survey closes {closes}.\n"
    )
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], connection=connection
    ).send()


def send_survey_mail(today: datetime.date, survey: SurveyRound | None = None) -> int:
    """Invitations not yet sent, and reminders to those who have not answered, of open rounds."""
    rounds = SurveyRound.objects.filter(
        status=SurveyRound.Status.OPEN, opens_on__lte=today, closes_on__gte=today
    )
    if survey is not None:
        rounds = rounds.filter(pk=survey.pk)
    connection = get_connection()
    sent = 0
    for current in rounds:
        pending = Invitation.objects.filter(round=current, used=False).exclude(email="")
        for invitation in pending.select_related("round"):
            # The claim and the send share a transaction: a failed send leaves it unclaimed.
            with transaction.atomic():
                first = invitation.sent_on is None
                if first and survey_services.mark_sent(invitation, today):
                    _invitation_mail(invitation, False, connection)
                    sent += 1
                elif not first and survey_services.mark_reminded(
                    invitation, today, current.remind_every_days
                ):
                    _invitation_mail(invitation, True, connection)
                    sent += 1
    return sent


def close_ended_rounds(today: datetime.date) -> int:
    ended = SurveyRound.objects.filter(status=SurveyRound.Status.OPEN, closes_on__lt=today)
    count = 0
    for survey in ended:
        survey_services.round_close(survey=survey)
        count += 1
    return count


def send_measure_reminders(today: datetime.date) -> int:
    """One e-mail per owner listing their overdue measures; each measure once per owner."""
    overdue = Measure.objects.filter(
        status__in=Measure.OPEN, deadline__lt=today, owner__isnull=False
    ).select_related("owner", "plan__unit")
    by_owner: dict[int, list[Measure]] = {}
    for measure in overdue:
        if measure.owner.is_active and measure.owner.email:
            by_owner.setdefault(measure.owner_id, []).append(measure)
    connection = get_connection()
    sent = 0
    for measures in by_owner.values():
        owner = measures[0].owner
        with transaction.atomic():
            fresh = []
            for measure in measures:
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(
                            user=owner, item=f"measure:{measure.pk}:{measure.deadline}"
                        )
                except IntegrityError:
                    continue
                fresh.append(measure)
            if not fresh:
                continue
            lines = "\n".join(
                f"- {m.plan.unit.name}: {m.text} (frist / deadline {m.deadline:%d.%m.%Y}) "
                f"{settings.NAERVAER_BASE_URL.rstrip('/')}{reverse('prevention:plan', args=[m.plan_id])}"
                for m in fresh
            )
            EmailMessage(
                f"Nærvær: {len(fresh)} HMS-tiltak på overtid / overdue HSE measure(s)",
                "Tiltak i HMS-handlingsplanen som har passert fristen / overdue measures:\n\n"
                + lines,
                settings.DEFAULT_FROM_EMAIL,
                [owner.email],
                connection=connection,
            ).send()
            sent += 1
    return sent
