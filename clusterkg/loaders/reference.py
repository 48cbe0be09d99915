"""Real reference data -> graph: sources, countries, NUTS regions with cohesion
categories and GDP, ecosystems, emerging industries, KETs, ECEI labels, the
ECCP platform and the COSME calls.

`build_reference` reads the files into plain records (no graph needed, so
tests can compare it with the files); `load_reference` writes them with
MERGE on keys, so loading twice leaves identical counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.loaders import cohesion
from clusterkg.loaders.geometry import GEO_DIR, centroids
from clusterkg.loaders.nuts import read_nuts
from clusterkg.loaders.writer import merge_relationships, upsert_nodes
from clusterkg.schema import apply_schema
from clusterkg.validation import slug

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "data" / "taxonomy"


@dataclass
class RelationshipSet:
    rel_type: str
    source_label: str
    target_label: str
    records: list[dict[str, Any]]


@dataclass
class ReferenceData:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: list[RelationshipSet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_nodes(self, label: str, records: list[dict[str, Any]], source: str) -> None:
        self.nodes.setdefault(label, []).extend({**r, "source": source} for r in records)

    def add_relationships(
        self, rel_type: str, source_label: str, target_label: str, records: list[dict[str, Any]]
    ) -> None:
        self.relationships.append(RelationshipSet(rel_type, source_label, target_label, records))


def _csv(directory: Path, name: str) -> pd.DataFrame:
    path = directory / name
    if not path.is_file():
        raise ClusterKGError(f"reference file {path} is missing: reinstall clusterkg")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _number(text: str, kind: Callable[[str], Any] = int) -> Any:
    return kind(text) if text.strip() else None


def build_reference(directory: Path = REFERENCE_DIR, workbook: Path | None = None) -> ReferenceData:
    data = ReferenceData()

    sources = _csv(directory, "sources.csv")
    data.add_nodes("Source", [dict(row) for row in sources.to_dict("records")], "clusterkg")
    source_ids = set(sources.id)

    countries = _csv(directory, "countries.csv")
    country_rows = [
        {"code": r.code, "name": r.name, "eu_member": r.eu_member == "true"} for r in countries.itertuples()
    ]
    data.add_nodes("Country", country_rows, "eurostat-country-codes")
    eu_members = {r["code"] for r in country_rows if r["eu_member"]}

    _add_regions(data, directory, workbook, {r["code"] for r in country_rows}, eu_members)
    _add_taxonomies(data, directory)

    labels = _csv(directory, "ecei_cluster_excellence_labels.csv")
    data.add_nodes(
        "ExcellenceLabel",
        [
            {
                "id": r.label_level.lower(),
                "level": r.label_level.lower(),
                "name": r.label_title_as_in_source,
                "awarded_by": r.awarding_body_as_in_source,
                "condition": r.condition_summary_from_source,
                "url": r.source_url,
            }
            for r in labels.itertuples()
        ],
        "ecei-labels",
    )
    data.add_nodes(
        "Platform",
        [{"id": "eccp", "name": "European Cluster Collaboration Platform", "url": "https://clustercollaboration.eu"}],
        "eccp",
    )

    calls = _csv(directory, "calls.csv")
    rules = {r.call_id: r for r in _csv(directory, "call_rules.csv").itertuples()}
    data.add_nodes(
        "Call",
        [
            {
                **_call_rules(rules.get(r.id), source_ids),
                "id": r.id,
                "programme": r.programme,
                "title": r.title,
                "budget_eur": _number(r.budget_eur),
                "max_grant_eur": _number(r.max_grant_eur),
                "deadline": r.deadline or None,
                "duration_months": r.duration_months or None,
                "expected_grants": _number(r.expected_grants),
                "exchanges_target": _number(r.exchanges_target),
                "sme_share_min": _number(r.sme_share_min, float),
                "outside_community_share_min": _number(r.outside_community_share_min, float),
                "source_url": r.source_url,
                "source_note": r.source_note,
            }
            for r in calls.itertuples()
        ],
        "cosme-calls",
    )
    # What a call said, with the date it said it: a corrigendum adds a fact and supersedes the one it changed.
    facts = _csv(directory, "call_facts.csv")
    fact_rows = [
        {
            "id": f"{r.call_id}/{r.fact}/{r.stated_on}",
            "call_id": r.call_id,
            "fact": r.fact,
            "value": r.value,
            "stated_on": r.stated_on,
            "superseded_on": r.superseded_on or None,
            "source_url": r.source_url,
            "note": r.note,
            "fact_source": r.source,
        }
        for r in facts.itertuples()
    ]
    for row in fact_rows:
        data.nodes.setdefault("CallFact", []).append(
            {**{k: v for k, v in row.items() if k != "fact_source"}, "source": row["fact_source"]}
        )
    data.add_relationships(
        "STATED", "Call", "CallFact", [{"source": r["call_id"], "target": r["id"]} for r in fact_rows]
    )

    used = {record["source"] for records in data.nodes.values() for record in records} - {"clusterkg"}
    used |= {record["rules_source"] for record in data.nodes["Call"] if record.get("rules_source")}
    unknown = used - source_ids
    if unknown:
        raise ClusterKGError(f"sources.csv lacks the source ids {sorted(unknown)}")
    return data


def _categories_from_predecessors(
    regions: dict[str, dict[str, Any]],
    uncategorised: list[str],
    successors: dict[str, list[str]],
    gdp: cohesion.GdpSeries,
    official: dict[str, str],
) -> list[str]:
    """The 2021-2027 categories were decided on the regions of before (Decision (EU) 2021/1130, NUTS 2016): a NUTS 2024
    region that lies inside one earlier NUTS-2 region takes that region's category, recorded as `predecessor` with the
    region it came from; one made of parts of several earlier regions takes their category only where they all had
    the same (PT1D: PT16 and PT18, both less developed); where they differ it is left without one, and the note says so.
    (The successors are NUTS 2021 -> 2024; for the regions concerned, Portugal's, NUTS 2021 kept the 2016 codes.)"""
    predecessors: dict[str, set[str]] = {}
    for old, new_codes in successors.items():
        for new in new_codes:
            if len(old) == 4 and len(new) == 4:
                predecessors.setdefault(new, set()).add(old)
    notes = []
    for code in uncategorised:
        olds = sorted(predecessors.get(code, ()))
        categories = {}
        for old in olds:
            index = gdp.reference_index(old)
            categories[old] = official.get(old) or (cohesion.category_for_index(index) if index is not None else None)
        agreed = {categories[old] for old in olds}
        if olds and len(agreed) == 1 and None not in agreed:
            category = agreed.pop()
            index = gdp.reference_index(olds[0]) if len(olds) == 1 else None
            regions[code].update(
                category=category,
                category_source="predecessor",
                category_region="+".join(olds),
                category_index=index,
                category_derived=None if any(old in official for old in olds) else category,
            )
            where = f"lies inside {olds[0]}," if len(olds) == 1 else f"is made of parts of {' and '.join(olds)}, all"
            notes.append(
                f"cohesion: {code} {where} {category} in the decision's NUTS 2016 regions: it takes that category"
            )
        elif olds:
            parts = ", ".join(f"{old} ({categories[old] or 'unknown'})" for old in olds)
            notes.append(
                f"cohesion: {code} is made of parts of {parts}: its category is left unknown rather than guessed"
            )
        else:
            notes.append(f"cohesion: {code} has no earlier region in the NUTS changes: its category is left unknown")
    return notes


def _add_regions(
    data: ReferenceData, directory: Path, workbook: Path | None, countries: set[str], eu_members: set[str]
) -> None:
    nuts = read_nuts(workbook)
    missing = {r["country"] for r in nuts.regions} - countries
    if missing:
        raise ClusterKGError(f"countries.csv lacks the country codes {sorted(missing)} used by the NUTS workbook")
    regions = nuts.by_code()

    gdp = cohesion.read_gdp(
        directory / "gdp_per_head_pps_index_eu27_nuts2.csv", directory / "gdp_per_head_pps_nuts2.csv"
    )
    italy = {
        code: r["name"]
        for code, r in regions.items()
        if r["country"] == "IT" and r["level"] == 2 and not r["extra_regio"]
    }
    official = cohesion.read_official_italy(directory / "official_2021_2027_italy.csv", italy)
    official |= cohesion.read_official_by_code(directory / "official_2021_2027_portugal.csv")
    previous_period = cohesion.read_2014_2020(directory / "category_2014_2020_nuts2013.csv")

    for code, region in regions.items():
        if region["level"] != 2 or region["country"] not in eu_members or region["extra_regio"]:
            continue
        index = gdp.reference_index(code)
        derived = cohesion.category_for_index(index) if index is not None else None
        category = official.get(code) or derived
        region.update(
            category=category,
            category_source="official" if code in official else ("derived" if derived else None),
            category_region=code if category else None,
            category_index=index,
            category_derived=derived,
            category_2014_2020=previous_period.get(code),
        )
    uncategorised = sorted(
        c
        for c, r in regions.items()
        if r["level"] == 2 and r["country"] in eu_members and not r["extra_regio"] and not r.get("category")
    )
    if uncategorised:
        data.notes.append(
            f"cohesion: no 2015-2017 GDP series for {', '.join(uncategorised)} (NUTS 2024 regions new since the reference years)"
        )
        data.notes += _categories_from_predecessors(regions, uncategorised, nuts.successors, gdp, official)
    for region in regions.values():
        parent = regions.get(region["nuts"][:4])
        if region["level"] == 3 and parent is not None and parent.get("category"):
            for prop in ("category", "category_source", "category_region", "category_2014_2020"):
                region[prop] = parent.get(prop)
    for code, (lon, lat) in centroids().items():  # map centroids from the boundaries (levels 1-2; level 0 is a Country)
        if code in regions:
            regions[code].update(centroid_lon=lon, centroid_lat=lat)
    data.add_nodes("Region", list(regions.values()), "eurostat-nuts-2024")
    data.add_relationships(
        "PART_OF",
        "Region",
        "Country",
        [{"source": c, "target": r["country"]} for c, r in regions.items() if r["level"] == 1],
    )
    data.add_relationships(
        "PART_OF",
        "Region",
        "Region",
        [{"source": c, "target": c[:-1]} for c, r in regions.items() if r["level"] > 1 and c[:-1] in regions],
    )

    observations = []
    skipped = set()
    for (geo, year), (index, absolute) in sorted(gdp.values.items()):
        found = regions.get(geo)
        if found is None or found["level"] != 2:
            skipped.add(geo)
            continue
        observations.append(
            {"id": f"{geo}:{year}", "nuts": geo, "year": year, "pps_index_eu27": index, "pps_per_head": absolute}
        )
    data.add_nodes("GdpObservation", observations, "eurostat-nama-10r-2gdp")
    data.add_relationships(
        "HAS_GDP", "Region", "GdpObservation", [{"source": o["nuts"], "target": o["id"]} for o in observations]
    )
    data.notes.append(
        f"GDP: {len(observations)} NUTS-2 observations loaded; {len(skipped)} codes at country/NUTS-1/EU level not loaded as regional observations"
    )
    unmatched = sorted(set(official) - set(regions) - set(nuts.successors))  # earlier codes name their successors
    if unmatched:
        raise ClusterKGError(f"official categories name unknown regions {unmatched}")


def _add_taxonomies(data: ReferenceData, directory: Path) -> None:
    ecosystems = _csv(directory, "industrial_ecosystems_14.csv")
    aliases = _csv(directory, "ecosystem_aliases.csv")
    ids_by_order = dict(zip(aliases.order, aliases.id))
    rows = []
    for r in ecosystems.itertuples():
        ecosystem_id = ids_by_order.get(r.order)
        if ecosystem_id is None:
            raise ClusterKGError(
                f"ecosystem_aliases.csv has no id for ecosystem {r.order} '{r.ecosystem_name_as_in_source}'"
            )
        rows.append(
            {
                "id": ecosystem_id,
                "name": r.ecosystem_name_as_in_source,
                "order": int(r.order),
                "aliases": sorted(set(aliases[aliases.id == ecosystem_id].alias) - {r.ecosystem_name_as_in_source}),
            }
        )
    data.add_nodes("Ecosystem", rows, "eccp-typology")

    emerging = _csv(directory, "emerging_industries_10_eco2019.csv")
    data.add_nodes(
        "Competence",
        [
            {
                "id": f"ei-{slug(name)}",
                "name": name,
                "kind": "sector",
                "scheme": "emerging-industries-2019",
                "aliases": [],
            }
            for name in emerging.emerging_industry_as_in_source
        ],
        "eco-panorama-2019",
    )
    kets = _csv(directory, "key_enabling_technologies.csv")
    kets = kets[kets.ket_list_version == "2009/2012 six KETs"]
    data.add_nodes(
        "Competence",
        [
            {"id": f"ket-{slug(name)}", "name": name, "kind": "technology", "scheme": "ket-2009", "aliases": []}
            for name in kets.ket_as_in_source
        ],
        "kets-2009",
    )


def _call_rules(row: Any, source_ids: set[str]) -> dict[str, Any]:
    """A call's eligibility and consortium rules (call_rules.csv); empty where no source gives them."""
    if row is None:
        return {}
    return {
        "eligible_countries": [c for c in str(row.eligible_countries or "").split("|") if c],
        "consortium_min_members": _number(row.consortium_min_members),
        "consortium_min_countries": _number(row.consortium_min_countries),
        "consortium_min_less_developed_or_transition": _number(row.consortium_min_less_developed_or_transition),
        "eccp_registration_required": str(row.eccp_registration_required).strip().lower() == "true"
        if row.eccp_registration_required
        else None,
        "rules_source": row.source,
        "rules_note": row.note,
    }


ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass
class LoadSummary:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    stats: WriteStats = field(default_factory=WriteStats)
    notes: list[str] = field(default_factory=list)


def reference_digest() -> str:
    """A fingerprint of the shipped reference and taxonomy files (the journal's key for `load reference`)."""
    digest = hashlib.sha256()
    for path in sorted([*REFERENCE_DIR.iterdir(), *TAXONOMY_DIR.iterdir(), *GEO_DIR.iterdir()]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_reference(
    store: GraphStore,
    data: ReferenceData | None = None,
    progress: ProgressFactory | None = None,
    *,
    command: str = "clusterkg load reference",
) -> LoadSummary:
    """Write the reference data; nodes first, then the relationships between them, then the taxonomy.

    The schema is applied first: without the key indexes every relationship
    MATCH is a label scan (measured: 22 s instead of 0.3 s for this load).
    Recorded in the journal like any load; MERGE on keys makes a re-run safe.
    """
    from clusterkg.loaders import journal
    from clusterkg.loaders.pipeline import validate_directory, write_reports

    apply_schema(store)
    data = data or build_reference()
    summary = LoadSummary(notes=list(data.notes))
    rows = sum(len(r) for r in data.nodes.values()) + sum(len(r.records) for r in data.relationships)
    entry = journal.begin(
        store,
        "reference",
        [
            {
                "file": "clusterkg reference data",
                "sha256": reference_digest(),
                "rows": rows,
                "written": rows,
                "rejected": 0,
            }
        ],
        command,
    )
    for label, records in data.nodes.items():
        step = progress(f"{label} nodes", len(records)) if progress else None
        summary.stats += upsert_nodes(store, label, records, on_batch=step)
        summary.nodes[label] = len(records)
    for rel in data.relationships:
        step = (
            progress(f"{rel.source_label}-{rel.rel_type}->{rel.target_label}", len(rel.records)) if progress else None
        )
        summary.stats += merge_relationships(
            store, rel.rel_type, rel.source_label, rel.target_label, rel.records, on_batch=step
        )
        name = f"{rel.source_label}-{rel.rel_type}->{rel.target_label}"
        summary.relationships[name] = summary.relationships.get(name, 0) + len(rel.records)
    # The project's own taxonomy goes through the same loaders as user files.
    reports, context = validate_directory(store, TAXONOMY_DIR)
    for report in reports:
        if not report.ok:
            first = report.errors[0]
            raise ClusterKGError(
                f"the shipped taxonomy is invalid: {first.file} row {first.row}, {first.field}: {first.reason}"
            )
    write_reports(store, reports, context, kind="taxonomy", command=command, progress=progress, record=False)
    for report in reports:
        summary.stats += report.stats
        summary.nodes[f"{report.kind} (clusterkg taxonomy)"] = sum(f.valid for f in report.files)
    journal.finish(store, entry, journal.COMMITTED)
    store.checkpoint()
    return summary
