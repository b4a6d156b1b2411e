"""CFIR rating pages: starting a round, the rating sheet per domain (definitions, guidance, per-role
Individuals), refused input, the heat-map table (values as text, change column, Individuals block)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.implementation.models import CfirRating, CfirRatingRound
from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, rate

pytestmark = pytest.mark.django_db


def _state(rating_round):
    return sorted(CfirRating.objects.filter(rating_round=rating_round, is_active=True)
                  .values_list("construct__code", "role__code", "value", "score", "evidence"))


def test_a_leader_starts_a_round_and_lands_on_the_first_domain(world, login):
    http = login(world.a.users["leader"])
    response = http.post(reverse("implementation:ratings_round_list"),
                         {"title": "Spring rating", "rated_on": "2026-03-02", "team": "", "notes": "Four interviews"})
    created = CfirRatingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("implementation:ratings_round_rate", args=[created.pk, "I"])
    assert (created.title, created.team_id, str(created.rated_on)) == ("Spring rating", None, "2026-03-02")


def test_a_supervisor_must_choose_their_team(world, login):
    http = login(world.a.users["supervisor"])
    page = http.get(reverse("implementation:ratings_round_list")).content.decode()
    assert world.a.team.name in page and world.a.other_team.name not in page
    response = http.post(reverse("implementation:ratings_round_list"),
                         {"title": "Org rating", "rated_on": "2026-03-02", "team": ""})
    assert response.status_code == 400
    assert CfirRatingRound.objects.count() == 0


def test_the_sheet_shows_definitions_guidance_and_the_reverse_rated_note(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    page = login(world.a.users["leader"]).get(
        reverse("implementation:ratings_round_rate", args=[found.pk, "I"])).content.decode()
    assert "I.F Innovation Complexity" in page and "reverse-rated" in page
    assert "The degree to which peer support is backed by robust evidence" in page
    assert "How to rate (Damschroder & Lowery 2013)" in page
    assert "+2: strong positive influence" in page and "Missing: not enough data" in page


def test_the_sheet_is_in_spanish_for_a_spanish_user(world, login):
    leader = world.a.users["leader"]
    leader.language = "es"
    leader.save()
    found = RatingRoundFactory(created_by=leader)
    http = login(leader)
    page = http.get(reverse("implementation:ratings_round_rate", args=[found.pk, "I"]),
                    HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Base de evidencia de la innovación" in page


def test_saving_a_domain_stores_ratings_and_evidence(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = login(world.a.users["leader"])
    url = reverse("implementation:ratings_round_rate", args=[found.pk, "III"])
    response = http.post(url, {"r-III_D": "-1", "e-III_D": "Peers not invited to handover.",
                               "r-III_F": "mixed", "e-III_F": "", "r-III_D_1": "missing", "save_next": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("implementation:ratings_round_rate", args=[found.pk, "IV"])
    assert _state(found) == [("III.D", None, "rated", -1, "Peers not invited to handover."),
                             ("III.D.1", None, "missing", None, ""),
                             ("III.F", None, "mixed", None, "")]


def test_individuals_are_rated_per_role(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = login(world.a.users["leader"])
    url = reverse("implementation:ratings_round_rate", args=[found.pk, "IV"])
    page = http.get(url).content.decode()
    assert "Innovation Deliverers" in page and 'name="r-IV_B_2--IV_A_8"' in page
    response = http.post(url, {"r-IV_B_2--IV_A_8": "2", "e-IV_B_2--IV_A_8": "All peers certified."})
    assert response.status_code == 302
    assert _state(found) == [("IV.B.2", "IV.A.8", "rated", 2, "All peers certified.")]


def test_a_choice_outside_the_scale_is_refused_and_nothing_is_saved(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    rate(found, "III.F", 1, evidence="Before")
    http = login(world.a.users["leader"])
    response = http.post(reverse("implementation:ratings_round_rate", args=[found.pk, "III"]),
                         {"r-III_D": "3", "r-III_F": "2", "e-III_F": "After"})
    assert response.status_code == 400
    assert "Select a valid choice. 3 is not one of the available choices." in response.content.decode()
    assert _state(found) == [("III.F", None, "rated", 1, "Before")]


def test_evidence_without_a_rating_is_refused(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    response = login(world.a.users["leader"]).post(
        reverse("implementation:ratings_round_rate", args=[found.pk, "III"]), {"e-III_D": "Only notes"})
    assert response.status_code == 400
    assert "Choose a rating for the evidence you wrote" in response.content.decode()
    assert _state(found) == []


def test_an_evaluator_reads_the_round_but_may_not_rate(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    rate(found, "III.D", 2, evidence="Leaders speak of recovery at every meeting.")
    http = login(world.a.users["evaluator"])
    page = http.get(reverse("implementation:ratings_round_detail", args=[found.pk])).content.decode()
    assert "Leaders speak of recovery at every meeting." in page and "+2" in page
    assert reverse("implementation:ratings_round_rate", args=[found.pk, "I"]) not in page
    response = http.post(reverse("implementation:ratings_round_rate", args=[found.pk, "III"]), {"r-III_D": "-2"})
    assert response.status_code == 403
    assert _state(found)[0][3] == 2


def test_another_organisations_round_is_not_found(world, login):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = login(world.b.users["leader"])
    assert http.get(reverse("implementation:ratings_round_detail", args=[found.pk])).status_code == 404
    response = http.post(reverse("implementation:ratings_round_rate", args=[found.pk, "III"]), {"r-III_D": "-2"})
    assert response.status_code == 404
    assert _state(found) == []


def _two_rounds(world):
    today = timezone.localdate()
    spring = RatingRoundFactory(created_by=world.a.users["leader"], title="Spring", rated_on=today - timedelta(days=180))
    autumn = RatingRoundFactory(created_by=world.a.users["leader"], title="Autumn", rated_on=today)
    for found, scores in ((spring, {"III.D": -1, "III.F": 1, "I.F": -2}), (autumn, {"III.D": 2, "III.F": 0, "I.F": -2})):
        for code, score in scores.items():
            rate(found, code, score)
    rate(spring, "II.F", "missing")
    rate(autumn, "II.F", "mixed")
    rate(spring, "IV.B.3", -1, role="IV.A.8")
    rate(autumn, "IV.B.3", 1, role="IV.A.8")
    return spring, autumn


def _row(page, code):
    start = page.index(f'<th scope="row">{code} ') if f'<th scope="row">{code} ' in page else page.index(f">{code} ")
    return page[start:page.index("</tr>", start)]


def test_the_heat_map_shows_values_as_text_and_the_change(world, login):
    _two_rounds(world)
    page = login(world.a.users["evaluator"]).get(reverse("implementation:ratings_heatmap")).content.decode()
    assert "<caption>CFIR 2.0 ratings by construct (rows) and round (columns)" in page
    assert page.index(">Spring<") < page.index(">Autumn<")  # oldest on the left
    culture = _row(page, "III.D")
    assert "−1</td>" in culture and "+2</td>" in culture and "improved (+3)" in culture and "▲" in culture
    compat = _row(page, "III.F")
    assert "worsened (−1)" in compat and "▼" in compat
    complexity = _row(page, "I.F")
    assert "reverse-rated" in complexity and "no change" in complexity
    financing = _row(page, "II.F")
    assert "Missing</td>" in financing and "Mixed</td>" in financing
    assert "missing (not enough data) → mixed" in financing
    assert 'scope="rowgroup"' in page and "III. Inner setting" in page
    assert "Legend" in page and "+2 strong positive" in page


def test_the_heat_map_shows_individuals_as_roles_by_characteristics(world, login):
    _two_rounds(world)
    page = login(world.a.users["leader"]).get(reverse("implementation:ratings_heatmap")).content.decode()
    block = page[page.index("IV. Individuals: each role"):]
    header = block[:block.index("</thead>")]
    assert [h in header for h in ("Need", "Capability", "Opportunity", "Motivation")] == [True] * 4
    deliverers = block[block.index(">Innovation Deliverers<"):]
    deliverers = deliverers[:deliverers.index("</tr>")]
    assert "+1" in deliverers and "improved (+2)" in deliverers


def test_the_heat_map_keeps_team_rounds_apart(world, login):
    _two_rounds(world)
    team_round = RatingRoundFactory(created_by=world.a.users["leader"], title="Team A only", team=world.a.team)
    rate(team_round, "III.D", -2)
    http = login(world.a.users["leader"])
    org_page = http.get(reverse("implementation:ratings_heatmap")).content.decode()
    team_page = http.get(reverse("implementation:ratings_heatmap") + f"?team={world.a.team.pk}").content.decode()
    assert "Team A only" not in org_page
    assert "Team A only" in team_page and ">Spring<" not in team_page
    assert http.get(reverse("implementation:ratings_heatmap") + f"?team={world.b.team.pk}").status_code == 404


def test_heat_map_query_count_does_not_grow_with_rounds(world, login, django_assert_max_num_queries):
    _two_rounds(world)
    http = login(world.a.users["leader"])
    http.get(reverse("implementation:ratings_heatmap"))
    with django_assert_max_num_queries(14):
        assert http.get(reverse("implementation:ratings_heatmap")).status_code == 200
    for n in range(4):
        found = RatingRoundFactory(created_by=world.a.users["leader"], title=f"Extra {n}")
        rate(found, "III.D", 1)
    with django_assert_max_num_queries(14):
        assert http.get(reverse("implementation:ratings_heatmap")).status_code == 200
