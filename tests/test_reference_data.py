"""Reference data in the graph matches its source files.

Expected values are computed here from the files themselves (read with
openpyxl and csv, independently of the loader's pandas code), never typed in.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from statistics import mean

import openpyxl
import pytest

from clusterkg.loaders.nuts import workbook_path
from clusterkg.loaders.reference import REFERENCE_DIR, load_reference

EU_ONLY = "eu_member"


def _csv_rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _sheet_rows(sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(workbook_path(), read_only=True)
    rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
    book.close()
    return [r for r in rows if r and r[1]]


@pytest.fixture(scope="module")
def files():
    nuts = _sheet_rows("NUTS2024")
    statistical = _sheet_rows("Statistical Regions")
    regions = {str(r[1]).strip(): {"country": r[0], "level": int(r[3])} for r in nuts + statistical}
    index = defaultdict(dict)
    for row in _csv_rows("gdp_per_head_pps_index_eu27_nuts2.csv"):
        index[row["geo"]][int(row["time"])] = float(row["obs_value"])
    countries = _csv_rows("countries.csv")
    return {
        "regions": regions,
        "typologies": {str(r[1]).strip(): r for r in _sheet_rows("NUTS-3 Typologies")},
        "gdp_index": index,
        "countries": countries,
        "eu": {c["code"] for c in countries if c[EU_ONLY] == "true"},
    }


def _count(store, label: str) -> int:
    return store.read(f"MATCH (n:{label}) RETURN count(n) AS c").scalar()


def test_counts_equal_the_source_files(reference_store, files):
    assert _count(reference_store, "Region") == len(files["regions"])
    assert _count(reference_store, "Country") == len(files["countries"])
    assert _count(reference_store, "Ecosystem") == len(_csv_rows("industrial_ecosystems_14.csv")) == 14
    kets = [r for r in _csv_rows("key_enabling_technologies.csv") if r["ket_list_version"] == "2009/2012 six KETs"]
    emerging = _csv_rows("emerging_industries_10_eco2019.csv")
    with open(REFERENCE_DIR.parent / "taxonomy" / "competences.csv", newline="", encoding="utf-8") as handle:
        taxonomy = list(csv.DictReader(handle))
    assert _count(reference_store, "Competence") == len(kets) + len(emerging) + len(taxonomy)
    assert _count(reference_store, "ExcellenceLabel") == len(_csv_rows("ecei_cluster_excellence_labels.csv"))
    assert _count(reference_store, "Call") == len(_csv_rows("calls.csv"))
    assert _count(reference_store, "Source") == len(_csv_rows("sources.csv"))
    level2 = {c for c, r in files["regions"].items() if r["level"] == 2}
    observations = sum(len(years) for geo, years in files["gdp_index"].items() if geo in level2)
    assert _count(reference_store, "GdpObservation") == observations
    per_level = reference_store.read("MATCH (r:Region) RETURN r.level AS level, count(*) AS n ORDER BY level").rows
    expected = defaultdict(int)
    for r in files["regions"].values():
        expected[r["level"]] += 1
    assert {row["level"]: row["n"] for row in per_level} == dict(expected)


def test_hierarchy_every_region_reaches_its_country(reference_store, files):
    rows = reference_store.read(
        "MATCH (r:Region) OPTIONAL MATCH (r)-[:PART_OF*1..3]->(c:Country) RETURN r.nuts AS nuts, r.level AS level, c.code AS country"
    ).rows
    assert len(rows) == len(files["regions"])
    for row in rows:
        assert row["country"] == files["regions"][row["nuts"]]["country"], row
    # each region has exactly one parent, one level up
    bad = reference_store.read(
        "MATCH (r:Region)-[:PART_OF]->(p:Region) WHERE p.level <> r.level - 1 OR NOT r.nuts STARTS WITH p.nuts RETURN count(*) AS c"
    ).scalar()
    assert bad == 0


def test_derived_categories_follow_the_rule_on_the_eurostat_values(reference_store, files):
    rows = reference_store.read(
        "MATCH (r:Region) WHERE r.level = 2 AND r.category_derived IS NOT NULL "
        "RETURN r.nuts AS nuts, r.category_derived AS derived, r.category_index AS index, r.category AS category, r.category_source AS source"
    ).rows
    eu_level2 = {
        c
        for c, r in files["regions"].items()
        if r["level"] == 2 and r["country"] in files["eu"] and not c.endswith("Z")
    }
    with_series = {c for c in eu_level2 if all(y in files["gdp_index"].get(c, {}) for y in (2015, 2016, 2017))}
    assert {r["nuts"] for r in rows} == with_series
    for row in rows:
        average = mean(files["gdp_index"][row["nuts"]][y] for y in (2015, 2016, 2017))
        assert row["index"] == pytest.approx(average, abs=1e-3)
        expected = "less_developed" if average < 75 else "transition" if average < 100 else "more_developed"
        assert row["derived"] == expected, row
        if row["source"] == "derived":
            assert row["category"] == expected
    # outside the EU-27 there is no cohesion category
    outside = reference_store.read(
        "MATCH (r:Region) WHERE NOT r.country IN $eu AND r.category IS NOT NULL RETURN count(r) AS c",
        {"eu": sorted(files["eu"])},
    )
    assert outside.scalar() == 0


def test_the_official_italian_list_wins_over_the_derived_category(reference_store):
    official = {
        r["region_name_as_in_source"]: r["category_2021_2027_as_in_source"].split(" (")[0].replace(" ", "_")
        for r in _csv_rows("official_2021_2027_italy.csv")
    }
    rows = reference_store.read(
        "MATCH (r:Region) WHERE r.country = 'IT' AND r.level = 2 AND r.category_source = 'official' "
        "RETURN r.name AS name, r.category AS category, r.category_derived AS derived"
    ).rows
    assert len(rows) == len(official) == 21
    by_first_name = {r["name"].split("/")[0].replace("\u2019", "'"): r for r in rows}
    for name, category in official.items():
        match = next(r for n, r in by_first_name.items() if n.startswith(name.split("/")[0]))
        assert match["category"] == category, name
    # at least one region where the rule alone would have said otherwise (Basilicata)
    assert any(r["category"] != r["derived"] for r in rows)


def test_nuts3_regions_inherit_their_nuts2_category(reference_store):
    mismatched = reference_store.read(
        "MATCH (r3:Region)-[:PART_OF]->(r2:Region) WHERE r3.level = 3 AND r2.category IS NOT NULL "
        "AND (r3.category <> r2.category OR r3.category_region <> r2.category_region OR r3.category_source <> r2.category_source) "
        "RETURN count(*) AS c"
    ).scalar()
    inherited = reference_store.read(
        "MATCH (r3:Region)-[:PART_OF]->(r2:Region) WHERE r3.level = 3 AND r2.category IS NOT NULL RETURN count(*) AS c"
    ).scalar()
    assert mismatched == 0 and inherited > 1000


def test_nuts_2024_regions_inside_the_decisions_nuts_2016_regions_take_their_category(reference_store):
    """Decision (EU) 2021/1130 named NUTS 2016 regions: Portugal's NUTS 2024 regions take the category of the one(s) they
    lie in (PT1D is made of parts of PT16 and PT18, both less developed), and their NUTS-3 regions inherit it."""
    rows = reference_store.read(
        "MATCH (r:Region) WHERE r.nuts IN ['PT19', 'PT1A', 'PT1B', 'PT1C', 'PT1D', 'PT11'] "
        "RETURN r.nuts AS nuts, r.category AS category, r.category_source AS source, r.category_region AS decided_for"
    ).rows
    found = {r["nuts"]: (r["category"], r["source"], r["decided_for"]) for r in rows}
    assert found == {
        "PT19": ("less_developed", "predecessor", "PT16"),
        "PT1A": ("more_developed", "predecessor", "PT17"),
        "PT1B": ("more_developed", "predecessor", "PT17"),
        "PT1C": ("less_developed", "predecessor", "PT18"),
        "PT1D": ("less_developed", "predecessor", "PT16+PT18"),
        "PT11": ("less_developed", "official", "PT11"),
    }
    lisbon = reference_store.read(
        "MATCH (r:Region {nuts: 'PT1A0'}) RETURN r.category AS c, r.category_region AS d"
    ).rows
    assert lisbon == [{"c": "more_developed", "d": "PT17"}]


def test_2014_2020_category_only_where_the_code_is_identical(reference_store, files):
    previous = {
        r["nuts2_2013"]: r["category_2014_2020"].replace(" ", "_")
        for r in _csv_rows("category_2014_2020_nuts2013.csv")
        if r["category_2014_2020"]
    }
    rows = reference_store.read(
        "MATCH (r:Region) WHERE r.level = 2 AND r.category_2014_2020 IS NOT NULL RETURN r.nuts AS nuts, r.category_2014_2020 AS c"
    ).rows
    assert rows and all(previous[r["nuts"]] == r["c"] for r in rows)
    assert {r["nuts"] for r in rows} == set(previous) & {c for c, r in files["regions"].items() if r["level"] == 2}


def test_typologies_and_nuts_2021_aliases(reference_store, files):
    typologies = files["typologies"]
    rows = reference_store.read(
        "MATCH (r:Region) WHERE r.level = 3 AND r.urban_rural IS NOT NULL RETURN r.nuts AS nuts, r.urban_rural AS ur, r.coastal AS coastal"
    ).rows
    assert len(rows) == len(typologies)
    for row in rows:
        source = typologies[row["nuts"]]
        assert row["ur"] == source[3] and row["coastal"] == (source[4] == "coastal")
    # NUTS 2021 codes that changed resolve to their 2024 successors
    aliases = dict(
        (r["nuts"], r["aliases"])
        for r in reference_store.read(
            "MATCH (r:Region) WHERE size(r.aliases) > 0 RETURN r.nuts AS nuts, r.aliases AS aliases"
        ).rows
    )
    changes = _sheet_rows("NUTS2021- NUTS2024")
    code_changes = {str(r[2]): str(r[3]) for r in changes if r[2] and r[3] and r[2] != r[3]}
    assert code_changes, "the workbook lists code changes"
    for old, new in code_changes.items():
        assert old in aliases[new]
    assert "NL31" in aliases["NL35"]


def test_every_node_carries_a_known_source(reference_store):
    missing = reference_store.read(
        "MATCH (n) WHERE NOT n:SchemaInfo AND NOT n:Load AND n.source IS NULL RETURN count(n) AS c"
    ).scalar()
    unknown = reference_store.read(
        "MATCH (n) WHERE NOT n:SchemaInfo AND NOT n:Load AND NOT n:Source WITH DISTINCT n.source AS id "
        "OPTIONAL MATCH (s:Source {id: id}) WITH id, s WHERE s IS NULL RETURN collect(id) AS ids"
    ).scalar()
    assert missing == 0 and unknown == []


def test_calls_carry_the_seed_figures(reference_store):
    expected = {r["id"]: r for r in _csv_rows("calls.csv")}
    rows = reference_store.read(
        "MATCH (c:Call) RETURN c.id AS id, c.budget_eur AS budget, c.max_grant_eur AS max_grant, toString(c.deadline) AS deadline, c.sme_share_min AS sme"
    ).rows
    for row in rows:
        source = expected[row["id"]]
        assert row["deadline"] == source["deadline"]
        assert row["budget"] == (int(source["budget_eur"]) if source["budget_eur"] else None)
        assert row["sme"] == (float(source["sme_share_min"]) if source["sme_share_min"] else None)


def test_call_rules_are_on_the_call_nodes_with_their_source(reference_store):
    rules = {r["call_id"]: r for r in _csv_rows("call_rules.csv")}
    rows = reference_store.read(
        "MATCH (c:Call) OPTIONAL MATCH (s:Source {id: c.rules_source}) "
        "RETURN c.id AS id, c.eligible_countries AS countries, c.consortium_min_countries AS min_countries, "
        "c.consortium_min_less_developed_or_transition AS developing, s.id AS source"
    ).rows
    assert {r["id"] for r in rows} == set(rules)
    for row in rows:
        source = rules[row["id"]]
        assert row["countries"] == source["eligible_countries"].split("|")
        assert row["min_countries"] == (
            int(source["consortium_min_countries"]) if source["consortium_min_countries"] else None
        )
        assert row["developing"] == (
            int(source["consortium_min_less_developed_or_transition"])
            if source["consortium_min_less_developed_or_transition"]
            else None
        )
        assert row["source"] == source["source"], "the rules' source is a Source node"
    known = {r["code"] for r in reference_store.read("MATCH (c:Country) RETURN c.code AS code").rows}
    assert all(set(r["countries"]) <= known for r in rows)


def test_a_corrigendum_keeps_both_statements_with_their_dates(reference_store):
    facts = _csv_rows("call_facts.csv")
    rows = reference_store.read(
        "MATCH (c:Call)-[:STATED]->(f:CallFact) OPTIONAL MATCH (s:Source {id: f.source}) "
        "RETURN c.id AS call, f.fact AS fact, f.value AS value, toString(f.stated_on) AS stated, toString(f.superseded_on) AS superseded, s.id AS source"
    ).rows
    assert sorted(
        (r["call"], r["fact"], r["value"], r["stated"], r["superseded"] or "", r["source"]) for r in rows
    ) == sorted((f["call_id"], f["fact"], f["value"], f["stated_on"], f["superseded_on"], f["source"]) for f in facts)
    calls = {
        r["id"]: r
        for r in reference_store.read(
            "MATCH (c:Call) RETURN c.id AS id, c.exchanges_target AS target, c.max_grant_eur AS grant"
        ).rows
    }
    for fact in facts:  # what a call says now is the statement nothing superseded
        if fact["fact"] in ("exchanges_target", "max_grant_eur") and not fact["superseded_on"]:
            assert calls[fact["call_id"]]["target" if fact["fact"] == "exchanges_target" else "grant"] == int(
                fact["value"]
            )
    superseded = [f for f in facts if f["superseded_on"]]
    assert superseded and all(
        any(
            g["call_id"] == f["call_id"] and g["fact"] == f["fact"] and g["stated_on"] == f["superseded_on"]
            for g in facts
        )
        for f in superseded
    )


def _snapshot(store) -> tuple:
    labels = store.read("MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c ORDER BY l").rows
    rels = store.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c ORDER BY t").rows
    props = store.read("MATCH (n) RETURN sum(size(keys(n))) AS k").scalar()
    return labels, rels, props


def test_loading_twice_leaves_identical_counts(store, reference_data):
    load_reference(store, reference_data)
    first = _snapshot(store)
    stats = load_reference(store, reference_data).stats
    assert stats.nodes_created == 0 and stats.relationships_created == 0
    assert _snapshot(store) == first
