"""Writes of the survey side, one transaction each: instruments, rounds, invitations, answers.

The answer path is the one that matters for anonymity: it looks the invitation up by the hash of
the link's token, flips its ``used`` flag and stores a ``Response`` that holds no pointer back —
and nothing about the request (no audit entry, no address, no time) is written with it. When a
round closes, every response and invitation row of the round is rewritten in one statement each,
so PostgreSQL's row versions (``xmin``) no longer tell which invitation was used when a response
was written.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from naervaer.org import access
from naervaer.org.models import Employment, Unit
from naervaer.prevention import instrument_files
from naervaer.prevention.models import (
    ExternalResult,
    Instrument,
    Invitation,
    Response,
    SurveyRound,
)

MAX_COMMENT = 2000
MIN_GROUP = 5


class AnswerRefused(Exception):
    """The link cannot be used (unknown, used, or the round is not open); ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_for(invitation: Invitation) -> str:
    """The link's token, derived from the invitation's nonce with the secret key (never stored)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey:{invitation.nonce}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stored_instrument(definition: dict, organisation_id: int | None) -> Instrument:
    """The saved version of a checked definition; the same key and version is reused, never edited."""
    instrument, _created = Instrument.objects.get_or_create(
        organisation_id=organisation_id,
        key=definition["key"],
        version=definition["version"],
        defaults={
            "kind": definition["kind"],
            "title_nb": definition["title_nb"],
            "title_en": definition["title_en"],
            "definition": definition,
        },
    )
    if instrument.definition != definition:
        raise ValidationError(
            _(
                "Version %(version)s of the instrument «%(key)s» already exists with other "
                "questions. Give the changed instrument a new version number."
            )
            % {"version": definition["version"], "key": definition["key"]}
        )
    return instrument


@transaction.atomic
def instrument_load(*, organisation_id: int, text: str, filename: str) -> Instrument:
    """An organisation's own instrument from a file (refused whole with every problem listed)."""
    definition = instrument_files.parse_instrument(text, filename)
    return stored_instrument(definition, organisation_id)


def _check_round(
    opens_on: datetime.date, closes_on: datetime.date, min_group: int, min_free_text: int
) -> None:
    problems = {}
    if closes_on < opens_on:
        problems["closes_on"] = _("The round cannot close before it opens.")
    if min_group < MIN_GROUP:
        problems["min_group"] = _("Results are never shown for groups under 5 respondents.")
    if min_free_text < max(10, min_group):
        problems["min_free_text"] = _(
            "Free-text answers need at least 10 respondents, and no fewer than the results."
        )
    if problems:
        raise ValidationError(problems)


def _check_bands(bands: Sequence[Mapping]) -> list[dict]:
    checked = []
    for band in bands:
        options = [str(o).strip() for o in band.get("options", []) if str(o).strip()]
        if not str(band.get("key", "")).strip() or len(options) < 2:
            raise ValidationError({"bands": _("Each band needs a name and at least two options.")})
        checked.append({**band, "options": options})
    return checked


@transaction.atomic
def round_create(
    *,
    actor: AbstractBaseUser,
    instrument: Instrument,
    root_unit: Unit,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    min_group: int = MIN_GROUP,
    min_free_text: int = 10,
    bands: Sequence[Mapping] = (),
    previous: SurveyRound | None = None,
    factors_per_unit: Mapping[int, list[str]] | None = None,
) -> SurveyRound:
    _check_round(opens_on, closes_on, min_group, min_free_text)
    survey = SurveyRound(
        organisation_id=root_unit.organisation_id,
        instrument=instrument,
        root_unit=root_unit,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group=min_group,
        min_free_text=min_free_text,
        bands=_check_bands(bands),
        previous=previous,
        factors_per_unit={str(k): v for k, v in (factors_per_unit or {}).items()},
        created_by=actor,
    )
    survey.full_clean()
    survey.save()
    return survey


def _address(employment: Employment) -> str:
    user = employment.employee.user
    return user.email if user is not None and user.email else ""


@transaction.atomic
def round_open(*, survey: SurveyRound, today: datetime.date | None = None) -> int:
    """Invite everyone employed under the round's units on the opening day (once per person, on
    the unit of their first employment there); returns how many were invited."""
    day = today or datetime.date.today()
    if survey.status != SurveyRound.Status.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    units = access.subtree_unit_ids(survey.root_unit)
    employments = (
        Employment.objects.filter(access.active_on(max(day, survey.opens_on)), unit_id__in=units)
        .select_related("employee__user")
        .order_by("employee_id", "start_date", "pk")
    )
    invitations: dict[int, Invitation] = {}
    for employment in employments:
        if employment.employee_id in invitations:
            continue
        invitation = Invitation(
            round=survey,
            employee_id=employment.employee_id,
            unit_id=employment.unit_id,
            email=_address(employment),
            nonce=secrets.token_hex(16),
        )
        invitation.token_hash = token_hash(token_for(invitation))
        invitations[employment.employee_id] = invitation
    Invitation.objects.bulk_create(invitations.values(), batch_size=2000)
    survey.status = SurveyRound.Status.OPEN
    survey.save(update_fields=["status"])
    return len(invitations)


def round_is_open(survey: SurveyRound, today: datetime.date) -> bool:
    return survey.status == SurveyRound.Status.OPEN and survey.opens_on <= today <= survey.closes_on


def invitation_for(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("round__instrument", "unit")
        .filter(token_hash=token_hash(token))
        .first()
    )


def factors_for_unit(survey: SurveyRound, unit_id: int) -> list[str] | None:
    """The factors a unit answers in a mini round (None: all of them)."""
    chosen = survey.factors_per_unit.get(str(unit_id))
    return list(chosen) if chosen else None


def _checked_values(
    survey: SurveyRound, unit_id: int, values: Mapping[str, object]
) -> list[int | None]:
    definition = survey.instrument.definition
    low, high = definition["scale"]["min"], definition["scale"]["max"]
    allowed = factors_for_unit(survey, unit_id)
    out: list[int | None] = []
    for item in definition["items"]:
        raw = values.get(item["key"])
        if raw in (None, "") or (allowed is not None and item["factor"] not in allowed):
            out.append(None)
            continue
        try:
            value = int(str(raw))
        except ValueError:
            raise AnswerRefused("invalid") from None
        if not low <= value <= high:
            raise AnswerRefused("invalid")
        out.append(value)
    return out


def _checked_bands(survey: SurveyRound, bands: Mapping[str, str]) -> dict[str, str]:
    chosen = {}
    for band in survey.bands:
        option = (bands.get(band["key"]) or "").strip()
        if option and option not in band["options"]:
            raise AnswerRefused("invalid")
        if option:
            chosen[band["key"]] = option
    return chosen


@transaction.atomic
def answer_submit(
    *,
    token: str,
    values: Mapping[str, object],
    bands: Mapping[str, str],
    comment: str = "",
    today: datetime.date | None = None,
) -> None:
    """Store one anonymous response and use up the link, or refuse with nothing written."""
    day = today or datetime.date.today()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("round__instrument")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise AnswerRefused("unknown")
    if invitation.used:
        raise AnswerRefused("used")
    survey = invitation.round
    if not round_is_open(survey, day):
        raise AnswerRefused("closed")
    checked = _checked_values(survey, invitation.unit_id, values)
    if all(v is None for v in checked):
        raise AnswerRefused("empty")
    text = comment.strip()[:MAX_COMMENT] if survey.instrument.definition.get("free_text") else ""
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    Response.objects.create(
        round=survey,
        unit_id=invitation.unit_id,
        bands=_checked_bands(survey, bands),
        values=checked,
        comment=text,
    )


@transaction.atomic
def round_close(*, survey: SurveyRound) -> None:
    """Close the round and rewrite its rows in bulk, so no row version dates a single answer."""
    if survey.status != SurveyRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    survey.status = SurveyRound.Status.CLOSED
    survey.save(update_fields=["status"])
    Response.objects.filter(round=survey).update(comment=F("comment"))
    Invitation.objects.filter(round=survey).update(used=F("used"))


@transaction.atomic
def mini_round_create(
    *,
    actor: AbstractBaseUser,
    previous: SurveyRound,
    lowest: Mapping[int, list[str]],
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
) -> SurveyRound:
    """A "mini" round asking each unit only about its lowest factors in ``previous``."""
    chosen = sorted({key for keys in lowest.values() for key in keys})
    if not chosen:
        raise ValidationError(
            _("No unit of the previous round has results to build a mini survey from.")
        )
    definition = instrument_files.mini_definition(
        previous.instrument.definition, chosen, previous.title
    )
    definition["version"] = previous.pk  # one mini instrument per source round
    instrument = stored_instrument(definition, previous.organisation_id)
    return round_create(
        actor=actor,
        instrument=instrument,
        root_unit=previous.root_unit,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group=previous.min_group,
        min_free_text=previous.min_free_text,
        bands=previous.bands,
        previous=previous,
        factors_per_unit=lowest,
    )


def mark_reminded(invitation: Invitation, today: datetime.date, every_days: int) -> bool:
    """Claim today's reminder for an unused invitation; False when it is not due or already taken.

    A conditional update, so two cron runs at once cannot both send it."""
    due_before = today - datetime.timedelta(days=every_days)
    claimed = (
        Invitation.objects.filter(pk=invitation.pk, used=False, sent_on__lte=due_before)
        .filter(reminded_on__isnull=True)
        .update(reminded_on=today, reminders=F("reminders") + 1)
    ) or (
        Invitation.objects.filter(pk=invitation.pk, used=False, reminded_on__lte=due_before).update(
            reminded_on=today, reminders=F("reminders") + 1
        )
    )
    return bool(claimed)


def mark_sent(invitation: Invitation, today: datetime.date) -> bool:
    return bool(
        Invitation.objects.filter(pk=invitation.pk, sent_on__isnull=True).update(sent_on=today)
    )


@transaction.atomic
def external_import(*, organisation_id: int, source: str, rows: Sequence) -> int:
    """Store checked rows of another survey (``tenfactor.parse_results``); a re-import replaces."""
    for row in rows:
        ExternalResult.objects.update_or_create(
            organisation_id=organisation_id,
            source=source,
            period=row.period,
            unit_id=row.unit_id,
            factor=row.factor,
            defaults={"score": row.score, "respondents": row.respondents},
        )
    return len(rows)
