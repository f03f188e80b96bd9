"""An own instrument and a 10-FAKTOR-style file: every error named with where it is, nothing
half-written; good files load."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from naervaer.prevention import instrument_files
from naervaer.prevention.models import ExternalResult, Instrument

pytestmark = pytest.mark.django_db

GOOD = """
[instrument]
key = "vaar-undersokelse"
version = 2
title_nb = "Vår undersøkelse"
title_en = "Our survey"

[scale]
min = 1
max = 4
labels_nb = ["Nei", "Litt", "Ganske", "Ja"]
labels_en = ["No", "A little", "Quite", "Yes"]

[[factor]]
key = "trivsel"
title_nb = "Trivsel"
title_en = "Well-being"
items = [
  { key = "t1", text_nb = "Jeg trives.", text_en = "I like it here." },
  { key = "t2", text_nb = "Jeg gruer meg til jobb.", text_en = "I dread going to work.", reverse = true },
]
"""

BAD = """
[instrument]
key = "Vår undersøkelse"
title_nb = "Vår undersøkelse"

[scale]
min = 1
max = 5
labels_nb = ["Nei", "Ja"]
labels_en = ["No", "", "", "", "Yes"]

[[factor]]
key = "trivsel"
title_nb = "Trivsel"
title_en = "Well-being"
items = [
  { key = "t1", text_nb = "Jeg trives.", text_en = "I like it here." },
  { key = "t1", text_nb = "", text_en = "Twice", reverse = "ja" },
]

[[factor]]
key = "tom"
title_nb = "Tom"
title_en = "Empty"
"""


def _upload(client, url, name, text, **fields):
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode()), **fields})


def test_an_instrument_file_with_errors_lists_them_all_and_saves_nothing(client, world):
    client.force_login(world["users"]["hr"])
    before = Instrument.objects.count()
    response = _upload(client, "/forebygging/sporreskjema/", "vaar.toml", BAD)
    assert response.status_code == 400
    problems = response.context["problems"]
    expected = [
        "vaar.toml: [instrument]: key «Vår undersøkelse» may hold only small letters, digits, - and _",
        "vaar.toml: [instrument]: «title_en» is missing or empty",
        "vaar.toml: [scale]: labels_nb must list one label per step (5)",
        "vaar.toml: [scale]: labels_en has an empty label",
        "vaar.toml: factor 1 (trivsel), item 2: key «t1» is used twice",
        "vaar.toml: factor 1 (trivsel), item 2: reverse must be true or false",
        "vaar.toml: factor 1 (trivsel), item 2: «text_nb» is missing or empty",
        "vaar.toml: factor 2 (tom): has no items",
    ]
    assert sorted(problems) == sorted(expected)
    assert Instrument.objects.count() == before
    assert (
        _upload(client, "/forebygging/sporreskjema/", "x.toml", "[instrument\n")
        .context["problems"][0]
        .startswith("x.toml: not a valid TOML file")
    )


def test_a_good_instrument_loads_and_a_changed_version_is_refused(client, world):
    client.force_login(world["users"]["hr"])
    assert _upload(client, "/forebygging/sporreskjema/", "vaar.toml", GOOD).status_code == 302
    instrument = Instrument.objects.get(key="vaar-undersokelse", version=2)
    assert instrument.organisation == world["org"]
    assert [i["reverse"] for i in instrument.definition["items"]] == [False, True]
    changed = GOOD.replace("Jeg trives.", "Jeg trives godt.")
    response = _upload(client, "/forebygging/sporreskjema/", "vaar.toml", changed)
    assert response.status_code == 400
    assert "already exists with other questions" in response.context["problems"][0]
    assert Instrument.objects.filter(key="vaar-undersokelse").count() == 1


def test_the_shipped_instruments_are_valid_and_in_both_languages():
    for key in instrument_files.shipped_keys():
        definition = instrument_files.shipped(key)
        assert all(item["text_nb"] and item["text_en"] for item in definition["items"])
    assert len(instrument_files.shipped("psychosocial-10")["factors"]) == 10
    assert {
        "conflict_resolution",
        "idea_support",
        "internal_information",
        "interpersonal_relations",
        "health_complaints",
    } <= {f["key"] for f in instrument_files.shipped("psychosocial-10")["factors"]}


TENFACTOR_BAD = """unit;period;factor;score;respondents
SYKEHJEM;2025;Mestringstro;4,2;23
Månebasen;2025;Mestringstro;4,0;12
Skole;2025;Autonomi;5,7;9
Skole;;Autonomi;x;ni
SYKEHJEM;2025;Mestringstro;4,1;23
"""


def test_a_tenfactor_file_with_errors_names_each_line_and_imports_nothing(client, world):
    home = world["units"]["home"]
    home.external_id = "SYKEHJEM"
    home.save()
    client.force_login(world["users"]["hr"])
    response = _upload(
        client, "/forebygging/import/", "10faktor.csv", TENFACTOR_BAD, source="10-FAKTOR"
    )
    assert response.status_code == 400
    assert response.context["problems"] == [
        "10faktor.csv: line 3: unknown unit «Månebasen»",
        "10faktor.csv: line 4: score 5,7 is outside 1–5",
        "10faktor.csv: line 5: the period is empty",
        "10faktor.csv: line 5: score «x» is not a number",
        "10faktor.csv: line 5: respondents «ni» is not a whole number",
        "10faktor.csv: line 6: «SYKEHJEM», 2025, «Mestringstro» appears twice",
    ]
    assert ExternalResult.objects.count() == 0
    missing = _upload(
        client, "/forebygging/import/", "f.csv", "enhet;faktor\nSkole;A\n", source="10-FAKTOR"
    )
    assert missing.context["problems"] == [
        "f.csv: missing column(s) period, score, respondents (needs unit;period;factor;score;respondents)"
    ]


def test_a_good_tenfactor_file_imports_and_shows_beside_the_absence(client, world):
    client.force_login(world["users"]["hr"])
    text = "enhet;periode;faktor;skår;svar\nSkole;2025;Mestringstro;4,2;23\nSkole;2025;Autonomi;3,9;4\n"
    assert (
        _upload(client, "/forebygging/import/", "ok.csv", text, source="10-FAKTOR").status_code
        == 302
    )
    rows = ExternalResult.objects.order_by("factor")
    assert [(r.factor, r.score, r.respondents) for r in rows] == [
        ("Autonomi", Decimal("3.90"), 4),
        ("Mestringstro", Decimal("4.20"), 23),
    ]
    from naervaer.prevention.unit_panel import _external

    # The result of 4 respondents is never shown.
    assert [r.factor for r in _external(world["units"]["school"].pk)] == ["Mestringstro"]
