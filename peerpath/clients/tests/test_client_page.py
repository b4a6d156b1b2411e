import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_client_page_links_to_the_clients_service_use(world, login):
    page = login(world.a.users["peer"]).get(reverse("clients:client_detail", args=[world.a.client.pk]))

    assert page.status_code == 200
    assert reverse("outcomes:client_service_use", args=[world.a.client.pk]) in page.content.decode()


def test_client_page_links_to_the_clients_measures(world, login):
    page = login(world.a.users["clinician"]).get(reverse("clients:client_detail", args=[world.a.client.pk]))

    assert reverse("measures:client_measures", args=[world.a.client.pk]) in page.content.decode()
