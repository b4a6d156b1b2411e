"""Checks of the shipped reference data files (``peerpath/implementation/reference/data/*.json``).

Pure pytest: reads the JSON files directly, no database. The counts are the published ones:
CFIR 2.0 has 48 constructs (8 + 7 + 11 + 13 + 9, the 13 being the 9 Individuals roles and 4
characteristics) and 19 subconstructs (Damschroder et al. 2022); the original CFIR has 39 constructs
including sub-constructs (Damschroder et al. 2009); ERIC has 73 strategies in 9 clusters (Powell et
al. 2015; Waltz et al. 2015); ORIC has 12 items, 5 change commitment + 7 change efficacy (Shea et al.
2014); AIM, IAM and FIM have 4 items each (Weiner et al. 2017)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
# The shared list sits beside the repository (shared/ next to the clone, as in CI).
ERIC_LIST = Path(__file__).resolve().parents[4].parent / "shared" / "docs" / "eric-strategies.txt"
FILES = {
    "cfir2": "cfir2", "cfir2009": "cfir2009", "crosswalk": "cfir_crosswalk", "eric": "eric",
    "strategy_matching": "barrier_strategy", "readiness_instruments": "readiness_instruments",
    "barrier_templates": "barrier_templates", "plan_checklist": "plan_checklist",
    "procurement_checklist": "procurement_checklist",
}


def load(name: str) -> dict[str, Any]:
    with (DATA / f"{name}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def rows(name: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = load(name)["rows"]
    return result


def cfir2_codes() -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in rows("cfir2")}


def eric_names() -> set[str]:
    return {r["name"] for r in rows("eric")}


def es_pairs(value: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Every (path, x, x_es) pair found anywhere in a row, nested lists and dicts included."""
    found: list[tuple[str, Any, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_es"):
                continue
            if f"{key}_es" in value:
                found.append((f"{path}.{key}", item, value[f"{key}_es"]))
            found.extend(es_pairs(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(es_pairs(item, f"{path}[{index}]"))
    return found


@pytest.mark.parametrize(("name", "dataset"), FILES.items())
def test_file_header_and_row_sources(name: str, dataset: str) -> None:
    raw = (DATA / f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # UTF-8, 2-space indent
    assert data["dataset"] == dataset
    assert data["version"]
    keys = [s["key"] for s in data["sources"]]
    assert len(keys) == len(set(keys))
    assert all(s["citation"] and s["licence"] for s in data["sources"])
    assert data["rows"]
    for row in data["rows"]:
        assert row["source"] in keys, (name, row)
    # every listed source is used by some row or named in a row note or the file note
    text = (json.dumps(data["rows"]) + data.get("note", "")).lower()
    assert [k for k in keys if k not in text] == []


# crosswalk and strategy_matching hold codes and explanatory notes only (no user-visible names or titles).
@pytest.mark.parametrize("name", [n for n in FILES if n not in ("crosswalk", "strategy_matching")])
def test_every_spanish_twin_is_filled(name: str) -> None:
    pairs = es_pairs(rows(name))
    assert pairs
    for path, english, spanish in pairs:
        if english is None or english == "" or english == []:
            continue
        if isinstance(english, list):
            assert isinstance(spanish, list) and len(spanish) == len(english) and all(spanish), (name, path)
        else:
            assert isinstance(spanish, str) and spanish.strip(), (name, path)
            assert spanish != english or len(english) < 12, (name, path, english)


def test_spanish_instrument_wording_is_declared_ours() -> None:
    note = load("readiness_instruments")["translation_note"]
    assert "Peerpath's own translation" in note and "validated Spanish version" in note


def test_cfir2_counts_follow_the_published_counting() -> None:
    kinds = Counter(r["kind"] for r in rows("cfir2"))
    # CFIR 2.0 counts the 9 Individuals roles and 4 characteristics among its 48 constructs.
    assert kinds["construct"] + kinds["role"] + kinds["characteristic"] == 48
    assert kinds["subconstruct"] == 19
    assert (kinds["role"], kinds["characteristic"]) == (9, 4)
    per_domain = Counter(r["domain"] for r in rows("cfir2") if r["kind"] != "subconstruct")
    assert per_domain == {"I": 8, "II": 7, "III": 11, "IV": 13, "V": 9}
    per_domain_sub = Counter(r["domain"] for r in rows("cfir2") if r["kind"] == "subconstruct")
    assert per_domain_sub == {"II": 3, "III": 10, "V": 6}


def test_cfir2_structure() -> None:
    codes = cfir2_codes()
    assert len(codes) == 67
    orders = [r["order"] for r in rows("cfir2")]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    seen: set[str] = set()
    for row in rows("cfir2"):
        assert row["code"].split(".")[0] == row["domain"]
        assert row["definition"] and row["name"]
        if row["kind"] == "subconstruct":
            assert row["parent"] in seen and codes[row["parent"]]["kind"] == "construct"  # parent loads first
            assert row["code"].startswith(row["parent"] + ".")
        else:
            assert row["parent"] is None
        if row["kind"] == "role":
            assert not row["ratable"] and row["code"].startswith("IV.A.")
        if row["kind"] == "characteristic":
            assert row["ratable"] and row["rated_per_role"] and row["code"].startswith("IV.B.")
        else:
            assert not row["rated_per_role"]
        seen.add(row["code"])
    assert [codes[f"IV.B.{i}"]["name"] for i in range(1, 5)] == ["Need", "Capability", "Opportunity", "Motivation"]
    assert [c for c, r in codes.items() if r["reverse_rated"]] == ["I.F"]
    for code in ("II.G.1", "III.A.3", "III.D.4", "III.J.3", "V.B.2", "V.F.1", "V.H.2"):
        assert codes[code]["kind"] == "subconstruct"


def test_cfir2009_has_the_39_published_constructs() -> None:
    data = rows("cfir2009")
    codes = [r["code"] for r in data]
    assert len(data) == 39 and len(set(codes)) == 39
    assert Counter(r["domain"] for r in data) == {"I": 8, "II": 4, "III": 14, "IV": 5, "V": 8}
    children = Counter(r["parent"] for r in data if r["parent"])
    assert children == {"III.D": 6, "III.E": 3, "V.B": 4}
    names = {r["code"]: r["name"] for r in data}
    assert names["III.D"] == "Implementation Climate" and names["III.E"] == "Readiness for Implementation"
    assert names["V.B"] == "Engaging" and names["V.D"] == "Reflecting & Evaluating"
    for row in data:
        if row["parent"]:
            assert row["parent"] in names


def test_crosswalk_covers_every_ratable_cfir2_row() -> None:
    new = cfir2_codes()
    old = {r["code"] for r in rows("cfir2009")}
    data = rows("crosswalk")
    ratable = {c for c, r in new.items() if r["ratable"]}
    assert [r["cfir2"] for r in data] == [c for c in new if c in ratable]
    for row in data:
        assert isinstance(row["cfir2009"], list)
        assert set(row["cfir2009"]) <= old, row
        assert len(row["cfir2009"]) == len(set(row["cfir2009"]))
        assert row["note"]
    assert next(r for r in data if r["cfir2"] == "I.A")["cfir2009"] == ["I.A"]


def test_eric_has_73_strategies_in_the_9_clusters_of_the_shared_list() -> None:
    if not ERIC_LIST.exists():
        pytest.skip(f"{ERIC_LIST} not found")
    listed = [line.rstrip("\n").split("\t") for line in ERIC_LIST.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    expected = {name: cluster for cluster, name in listed}
    data = rows("eric")
    assert len(data) == 73 and len(expected) == 73
    assert {r["name"]: r["cluster"] for r in data} == expected
    assert len({r["cluster"] for r in data}) == 9
    assert [r["number"] for r in data] == list(range(1, 74))
    assert [r["name"] for r in data] == sorted(expected, key=str.lower)  # alphabetical, as in Powell 2015
    by_name = {r["name"]: r for r in data}
    # numbers printed next to the strategies in Waltz 2015 Table 1
    for name, number in [("Access new funding", 1), ("Assess for readiness and identify barriers and facilitators", 4),
                         ("Facilitation", 33), ("Purposely reexamine the implementation", 56),
                         ("Use data warehousing techniques", 68)]:
        assert by_name[name]["number"] == number
    for row in data:
        assert row["definition"]
        for field in ("importance", "feasibility"):
            value = row[field]
            assert value is None or (isinstance(value, float) and 1 <= value <= 5), row
        assert row["quadrant"] in {"", "I", "II", "III", "IV"}
        if row["verified"]:
            assert row["importance"] is not None and row["feasibility"] is not None and row["quadrant"]
            assert row["source"] == "waltz2015"
        else:
            assert row["importance"] is None and row["feasibility"] is None
    readiness = by_name["Assess for readiness and identify barriers and facilitators"]
    assert (readiness["importance"], readiness["feasibility"], readiness["quadrant"]) == (4.60, 4.57, "I")


def test_strategy_matching_rows_point_at_real_constructs_and_strategies() -> None:
    names = eric_names()
    new = cfir2_codes()
    old = {r["code"] for r in rows("cfir2009")}
    data = rows("strategy_matching")
    assert len(data) >= 150
    seen = set()
    for row in data:
        assert (row["cfir2009"] is None) != (row["cfir2"] is None), row
        if row["cfir2009"]:
            assert row["cfir2009"] in old, row
        else:
            assert row["cfir2"] in new and new[row["cfir2"]]["ratable"], row
        assert row["strategy"] in names, row
        assert row["level"] in (1, 2)
        if row["endorsement"] is not None:
            assert 0.2 <= row["endorsement"] <= 1
            assert row["level"] == (1 if row["endorsement"] >= 0.5 else 2), row
            assert row["source"] == "waltz2019"
        assert row["note"] and len(row["note"]) <= 500
        key = (row["cfir2009"], row["cfir2"], row["strategy"])
        assert key not in seen, key
        seen.add(key)
    coverage = Counter(r["cfir2009"] for r in data if r["cfir2009"])
    assert {code for code in old if coverage[code] < 2} == set()
    reflecting = {r["strategy"]: r for r in data if r["cfir2009"] == "V.D" and r["endorsement"]}
    assert reflecting["Develop and implement tools for quality monitoring"]["endorsement"] == 0.6
    assert reflecting["Audit and provide feedback"]["level"] == 1


def test_peer_support_literature_rows_are_present() -> None:
    pairs = {(r["cfir2"], r["strategy"]) for r in rows("strategy_matching") if r["cfir2"]}
    for pair in [("III.A.3", "Revise professional roles"), ("IV.B.4", "Conduct educational meetings"),
                 ("IV.B.4", "Identify and prepare champions"), ("III.A.2", "Change record systems"),
                 ("III.C", "Organize clinician implementation team meetings"),
                 ("III.H", "Alter incentive/allowance structures"), ("III.D.3", "Provide clinical supervision"),
                 ("III.K", "Conduct ongoing training"), ("II.F", "Make billing easier"),
                 ("II.F", "Place innovation on fee for service lists/formularies"),
                 ("II.F", "Fund and contract for the clinical innovation"), ("II.F", "Access new funding")]:
        assert pair in pairs, pair


def test_readiness_instruments() -> None:
    data = {r["code"]: r for r in rows("readiness_instruments")}
    assert set(data) == {"oric", "aim", "iam", "fim"}
    oric = data["oric"]
    assert oric["scoring"] == "subscale_means" and oric["citation_key"] == "shea2014"
    assert len(oric["items"]) == 12
    subscales = Counter(item["subscale"] for item in oric["items"])
    assert subscales == {"change_commitment": 5, "change_efficacy": 7}
    assert [i["number"] for i in oric["items"] if i["subscale"] == "change_commitment"] == [2, 4, 6, 9, 11]
    assert {s["code"] for s in oric["subscales"]} == set(subscales)
    for code in ("aim", "iam", "fim"):
        assert len(data[code]["items"]) == 4 and data[code]["scoring"] == "mean"
        assert data[code]["citation_key"] == "weiner2017"
        assert data[code]["scale_labels"][0] == "Completely disagree"
        assert all(i["subscale"] is None for i in data[code]["items"])
    for instrument in data.values():
        assert (instrument["scale_min"], instrument["scale_max"]) == (1, 5)
        assert len(instrument["scale_labels"]) == len(instrument["scale_labels_es"]) == 5
        assert instrument["missing_rule"]["max_missing_per_subscale"] == 1
        assert [i["number"] for i in instrument["items"]] == list(range(1, len(instrument["items"]) + 1))
        for item in instrument["items"]:
            assert len(item["text"]) <= 300 and len(item["text_es"]) <= 300
            assert "this change" not in item["text"] and "[" not in item["text"]
    assert sum("peer support in our service" in i["text"] for i in oric["items"]) == 11
    assert data["aim"]["items"][0]["text"] == "Peer support in our service meets my approval."


@pytest.mark.parametrize("name", ["barrier_templates", "plan_checklist", "procurement_checklist"])
def test_templates_and_checklists_point_at_real_constructs_and_strategies(name: str) -> None:
    codes = cfir2_codes()
    names = eric_names()
    data = rows(name)
    keys = [r["key"] for r in data]
    assert len(keys) == len(set(keys))
    for row in data:
        assert row["cfir2"] in codes, row
        assert len(row["title"]) <= 200 and len(row["title_es"]) <= 200
        if "strategy" in row:
            assert row["strategy"] in names, row


def test_barrier_templates_cover_the_peer_support_findings() -> None:
    data = {r["key"]: r for r in rows("barrier_templates")}
    for key in ("role_unclear", "colleagues_beliefs", "excluded_from_meetings", "no_record_access", "no_recovery_culture",
                "unequal_pay", "no_understanding_supervisor", "no_training_non_peer", "no_funding_billing"):
        assert data[key]["kind"] == "barrier"
    for key in ("visible_leadership_support", "peers_speak_in_meetings", "peer_network_access",
                "psychologically_safe_culture"):
        assert data[key]["kind"] == "facilitator"
    assert set(Counter(r["kind"] for r in data.values())) == {"barrier", "facilitator"}


def test_checklist_sizes() -> None:
    assert len(rows("plan_checklist")) >= 9
    assert len(rows("procurement_checklist")) >= 10


def test_sources_document_lists_every_source_key() -> None:
    text = (DATA / "sources.md").read_text(encoding="utf-8")
    for name in FILES:
        for source in load(name)["sources"]:
            assert f"`{source['key']}`" in text, source["key"]
