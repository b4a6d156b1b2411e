from peerpath.measures.tests.factories import administration, link, schedule, shipped
from peerpath.testing.access import Route

READERS = {"peer", "supervisor", "clinician", "leader", "admin"}
ADMINISTER = {"peer", "supervisor", "leader"}
RATES = {"supervisor", "leader", "admin"}
MANAGERS = {"leader", "admin"}
ALL = READERS | {"evaluator"}
REDIRECT = frozenset({302})


def _client(w):
    return {"client_id": w.a.client.pk}


def _adm(w):
    return {"pk": administration(w.a).pk}


def _completed_with_alert(w):
    from peerpath.measures.administrations import services

    adm = administration(w.a)
    services.administration_submit(actor=w.a.users["peer"], administration=adm, answers={i: 1 for i in range(1, 10)})
    return {"pk": adm.alerts.get().pk}


def _token(w):
    return {"token": link(w.a)[1]}


def _phq(w):
    return {"pk": shipped("phq9").pk}


def _draft(w):
    from peerpath.measures.models import Instrument

    return {"pk": Instrument.objects.create(organisation=w.a.organisation, code="draft", name="Draft").pk}


def _draft_step(w):
    return {**_draft(w), "step": "item"}


def _licensed_item(w):
    return {"pk": shipped("swemwbs").pk, "number": 1}


def _sched(w):
    return {"pk": schedule(w.a).pk}


def _api_adm(w):
    return {"administration_id": administration(w.a).pk}


def _api_create(w):
    shipped("phq9")
    return {"client_id": w.a.client.pk, "instrument": "phq9", "timepoint": "intake"}


ROUTES = [
    Route("measures:due", allowed=ADMINISTER),
    Route("measures:client_measures", allowed=READERS, kwargs=_client),
    Route("measures:administration_start", allowed=ADMINISTER, method="POST", kwargs=_client,
          data=lambda w: {"instrument": shipped("phq9").pk, "timepoint": "intake", "language": "en"}, ok=REDIRECT),
    Route("measures:enrol", allowed=ADMINISTER, method="POST", kwargs=_client,
          data=lambda w: {"schedule": schedule(w.a).pk, "start_on": "2026-01-05"}, ok=REDIRECT),
    Route("measures:administration_detail", allowed=READERS, kwargs=_adm),
    Route("measures:administration_enter", allowed=ADMINISTER, kwargs=_adm),
    Route("measures:link_create", allowed=ADMINISTER, method="POST", kwargs=_adm, data=lambda w: {"language": "es"}),
    Route("measures:administration_cancel", allowed=ADMINISTER, method="POST", kwargs=_adm, data=lambda w: {},
          ok=REDIRECT),
    Route("measures:alert_acknowledge", allowed=ADMINISTER, method="POST", kwargs=_completed_with_alert,
          data=lambda w: {}, ok=REDIRECT),
    Route("measures:survey", allowed=set(), kwargs=_token, public=True),
    Route("measures:instrument_list", allowed=READERS),
    Route("measures:instrument_detail", allowed=READERS, kwargs=_phq, org_bound=False),
    Route("measures:instrument_build", allowed={"admin"}, method="POST", kwargs=_draft_step,
          data=lambda w: {"text": "I feel hopeful", "text_es": "", "subscale": ""}, ok=REDIRECT),
    Route("measures:instrument_publish", allowed={"admin"}, method="POST", kwargs=_draft, data=lambda w: {}, ok=REDIRECT),
    Route("measures:item_text", allowed={"admin"}, method="POST", kwargs=_licensed_item,
          data=lambda w: {"text": "Licensed wording", "text_es": ""}, ok=REDIRECT, org_bound=False),
    Route("measures:schedule_list", allowed=MANAGERS),
    Route("measures:schedule_detail", allowed=MANAGERS, kwargs=_sched),
    Route("measures:rates", allowed=RATES),
    Route("api:measures_instrument_list", allowed=READERS),
    Route("api:measures_administration_list", allowed=READERS),
    Route("api:measures_administration_create", allowed=ADMINISTER, method="POST", data=_api_create,
          ok=frozenset({201}), org_bound=True),
    Route("api:measures_answers_submit", allowed=ADMINISTER, method="POST", kwargs=_api_adm,
          data=lambda w: {"answers": {str(i): 0 for i in range(1, 10)}, "mode": "with_peer"}),
    Route("api:measures_due_list", allowed=ADMINISTER),
]
