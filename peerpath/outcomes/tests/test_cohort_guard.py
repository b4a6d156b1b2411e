"""Two cohorts whose filters differ a little must not differ by one person (issue 12, point 6: "between filters
that differ by one person"). Every entry point — page, PDF, API, downloads — refuses such a cohort."""

import datetime as dt

import pytest

from peerpath.clients.tests.factories import ClientFactory, TeamFactory
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import AuditEvent
from peerpath.outcomes import cohort_guard, selectors
from peerpath.outcomes.models import ComparisonEnrolment

pytestmark = pytest.mark.django_db
PAGE = "/outcomes/evaluation/"


def _usual_care(world, cohorts, *, team=None, born=None, index=None):
    client = ClientFactory(team=team or world.a.other_team, first_name="Lone", last_name="Person",
                           date_of_birth=born if born is not None else dt.date(1985, 4, 12))
    ComparisonEnrolment.objects.create(organisation=world.a.organisation, client=client,
                                       index_date=index or cohorts["index"])
    return client


def _years_before(day, years):
    return day.replace(year=day.year - years) - dt.timedelta(days=30)


def test_range_filters_snap_to_bands_so_ages_to_30_and_to_31_show_the_same_figures(world, cohorts):
    leader = world.a.users["leader"]
    to_30, _ = selectors.evaluation_for(leader, cohort=selectors.Cohort(age_min=41, age_max=30 + 12))
    to_31, _ = selectors.evaluation_for(leader, cohort=selectors.Cohort(age_min=40, age_max=31 + 12))
    assert to_30["cohort"]["filters"] == to_31["cohort"]["filters"] == {"age_min": 40, "age_max": 44}
    assert to_30["km"] == to_31["km"]
    middle = cohorts["index"].replace(day=17)
    dated, _ = selectors.evaluation_for(leader, cohort=selectors.Cohort(start=middle))
    assert dated["cohort"]["filters"] == {"start": middle.replace(day=1).isoformat()}
    last = (middle.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    assert cohort_guard.banded(selectors.Cohort(end=middle)).end == last


def test_a_sparse_age_band_merges_into_its_neighbour_so_the_two_cohorts_are_one(world, cohorts):
    _usual_care(world, cohorts, born=_years_before(cohorts["index"], 32))  # the only person aged 30–34
    leader = world.a.users["leader"]
    whole, _ = selectors.evaluation_for(leader, cohort=selectors.Cohort())
    from_35, _ = selectors.evaluation_for(leader, cohort=selectors.Cohort(age_min=35))
    assert from_35["cohort"]["filters"] == {"age_min": 30}  # 30–34 is too small to stand alone: merged with 35–44
    assert from_35["km"] == whole["km"] and from_35["cohort"]["n"] == whole["cohort"]["n"]


def test_a_band_small_under_another_filter_refuses_the_cohort_everywhere(world, cohorts, login, api_client):
    third = TeamFactory(organisation=world.a.organisation, name="Third")
    for _ in range(11):  # across the organisation, 30–34 is a band of its own ...
        _usual_care(world, cohorts, team=third, born=_years_before(cohorts["index"], 32))
    _usual_care(world, cohorts, born=_years_before(cohorts["index"], 32))  # ... but one person in the other team
    leader = world.a.users["leader"]
    query = {"team_id": world.a.other_team.pk, "age_min": 35}
    with pytest.raises(ServiceError) as refused:  # = the other team − that one person
        selectors.evaluation_for(leader, cohort=selectors.Cohort(**query))
    assert (refused.value.field, refused.value.code) == ("age_min", "cohort_too_close")
    assert "30–34" in refused.value.reason and "fewer than 11" in refused.value.reason
    assert selectors.evaluation_for(leader, cohort=selectors.Cohort(team_id=world.a.other_team.pk))[0]["km"]

    page_query = {"team": world.a.other_team.pk, "age_min": 35}
    page = login(world.a.users["evaluator"]).get(PAGE, page_query)
    html = page.content.decode()
    assert page.status_code == 400
    assert "The ages 30–34, next to this age, have fewer than 11 people in a group" in html
    assert "Log-rank test" not in html and "Peer support: <strong>" not in html
    client = login(world.a.users["evaluator"])
    assert client.get("/outcomes/evaluation/report.pdf", page_query).status_code == 400
    download = client.get("/outcomes/evaluation/dataset/km.csv", page_query)
    assert download.status_code == 409 and b"30\xe2\x80\x9334" in download.content
    body = api_client(leader).get("/api/v1/outcomes/evaluation", query)
    assert body.status_code == 400
    assert body.json()["code"] == "cohort_too_close" and [e["field"] for e in body.json()["errors"]] == ["age_min"]
    refusals = AuditEvent.objects.filter(target_type="outcomes.evaluation", detail__refused="age_min")
    assert refusals.count() >= 4  # each probe is on the trail


def test_a_band_with_enough_people_in_each_group_is_a_fair_neighbour(world, cohorts):
    for _ in range(11):
        _usual_care(world, cohorts, born=_years_before(cohorts["index"], 32))
    results, _ = selectors.evaluation_for(world.a.users["leader"], cohort=selectors.Cohort(age_min=35))
    assert results["cohort"]["filters"] == {"age_min": 35} and results["cohort"]["n"]["comparison"] == 14


def test_one_small_team_refuses_every_single_team_since_all_minus_the_others_gives_it(world, cohorts):
    small_team = TeamFactory(organisation=world.a.organisation, name="Small")
    for _ in range(3):
        _usual_care(world, cohorts, team=small_team)
    leader = world.a.users["leader"]
    for team in (world.a.team, world.a.other_team):
        with pytest.raises(ServiceError) as refused:
            selectors.evaluation_for(leader, cohort=selectors.Cohort(team_id=team.pk))
        assert refused.value.field == "team_id"
    assert selectors.evaluation_for(leader, cohort=selectors.Cohort())[0]["cohort"]["n"]["comparison"] is not None


def test_people_without_a_date_of_birth_are_not_singled_out_by_an_age_filter(world, cohorts):
    _usual_care(world, cohorts, born=None).__class__.objects.filter(first_name="Lone").update(date_of_birth=None)
    with pytest.raises(ServiceError) as refused:
        selectors.evaluation_for(world.a.users["leader"], cohort=selectors.Cohort(age_max=120))
    assert refused.value.field == "age_max" and "date of birth" in refused.value.reason


def test_a_month_holding_one_person_refuses_a_date_bound_next_to_it(world, cohorts):
    later = (cohorts["index"].replace(day=1) + dt.timedelta(days=70)).replace(day=10)
    third = TeamFactory(organisation=world.a.organisation, name="Third")
    for _ in range(11):
        _usual_care(world, cohorts, team=third, index=later)
    _usual_care(world, cohorts, index=later)  # in the other team, one person starts two months after the rest
    leader = world.a.users["leader"]
    with pytest.raises(ServiceError) as refused:
        selectors.evaluation_for(leader, cohort=selectors.Cohort(team_id=world.a.other_team.pk, end=cohorts["index"]))
    # The month is named as its merged band (the lone person's month joins the empty months after it).
    assert refused.value.field == "end" and "fewer than 11 people in a group" in refused.value.reason
    assert later.strftime("%Y-%m") >= refused.value.reason.split("The month ")[1][:7]
    # Skipping the empty month in between does not help: the nearest month with anyone in it is compared.
    with pytest.raises(ServiceError):
        selectors.evaluation_for(leader, cohort=selectors.Cohort(team_id=world.a.other_team.pk,
                                                                 end=cohorts["index"] + dt.timedelta(days=35)))


def test_merged_bands_hold_zero_or_enough_people_in_each_group():
    import pandas as pd

    raw = pd.Series([1, 1, 2, 2, 5, 5, 9])
    groups = pd.Series(["peer", "comparison", "peer", "comparison", "peer", "peer", "comparison"])
    assert cohort_guard.merged_spans(raw, groups, 2) == [(1, 2), (3, 9)]  # band 9's one person joins 5
    assert cohort_guard.merged_spans(raw, groups, 1) == [(1, 1), (2, 2), (3, 5), (6, 9)]
    assert cohort_guard.merged_spans(raw, groups, 10) == [(1, 9)]
