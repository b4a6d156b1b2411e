"""One-time survey links: a client answers an administration on their own device, without signing in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow, public
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service
from peerpath.lib.phone import dial
from peerpath.measures.administrations import forms as administrations_forms
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations.views import ADMINISTER, _error
from peerpath.measures.choices import Language
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.library import safety_items
from peerpath.measures.links import forms, services
from peerpath.measures.links.qr import qr_svg


@require_POST
@allow(ADMINISTER)
def link_create(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    administration = administrations_selectors.administration_for(user, pk)
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        link, token = services.link_create(actor=user, administration=administration, language=form.cleaned_data["language"])
    except ServiceError as exc:
        _error(request, exc)
        return redirect("measures:administration_detail", pk=pk)
    url = request.build_absolute_uri(reverse("measures:survey", kwargs={"token": token}))
    client = administration.client
    context = {
        "administration": administration, "link": link, "url": url, "qr": qr_svg(url),
        # Sent from the peer's own phone or mail app to the client's recorded contact; texts only with consent.
        "sms_to": dial(client.phone) if client.phone and client.text_consent else "",
        "email_to": client.email,
        "message": _("Your peer support worker asked you to answer a few questions: %(url)s") % {"url": url},
    }
    response = render(request, "measures/link_created.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _link_language(request: HttpRequest, default: str) -> str:
    choice = request.GET.get("lang") or request.POST.get("lang") or default
    return choice if choice in Language.values else "en"


@public
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The client's own page: only their first name and the questions. Used or expired links say so calmly and show
    nothing about the client; an unknown token is a 404."""
    link = services.link_lookup(token)
    if link is None:
        if not services.link_exists(token):
            raise Http404
        language = _link_language(request, "en")
        with translation.override(language):
            response = render(request, "measures/survey_closed.html", {"language": language}, status=410)
        return _private(response)
    administration = link.administration
    language = _link_language(request, link.language)
    with translation.override(language):
        questions = instruments_selectors.questions(administration.instrument, link.organisation_id, language)
        form = administrations_forms.AnswerForm(request.POST or None, questions=questions,
                                                safety_items=safety_items(administration.instrument))
        status = 200
        if request.method == "POST":
            if form.is_valid():
                done = call_service(form, services.link_submit, token=token, answers=form.answers(), language=language)
                if done is not None:
                    response = render(request, "measures/survey_done.html",
                                      {"language": language, "crisis": done.safety_flag,
                                       "unanswered": done.safety_unanswered})
                    return _private(response)
            status = 400
        context = {"first_name": administration.client.first_name, "form": form, "language": language, "client_page": True,
                   "instructions": administration.instrument.instructions_in(language),
                   "instrument_name": administration.instrument.display_name,
                   "attribution": administration.instrument.attribution}
        response = render(request, "measures/survey.html", context, status=status)
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # never to other sites; "no-referrer" makes browsers send Origin: null, which CSRF refuses
    response["X-Robots-Tag"] = "noindex"
    return response
