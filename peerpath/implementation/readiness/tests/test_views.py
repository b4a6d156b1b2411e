from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.implementation.models import ReadinessResponse, ReadinessRound
from peerpath.implementation.readiness import services

pytestmark = pytest.mark.django_db


def _open(world, roles=("peer", "clinician")):
    today = timezone.localdate()
    return services.readiness_round_open(actor=world.a.users["leader"], title="Autumn readiness", opens_on=today,
                                         closes_on=today + timedelta(days=7), instrument_codes=["oric", "fim"],
                                         invited_roles=list(roles))


def test_invited_clinician_sees_the_survey_waiting_and_answers_it(world, login):
    readiness_round = _open(world)
    browser = login(world.a.users["clinician"])
    waiting = browser.get(reverse("implementation:readiness_my_surveys")).content.decode()
    assert "Autumn readiness" in waiting
    page = browser.get(reverse("implementation:readiness_answer", args=[readiness_round.pk])).content.decode()
    assert "can get people invested in implementing peer support in our service." in page
    items = [i for inst in readiness_round.instruments.all() for i in inst.items.all()]
    data = {f"item_{i.pk}": "4" for i in items[1:]}  # one item left out: stored and scored by the rule
    response = browser.post(reverse("implementation:readiness_answer", args=[readiness_round.pk]), data)
    assert response.status_code == 302
    stored = ReadinessResponse.objects.get()
    assert stored.answers.count() == len(items) - 1
    assert "Autumn readiness" not in browser.get(reverse("implementation:readiness_my_surveys")).content.decode()


def test_out_of_range_answer_shows_a_field_error_and_stores_nothing(world, login):
    readiness_round = _open(world)
    item = readiness_round.instruments.first().items.first()
    response = login(world.a.users["peer"]).post(reverse("implementation:readiness_answer", args=[readiness_round.pk]),
                                                 {f"item_{item.pk}": "9"})
    assert response.status_code == 400
    assert "Choose an answer from 1 to 5." in response.content.decode()
    assert ReadinessResponse.objects.count() == 0


def test_results_page_shows_groups_of_five_and_hides_smaller_ones(world, login):
    org = world.a.organisation
    peers = [StaffFactory(organisation=org, role="peer") for _ in range(5)]
    clinicians = [StaffFactory(organisation=org, role="clinician") for _ in range(2)]
    readiness_round = _open(world)
    items = [i for inst in readiness_round.instruments.all() for i in inst.items.all()]
    for person in peers:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round, answers={i.pk: 4 for i in items})
    for person in clinicians:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round, answers={i.pk: 2 for i in items})
    browser = login(world.a.users["evaluator"])
    url = reverse("implementation:readiness_round_detail", args=[readiness_round.pk])
    while_open = browser.get(url).content.decode()
    assert "7 of 9 invited staff have answered so far." in while_open
    assert "Results appear when the round closes" in while_open and "3.43" not in while_open
    services.readiness_round_close(actor=world.a.users["leader"], readiness_round=readiness_round)
    page = login(world.a.users["evaluator"]).get(
        reverse("implementation:readiness_round_detail", args=[readiness_round.pk])).content.decode()
    assert "Peer support worker" not in page  # peers beside "Everyone" would give the 2 clinicians away
    assert "Clinician" not in page  # two clinicians: never shown on their own
    assert "7 answers from small groups are counted only in" in page
    assert page.count('<th scope="row">') == 1  # only "Everyone"
    assert "3.43" in page  # everyone: (5×4 + 2×2) / 7


def test_results_page_pools_small_groups_and_hides_a_group_of_three(world, login):
    from peerpath.implementation.readiness.tests.factories import answered_round

    readiness_round = answered_round(world.a.users["leader"], {"peer": (6, 4), "clinician": (3, 1), "supervisor": (2, 3)})
    page = login(world.a.users["leader"]).get(
        reverse("implementation:readiness_round_detail", args=[readiness_round.pk])).content.decode()
    table = page.split("Results by role group")[1]
    assert '<th scope="row">Peer support worker</th>' in table
    assert '<th scope="row">Other roles (pooled)</th>' in table
    assert "Clinician" not in table and "Supervisor" not in table
    assert ">1.0 <" not in table  # the three clinicians' own mean is never shown
    assert ">1.8 <" in table  # pooled: (3×1 + 2×3) / 5
    assert "Close this round" not in page  # already closed


def test_results_page_shows_nothing_under_five_answers(world, login):
    from peerpath.implementation.readiness.tests.factories import answered_round

    readiness_round = answered_round(world.a.users["leader"], {"peer": (4, 2)})
    page = login(world.a.users["leader"]).get(
        reverse("implementation:readiness_round_detail", args=[readiness_round.pk])).content.decode()
    assert "4 answers. Results are shown only when at least five people have answered." in page
    assert "Results by role group" not in page and ">2.0" not in page


def test_comments_are_shown_only_with_five_answers_and_without_names(world, login):
    from peerpath.implementation.readiness.tests.factories import answer, open_round, staff

    people = staff(world.a.organisation, "peer", 5)
    readiness_round = open_round(world.a.users["leader"], invited_roles=["peer"])
    for i, person in enumerate(people[:4]):
        answer(person, readiness_round, comment=f"Comment number {i}")
    leader = world.a.users["leader"]
    services.readiness_round_close(actor=leader, readiness_round=readiness_round)
    browser = login(leader)
    url = reverse("implementation:readiness_round_detail", args=[readiness_round.pk])
    assert "Comment number" not in browser.get(url).content.decode()
    ReadinessRound.objects.filter(pk=readiness_round.pk).update(status="open")  # reopened for the fifth answer
    readiness_round.refresh_from_db()
    answer(people[4], readiness_round)
    services.readiness_round_close(actor=leader, readiness_round=readiness_round)
    page = browser.get(url).content.decode()
    assert all(f"Comment number {i}" in page for i in range(4))
    assert people[0].username not in page and people[0].get_full_name() not in page


def test_detail_compares_with_the_previous_round(world, login):
    from peerpath.implementation.readiness.tests.factories import answered_round

    leader = world.a.users["leader"]
    today = timezone.localdate()
    answered_round(leader, {"peer": (5, 2)}, title="Spring", opens_on=today - timedelta(days=1), instrument_codes=["fim"])
    later = answered_round(leader, {"peer": (5, 4)}, title="Autumn", instrument_codes=["fim"])
    page = login(leader).get(reverse("implementation:readiness_round_detail", args=[later.pk])).content.decode()
    assert "Change since “Spring”" in page
    assert "<td>2.0</td><td>4.0</td><td>+2.0</td>" in page


def test_leader_opens_a_round_from_the_page(world, login):
    browser = login(world.a.users["leader"])
    today = timezone.localdate().isoformat()
    response = browser.post(reverse("implementation:readiness_round_create"), {
        "title": "Whole service", "opens_on": today, "closes_on": today, "instrument_codes": ["oric", "aim"],
        "invited_roles": ["peer", "clinician"], "free_text_prompt": "What would help?"})
    assert response.status_code == 302
    readiness_round = ReadinessRound.objects.get()
    assert readiness_round.invitations.count() == 2 and readiness_round.free_text_prompt == "What would help?"
    bad = browser.post(reverse("implementation:readiness_round_create"), {
        "title": "x", "opens_on": today, "closes_on": "2000-01-01", "instrument_codes": ["aim"], "invited_roles": ["peer"]})
    assert bad.status_code == 400
    assert "The round must close on or after the day it opens." in bad.content.decode()
    assert ReadinessRound.objects.count() == 1


def test_close_button_closes_and_the_survey_then_says_closed(world, login):
    readiness_round = _open(world)
    response = login(world.a.users["leader"]).post(
        reverse("implementation:readiness_round_close", args=[readiness_round.pk]))
    assert response.status_code == 302
    page = login(world.a.users["peer"]).get(
        reverse("implementation:readiness_answer", args=[readiness_round.pk])).content.decode()
    assert "This survey is closed." in page and 'type="radio"' not in page


def test_not_invited_person_gets_404_and_nothing_changes(world, login):
    readiness_round = _open(world, roles=("peer",))
    item = readiness_round.instruments.first().items.first()
    response = login(world.a.users["clinician"]).post(
        reverse("implementation:readiness_answer", args=[readiness_round.pk]), {f"item_{item.pk}": "4"})
    assert response.status_code == 404
    assert ReadinessResponse.objects.count() == 0


def test_survey_in_spanish_uses_the_spanish_labels(world, login):
    readiness_round = _open(world)
    clinician = world.a.users["clinician"]
    clinician.language = "es"
    clinician.save()
    page = login(clinician).get(reverse("implementation:readiness_answer", args=[readiness_round.pk])).content.decode()
    assert "1 — En desacuerdo" in page and "5 — De acuerdo" in page
    assert "Las personas que trabajan aquí están comprometidas" in page


def test_supervisor_sees_organisation_rounds_and_own_team_rounds_only(world, login):
    leader = world.a.users["leader"]
    _open(world)
    from peerpath.implementation.readiness.tests.factories import open_round

    open_round(leader, title="Own team round", team=world.a.team)
    open_round(leader, title="Other team round", team=world.a.other_team)
    page = login(world.a.users["supervisor"]).get(reverse("implementation:readiness_round_list")).content.decode()
    assert "Autumn readiness" in page and "Own team round" in page
    assert "Other team round" not in page
    assert "Other team round" in login(leader).get(reverse("implementation:readiness_round_list")).content.decode()


def test_round_list_query_count_does_not_grow_with_rounds(world, login, django_assert_max_num_queries):
    browser = login(world.a.users["evaluator"])
    _open(world)
    with django_assert_max_num_queries(12):
        browser.get(reverse("implementation:readiness_round_list"))
    for _ in range(8):
        _open(world)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("implementation:readiness_round_list")).content.decode()
    assert page.count("Autumn readiness") == 9


def test_a_round_that_opens_later_says_when_and_is_not_waiting_yet(world, login):
    from peerpath.implementation.readiness.tests.factories import open_round

    later = timezone.localdate() + timedelta(days=3)
    readiness_round = open_round(world.a.users["leader"], opens_on=later, closes_on=later + timedelta(days=7))
    browser = login(world.a.users["peer"])
    page = browser.get(reverse("implementation:readiness_answer", args=[readiness_round.pk])).content.decode()
    assert f"This survey opens on {later:%Y-%m-%d}." in page and 'type="radio"' not in page
    assert "Spring readiness" not in browser.get(reverse("implementation:readiness_my_surveys")).content.decode()
