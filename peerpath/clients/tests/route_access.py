from peerpath.clients.tests.factories import ReferralFactory
from peerpath.testing.access import Route

READERS = {"peer", "supervisor", "clinician", "leader", "admin"}
HANDLERS = {"peer", "supervisor", "leader"}
REFERRERS = {"clinician", "supervisor", "leader"}


def _referral(w):
    return {"referral_id": w.a.referral.pk}


def _accepted_referral(w):
    return {"referral_id": ReferralFactory(client=w.a.client, referred_by=w.a.users["clinician"], status="accepted").pk}


ROUTES = [
    Route("clients:client_list", allowed=READERS),
    Route("clients:client_search", allowed=READERS),
    Route("clients:client_detail", allowed=READERS, kwargs=lambda w: {"client_id": w.a.client.pk}),
    Route("clients:referral_inbox", allowed=READERS),
    Route("clients:referral_create", allowed=REFERRERS),
    Route("clients:referral_detail", allowed=READERS, kwargs=_referral),
    Route("clients:referral_accept", allowed=HANDLERS, method="POST", kwargs=_referral, data=lambda w: {}, ok=frozenset({302})),
    Route("clients:referral_decline", allowed=HANDLERS, method="POST", kwargs=_referral, data=lambda w: {"reason": "Moved away"}, ok=frozenset({302})),
    Route("clients:referral_assign", allowed={"supervisor", "leader", "peer"}, method="POST", kwargs=_accepted_referral,
          data=lambda w: {"peer": w.a.users["peer"].pk}, ok=frozenset({302})),
    Route("clients:referral_close", allowed=HANDLERS, method="POST", kwargs=_accepted_referral, data=lambda w: {"reason": "Done"}, ok=frozenset({302})),
    Route("clients:referrals_bulk", allowed={"supervisor", "leader"}, method="POST", org_bound=True,
          data=lambda w: {"action": "decline", "reason": "Full", "referral": [w.a.referral.pk]}, ok=frozenset({302})),
    Route("api:client_list", allowed=READERS),
    Route("api:client_get", allowed=READERS, kwargs=lambda w: {"client_id": w.a.client.pk}),
    Route("api:referral_list", allowed=READERS),
    Route("api:referral_create", org_bound=True, allowed=REFERRERS, method="POST",
          data=lambda w: {"client_id": w.a.client.pk, "reason": "Would value someone who has been there."}, ok=frozenset({201})),
    Route("api:referral_get", allowed=READERS, kwargs=_referral),
    Route("api:referral_suggestions", allowed={"supervisor", "leader"}, kwargs=_referral),
    Route("api:referral_accept", allowed=HANDLERS, method="POST", kwargs=_referral, data=lambda w: {}),
    # Issue 10 point 8: a peer handles only referrals offered or assigned to them; these fixtures' referrals
    # are neither, so the API refuses the peer (404, as for a missing one).
    Route("api:referral_decline", allowed=HANDLERS - {"peer"}, method="POST", kwargs=_referral, data=lambda w: {"reason": "Moved away"}),
    Route("api:referral_assign", allowed={"supervisor", "leader", "peer"}, method="POST", kwargs=_accepted_referral,
          data=lambda w: {"peer_id": w.a.users["peer"].pk}),
    Route("api:referral_close", allowed=HANDLERS - {"peer"}, method="POST", kwargs=_accepted_referral, data=lambda w: {"reason": "Done"}),
]
