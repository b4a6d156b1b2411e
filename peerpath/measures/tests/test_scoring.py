"""The scoring engine against the published rules, item by item, including missing and reverse items."""

from decimal import Decimal

import pytest

from peerpath.measures import scoring
from peerpath.measures.library import load_shipped, shipped_data, spec_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def specs(shipped):
    return {code: spec_for(instrument) for code, instrument in shipped.items()}


def answers(*values):
    return {i + 1: v for i, v in enumerate(values)}


def test_shipped_library_is_complete_and_loading_twice_changes_nothing(shipped):
    from peerpath.measures.models import Instrument, InstrumentItem, ResponseOption

    counts = (Instrument.objects.count(), InstrumentItem.objects.count(), ResponseOption.objects.count())
    assert load_shipped() == 5
    assert (Instrument.objects.count(), InstrumentItem.objects.count(), ResponseOption.objects.count()) == counts
    assert {c: i.items.count() for c, i in shipped.items()} == {"phq9": 9, "gad7": 7, "k10": 10, "qpr15": 15, "swemwbs": 7}
    assert shipped["phq9"].items.get(number=9).text.startswith("Thoughts that you would be better off dead")
    assert shipped["phq9"].items.get(number=9).text_es.startswith("Pensamientos de que estaría mejor muerto(a)")
    assert "No permission required" in shipped["phq9"].attribution
    assert not any(i.text or i.text_es for i in shipped["swemwbs"].items.all())  # licensed: scoring only
    assert shipped["swemwbs"].licence == "scoring_only"
    assert all(entry["citation"] for entry in shipped_data()["instruments"])


# ---------------------------------------------------------------- PHQ-9

@pytest.mark.parametrize(("total", "band"), [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"),
                                              (14, "Moderate"), (15, "Moderately severe"), (19, "Moderately severe"),
                                              (20, "Severe"), (27, "Severe")])
def test_phq9_bands_at_every_boundary(specs, total, band):
    values = [min(3, max(0, total - 3 * i)) for i in range(9)]  # fill items 1.. with 3s
    result = scoring.score(specs["phq9"], answers(*values))
    assert (result.total, result.band) == (Decimal(total), band)


@pytest.mark.parametrize("item", range(1, 10))
@pytest.mark.parametrize("value", [0, 1, 2, 3])
def test_phq9_each_item_adds_its_value(specs, item, value):
    base = {n: 1 for n in range(1, 10)}
    base[item] = value
    assert scoring.score(specs["phq9"], base).total == Decimal(8 + value)


def test_phq9_mixed_answers(specs):
    result = scoring.score(specs["phq9"], answers(3, 2, 1, 0, 3, 2, 1, 0, 0))
    assert (result.total, result.band, result.missing, result.prorated, result.safety) == (Decimal(12), "Moderate", 0, False, [])


def test_phq9_one_missing_item_is_prorated(specs):
    result = scoring.score(specs["phq9"], answers(2, 2, 2, 2, 2, 2, 2, 2, None))  # 16 × 9/8 = 18
    assert (result.total, result.band, result.missing, result.prorated) == (Decimal(18), "Moderately severe", 1, True)


def test_phq9_prorating_rounds_half_up(specs):
    result = scoring.score(specs["phq9"], answers(1, 1, 1, 1, 0, 0, 0, 0, None))  # 4 × 9/8 = 4.5 → 5
    assert (result.total, result.band) == (Decimal(5), "Mild")


def test_phq9_two_missing_items_are_prorated(specs):
    result = scoring.score(specs["phq9"], answers(2, 2, 2, 1, 1, 1, 1, None, None))  # 10 × 9/7 = 12.86 → 13
    assert result.total == Decimal(13)


def test_phq9_three_missing_items_give_no_score(specs):
    result = scoring.score(specs["phq9"], answers(3, 3, 3, 3, 3, 3, None, None, None))
    assert (result.total, result.band, result.missing, result.scored) == (None, "", 3, False)


@pytest.mark.parametrize(("item9", "fires"), [(0, False), (1, True), (2, True), (3, True), (None, False)])
def test_phq9_item9_safety_rule(specs, item9, fires):
    result = scoring.score(specs["phq9"], answers(0, 0, 0, 0, 0, 0, 0, 0, item9))
    assert bool(result.safety) is fires
    if fires:
        assert result.safety[0].item == 9


def test_phq9_safety_rule_fires_even_without_a_score(specs):
    result = scoring.score(specs["phq9"], answers(None, None, None, 0, 0, 0, 0, 0, 1))
    assert result.total is None and [r.item for r in result.safety] == [9]


@pytest.mark.parametrize(("given", "item"), [({1: 4}, 1), ({3: -1}, 3), ({2: True}, 2), ({10: 1}, 10), ({5: "2"}, 5)])
def test_phq9_refuses_answers_outside_the_options(specs, given, item):
    with pytest.raises(scoring.ScoringInputError) as err:
        scoring.score(specs["phq9"], given)
    assert err.value.item == item


# ---------------------------------------------------------------- GAD-7

@pytest.mark.parametrize(("total", "band"), [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"),
                                              (14, "Moderate"), (15, "Severe"), (21, "Severe")])
def test_gad7_bands(specs, total, band):
    values = [min(3, max(0, total - 3 * i)) for i in range(7)]
    result = scoring.score(specs["gad7"], answers(*values))
    assert (result.total, result.band) == (Decimal(total), band)


@pytest.mark.parametrize("item", range(1, 8))
def test_gad7_each_item_counts(specs, item):
    base = {n: 0 for n in range(1, 8)}
    base[item] = 3
    assert scoring.score(specs["gad7"], base).total == Decimal(3)


def test_gad7_missing_items(specs):
    one = scoring.score(specs["gad7"], answers(3, 2, 1, 1, 1, 1, None))  # 9 × 7/6 = 10.5 → 11
    assert (one.total, one.band, one.prorated) == (Decimal(11), "Moderate", True)
    two = scoring.score(specs["gad7"], answers(3, 2, 1, 1, 1, None, None))
    assert two.total is None and two.safety == []


# ---------------------------------------------------------------- K10

@pytest.mark.parametrize(("total", "band"), [(10, "Low"), (15, "Low"), (16, "Moderate"), (21, "Moderate"), (22, "High"),
                                              (29, "High"), (30, "Very high"), (50, "Very high")])
def test_k10_bands(specs, total, band):
    extra = total - 10
    values = [1 + min(4, max(0, extra - 4 * i)) for i in range(10)]
    result = scoring.score(specs["k10"], answers(*values))
    assert (result.total, result.band) == (Decimal(total), band)


@pytest.mark.parametrize("item", range(1, 11))
def test_k10_each_item_counts_from_one(specs, item):
    base = {n: 1 for n in range(1, 11)}
    base[item] = 5
    assert scoring.score(specs["k10"], base).total == Decimal(14)


def test_k10_one_missing_item_takes_the_mean_of_the_rest(specs):
    result = scoring.score(specs["k10"], answers(3, 3, 3, 3, 3, 3, 3, 3, 3, None))  # 27 + mean 3 = 30
    assert (result.total, result.band) == (Decimal(30), "Very high")
    assert scoring.score(specs["k10"], answers(3, 3, 3, 3, 3, 3, 3, 3, None, None)).total is None


def test_k10_refuses_zero(specs):
    with pytest.raises(scoring.ScoringInputError):
        scoring.score(specs["k10"], {1: 0})


# ---------------------------------------------------------------- QPR-15

def test_qpr15_sum_range_and_missing(specs):
    assert scoring.score(specs["qpr15"], {n: 0 for n in range(1, 16)}).total == Decimal(0)
    assert scoring.score(specs["qpr15"], {n: 4 for n in range(1, 16)}).total == Decimal(60)
    for item in range(1, 16):
        base = {n: 2 for n in range(1, 16)}
        base[item] = 4
        assert scoring.score(specs["qpr15"], base).total == Decimal(32)
    two_missing = {n: 3 for n in range(1, 14)}  # 39 × 15/13 = 45
    assert scoring.score(specs["qpr15"], two_missing).total == Decimal(45)
    assert scoring.score(specs["qpr15"], {n: 3 for n in range(1, 13)}).total is None


# ---------------------------------------------------------------- SWEMWBS (scoring only)

PUBLISHED_SWEMWBS = {7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75", 14: "15.32",
                     15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59", 21: "19.25",
                     22: "19.98", 23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03",
                     29: "26.02", 30: "27.03", 31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00"}


@pytest.mark.parametrize("raw", range(7, 36))
def test_swemwbs_raw_sum_converts_by_the_published_table(specs, raw):
    extra = raw - 7
    values = [1 + min(4, max(0, extra - 4 * i)) for i in range(7)]
    result = scoring.score(specs["swemwbs"], answers(*values))
    assert (result.raw, result.total) == (Decimal(raw), Decimal(PUBLISHED_SWEMWBS[raw]))


def test_swemwbs_needs_every_item(specs):
    assert scoring.score(specs["swemwbs"], answers(5, 5, 5, 5, 5, 5, None)).total is None


# ---------------------------------------------------------------- a custom instrument: reverse items, subscales, mean

CUSTOM = scoring.InstrumentSpec(
    code="custom",
    items=(scoring.ItemSpec(1, (1, 2, 3, 4, 5), subscale="a"), scoring.ItemSpec(2, (1, 2, 3, 4, 5), reverse=True, subscale="a"),
           scoring.ItemSpec(3, (1, 2, 3, 4, 5), subscale="b"), scoring.ItemSpec(4, (1, 2, 3, 4, 5), reverse=True, subscale="b")),
    max_missing=1,
    bands=(scoring.Band(Decimal(4), Decimal(11), "Low"), scoring.Band(Decimal(12), Decimal(20), "High")),
)


@pytest.mark.parametrize(("value", "scored_as"), [(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)])
def test_reverse_item_is_flipped_within_its_range(value, scored_as):
    result = scoring.score(CUSTOM, {1: 1, 2: value, 3: 1, 4: 5})  # 1 + flip + 1 + 1
    assert result.total == Decimal(3 + scored_as)


def test_custom_sum_subscales_and_band():
    result = scoring.score(CUSTOM, {1: 5, 2: 1, 3: 4, 4: 2})  # 5 + 5 + 4 + 4
    assert (result.total, result.band, result.subscales) == (Decimal(18), "High", {"a": "10", "b": "8"})


def test_custom_missing_item_prorates_total_but_drops_its_subscale():
    result = scoring.score(CUSTOM, {1: 5, 2: 1, 3: 4})  # 14 × 4/3 = 18.67 → 19
    assert (result.total, result.subscales, result.prorated) == (Decimal(19), {"a": "10"}, True)


def test_mean_method_uses_answered_items():
    spec = scoring.InstrumentSpec(code="m", items=CUSTOM.items, method=scoring.MEAN, max_missing=1)
    full = scoring.score(spec, {1: 5, 2: 1, 3: 4, 4: 2})
    assert (full.total, full.subscales) == (Decimal("4.50"), {"a": "5.00", "b": "4.00"})
    assert scoring.score(spec, {1: 5, 2: 1, 3: 4}).total == Decimal("4.67")
    assert scoring.score(spec, {1: 5, 2: 1}).total is None


def test_nothing_answered_is_not_a_score():
    assert scoring.score(CUSTOM, {}).total is None
