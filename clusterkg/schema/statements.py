"""Every Cypher text built from the declared model, in one place.

Labels, relationship types, keys and property names come from
clusterkg.schema.model only; values are always parameters. These are the
statements that cannot be library files because there is one per label or
type: the loaders' batched MERGE and sync, the before-image and undo of a
load, the content hash, the analyst page's property counts, and the schema
version. `all_statements()` lists every one (with each label and type) for
the dialect checks; the static queries are the library files (clusterkg/queries).
"""

from __future__ import annotations

from collections.abc import Sequence

from clusterkg.schema.model import NODE_TYPES, REL_TYPES, node, relationship

SCHEMA_VERSION_READ = "MATCH (s:SchemaInfo {id: $id}) RETURN s.version AS version"
SCHEMA_VERSION_WRITE = "MERGE (s:SchemaInfo {id: $id}) SET s.version = $version, s.applied_at = $at"
# the graph's revision: a fresh token at every load's start and end (clusterkg.loaders.journal), which
# the API's response cache and ETags are keyed by
REVISION_READ = "MATCH (s:SchemaInfo {id: $id}) RETURN s.revision AS revision"
REVISION_WRITE = "MERGE (s:SchemaInfo {id: $id}) SET s.revision = $revision, s.changed_at = $at"
# what `clusterkg demo` loaded, and the revision it left: a later demo with nothing loaded since has nothing to do
DEMO_READ = "MATCH (s:SchemaInfo {id: $id}) RETURN s.scale AS scale, s.seed AS seed, s.revision AS revision"
DEMO_WRITE = (
    "MERGE (s:SchemaInfo {id: $id}) SET s.scale = $scale, s.seed = $seed, s.revision = $revision, s.changed_at = $at"
)
NOT_CONTENT = (
    "Load",
    "SchemaInfo",
    "ScoreProfile",
    "StaleProfile",
)  # the journal, the schema version, derived profiles
DERIVED_RELATIONSHIPS = (
    "HAS_PROFILE",
    "PROFILE_COVERS",
    "PROFILE_SEEKS",
)  # kept current by clusterkg.queries.vectors: not content
COUNT_NODES = "MATCH (n) RETURN count(n) AS c"
COUNT_BOOKKEEPING = "MATCH (n) WHERE n:Load OR n:SchemaInfo OR n:ScoreProfile OR n:StaleProfile RETURN count(n) AS c"
DERIVED_PROPERTIES = {"Competence": ("vector_slot",)}  # a competence's slot in the score vectors: the order it came in
COUNT_DERIVED_RELATIONSHIPS = "MATCH ()-[r:HAS_PROFILE|PROFILE_COVERS|PROFILE_SEEKS]->() RETURN count(r) AS c"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS c"


# -- loads -------------------------------------------------------------------------------


def _date_assignments(variable: str, dates: Sequence[str]) -> str:
    # Dates travel as ISO text and become Cypher dates here (date(null) is null on both engines).
    return "".join(f", {variable}.{p} = date(row.dates.{p})" for p in dates)


def node_upsert_statement(label: str, dates: Sequence[str] | None = None) -> str:
    """The MERGE of `label` rows; `dates` are the date properties the rows carry (default: all declared)."""
    declared = node(label)
    dates = declared.dates if dates is None else tuple(dates)
    if not dates:
        # flat rows (the key among the properties): the cheapest parameters to send
        return f"UNWIND $rows AS row MERGE (n:{label} {{{declared.key}: row.{declared.key}}}) SET n += row"
    return f"UNWIND $rows AS row MERGE (n:{label} {{{declared.key}: row.key}}) SET n += row.props" + _date_assignments(
        "n", dates
    )


def node_properties_statement(label: str) -> str:
    """The properties of the `label` nodes with the given keys (what a load is about to change)."""
    key = node(label).key
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key} AS k, properties(n) AS p"


def node_restore_statement(label: str) -> str:
    """Set `label` nodes' properties back to exactly a recorded map (dates as ISO text in row.dates)."""
    declared = node(label)
    return f"UNWIND $rows AS row MATCH (n:{label} {{{declared.key}: row.key}}) SET n = row.props" + _date_assignments(
        "n", declared.dates
    )


def node_delete_statement(label: str) -> str:
    return f"UNWIND $rows AS row MATCH (n:{label} {{{node(label).key}: row.key}}) DETACH DELETE n"


def _pattern(rel_type: str, anchor_label: str, other_label: str, outgoing: bool) -> str:
    rel = relationship(rel_type)
    sources, targets = (anchor_label, other_label) if outgoing else (other_label, anchor_label)
    if sources not in rel.sources or targets not in rel.targets:
        raise ValueError(f"{sources}-[:{rel_type}]->{targets} is not declared in clusterkg.schema")
    left, right = ("-", "->") if outgoing else ("<-", "-")
    return f"(a:{anchor_label} {{{node(anchor_label).key}: k}}){left}[r:{rel_type}]{right}(b:{other_label})"


def relationship_targets_statement(rel_type: str, anchor_label: str, other_label: str, *, outgoing: bool = True) -> str:
    """Each anchor's `rel_type` relationships to `other_label`: target key and properties."""
    pattern = _pattern(rel_type, anchor_label, other_label, outgoing)
    return f"UNWIND $keys AS k MATCH {pattern} RETURN k, b.{node(other_label).key} AS t, properties(r) AS p"


def relationship_clear_statement(rel_type: str, anchor_label: str, other_label: str, *, outgoing: bool = True) -> str:
    """Delete each listed anchor's `rel_type` relationships to `other_label` (an undo re-creates the recorded ones)."""
    return f"UNWIND $rows AS row WITH row.key AS k MATCH {_pattern(rel_type, anchor_label, other_label, outgoing)} DELETE r"


def relationship_merge_statement(rel_type: str, source_label: str, target_label: str, *, with_props: bool) -> str:
    rel = relationship(rel_type)
    if source_label not in rel.sources or target_label not in rel.targets:
        raise ValueError(f"{source_label}-[:{rel_type}]->{target_label} is not declared in clusterkg.schema")
    source_key, target_key = node(source_label).key, node(target_label).key
    text = (
        f"UNWIND $rows AS row MATCH (a:{source_label} {{{source_key}: row.source}}) "
        f"MATCH (b:{target_label} {{{target_key}: row.target}}) MERGE (a)-[r:{rel_type}]->(b)"
    )
    if not with_props:
        return text
    return text + " SET r += row.props" + _date_assignments("r", rel.dates)


def relationship_sync_statement(
    rel_type: str,
    anchor_label: str,
    other_label: str,
    *,
    outgoing: bool = True,
    with_props: bool = True,
    fresh: bool = False,
) -> str:
    """The sync statement; `fresh` anchors were created by this load, so nothing of theirs can be stale."""
    rel = relationship(rel_type)
    sources, targets = (anchor_label, other_label) if outgoing else (other_label, anchor_label)
    if sources not in rel.sources or targets not in rel.targets:
        raise ValueError(f"{sources}-[:{rel_type}]->{targets} is not declared in clusterkg.schema")
    anchor_key, other_key = node(anchor_label).key, node(other_label).key
    left, right = ("-", "->") if outgoing else ("<-", "-")
    # Without properties the targets travel as a plain list of keys: the
    # client inlines parameters as text, and nested maps cost 3x the time.
    target_ids = "[t IN row.targets | t.id]" if with_props else "row.targets"
    target_key = "t.id" if with_props else "t"
    remove_stale = (
        f"OPTIONAL MATCH (a){left}[old:{rel_type}]{right}(b:{other_label}) WHERE NOT b.{other_key} IN {target_ids} "
        "DELETE old WITH DISTINCT a, row "
    )
    text = (
        f"UNWIND $rows AS row MATCH (a:{anchor_label} {{{anchor_key}: row.anchor}}) "
        + (remove_stale if not fresh else "")
        + f"UNWIND row.targets AS t MATCH (b:{other_label} {{{other_key}: {target_key}}}) MERGE (a){left}[r:{rel_type}]{right}(b)"
    )
    if not with_props:
        return text
    return text + " SET r += t.props" + "".join(f", r.{p} = date(t.dates.{p})" for p in rel.dates)


# -- the content hash ----------------------------------------------------------------------


def node_page_statement(label: str) -> str:
    key = node(label).key
    return f"MATCH (n:{label}) WHERE n.{key} > $after RETURN n.{key} AS k, properties(n) AS p ORDER BY k LIMIT $limit"


def outgoing_statement(rel_type: str, source: str, target: str) -> str:
    # properties only for the types that declare some: parsing 200,000 empty maps costs seconds at scale s
    properties = "properties(r)" if relationship(rel_type).properties else "null"
    return (
        f"UNWIND $keys AS k MATCH (a:{source} {{{node(source).key}: k}})-[r:{rel_type}]->(b:{target}) "
        f"RETURN k AS a, b.{node(target).key} AS b, {properties} AS p"
    )


def content_statements() -> list[str]:
    """Every text this module sends (for the dialect checks)."""
    texts = [COUNT_NODES, COUNT_BOOKKEEPING, COUNT_RELATIONSHIPS, COUNT_DERIVED_RELATIONSHIPS]
    texts += [node_page_statement(n.label) for n in NODE_TYPES if n.label not in NOT_CONTENT]
    texts += [
        outgoing_statement(r.type, s, t)
        for r in REL_TYPES
        if r.type not in DERIVED_RELATIONSHIPS
        for s in r.sources
        for t in r.targets
    ]
    return texts


def label_counts_statement() -> str:
    """Nodes per declared label, each counted from the label alone (constant time on both engines, unlike a scan of every node)."""
    return "\nUNION ALL\n".join(
        f"MATCH (n:{n.label}) RETURN '{n.label}' AS label, count(n) AS count" for n in NODE_TYPES
    )


# -- the analyst page's schema panel ---------------------------------------------------------


def property_counts_statement(label: str) -> str:
    """How many `label` nodes there are, and how many have each declared property (count() of a property skips nulls)."""
    columns = "".join(f", count(n.{p}) AS {p}" for p in node(label).all_properties)
    return f"MATCH (n:{label}) RETURN count(n) AS total{columns}"


def relationship_property_counts_statement(rel_type: str) -> str:
    columns = "".join(f", count(r.{p}) AS {p}" for p in relationship(rel_type).properties)
    return f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS total{columns}"


def generated() -> list[tuple[str, str]]:
    """(name, text) of every statement built here, for every label and type of the model."""
    found = [
        ("schema version read", SCHEMA_VERSION_READ),
        ("schema version write", SCHEMA_VERSION_WRITE),
        ("revision read", REVISION_READ),
        ("revision write", REVISION_WRITE),
        ("demo read", DEMO_READ),
        ("demo write", DEMO_WRITE),
        ("label counts", label_counts_statement()),
    ]
    found += [(f"content hash {n}", text) for n, text in enumerate(content_statements())]
    for node_type in NODE_TYPES:
        label = node_type.label
        for dates in sorted({(), node_type.dates, *((d,) for d in node_type.dates)}):
            found.append((f"upsert {label} dates={','.join(dates)}", node_upsert_statement(label, dates)))
        found += [
            (f"properties {label}", node_properties_statement(label)),
            (f"restore {label}", node_restore_statement(label)),
            (f"delete {label}", node_delete_statement(label)),
            (f"property counts {label}", property_counts_statement(label)),
        ]
    for rel in REL_TYPES:
        found.append((f"property counts {rel.type}", relationship_property_counts_statement(rel.type)))
        for source in rel.sources:
            for target in rel.targets:
                for with_props in (False, True):
                    name = f"{source}-{rel.type}->{target}{' with props' if with_props else ''}"
                    found.append(
                        (f"merge {name}", relationship_merge_statement(rel.type, source, target, with_props=with_props))
                    )
                    for outgoing, anchor, other in ((True, source, target), (False, target, source)):
                        if not with_props:
                            found.append(
                                (
                                    f"targets {name} from {anchor}",
                                    relationship_targets_statement(rel.type, anchor, other, outgoing=outgoing),
                                )
                            )
                            found.append(
                                (
                                    f"clear {name} from {anchor}",
                                    relationship_clear_statement(rel.type, anchor, other, outgoing=outgoing),
                                )
                            )
                        for fresh in (False, True):
                            text = relationship_sync_statement(
                                rel.type, anchor, other, outgoing=outgoing, with_props=with_props, fresh=fresh
                            )
                            found.append((f"sync {name} from {anchor}{' fresh' if fresh else ''}", text))
    return found
