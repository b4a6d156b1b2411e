"""Suggested peers: consented shared experience, language, team and caseload room — with reasons."""

from __future__ import annotations

from peerpath.accounts.tests.factories import ExperienceAreaFactory, PeerExperienceFactory, StaffFactory
from peerpath.clients.matching import suggest_peers
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory


def test_best_fit_first_with_reasons(world):
    org, team = world.a.organisation, world.a.team
    psychosis = ExperienceAreaFactory(code="psychosis", name="Experience of psychosis")
    carla = StaffFactory(username="carla", first_name="Carla", last_name="M", organisation=org, role="peer",
                         spoken_languages="en,es", caseload_capacity=10, teams=[team])
    PeerExperienceFactory(owner=carla, area=psychosis, use_for_matching=True)
    StaffFactory(username="ben", first_name="Ben", last_name="K", organisation=org, role="peer",
                       spoken_languages="en", caseload_capacity=10, teams=[world.a.other_team])
    client = ClientFactory(team=team, language="es")
    referral = ReferralFactory(client=client, referred_by=world.a.users["clinician"], preferred_language="es")
    referral.preferred_experiences.set([psychosis])

    suggestions = suggest_peers(referral)
    names = [s.peer.username for s in suggestions]
    assert names.index("carla") < names.index("ben")
    carla_s = suggestions[names.index("carla")]
    assert carla_s.reasons == [
        "Shares lived experience: Experience of psychosis",
        "Speaks Spanish",
        f"On the client's team ({team.name})",
        "Caseload 0 of 10",
    ]
    assert carla_s.score == 3 + 2 + 2 + 2.0
    assert [r for r in suggestions[names.index("ben")].reasons] == ["Caseload 0 of 10"]


def test_experience_not_consented_for_matching_is_never_used_or_shown(world):
    area = ExperienceAreaFactory(code="justice", name="Involvement with the justice system")
    peer = world.a.users["peer"]
    PeerExperienceFactory(owner=peer, area=area, use_for_matching=False, share_with_clients=False)
    referral = world.a.referral
    referral.preferred_experiences.set([area])
    mine = next(s for s in suggest_peers(referral, limit=50) if s.peer == peer)
    assert not any("justice" in reason for reason in mine.reasons)


def test_full_caseload_ranks_last_and_says_so(world):
    org, team = world.a.organisation, world.a.team
    full = StaffFactory(username="full", organisation=org, role="peer", caseload_capacity=1, teams=[team],
                        spoken_languages="en,es")
    MatchFactory(peer=full, client=ClientFactory(team=team))
    StaffFactory(username="roomy", organisation=org, role="peer", caseload_capacity=5, teams=[world.a.other_team])
    suggestions = suggest_peers(world.a.referral, limit=50)
    names = [s.peer.username for s in suggestions]
    assert names.index("roomy") < names.index("full")
    assert suggestions[names.index("full")].reasons[-1] == "Caseload full (1 of 1)"


def test_peers_of_another_organisation_are_never_suggested(world):
    suggested = {s.peer.organisation_id for s in suggest_peers(world.a.referral, limit=50)}
    assert suggested == {world.a.organisation.pk}
