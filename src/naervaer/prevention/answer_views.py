"""Answering a survey through the e-mailed link: no login, works on a phone, in nb and en.

Nothing here writes anything about the request: no audit entry, no session — the only write is
the service's anonymous response. The thank-you page has its own address, so the browser's
history keeps no used link after the answer."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from naervaer.prevention import survey_services
from naervaer.prevention.models import Invitation

REFUSALS = {
    "unknown": _("This link is not valid. Check that you copied the whole link from the e-mail."),
    "used": _("This link has already been used. Each link can answer once."),
    "closed": _("The survey is not open for answers."),
    "invalid": _("An answer was not one of the choices. Please try again."),
    "empty": _("Answer at least one question before you send."),
}


def _questions(invitation: Invitation) -> dict:
    """The instrument's texts in the page language, narrowed to the unit's factors in a mini round."""
    survey = invitation.round
    definition = survey.instrument.definition
    lang = "en" if (get_language() or "nb").startswith("en") else "nb"
    allowed = survey_services.factors_for_unit(survey, invitation.unit_id)
    scale = definition["scale"]
    steps = list(range(scale["min"], scale["max"] + 1))
    factors = []
    for factor in definition["factors"]:
        if allowed is not None and factor["key"] not in allowed:
            continue
        items = [i for i in definition["items"] if i["factor"] == factor["key"]]
        factors.append(
            {
                "title": factor[f"title_{lang}"],
                "items": [{"key": i["key"], "text": i[f"text_{lang}"]} for i in items],
            }
        )
    return {
        "title": survey.title,
        "closes_on": survey.closes_on,
        "steps": list(zip(steps, scale[f"labels_{lang}"], strict=True)),
        "factors": factors,
        "free_text": (definition.get("free_text") or {}).get(lang, ""),
        "bands": [
            {"key": b["key"], "label": b.get(f"label_{lang}") or b["key"], "options": b["options"]}
            for b in survey.bands
        ],
    }


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = survey_services.invitation_for(token)
    if invitation is None:
        return render(
            request, "prevention/answer_refused.html", {"reason": REFUSALS["unknown"]}, status=404
        )
    if invitation.used:
        return render(request, "prevention/answer_refused.html", {"reason": REFUSALS["used"]})
    if not survey_services.round_is_open(invitation.round, datetime.date.today()):
        return render(request, "prevention/answer_refused.html", {"reason": REFUSALS["closed"]})
    questions = _questions(invitation)
    problem = ""
    if request.method == "POST":
        try:
            survey_services.answer_submit(
                token=token,
                values={k: request.POST.get(k) for k in _item_keys(questions)},
                bands={
                    b["key"]: request.POST.get(f"band-{b['key']}", "") for b in questions["bands"]
                },
                comment=request.POST.get("comment", ""),
            )
        except survey_services.AnswerRefused as refused:
            if refused.reason in ("unknown", "used", "closed"):
                return render(
                    request, "prevention/answer_refused.html", {"reason": REFUSALS[refused.reason]}
                )
            problem = REFUSALS[refused.reason]
        else:
            return redirect("prevention:answer_thanks")
    return render(
        request,
        "prevention/answer.html",
        {"q": questions, "problem": problem, "posted": request.POST},
        status=400 if problem else 200,
    )


def _item_keys(questions: dict) -> list[str]:
    return [item["key"] for factor in questions["factors"] for item in factor["items"]]


def answer_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "prevention/answer_thanks.html")
