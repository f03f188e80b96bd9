"""Thin views: ask the selectors who may see what, build the page from the engine, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naervaer.insight import (
    attention,
    charts,
    costs,
    exports,
    overview,
    references,
    selectors,
    services,
    unit_page,
    unit_panels,
)
from naervaer.insight.forms import AttentionForm, CostRateForm, ReferenceUploadForm, TargetForm
from naervaer.insight.models import CostRate
from naervaer.insight.reference_csv import ReferenceFormatError, parse_reference_csv
from naervaer.insight.tables import Table
from naervaer.org.access import Action
from naervaer.org.models import Unit
from naervaer.org.uploads import row_limit_problem

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(table: Table, fmt: str, stem: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = exports.table_csv(table) if fmt == "csv" else exports.table_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-{table.slug}.{fmt}"'
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = list(selectors.statistics_units(request.user))
    if not units:
        raise PermissionDenied
    visible = {u.pk for u in units}
    roots = [u for u in units if u.parent_id not in visible]
    return render(
        request,
        "insight/index.html",
        {
            "roots": roots,
            "can_overview": selectors.can(request.user, Action.OVERVIEW),
            "can_cost": selectors.can(request.user, Action.COSTS),
            "can_attention": selectors.can(request.user, Action.ATTENTION),
        },
    )


def _page(request: HttpRequest, unit_id: int) -> unit_page.UnitPage:
    unit = selectors.unit_for(request.user, unit_id)
    reference = references.chosen(unit.organisation, request.GET.get("reference"))
    return unit_page.build(
        unit, selectors.visible_unit_ids(request.user, unit.organisation), reference
    )


def _ancestors(unit, visible: set[int]) -> list:
    chain, parent = [], unit.parent
    while parent is not None and parent.pk in visible:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    page = _page(request, unit_id)
    visible = selectors.visible_unit_ids(request.user, page.unit.organisation)
    can_target = selectors.can_set_targets(request.user, page.unit)
    return render(
        request,
        "insight/unit.html",
        {
            "page": page,
            "ancestors": _ancestors(page.unit, visible),
            "target_form": TargetForm() if can_target else None,
            "reference_series": references.series_for(page.unit.organisation),
            "trend_text": unit_page.target_rules.trend_text(page.trend) if page.target else "",
            "symbols": unit_page.target_rules.SYMBOLS,
            "panels": unit_panels.for_unit(request, page),
        },
    )


@login_required
def unit_export(request: HttpRequest, unit_id: int, table: str, fmt: str) -> HttpResponse:
    page = _page(request, unit_id)
    tables = {t.slug: t for t in (page.months, page.quarters, page.subunits)}
    if table not in tables:
        raise Http404
    return download(tables[table], fmt, f"unit-{page.unit.pk}")


@login_required
def unit_report(request: HttpRequest, unit_id: int) -> HttpResponse:
    page = _page(request, unit_id)
    months = Table(page.months.slug, page.months.title, page.months.columns, page.months.rows[-13:])
    quarters = Table(
        page.quarters.slug, page.quarters.title, page.quarters.columns[:8], page.quarters.rows[-8:]
    )
    subtitle = _(
        "Monthly absence report for the staff meeting. Cells with fewer than 5 persons are masked."
    )
    if page.window:
        subtitle = _("Up to %(month)s. ") % {"month": f"{page.window.last:%Y-%m}"} + subtitle
    if page.target:
        subtitle += " " + _("Target: %(target)s %%.") % {"target": page.target.target_percent}
    png = charts.svg_to_png(page.chart.svg) if page.chart else None
    body = exports.unit_pdf(
        page.unit.name,
        subtitle,
        png,
        [months, quarters, page.subunits],
        page.chart.alt if page.chart else "",
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="unit-{page.unit.pk}-report.pdf"'
    return response


@login_required
@require_POST
def target_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_for(request.user, unit_id)
    if not selectors.can_set_targets(request.user, unit):
        raise PermissionDenied
    form = TargetForm(request.POST)
    if form.is_valid():
        target = services.target_create(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(
            request,
            _("Target saved: %(target)s %% from %(first)s to %(last)s.")
            % {
                "target": target.target_percent,
                "first": f"{target.first_month:%Y-%m}",
                "last": f"{target.last_month:%Y-%m}",
            },
        )
    else:
        problems = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
            for f, e in form.errors.items()
        )
        messages.error(
            request, _("The target was not saved: %(problems)s") % {"problems": problems}
        )
    return redirect("insight:unit", unit_id=unit.pk)


def _filters(request: HttpRequest) -> overview.Filters:
    sector = request.GET.get("sector")
    breakdown = request.GET.get("breakdown") or None
    return overview.Filters(
        sector=int(sector) if sector and sector.isdigit() else None,
        breakdown=breakdown if breakdown in overview.BREAKDOWNS else None,
        value=request.GET.get("value") or None,
    )


def _comparison(request: HttpRequest, organisation, visible: set[int]) -> Table | None:
    first_id, second = request.GET.get("first", ""), request.GET.get("second", "")
    if not first_id.isdigit() or int(first_id) not in visible:
        return None
    units = Unit.objects.filter(organisation=organisation, pk__in=visible)
    first = units.get(pk=int(first_id))
    if second.isdigit() and int(second) in visible:
        return overview.comparison(organisation, first, units.get(pk=int(second)), None)
    if second == "organisation":
        root = units.filter(parent__isnull=True).first()
        return overview.comparison(organisation, first, root, None) if root else None
    if second.startswith("reference:"):
        return overview.comparison(
            organisation,
            first,
            None,
            references.chosen(organisation, second.removeprefix("reference:")),
        )
    return None


@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    organisation = selectors.overview_organisation(request.user)
    visible = selectors.visible_unit_ids(request.user, organisation)
    filters = _filters(request)
    data = overview.build(organisation, visible, filters)
    compared = _comparison(request, organisation, visible)
    return render(
        request,
        "insight/overview.html",
        {
            "overview": data,
            "filters": filters,
            "breakdowns": overview.BREAKDOWNS,
            "compared": compared,
            "units": Unit.objects.filter(organisation=organisation, pk__in=visible).order_by(
                "name"
            ),
            "reference_series": references.series_for(organisation),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def overview_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    organisation = selectors.overview_organisation(request.user)
    visible = selectors.visible_unit_ids(request.user, organisation)
    data = overview.build(organisation, visible, _filters(request))
    tables = {t.slug: t for t in (data.ranking, data.heat_table)}
    if (
        table == "comparison"
        and (compared := _comparison(request, organisation, visible)) is not None
    ):
        tables["comparison"] = compared
    if table not in tables:
        raise Http404
    return download(tables[table], fmt, f"organisation-{organisation.pk}")


@login_required
def costs_page(request: HttpRequest) -> HttpResponse:
    organisation = selectors.cost_organisation(request.user)
    if request.method == "POST":
        existing = CostRate.objects.filter(
            organisation=organisation, occupation=request.POST.get("occupation", "").strip()
        ).first()
        form = CostRateForm(request.POST, instance=existing)
        if form.is_valid():
            rate = services.cost_rate_save(actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("Cost per lost workday saved: %(rate)s NOK.") % {"rate": rate.per_day}
            )
            return redirect("insight:costs")
    else:
        form = CostRateForm()
    table, period = costs.cost_table(
        organisation, selectors.visible_unit_ids(request.user, organisation)
    )
    if request.GET.get("format") in CONTENT_TYPES:
        return download(table, request.GET["format"], f"organisation-{organisation.pk}")
    return render(
        request,
        "insight/costs.html",
        {
            "form": form,
            "table": table,
            "period": period,
            "rates": CostRate.objects.filter(organisation=organisation),
        },
    )


@login_required
def references_page(request: HttpRequest) -> HttpResponse:
    organisation = selectors.overview_organisation(request.user)
    form = ReferenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            if too_many := row_limit_problem(text, upload.name):
                raise ReferenceFormatError([too_many])
            rows = parse_reference_csv(text, upload.name)
        except (ReferenceFormatError, UnicodeDecodeError) as error:
            problems = (
                error.problems
                if isinstance(error, ReferenceFormatError)
                else [f"{upload.name}: {_('the file is not UTF-8 text')}"]
            )
            return render(
                request,
                "insight/references.html",
                {"form": form, "problems": problems, "series": references.series_for(organisation)},
                status=400,
            )
        count = references.import_rows(organisation, rows)
        messages.success(request, _("%(count)s reference figures imported.") % {"count": count})
        return redirect("insight:references")
    return render(
        request,
        "insight/references.html",
        {"form": form, "series": references.series_for(organisation)},
        status=400 if form.errors else 200,
    )


@login_required
def attention_page(request: HttpRequest) -> HttpResponse:
    organisation = selectors.attention_organisation(request.user)
    form = AttentionForm(request.GET or None)
    lost_days, recurring = form.fields["lost_days"].initial, True
    if form.is_bound and form.is_valid():
        lost_days, recurring = form.cleaned_data["lost_days"], form.cleaned_data["recurring"]
    listed = attention.attention_list(organisation, lost_days, recurring, dt.date.today())
    attention.log_view(request.user, listed)
    return render(
        request,
        "insight/attention.html",
        {
            "form": form if form.is_bound else AttentionForm(),
            "listed": listed,
            "purpose": attention.PURPOSE,
            "lost_days": lost_days,
        },
    )
