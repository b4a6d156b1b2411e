from peerpath.outcomes.models import ServiceEvent
from peerpath.testing.access import Route

READERS = {"peer", "supervisor", "clinician", "leader", "admin"}
ENTRY = {"peer", "supervisor", "clinician", "leader"}
IMPORTERS = {"supervisor", "clinician", "leader", "admin"}
EVALUATORS = {"leader", "evaluator"}


def _client(w):
    return {"client_id": w.a.client.pk}


def _event(w):
    event = ServiceEvent.objects.create(organisation=w.a.organisation, client=w.a.client, kind="emergency",
                                        occurred_on="2026-01-05", recorded_by=w.a.users["clinician"])
    return {"event_id": event.pk}


def _new_event(w):
    return {"kind": "emergency", "occurred_on": "2026-01-05", "ended_on": "", "status": "", "facility": "ED"}


def _csv(w):
    return {"filename": "adt.csv", "csv": f"record_number,kind,occurred_on\n{w.a.client.record_number},emergency,2026-01-05\n"}


ROUTES = [
    Route("outcomes:client_service_use", allowed=READERS, kwargs=_client),
    Route("outcomes:service_event_withdraw", allowed=ENTRY | IMPORTERS, method="POST", kwargs=_event,
          data=lambda w: {}, ok=frozenset({302})),
    Route("outcomes:service_event_import", allowed=IMPORTERS),
    Route("outcomes:service_event_import_progress", allowed=IMPORTERS),
    Route("outcomes:evaluation", allowed=EVALUATORS),
    Route("outcomes:evaluation_pdf", allowed=EVALUATORS),
    # The world fixture has fewer than 11 clients per group: row-level data is refused (409) for allowed roles.
    Route("outcomes:evaluation_dataset", allowed=EVALUATORS, kwargs=lambda w: {"kind": "km"}, org_bound=False,
          ok=frozenset({409})),
    Route("api:outcomes_service_event_list", allowed=READERS, kwargs=_client),
    Route("api:outcomes_service_event_create", allowed=ENTRY, method="POST", org_bound=True,
          data=lambda w: {"client_id": w.a.client.pk, "kind": "emergency", "occurred_on": "2026-01-05"}, ok=frozenset({201})),
    Route("api:outcomes_service_event_withdraw", allowed=ENTRY | IMPORTERS, method="POST", kwargs=_event, data=lambda w: {}),
    Route("api:outcomes_service_event_import", allowed=IMPORTERS, method="POST", data=_csv),
    # The matrix sends JSON: an allowed role is told to attach the file (400), a denied one is refused first.
    Route("api:outcomes_service_event_import_file", allowed=IMPORTERS, method="POST", data=lambda w: {},
          ok=frozenset({400})),
    Route("api:outcomes_evaluation", allowed=EVALUATORS),
    Route("api:outcomes_comparison_enrol", allowed={"leader"}, method="POST", org_bound=True,
          data=lambda w: {"client_id": w.a.unmatched_client.pk, "index_date": "2026-01-05"}),
]
