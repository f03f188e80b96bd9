"""Survey pages: rounds (HR), results per unit with exports, own instruments and the import of
other surveys' unit results. Thin: permissions and selectors decide, services write."""

from __future__ import annotations

import datetime
import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naervaer.insight import exports
from naervaer.insight.views import download
from naervaer.org.access import Action
from naervaer.org.models import Unit
from naervaer.org.uploads import row_limit_problem
from naervaer.prevention import (
    charts,
    instrument_files,
    mailing,
    permissions,
    results,
    selectors,
    survey_services,
    tenfactor,
)
from naervaer.prevention.forms import ExternalImportForm, MiniRoundForm, RoundForm, UploadForm
from naervaer.prevention.models import Instrument, Invitation, SurveyRound


def _title(item: Instrument | dict) -> str:
    english = (get_language() or "nb").startswith("en")
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return f"{get('title_en') if english else get('title_nb')} (v{get('version')})"


def _choices(organisation_id: int) -> dict[str, tuple[str, dict | Instrument]]:
    """The questionnaires a round may use: the shipped files and the organisation's own ones.

    Listing reads the files and the database only; a shipped one is stored when a round uses it."""
    choices: dict[str, tuple[str, dict | Instrument]] = {
        f"shipped:{key}": (_title(d), d)
        for key in instrument_files.shipped_keys()
        if (d := instrument_files.shipped(key))
    }
    for instrument in Instrument.objects.filter(organisation_id=organisation_id).exclude(
        kind=Instrument.Kind.MINI
    ):
        choices[str(instrument.pk)] = (_title(instrument), instrument)
    return choices


def _chosen(item: dict | Instrument) -> Instrument:
    return item if isinstance(item, Instrument) else survey_services.stored_instrument(item, None)


def _problems_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(v) for v in error.message_dict.values())
    return " ".join(error.messages)


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    listed = list(selectors.rounds_for(request.user))
    manage = permissions.can(request.user, Action.MANAGE_SURVEYS)
    if not listed and not manage:
        selectors.require(request.user, Action.SURVEY_RESULTS)
    return render(
        request,
        "prevention/rounds.html",
        {"rounds": listed, "manage": manage},
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    organisation = selectors.organisation_of(request.user, Action.MANAGE_SURVEYS)
    instruments = _choices(organisation.pk)
    units = selectors.unit_choices(request.user, Action.MANAGE_SURVEYS)
    previous = [
        (r.pk, r.title)
        for r in selectors.rounds_for(request.user).filter(status=SurveyRound.Status.CLOSED)
    ]
    form = RoundForm(
        request.POST or None,
        instruments=[(key, title) for key, (title, _item) in instruments.items()],
        units=units,
        rounds=previous,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_services.round_create(
                actor=request.user,
                instrument=_chosen(instruments[data["instrument"]][1]),
                root_unit=Unit.objects.get(pk=int(data["root_unit"])),
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                min_group=data["min_group"],
                min_free_text=data["min_free_text"],
                bands=data["bands"],
                previous=SurveyRound.objects.filter(pk=data["previous"] or None).first(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The round is saved as a draft. Open it to invite."))
            return redirect("prevention:round", round_id=survey.pk)
    return render(request, "prevention/round_new.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = selectors.round_for(request.user, round_id)
    manage = permissions.can(request.user, Action.MANAGE_SURVEYS)
    visible = selectors.result_units(request.user, survey)
    counts = results.round_counts(survey) if manage or survey.status != "draft" else None
    rates = []
    if counts is not None:
        for row, unit_id in enumerate(counts.tally.unit_ids):
            if unit_id in visible:
                rates.append(
                    {
                        "name": counts.names[unit_id],
                        "unit_id": unit_id,
                        "invited": int(counts.tally.invited[row]),
                        "rate": results._rate(counts, row),
                    }
                )
    no_address = Invitation.objects.filter(round=survey, email="").count() if manage else 0
    return render(
        request,
        "prevention/round.html",
        {
            "survey": survey,
            "instrument_title": _title(survey.instrument),
            "manage": manage,
            "rates": sorted(rates, key=lambda r: r["name"]),
            "no_address": no_address,
            "mini_form": MiniRoundForm() if manage and survey.status == "closed" else None,
            "start_unit": survey.root_unit_id
            if survey.root_unit_id in visible
            else min(visible, default=None),
        },
    )


@login_required
@require_POST
def round_open(request: HttpRequest, round_id: int) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    survey = selectors.round_for(request.user, round_id)
    try:
        invited = survey_services.round_open(survey=survey)
    except ValidationError as error:
        messages.error(request, _problems_text(error))
        return redirect("prevention:round", round_id=survey.pk)
    try:
        sent = mailing.send_survey_mail(datetime.date.today(), survey)
    except (OSError, smtplib.SMTPException):
        messages.warning(
            request,
            _(
                "The round is open with %(invited)s invited, but the mail server did not answer. "
                "The invitations go out the next time «naervaer prevention remind» runs."
            )
            % {"invited": invited},
        )
    else:
        messages.success(
            request,
            _("The round is open: %(invited)s invited, %(sent)s e-mails sent.")
            % {"invited": invited, "sent": sent},
        )
    return redirect("prevention:round", round_id=survey.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    survey = selectors.round_for(request.user, round_id)
    try:
        survey_services.round_close(survey=survey)
    except ValidationError as error:
        messages.error(request, _problems_text(error))
    else:
        messages.success(request, _("The round is closed; the results are ready."))
    return redirect("prevention:round", round_id=survey.pk)


@login_required
@require_POST
def mini_round(request: HttpRequest, round_id: int) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    survey = selectors.round_for(request.user, round_id)
    form = MiniRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The mini survey was not made: check the dates and the title."))
        return redirect("prevention:round", round_id=survey.pk)
    counts = results.round_counts(survey)
    lowest = {
        unit_id: keys
        for unit_id in counts.tally.unit_ids
        if (keys := results.lowest_factors(counts, unit_id, form.cleaned_data["lowest"]))
    }
    try:
        mini = survey_services.mini_round_create(
            actor=request.user,
            previous=survey,
            lowest=lowest,
            title=form.cleaned_data["title"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
        )
    except ValidationError as error:
        messages.error(request, _problems_text(error))
        return redirect("prevention:round", round_id=survey.pk)
    messages.success(request, _("The mini survey is saved as a draft."))
    return redirect("prevention:round", round_id=mini.pk)


def _group(request: HttpRequest, round_id: int, unit_id: int) -> results.GroupResult:
    survey = selectors.round_for(request.user, round_id)
    if survey.status != SurveyRound.Status.CLOSED:
        raise Http404
    visible = selectors.result_units(request.user, survey)
    if unit_id not in visible:
        raise PermissionDenied
    if not results.round_counts(survey).tally.has(unit_id):
        raise Http404  # the unit was made after the round
    return results.group_result(
        survey, Unit.objects.get(pk=unit_id), visible, permissions.led_units(request.user)
    )


def _chart(group: results.GroupResult):
    """The factor chart, kept with the round's counts (building the Altair spec costs ~50 ms)."""
    if not group.shown:
        return None
    key = f"{results.stamp(group.survey)}:chart:{group.unit.pk}:{get_language()}"
    chart = cache.get(key)
    if chart is None:
        chart = charts.factor_chart(group.factors.rows)
        cache.set(key, chart, results.CACHE_SECONDS)
    return chart


@login_required
def results_page(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    group = _group(request, round_id, unit_id)
    visible = selectors.result_units(request.user, group.survey)
    chain, parent = [], group.unit.parent
    while parent is not None and parent.pk in visible:
        chain.insert(0, parent)
        parent = parent.parent
    return render(
        request,
        "prevention/results.html",
        {
            "group": group,
            "ancestors": chain,
            "chart": _chart(group),
            "can_plan": permissions.can(request.user, Action.EDIT_HSE_PLAN)
            and unit_id in permissions.units_for(request.user, Action.EDIT_HSE_PLAN),
        },
    )


@login_required
def results_export(
    request: HttpRequest, round_id: int, unit_id: int, table: str, fmt: str
) -> HttpResponse:
    group = _group(request, round_id, unit_id)
    tables = {t.slug: t for t in (group.factors, group.units, group.bands)}
    if table not in tables:
        raise Http404
    return download(tables[table], fmt, f"survey-{round_id}-unit-{unit_id}")


@login_required
def results_pdf(request: HttpRequest, round_id: int, unit_id: int) -> HttpResponse:
    group = _group(request, round_id, unit_id)
    chart = _chart(group)
    subtitle = _("%(round)s. Groups with fewer than %(n)s respondents are not shown.") % {
        "round": group.survey.title,
        "n": group.survey.min_group,
    }
    if group.lowest:
        subtitle += " " + _("Lowest factors: %(factors)s.") % {"factors": ", ".join(group.lowest)}
    body = exports.unit_pdf(
        group.unit.name,
        subtitle,
        charts.png(chart) if chart else None,
        [group.factors, group.units],
        chart.alt if chart else "",
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-{round_id}-unit-{unit_id}.pdf"'
    return response


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    organisation = selectors.organisation_of(request.user, Action.MANAGE_SURVEYS)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            instrument = survey_services.instrument_load(
                organisation_id=organisation.pk, text=text, filename=upload.name
            )
        except UnicodeDecodeError:
            problems = [_("%(name)s: the file is not UTF-8 text") % {"name": upload.name}]
        except instrument_files.InstrumentError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("The instrument «%(title)s» is saved.") % {"title": _title(instrument)},
            )
            return redirect("prevention:instruments")
    return render(
        request,
        "prevention/instruments.html",
        {
            "form": form,
            "problems": problems,
            "instruments": [
                (item if isinstance(item, dict) else item.definition, title)
                for title, item in _choices(organisation.pk).values()
            ],
        },
        status=400 if problems or form.errors else 200,
    )


@login_required
def external_import(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.MANAGE_SURVEYS)
    organisation = selectors.organisation_of(request.user, Action.MANAGE_SURVEYS)
    form = ExternalImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        units = Unit.objects.filter(organisation=organisation).values_list(
            "pk", "external_id", "name"
        )
        lookup = {name: pk for pk, _e, name in units}
        lookup.update({external: pk for pk, external, _n in units if external})
        try:
            text = upload.read().decode("utf-8-sig")
            if too_many := row_limit_problem(text, upload.name):
                raise tenfactor.ImportFileError([too_many])
            rows = tenfactor.parse_results(text, lookup, upload.name)
        except UnicodeDecodeError:
            problems = [_("%(name)s: the file is not UTF-8 text") % {"name": upload.name}]
        except tenfactor.ImportFileError as error:
            problems = error.problems
        else:
            count = survey_services.external_import(
                organisation_id=organisation.pk, source=form.cleaned_data["source"], rows=rows
            )
            messages.success(request, _("%(count)s unit results imported.") % {"count": count})
            return redirect("prevention:import")
    return render(
        request,
        "prevention/import.html",
        {"form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )
