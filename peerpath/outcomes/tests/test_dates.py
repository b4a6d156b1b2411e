"""Every outcomes date has a domain (issue 10 point 12): 0050-12-18 is refused, and one already stored does not
break the organisation's evaluations."""

import datetime as dt

import pytest

from peerpath.core.exceptions import ServiceError
from peerpath.outcomes import services
from peerpath.outcomes.models import ComparisonEnrolment, ServiceEvent

pytestmark = pytest.mark.django_db


def test_comparison_enrolment_before_1900_is_refused_and_nothing_is_written(world):
    with pytest.raises(ServiceError) as excinfo:
        services.comparison_enrol(actor=world.a.users["leader"], client=world.a.unmatched_client,
                                  index_date=dt.date(50, 12, 18))
    assert excinfo.value.field == "index_date"
    assert not ComparisonEnrolment.objects.exists()


def test_api_refuses_ancient_dates_with_a_field_error(world, api_client):
    http = api_client(world.a.users["leader"])
    response = http.post("/api/v1/outcomes/comparison-enrolments",
                         {"client_id": world.a.unmatched_client.pk, "index_date": "0050-12-18"}, content_type="application/json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["index_date"]
    response = http.post("/api/v1/outcomes/service-events", {"client_id": world.a.client.pk, "kind": "emergency",
                         "occurred_on": "0001-01-01"}, content_type="application/json")
    assert response.status_code == 400
    assert not ServiceEvent.objects.exists()
    assert http.get("/api/v1/outcomes/evaluation", {"start": "0001-01-01"}).status_code == 400


def test_an_ancient_date_already_stored_does_not_break_the_evaluation(world, api_client, login):
    ComparisonEnrolment.objects.create(organisation=world.a.organisation, client=world.a.unmatched_client,
                                       index_date=dt.date(50, 12, 18))
    assert api_client(world.a.users["leader"]).get("/api/v1/outcomes/evaluation").status_code == 200
    assert login(world.a.users["leader"]).get("/outcomes/evaluation/", {"start": "0050-01-01"}).status_code == 400
