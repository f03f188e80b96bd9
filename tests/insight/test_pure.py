"""Pure pieces: reference CSV format, target status, presence arithmetic, export masking, charts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from naervaer.insight import charts, exports
from naervaer.insight.costs import more_at_work
from naervaer.insight.models import Target
from naervaer.insight.reference_csv import ReferenceFormatError, parse_reference_csv
from naervaer.insight.tables import Column, Table
from naervaer.insight.targets import month_status, trend_toward
from naervaer.insight.unit_page import absent_per_day


@pytest.fixture(autouse=True)
def _english():
    """These tests read labels in English; the default language (nb) is tested on the pages."""
    with translation.override("en"):
        yield


def test_reference_csv_accepts_semicolons_decimal_comma_and_bom() -> None:
    text = "\ufefflevel;code;label;quarter;absence_percent;source\ncountry;NO;Hele landet;2024-Q1;6,8;SSB\nsector;KOMM;Kommunal sektor;2024K2;9.1;\n"
    rows = parse_reference_csv(text)
    assert [(r.level, r.code, r.quarter, r.absence_percent) for r in rows] == [
        ("country", "NO", "2024Q1", Decimal("6.8")),
        ("sector", "KOMM", "2024Q2", Decimal("9.1")),
    ]


def test_reference_csv_names_every_bad_row_and_column() -> None:
    text = "level,code,label,quarter,absence_percent\nplanet,X,Y,2024-Q1,5\ncountry,NO,Norge,2024-Q5,5\ncountry,NO,Norge,2024-Q1,120\n"
    with pytest.raises(ReferenceFormatError) as error:
        parse_reference_csv(text, "ssb.csv")
    problems = error.value.problems
    assert problems[0].startswith("ssb.csv, row 2, column level")
    assert problems[1].startswith("ssb.csv, row 3, column quarter")
    assert problems[2].startswith("ssb.csv, row 4, column absence_percent")


def test_reference_csv_missing_column_and_duplicates() -> None:
    with pytest.raises(ReferenceFormatError, match=r"missing column.*absence_percent"):
        parse_reference_csv("level;code;label;quarter\ncountry;NO;N;2024-Q1\n")
    with pytest.raises(ReferenceFormatError, match="row 3: country NO 2024Q1 repeats row 2"):
        parse_reference_csv(
            "level;code;label;quarter;absence_percent\ncountry;NO;N;2024-Q1;6\ncountry;NO;N;2024Q1;7\n"
        )


def test_month_status_is_on_track_at_or_under_the_target() -> None:
    assert month_status(Decimal("6.9"), Decimal("6.9")) == "on_track"
    assert month_status(Decimal("7.0"), Decimal("6.9")) == "off_track"
    assert month_status(None, Decimal("6.9")) is None


def test_trend_toward_the_target() -> None:
    # Vefsn: from 8.6 % toward 6.9 %.
    assert trend_toward(Decimal("6.9"), Decimal("8.1"), Decimal("8.6")) == "closer"
    assert trend_toward(Decimal("6.9"), Decimal("8.8"), Decimal("8.6")) == "further"
    assert trend_toward(Decimal("6.9"), Decimal("6.5"), Decimal("8.6")) == "reached"
    assert trend_toward(Decimal("6.9"), Decimal("8.1"), None) is None


def test_presence_figures_by_hand() -> None:
    # 500 lost workdays over 250 workdays: 2 people missing every day.
    assert absent_per_day(500.0, 250) == Decimal("2.0")
    assert absent_per_day(None, 250) is None
    # 8.6 % against a 6.9 % target on 10,000 possible workdays over 250 workdays: 1.7 % × 10,000 / 250 = 0.68.
    target = Target(target_percent=Decimal("6.9"))
    assert more_at_work(8.6, target, 10_000.0, 250) == Decimal("0.7")
    assert more_at_work(6.0, target, 10_000.0, 250) == Decimal("0.0")
    assert more_at_work(8.6, None, 10_000.0, 250) is None


def _leaky_table() -> Table:
    """A table whose masked row still (wrongly) holds numbers: exports must not write them."""
    columns = [
        Column("period", "Month", "text"),
        Column("persons", "Persons", "count"),
        Column("absence_percent", "Absence %", "percent"),
    ]
    return Table(
        "months",
        "Months",
        columns,
        [
            {
                "period": "2024-01",
                "persons": 12,
                "absence_percent": Decimal("7.3"),
                "masked": False,
                "mask_reason": "",
            },
            {
                "period": "2024-02",
                "persons": 3,
                "absence_percent": Decimal("41.7"),
                "masked": True,
                "mask_reason": "masked: fewer than 5 persons",
            },
        ],
    )


def test_csv_export_never_writes_a_masked_cells_numbers() -> None:
    text = exports.table_csv(_leaky_table()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Month", "Persons", "Absence %", "Masked"]
    assert rows[1] == ["2024-01", "12", "7,3", ""]
    assert rows[2] == ["2024-02", "", "", "masked: fewer than 5 persons"]
    assert "41" not in text


def test_xlsx_export_never_writes_a_masked_cells_numbers() -> None:
    sheet = load_workbook(io.BytesIO(exports.table_xlsx(_leaky_table()))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == ["2024-01", 12, 7.3, None]
    assert values[2] == ["2024-02", None, None, "masked: fewer than 5 persons"]


def test_pdf_report_is_a_pdf_with_the_unit_name() -> None:
    body = exports.unit_pdf("Lia sykehjem", "Oktober 2026", None, [_leaky_table()])
    assert body.startswith(b"%PDF-")
    assert len(body) > 1000


def test_monthly_chart_leaves_masked_months_out_and_has_no_style_attributes() -> None:
    months = [
        {"month": "2024-01", "self_percent": 1.5, "doctor_percent": 5.0, "last_year_percent": 7.0},
        {
            "month": "2024-02",
            "self_percent": None,
            "doctor_percent": None,
            "last_year_percent": None,
        },
    ]
    chart = charts.monthly_chart(months, target=6.0)
    assert chart.svg.startswith('<svg role="img" aria-label="')
    assert "style=" not in chart.svg  # the page's CSP (style-src 'self') blocks style attributes
    assert "target, 6.0" in chart.alt
    assert chart.svg.count("<path") > 0


def test_ranking_chart_links_stay_on_our_site() -> None:
    chart = charts.ranking_chart([{"name": "Lia", "percent": 8.0, "url": "/innsikt/enhet/7/"}])
    assert 'xlink:href="/innsikt/enhet/7/"' in chart.svg
    assert "vega.github.io" not in chart.svg
