"""The graph model (DESIGN.md §4), declared once.

Loaders, DDL and the query checks take labels, relationship types and
property names from here and nowhere else: no identifier in a Cypher text
ever comes from data.
"""

from __future__ import annotations

from clusterkg.schema.kinds import NodeType, RelType
from clusterkg.schema.process_model import PROCESS_NODE_TYPES, PROCESS_REL_TYPES

# Bump when the declared model changes in a way that needs `clusterkg db init`.
SCHEMA_VERSION = 8


NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Source",
        "id",
        "Where reference data comes from: title, publisher, URL, licence, trust level",
        ("title", "publisher", "url", "licence", "trust", "files", "note"),
    ),
    NodeType("Country", "code", "A country by its NUTS-0 code (EL for Greece)", ("name", "eu_member")),
    NodeType(
        "Region",
        "nuts",
        "A NUTS 2024 region (levels 1-3) or a statistical region of an EFTA/candidate country",
        (
            "name",
            "name_latin",
            "level",
            "country",
            "nomenclature",
            "aliases",
            "extra_regio",
            "category",
            "category_source",
            "category_region",
            "category_index",
            "category_derived",
            "category_2014_2020",
            "urban_rural",
            "coastal",
            "metropolitan",
            "metro_id",
            "border",
            "island",
            "mountain",
            "capital",
            "centroid_lon",
            "centroid_lat",
        ),
        indexed=("level", "country", "category"),
        fulltext=("name", "name_latin"),
    ),
    NodeType(
        "GdpObservation",
        "id",
        "GDP per head in PPS of one NUTS-2 region and year (Eurostat nama_10r_2gdp)",
        ("nuts", "year", "pps_index_eu27", "pps_per_head"),
        indexed=("nuts",),
    ),
    NodeType(
        "Cluster",
        "id",
        "A cluster organisation",
        (
            "name",
            "acronym",
            "website",
            "city",
            "founded",
            "members_total",
            "sme_members",
            "large_members",
            "research_members",
            "excellence_label",
            "description",
            "nuts",
            "nuts_source",
            "postcode",
            "country",
            "category",
            "ecosystems",
            "management_fte",
            "cluster_programme",
            "contact_name",
            "contact_email",
            "revision",
            "edited_fields",
            "pic",
            "vat",
            "name_key",
        ),
        indexed=("nuts", "country", "category", "excellence_label", "pic", "vat", "name_key"),
        fulltext=("name", "acronym", "description"),
    ),
    NodeType(
        "Organisation",
        "id",
        "A cluster member, exchange participant, event attendee or participant in EU projects (CORDIS)",
        (
            "name",
            "kind",
            "nuts",
            "nuts_source",
            "postcode",
            "country",
            "category",
            "ecosystems",
            "pic",
            "vat",
            "name_key",
            "short_name",
            "sme",
            "activity_type",
            "city",
            "website",
        ),
        indexed=("kind", "nuts", "country", "category", "pic", "vat", "name_key"),
        fulltext=("name",),
    ),
    NodeType(
        "Ecosystem",
        "id",
        "One of the 14 industrial ecosystems of the EU Industrial Strategy",
        ("name", "order", "aliases"),
    ),
    NodeType(
        "ValueChain",
        "id",
        "A value chain with ordered stages (clusterkg's own taxonomy, not an EU classification)",
        ("name", "stages", "taxonomy_version"),
    ),
    NodeType(
        "Competence",
        "id",
        "A technology, sector or service competence (vector_slot: derived, its place in the score vectors)",
        ("name", "kind", "scheme", "aliases", "vector_slot"),
        indexed=("kind",),
        fulltext=("name",),
    ),
    NodeType(
        "ExcellenceLabel",
        "id",
        "An ECEI cluster management excellence label (bronze, silver, gold)",
        ("name", "level", "awarded_by", "condition", "url"),
    ),
    NodeType(
        "Partnership",
        "id",
        "A European Strategic Cluster Partnership or Eurocluster",
        ("name", "acronym", "kind", "start", "end", "eu_grant_eur"),
        indexed=("kind",),
        dates=("start", "end"),
    ),
    NodeType(
        "Call",
        "id",
        "A funding call (e.g. COSME COS-CLUSTER-2020-3-03)",
        (
            "programme",
            "title",
            "budget_eur",
            "max_grant_eur",
            "deadline",
            "expected_grants",
            "exchanges_target",
            "sme_share_min",
            "outside_community_share_min",
            "source_url",
            "source_note",
            "eligible_countries",
            "consortium_min_members",
            "consortium_min_countries",
            "consortium_min_less_developed_or_transition",
            "eccp_registration_required",
            "rules_source",
            "rules_note",
            "duration_months",
        ),
        dates=("deadline",),
    ),
    NodeType(
        "CallFact",
        "id",
        "What a call stated, and when: a corrigendum adds a fact and dates the one it supersedes",
        ("call_id", "fact", "value", "stated_on", "superseded_on", "source_url", "note"),
        dates=("stated_on", "superseded_on"),
    ),
    NodeType("Platform", "id", "A registration platform (the ECCP)", ("name", "url")),
    NodeType(
        "Exchange",
        "id",
        "A ClusterXchange short-term mobility exchange",
        (
            "start",
            "end",
            "days",
            "status",
            "topic",
            "cross_border",
            "call_id",
            "match_id",
            "report",
            "reported_at",
            "cancelled_reason",
            "revision",
        ),
        indexed=("status",),
        dates=("start", "end"),
    ),
    NodeType(
        "Event",
        "id",
        "A networking event with B2B meetings",
        ("name", "start", "end", "city", "nuts", "nuts_source", "postcode", "country", "category", "organiser"),
        indexed=("start",),
        dates=("start", "end"),
    ),
    NodeType(
        "Meeting",
        "id",
        "A B2B meeting that took place (or was scheduled) at an event: who met whom, when",
        ("event_id", "slot", "time", "table", "score", "reasons", "request_id", "fixed"),
        indexed=("event_id",),
    ),
    NodeType(
        "Project",
        "id",
        "An EU research and innovation project (FP7, Horizon 2020, Horizon Europe) as CORDIS records it",
        (
            "acronym",
            "title",
            "status",
            "programme",
            "funding_scheme",
            "legal_basis",
            "call",
            "start",
            "end",
            "total_cost",
            "ec_contribution",
            "topics",
            "scivoc",
        ),
        indexed=("programme",),
        fulltext=("acronym", "title"),
        dates=("start", "end"),
    ),
    NodeType(
        "Load",
        "id",
        "The journal of loads: one per kind and set of files, recorded before the first write and committed after the last",
        (
            "kind",
            "status",
            "command",
            "files",
            "sha256",
            "rows",
            "written",
            "rejected",
            "started_at",
            "committed_at",
            "error",
            "pid",
            "host",
        ),
        indexed=("status",),
    ),
    *PROCESS_NODE_TYPES,
    NodeType(
        "SchemaInfo",
        "id",
        "The schema version applied by `clusterkg db init`; the graph's revision (a token every load renews); what `demo` loaded;"
        " the competence slots of the score vectors",
        (
            "version",
            "applied_at",
            "revision",
            "changed_at",
            "scale",
            "seed",
            "slots",
            "norm",
            "signature",
            "organisations",
            "profiles",
        ),
    ),
    NodeType(
        "ScoreProfile",
        "id",
        "Derived, not content: one distinct partner-search profile of organisations (what they offer and seek) with what"
        " the score needs precomputed (covered competences, stages) and its vector for the engine's vector index"
        " (clusterkg.queries.vectors keeps it current); id spells the competence slots",
        (
            "vector",
            "offers",
            "seeks",
            "covers",
            "stage_chains",
            "stage_indexes",
            "members",
            "first_members",
            "first_until",
            "stale",
            "recount",
        ),
        indexed=("stale", "recount"),
    ),
    NodeType(
        "StaleProfile",
        "id",
        "Derived, not content: an organisation whose offers or seeks changed since its ScoreProfile was assigned (id is"
        " the organisation's); written before the change, removed by the refresh",
    ),
)

REL_TYPES: tuple[RelType, ...] = (
    RelType(
        "PART_OF",
        ("Region", "ValueChain"),
        ("Region", "Country", "Ecosystem"),
        "NUTS hierarchy; value chain within an ecosystem",
    ),
    RelType("HAS_GDP", ("Region",), ("GdpObservation",), "Eurostat GDP per head observation of a NUTS-2 region"),
    RelType(
        "LOCATED_IN", ("Cluster", "Organisation", "Event"), ("Region",), "Where a cluster, organisation or event is"
    ),
    RelType(
        "REGISTERED_ON",
        ("Cluster",),
        ("Platform",),
        "ECCP registration",
        ("profile_id", "since", "updated"),
        ("since", "updated"),
    ),
    RelType("MEMBER_OF", ("Organisation",), ("Cluster",), "Cluster membership", ("since",), ("since",)),
    RelType(
        "HAS_PROFILE",
        ("Organisation",),
        ("ScoreProfile",),
        "Derived, not content: the organisation's partner-search profile (clusterkg.queries.vectors)",
    ),
    RelType(
        "PROFILE_COVERS",
        ("ScoreProfile",),
        ("Competence",),
        "Derived, not content: a competence the profile covers (offered, or broader up to 3 BROADER steps)",
    ),
    RelType(
        "PROFILE_SEEKS", ("ScoreProfile",), ("Competence",), "Derived, not content: a competence the profile seeks"
    ),
    RelType(
        "OFFERS", ("Cluster", "Organisation", "Posting"), ("Competence",), "A competence offered (an OFFER posting's)"
    ),
    RelType(
        "SEEKS", ("Cluster", "Organisation", "Posting"), ("Competence",), "A competence sought (a request posting's)"
    ),
    RelType("ACTIVE_IN", ("Cluster",), ("Ecosystem",), "Ecosystems a cluster works in"),
    RelType(
        "IN_STAGE",
        ("Competence",),
        ("ValueChain",),
        "Where a competence sits in a value chain",
        ("stage", "stage_index"),
    ),
    RelType("BROADER", ("Competence",), ("Competence",), "Competence hierarchy: narrower -> broader"),
    RelType("PARTNER_IN", ("Cluster",), ("Partnership",), "Membership of a partnership", ("role",)),
    RelType("FUNDED_BY", ("Partnership",), ("Call",), "The call that funded a partnership"),
    RelType("STATED", ("Call",), ("CallFact",), "A dated fact of a call (call_facts.csv)"),
    RelType("PARTICIPANT", ("Exchange", "Application"), ("Organisation",), "Who travelled (or applies to)"),
    RelType("SENT_BY", ("Exchange", "Application"), ("Cluster",), "The sending cluster"),
    RelType("HOSTED_BY", ("Exchange", "HostOffer"), ("Cluster",), "The host cluster"),
    RelType("UNDER", ("Exchange",), ("Partnership",), "The partnership an exchange ran under"),
    RelType(
        "ATTENDS", ("Organisation", "Cluster"), ("Event",), "Event attendance", ("role", "offers", "seeks", "slots")
    ),
    RelType("BETWEEN", ("Meeting",), ("Organisation", "Cluster"), "The two parties of a meeting"),
    RelType("AT", ("Meeting",), ("Event",), "The event a meeting was part of"),
    RelType("HOLDS_LABEL", ("Cluster",), ("ExcellenceLabel",), "A cluster's ECEI label"),
    RelType(
        "PARTICIPATED_IN",
        ("Organisation", "Cluster"),
        ("Project",),
        "Took part in an EU project (CORDIS): role, order, EU contribution",
        ("role", "order", "ec_contribution", "net_ec_contribution", "total_cost", "ended"),
    ),
    RelType(
        "WORKED_WITH",
        ("Organisation", "Cluster"),
        ("Organisation", "Cluster"),
        "Took part in the same EU projects: projects (how many), via (participants, or members for two clusters);"
        " one per pair, from the smaller id to the larger",
        ("projects", "via"),
    ),
    *PROCESS_REL_TYPES,
)

NODES: dict[str, NodeType] = {n.label: n for n in NODE_TYPES}
RELATIONSHIPS: dict[str, RelType] = {r.type: r for r in REL_TYPES}


def node(label: str) -> NodeType:
    """The declared node type; a KeyError here is a programming error, not user input."""
    return NODES[label]


def relationship(rel_type: str) -> RelType:
    return RELATIONSHIPS[rel_type]


def property_keys() -> set[str]:
    keys: set[str] = set()
    for n in NODE_TYPES:
        keys.update(n.all_properties)
    for r in REL_TYPES:
        keys.update(r.properties)
    return keys
