"""Results of a round: counts against a naive recount, lowest factors, the free-text rules, the
comparison with the previous round, the mini survey, and who sees which unit."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from naervaer.prevention import results, survey_services, tally
from naervaer.prevention.models import Invitation, Response

from .conftest import TODAY, answer_all

pytestmark = pytest.mark.django_db


def test_tally_matches_a_naive_recount():
    rng = np.random.default_rng(3)
    parents = {1: None, 2: 1, 3: 1, 4: 2, 5: 2}
    answers = [
        (
            int(rng.choice([1, 2, 3, 4, 5])),
            [None if rng.random() < 0.1 else int(v) for v in rng.integers(1, 6, 4)],
            {},
        )
        for _ in range(200)
    ]
    counted = tally.tally(parents, answers, {4: 30}, (1, 5), [False, True, False, False])
    subtree = {1: {1, 2, 3, 4, 5}, 2: {2, 4, 5}, 3: {3}, 4: {4}, 5: {5}}
    for unit, members in subtree.items():
        row = counted.row(unit)
        mine = [values for u, values, _b in answers if u in members]
        assert counted.respondents[row] == len(mine)
        for item in range(4):
            for step in range(5):
                expected = sum(
                    1
                    for values in mine
                    if values[item] is not None
                    and (6 - values[item] if item == 1 else values[item]) == step + 1
                )
                assert counted.counts[row, item, step] == expected
    assert counted.invited[counted.row(1)] == 30 and counted.invited[counted.row(3)] == 0


def _close(survey, **kwargs):
    answer_all(survey, **kwargs)
    survey_services.round_close(survey=survey)


def test_scores_lowest_factors_and_comparison_with_the_organisation(open_round, world):
    # Conflict resolution (items 0–2) always 1, everything else 4 in Sykehjem; 5 elsewhere.
    home_ids = set(
        Invitation.objects.filter(round=open_round, unit=world["units"]["home"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    order = list(
        Invitation.objects.filter(round=open_round).order_by("pk").values_list("pk", flat=True)
    )
    _close(open_round, value_of=lambda n, i: (1 if i < 3 else 4) if order[n] in home_ids else 5)
    group = results.group_result(
        open_round, world["units"]["home"], {world["units"]["home"].pk}, set()
    )
    by_key = {row["key"]: row for row in group.factors.rows}
    assert (
        by_key["conflict_resolution"]["score"] == 1 and by_key["conflict_resolution"]["low"] == 100
    )
    assert by_key["workload"]["score"] == 4 and by_key["workload"]["high"] == 100
    assert group.lowest[0] == "Conflict resolution" and len(group.lowest) == 3
    # The whole round: 14 of 23 answered 1 on conflict resolution, the rest 5.
    assert float(by_key["conflict_resolution"]["organisation"]) == round((14 * 1 + 9 * 5) / 23, 1)
    assert group.respondents == 14 and group.response_rate == 100


def test_free_text_needs_ten_and_never_reaches_the_leader_of_a_smaller_unit(open_round, world):
    _close(open_round, comment=lambda n: f"tekst {n}")
    units = world["units"]
    everyone = {u.pk for u in units.values()}
    home = results.group_result(open_round, units["home"], everyone, set())
    assert home.comments is not None and len(home.comments) == 14
    school = results.group_result(open_round, units["school"], everyone, set())
    assert school.comments is None and "at least 10" in school.comments_reason
    # Per leads Hjemmetjeneste (3 respondents): no free text for him, even for the whole sector.
    health_for_per = results.group_result(
        open_round, units["health"], everyone, {units["homecare"].pk}
    )
    assert health_for_per.comments is None and "leader of a unit" in health_for_per.comments_reason
    assert results.group_result(open_round, units["health"], everyone, set()).comments


def test_previous_round_and_mini_survey_of_the_lowest_factors(open_round, world):
    # Items 6–11 are internal information and interpersonal relations: the two lowest everywhere.
    _close(open_round, value_of=lambda n, i: 1 if 6 <= i <= 11 else 4)
    counts = results.round_counts(open_round)
    lowest = {u: k for u in counts.tally.unit_ids if (k := results.lowest_factors(counts, u, 2))}
    assert set(lowest[world["units"]["home"].pk]) == {
        "interpersonal_relations",
        "internal_information",
    }
    assert world["units"]["homecare"].pk not in lowest  # suppressed groups get no mini factors
    mini = survey_services.mini_round_create(
        actor=world["users"]["hr"],
        previous=open_round,
        lowest=lowest,
        title="Mini",
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=7),
    )
    survey_services.round_open(survey=mini, today=TODAY)
    invitation = Invitation.objects.filter(round=mini, unit=world["units"]["home"]).first()
    keys = [i["key"] for i in mini.instrument.definition["items"]]
    survey_services.answer_submit(
        token=survey_services.token_for(invitation),
        values=dict.fromkeys(keys, 5),
        bands={},
        today=TODAY,
    )
    stored = Response.objects.get(round=mini).values
    allowed = {
        i
        for i, item in enumerate(mini.instrument.definition["items"])
        if item["factor"] in lowest[world["units"]["home"].pk]
    }
    assert [v is not None for v in stored] == [i in allowed for i in range(len(stored))]


def test_who_sees_which_units_results(client, open_round, world):
    _close(open_round)
    base = f"/forebygging/undersokelser/{open_round.pk}/enhet/"
    units, users = world["units"], world["users"]
    expect = {
        "home3": {"home": 200, "school": 403, "health": 403},  # own unit only
        "lena": {"home": 200, "homecare": 403, "school": 403},  # the units she leads
        "sector_boss": {"health": 200, "homecare": 200, "school": 403},
        "verneombud": {"root": 200, "school": 200},
        "tillitsvalgt": {"root": 200},
        "hr": {"root": 200, "homecare": 200},
        "bht": {"home": 404},  # no part in surveys: no round is listed for it
    }
    for username, pages in expect.items():
        client.force_login(users[username])
        for unit, status in pages.items():
            assert client.get(f"{base}{units[unit].pk}/").status_code == status, (username, unit)


def test_no_results_while_the_round_is_open(client, open_round, world):
    client.force_login(world["users"]["hr"])
    assert (
        client.get(
            f"/forebygging/undersokelser/{open_round.pk}/enhet/{world['units']['root'].pk}/"
        ).status_code
        == 404
    )


def test_an_answer_outside_the_scale_is_refused_with_nothing_written(open_round):
    invitation = Invitation.objects.filter(round=open_round).first()
    token = survey_services.token_for(invitation)
    with pytest.raises(survey_services.AnswerRefused):
        survey_services.answer_submit(token=token, values={"c1": 9}, bands={}, today=TODAY)
    with pytest.raises(survey_services.AnswerRefused):
        survey_services.answer_submit(
            token=token, values={"c1": 3}, bands={"age": "70+"}, today=TODAY
        )
    invitation.refresh_from_db()
    assert not invitation.used and Response.objects.count() == 0


def test_relation_across_units_has_an_interval_and_needs_four_units():
    from naervaer.prevention.analysis import relation

    assert relation([3.0, 3.5, 4.0], [9.0, 8.0, 7.0], ["a", "b", "c"]) is None
    found = relation([3.0, 3.5, 4.0, 4.5, 3.2], [9.0, 8.5, 7.0, 6.0, 9.5], list("abcde"))
    assert found.r < 0 and found.r_low < found.r < found.r_high <= 1
    assert found.slope_low < found.slope < found.slope_high < 0
