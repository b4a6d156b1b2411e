from peerpath.accounts.models import ApiToken
from peerpath.accounts.tests.factories import PeerExperienceFactory
from peerpath.testing.access import Route

ALL = {"peer", "supervisor", "clinician", "leader", "evaluator", "admin"}


def _peer_token(world):
    token = ApiToken.objects.create(staff=world.a.users["peer"], name="phone", prefix="pp_x", key_hash="f" * 64)
    return {"token_id": token.pk}


ROUTES = [
    Route("accounts:profile", allowed=ALL),
    Route("accounts:token_create", allowed=ALL, method="POST", data=lambda w: {"name": "phone"}, ok=frozenset({302})),
    # Only the owner may revoke a token: everyone else gets "not found".
    Route("accounts:token_revoke", allowed={"peer"}, method="POST", kwargs=_peer_token, ok=frozenset({302})),
    Route("accounts:language", allowed=ALL, method="POST", data=lambda w: {"language": "es", "next": "/"}, ok=frozenset({302})),
    Route("accounts:my_experience", allowed={"peer"}),
    Route("accounts:my_experience_remove", allowed={"peer"}, method="POST",
          kwargs=lambda w: {"experience_id": PeerExperienceFactory(owner=w.a.users["peer"]).pk}, ok=frozenset({302})),
    Route("api:token_obtain", allowed=ALL, public=True, method="POST",
          data=lambda w: {"username": "nobody", "password": "wrong"},
          # 429 once the per-address sign-in limit is reached by the matrix's own dozen tries.
          ok=frozenset({400, 429})),
    Route("api:me", allowed=ALL),
    # The admin site's sign-in hands over to ours (same lockout, two-factor for platform admins).
    # Staff who are not platform administrators are refused (403) rather than sent round in a loop.
    Route("platform_admin_login", allowed=ALL, public=True, ok=frozenset({302, 403})),
]

ROUTES += [
    Route("accounts:staff_list", allowed={"admin"}),
    Route("accounts:staff_search", allowed={"peer", "supervisor", "clinician", "leader", "admin"}),
    Route("accounts:staff_create", allowed={"admin"}),
    Route("accounts:staff_edit", allowed={"admin"}, kwargs=lambda w: {"staff_id": w.a.users["peer"].pk}),
    Route("accounts:organisation_settings", allowed={"admin"}),
]
