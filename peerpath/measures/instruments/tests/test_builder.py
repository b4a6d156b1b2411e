"""An admin builds an instrument without code, and adds licensed text to a scoring-only instrument."""

from decimal import Decimal

import pytest

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.instruments import services as instruments_services
from peerpath.measures.models import Administration, Instrument
from peerpath.measures.tests.factories import shipped

pytestmark = pytest.mark.django_db


def test_admin_builds_publishes_and_staff_score_a_custom_instrument(world, login):
    http = login(world.a.users["admin"])
    response = http.post("/measures/instruments/", {"code": "hope-check", "name": "Hope check", "scoring_method": "sum",
                                                    "max_missing": 0, "instructions": "In the last week:"})
    instrument = Instrument.objects.get(code="hope-check")
    assert instrument.organisation == world.a.organisation and not instrument.is_published
    assert response["Location"] == f"/measures/instruments/{instrument.pk}/"
    for value, label in ((0, "Not at all"), (1, "Somewhat"), (2, "Very much")):
        http.post(f"/measures/instruments/{instrument.pk}/add/option/", {"value": value, "label": label})
    http.post(f"/measures/instruments/{instrument.pk}/add/item/", {"text": "I feel hopeful", "subscale": "hope"})
    http.post(f"/measures/instruments/{instrument.pk}/add/item/", {"text": "I feel stuck", "reverse_scored": "on", "subscale": "hope"})
    http.post(f"/measures/instruments/{instrument.pk}/add/band/", {"low": 0, "high": 2, "label": "Low"})
    http.post(f"/measures/instruments/{instrument.pk}/add/band/", {"low": 3, "high": 4, "label": "High"})
    overlap = http.post(f"/measures/instruments/{instrument.pk}/add/band/", {"low": 2, "high": 3, "label": "Mid"})
    assert overlap.status_code == 400 and "must not overlap" in overlap.content.decode()
    http.post(f"/measures/instruments/{instrument.pk}/add/rule/", {"item_number": 2, "above": 1, "label": "Feels very stuck"})
    http.post(f"/measures/instruments/{instrument.pk}/publish/")
    instrument.refresh_from_db()
    assert (instrument.is_published, instrument.min_score, instrument.max_score) == (True, Decimal(0), Decimal(4))
    # A peer gives it: hopeful = 2, stuck = 0 (reversed: 2) → 4, High
    adm = administrations_services.administration_create(actor=world.a.users["peer"], client=world.a.client, instrument=instrument)
    done = administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm, answers={1: 2, 2: 0})
    assert (done.total_score, done.band, done.subscale_scores, done.safety_flag) == (Decimal(4), "High", {"hope": "4"}, False)
    adm2 = administrations_services.administration_create(actor=world.a.users["peer"], client=world.a.client, instrument=instrument)
    assert administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm2, answers={1: 0, 2: 2}).safety_flag
    # Published instruments are frozen; other organisations never see it.
    with pytest.raises(ServiceError):
        instruments_services.instrument_add_item(actor=world.a.users["admin"], instrument=instrument, text="More")
    assert instrument not in instruments_selectors.usable_instruments(world.b.organisation.pk)


def test_only_admins_build_and_shipped_instruments_are_read_only(world):
    with pytest.raises(NotAllowed):
        instruments_services.instrument_create(actor=world.a.users["leader"], code="x", name="X")
    with pytest.raises(NotAllowed):
        instruments_services.instrument_add_item(actor=world.a.users["admin"], instrument=shipped("phq9"), text="Extra")
    with pytest.raises(ServiceError) as err:
        instruments_services.instrument_create(actor=world.a.users["admin"], code="phq9", name="Mine")
    assert err.value.field == "code"
    with pytest.raises(ServiceError):
        instruments_services.instrument_publish(actor=world.a.users["admin"],
                                    instrument=instruments_services.instrument_create(actor=world.a.users["admin"], code="empty", name="E"))
    assert Instrument.objects.filter(organisation=world.a.organisation, is_published=True).count() == 0


def test_licensed_text_for_a_scoring_only_instrument_is_per_organisation(world, login):
    swemwbs = shipped("swemwbs")
    http = login(world.a.users["admin"])
    for n in range(1, 8):
        http.post(f"/measures/instruments/{swemwbs.pk}/items/{n}/text/", {"text": f"Licensed statement {n}"})
    assert swemwbs in instruments_selectors.usable_instruments(world.a.organisation.pk)
    assert swemwbs not in instruments_selectors.usable_instruments(world.b.organisation.pk)
    assert [q.text for q in instruments_selectors.questions(swemwbs, world.b.organisation.pk, "en")] == [""] * 7
    shipped_items = swemwbs.items.order_by("number").values_list("text", flat=True)
    assert list(shipped_items) == [""] * 7  # the shipped row is untouched
    adm = administrations_services.administration_create(actor=world.a.users["peer"], client=world.a.client, instrument=swemwbs)
    done = administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm, answers={n: 3 for n in range(1, 8)})
    assert (done.raw_score, done.total_score) == (Decimal(21), Decimal("19.25"))
    with pytest.raises(ServiceError):
        instruments_services.item_text_set(actor=world.a.users["admin"], item=shipped("phq9").items.get(number=1), text="Mine")
    assert Administration.objects.count() == 1
