from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.care.tests.factories import GoalStepFactory
from peerpath.testing.access import Route

READERS = {"peer", "supervisor", "clinician", "leader", "admin"}
WRITERS = {"peer", "supervisor", "clinician", "leader"}


def _client(w):
    return {"client_id": w.a.client.pk}


def _encounter_payload(w):
    return {"client_ids": [w.a.client.pk], "started_at": timezone.now().isoformat(), "duration_minutes": 30,
            "modality": "phone", "setting": "remote", "activities": ["hope_goals"]}


def _meeting_payload(w):
    return {"team_id": w.a.team.pk, "held_at": timezone.now().isoformat(), "duration_minutes": 45, "topic": "Review"}


def _consultation_payload(w):
    other_peer = StaffFactory(organisation=w.a.organisation, role="peer", teams=[w.a.team])
    return {"held_at": timezone.now().isoformat(), "topic": "First week home", "peer_id": other_peer.pk}


ROUTES = [
    Route("care:peer_home", allowed={"peer"}),
    Route("care:caseload", allowed={"peer"}),
    Route("care:encounter_create", allowed={"peer"}),
    Route("care:encounter_detail", allowed=READERS, kwargs=lambda w: {"encounter_id": w.a.encounter.pk}),
    Route("care:plan", allowed=READERS, kwargs=_client),
    Route("care:plan_save", allowed=WRITERS, method="POST", kwargs=_client,
          data=lambda w: {"client_vision": "Feel at home", "review_on": ""}, ok=frozenset({302})),
    Route("care:goal_add", allowed=WRITERS, method="POST", kwargs=_client,
          data=lambda w: {"own_words": "Cook for friends", "life_area": "relationships", "chime": "connectedness"}, ok=frozenset({302})),
    Route("care:goal_progress", allowed=WRITERS, method="POST", kwargs=lambda w: {"goal_id": w.a.goal.pk},
          data=lambda w: {"progress": 40, "status": "active"}, ok=frozenset({302})),
    Route("care:step_add", allowed=WRITERS, method="POST", kwargs=lambda w: {"goal_id": w.a.goal.pk},
          data=lambda w: {"description": "Buy a cookbook"}, ok=frozenset({302})),
    Route("care:step_done", allowed=WRITERS, method="POST", kwargs=lambda w: {"step_id": GoalStepFactory(goal=w.a.goal).pk},
          data=lambda w: {"done": "1"}, ok=frozenset({302})),
    Route("care:meeting_list", allowed=READERS),
    Route("care:meeting_create", allowed=WRITERS),
    Route("care:meeting_detail", allowed=READERS, kwargs=lambda w: {"meeting_id": w.a.meeting.pk}),
    Route("api:encounter_create", org_bound=True, allowed={"peer"}, method="POST", data=_encounter_payload, ok=frozenset({201})),
    Route("api:encounter_get", allowed=READERS, kwargs=lambda w: {"encounter_id": w.a.encounter.pk}),
    Route("api:client_encounters", allowed=READERS, kwargs=_client),
    Route("api:caseload", allowed={"peer"}),
    Route("api:plan_get", allowed=READERS, kwargs=_client),
    Route("api:goal_create", allowed=WRITERS, method="POST", kwargs=_client,
          data=lambda w: {"own_words": "Cook for friends", "life_area": "relationships", "chime": "connectedness"}, ok=frozenset({201})),
    Route("api:meeting_list", allowed=READERS),
    Route("api:meeting_create", org_bound=True, allowed=WRITERS, method="POST", data=_meeting_payload, ok=frozenset({201})),
    Route("care:consultation_list", allowed=READERS, org_bound=False),
    Route("api:consultation_list", allowed=READERS, org_bound=False),
    # A second peer of organisation A is consulted, so any role (a peer too) records asking them; the body
    # names A's peer, so B's staff get 404.
    Route("api:consultation_create", allowed=READERS, method="POST", org_bound=True, ok=frozenset({201}),
          data=_consultation_payload),
]
