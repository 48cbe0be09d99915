"""Composable filters and sorts: a typed `where` and `sort` per type, compiled to one parameterised Cypher query.

A front-end writes `{OR: [{region: {category: {eq: LESS_DEVELOPED}}}, {country: {eq: "DE"}}]}` and
`[{members: DESC}]`; this module turns it into one read query. Identifiers in the text (labels,
properties, relationship patterns) come only from TYPES below, each checked against the graph
model; every value is a parameter. What it compiles:

  AND / OR / NOT               nested to MAX_DEPTH levels
  eq, in                       strings, numbers, dates, booleans, enumerations
  contains, startsWith         strings (contains is case-insensitive and literal: no patterns)
  gt, gte, lt, lte             numbers and dates
  <relation>: {some, none}     a related node matches (or none does): `size([(n)-[..]-(x) WHERE .. | 1])`,
                               projected in a WITH (FalkorDB takes pattern comprehensions there, not in a
                               WHERE), one level deep (not a relation inside a relation's filter)
  sort by fields and by related counts, nulls last, then by key (a stable order)

An equality on an indexed property at the top level is a WHERE the planners answer from the index
(tests/test_where.py checks the plans on both engines); the other operators scan the label, bounded
by the API's time and cost limits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from clusterkg.errors import FieldErrors
from clusterkg.schema.model import NODES

Kind = Literal["string", "int", "float", "date", "boolean"]
MAX_DEPTH = 6
MAX_IN = 1_000
OPERATORS: dict[Kind, tuple[str, ...]] = {
    "string": ("eq", "in", "contains", "startsWith"),
    "int": ("eq", "in", "gt", "gte", "lt", "lte"),
    "float": ("eq", "in", "gt", "gte", "lt", "lte"),
    "date": ("eq", "gt", "gte", "lt", "lte"),
    "boolean": ("eq",),
}
COMPARE = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
PATTERN = re.compile(r"\.\*|\.\+|\\[dwsbDWS.]|\(\?|\[\^?[^\]]*-[^\]]*\]|^\^|\$$")


@dataclass(frozen=True)
class Field:
    prop: str
    kind: Kind
    lowered: bool = False  # values are compared in lower case (enumerations the API spells in capitals)


@dataclass(frozen=True)
class Relation:
    pattern: str  # with {n} (the node filtered) and {x} (the related node)
    target: str


@dataclass(frozen=True)
class TypeSpec:
    label: str
    key: str
    fields: dict[str, Field]
    nested: dict[str, dict[str, Field]] = field(default_factory=dict)  # region: {category: ...} on the node itself
    relations: dict[str, Relation] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)  # sort keys by related counts: a pattern with {n}
    facets: dict[str, str] = field(default_factory=dict)  # aggregate "count by": API name -> property


def _place() -> dict[str, Field]:
    return {
        "category": Field("category", "string", lowered=True),
        "nuts": Field("nuts", "string"),
        "country": Field("country", "string"),
    }


TYPES: dict[str, TypeSpec] = {
    "Cluster": TypeSpec(
        "Cluster",
        "id",
        {
            "id": Field("id", "string"),
            "name": Field("name", "string"),
            "acronym": Field("acronym", "string"),
            "country": Field("country", "string"),
            "nuts": Field("nuts", "string"),
            "city": Field("city", "string"),
            "excellenceLabel": Field("excellence_label", "string", lowered=True),
            "founded": Field("founded", "int"),
            "membersTotal": Field("members_total", "int"),
            "smeMembers": Field("sme_members", "int"),
            "managementFte": Field("management_fte", "float"),
            "synthetic": Field("synthetic", "boolean"),
        },
        nested={"region": _place()},
        relations={
            "members": Relation("({n})<-[:MEMBER_OF]-({x}:Organisation)", "Organisation"),
            "partnerships": Relation("({n})-[:PARTNER_IN]->({x}:Partnership)", "Partnership"),
            "offers": Relation("({n})-[:OFFERS]->({x}:Competence)", "Competence"),
            "seeks": Relation("({n})-[:SEEKS]->({x}:Competence)", "Competence"),
            "ecosystems": Relation("({n})-[:ACTIVE_IN]->({x}:Ecosystem)", "Ecosystem"),
            "postings": Relation("({n})<-[:POSTED_BY]-({x}:Posting)", "Posting"),
        },
        counts={
            "members": "({n})<-[:MEMBER_OF]-(:Organisation)",
            "partnerships": "({n})-[:PARTNER_IN]->(:Partnership)",
            "exchanges": "({n})<-[:SENT_BY|HOSTED_BY]-(:Exchange)",
            "projects": "({n})-[:PARTICIPATED_IN]->(:Project)",
        },
        facets={"country": "country", "category": "category", "excellenceLabel": "excellence_label"},
    ),
    "Organisation": TypeSpec(
        "Organisation",
        "id",
        {
            "id": Field("id", "string"),
            "name": Field("name", "string"),
            "kind": Field("kind", "string", lowered=True),
            "country": Field("country", "string"),
            "nuts": Field("nuts", "string"),
            "synthetic": Field("synthetic", "boolean"),
        },
        nested={"region": _place()},
        relations={
            "clusters": Relation("({n})-[:MEMBER_OF]->({x}:Cluster)", "Cluster"),
            "projects": Relation("({n})-[:PARTICIPATED_IN]->({x}:Project)", "Project"),
            "offers": Relation("({n})-[:OFFERS]->({x}:Competence)", "Competence"),
        },
        counts={
            "clusters": "({n})-[:MEMBER_OF]->(:Cluster)",
            "projects": "({n})-[:PARTICIPATED_IN]->(:Project)",
            "partners": "({n})-[:WORKED_WITH]-()",
        },
        facets={"kind": "kind", "country": "country", "category": "category"},
    ),
    "Region": TypeSpec(
        "Region",
        "nuts",
        {
            "nuts": Field("nuts", "string"),
            "name": Field("name", "string"),
            "level": Field("level", "int"),
            "country": Field("country", "string"),
            "category": Field("category", "string", lowered=True),
        },
        relations={"clusters": Relation("({n})<-[:LOCATED_IN]-({x}:Cluster)", "Cluster")},
        counts={"clusters": "({n})<-[:LOCATED_IN]-(:Cluster)"},
        facets={"country": "country", "category": "category", "level": "level"},
    ),
    "Partnership": TypeSpec(
        "Partnership",
        "id",
        {
            "id": Field("id", "string"),
            "name": Field("name", "string"),
            "acronym": Field("acronym", "string"),
            "kind": Field("kind", "string"),
            "start": Field("start", "date"),
            "end": Field("end", "date"),
            "euGrantEur": Field("eu_grant_eur", "float"),
        },
        relations={"partners": Relation("({n})<-[:PARTNER_IN]-({x}:Cluster)", "Cluster")},
        counts={"partners": "({n})<-[:PARTNER_IN]-(:Cluster)", "exchanges": "({n})<-[:UNDER]-(:Exchange)"},
        facets={"kind": "kind"},
    ),
    "Exchange": TypeSpec(
        "Exchange",
        "id",
        {
            "id": Field("id", "string"),
            "status": Field("status", "string", lowered=True),
            "start": Field("start", "date"),
            "end": Field("end", "date"),
            "days": Field("days", "int"),
            "topic": Field("topic", "string"),
            "callId": Field("call_id", "string"),
        },
        relations={
            "sender": Relation("({n})-[:SENT_BY]->({x}:Cluster)", "Cluster"),
            "host": Relation("({n})-[:HOSTED_BY]->({x}:Cluster)", "Cluster"),
            "participant": Relation("({n})-[:PARTICIPANT]->({x}:Organisation)", "Organisation"),
        },
        facets={"status": "status"},
    ),
    "Competence": TypeSpec(
        "Competence",
        "id",
        {"id": Field("id", "string"), "name": Field("name", "string"), "kind": Field("kind", "string")},
    ),
    "Ecosystem": TypeSpec("Ecosystem", "id", {"id": Field("id", "string"), "name": Field("name", "string")}),
    "Project": TypeSpec(
        "Project",
        "id",
        {
            "id": Field("id", "string"),
            "acronym": Field("acronym", "string"),
            "title": Field("title", "string"),
            "programme": Field("programme", "string"),
            "status": Field("status", "string"),
            "start": Field("start", "date"),
            "end": Field("end", "date"),
            "totalCost": Field("total_cost", "float"),
            "ecContribution": Field("ec_contribution", "float"),
        },
        relations={"participants": Relation("({n})<-[:PARTICIPATED_IN]-({x}:Organisation)", "Organisation")},
        counts={"participants": "({n})<-[:PARTICIPATED_IN]-()"},
        facets={"programme": "programme", "status": "status"},
    ),
    "Posting": TypeSpec(
        "Posting",
        "id",
        {
            "id": Field("id", "string"),
            "kind": Field("kind", "string"),
            "status": Field("status", "string"),
            "title": Field("title", "string"),
            "deadline": Field("deadline", "string"),
        },
    ),
}


def check_model() -> list[str]:
    """Every label and property named above is in the graph model: what the tests assert."""
    problems = []
    for name, spec in TYPES.items():
        node = NODES.get(spec.label)
        if node is None:
            problems.append(f"{name}: no label {spec.label}")
            continue
        props = set(node.all_properties)
        for group in (spec.fields, *spec.nested.values()):
            problems += [f"{name}.{api}: no property {f.prop}" for api, f in group.items() if f.prop not in props]
    return problems


@dataclass
class Compiled:
    text: str
    params: dict[str, Any]


class _Compiler:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.hoisted: list[str] = []  # relation counts, projected in a WITH before the WHERE that reads them
        self.in_relation = False

    def param(self, value: Any) -> str:
        name = f"w{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def top(self, spec: TypeSpec, where: dict[str, Any]) -> tuple[str, str]:
        """The top-level conditions split in two: those the MATCH's WHERE can answer (indexes), and those that read
        relation counts (projected first: FalkorDB takes a pattern comprehension in a WITH, not in a WHERE)."""
        if not isinstance(where, dict):
            raise FieldErrors({"where": "must be an object of fields"})
        early: list[str] = []
        late: list[str] = []
        for key, value in where.items():
            if value is None:
                continue
            before = len(self.hoisted)
            part = self.where(spec, "n", {key: value}, "where", 0)
            (late if len(self.hoisted) > before else early).append(part)
        return " AND ".join(early) or "true", " AND ".join(late) or "true"

    def where(self, spec: TypeSpec, var: str, where: dict[str, Any], path: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise FieldErrors({path: f"filters may nest {MAX_DEPTH} levels deep, no more"})
        if not isinstance(where, dict):
            raise FieldErrors({path: "must be an object of fields"})
        parts = []
        for key, value in where.items():
            if value is None:
                continue
            at = f"{path}.{key}"
            if key in ("AND", "OR"):
                if not isinstance(value, list):
                    raise FieldErrors({at: "must be a list of filters"})
                inner = [self.where(spec, var, w, f"{at}[{i}]", depth + 1) for i, w in enumerate(value)]
                joined = f" {key} ".join(inner) if inner else ("true" if key == "AND" else "false")
                parts.append(f"({joined})")
            elif key == "NOT":
                parts.append(f"NOT ({self.where(spec, var, value, at, depth + 1)})")
            elif key in spec.fields:
                parts.append(self.field(var, spec.fields[key], value, at))
            elif key in spec.nested:
                group = spec.nested[key]
                for sub, ops in value.items():
                    if ops is None:
                        continue
                    if sub not in group:
                        raise FieldErrors({f"{at}.{sub}": f"not a field of {key}: {', '.join(group)}"})
                    parts.append(self.field(var, group[sub], ops, f"{at}.{sub}"))
            elif key in spec.relations:
                parts.append(self.relation(spec.relations[key], var, value, at, depth))
            else:
                known = [*spec.fields, *spec.nested, *spec.relations, "AND", "OR", "NOT"]
                raise FieldErrors({at: f"not a filter of {spec.label}; known: {', '.join(known)}"})
        return " AND ".join(parts) if parts else "true"

    def relation(self, relation: Relation, var: str, value: Any, at: str, depth: int) -> str:
        if not isinstance(value, dict):
            raise FieldErrors({at: "must be {some: …} or {none: …}"})
        if self.in_relation:
            raise FieldErrors(
                {at: "a relation filter inside another relation filter is not supported: filter one level"}
            )
        target = TYPES[relation.target]
        inner = f"x{len(self.hoisted)}"
        parts = []
        for quantifier, where in value.items():
            if where is None:
                continue
            if quantifier not in ("some", "none"):
                raise FieldErrors({f"{at}.{quantifier}": "some or none"})
            self.in_relation = True
            try:
                condition = self.where(target, inner, where, f"{at}.{quantifier}", depth + 1)
            finally:
                self.in_relation = False
            alias = f"r{len(self.hoisted)}"
            self.hoisted.append(f"size([{relation.pattern.format(n=var, x=inner)} WHERE {condition} | 1]) AS {alias}")
            parts.append(f"{alias} > 0" if quantifier == "some" else f"{alias} = 0")
        return " AND ".join(parts) if parts else "true"

    def value(self, item: Field, value: Any, at: str) -> Any:
        kind = item.kind
        if kind == "string":
            if not isinstance(value, str):
                raise FieldErrors({at: "must be text"})
            return value.lower() if item.lowered else value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise FieldErrors({at: "must be true or false"})
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise FieldErrors({at: "must be a whole number"})
            return value
        if kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise FieldErrors({at: "must be a number"})
            return float(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise FieldErrors({at: f"'{value}' is not a date (YYYY-MM-DD)"}) from None

    def field(self, var: str, item: Field, ops: Any, path: str) -> str:
        if not isinstance(ops, dict):
            raise FieldErrors({path: "must be an object of operators, e.g. {eq: …}"})
        prop = f"{var}.{item.prop}"
        parts = []
        for op, value in ops.items():
            if value is None:
                continue
            at = f"{path}.{op}"
            if op not in OPERATORS[item.kind]:
                raise FieldErrors({at: f"not an operator for this field; use {', '.join(OPERATORS[item.kind])}"})
            if op == "in":
                if not isinstance(value, list) or len(value) > MAX_IN:
                    raise FieldErrors({at: f"must be a list of at most {MAX_IN:,} values"})
                parts.append(f"{prop} IN {self.param([self.value(item, v, at) for v in value])}")
            elif op == "contains":
                text = self.value(item, value, at)
                if PATTERN.search(text):
                    raise FieldErrors({at: "contains takes words, not a pattern (.*, \\d, [a-z], ^…$): no regex here"})
                parts.append(f"toLower({prop}) CONTAINS {self.param(text.lower())}")
            elif op == "startsWith":
                parts.append(f"{prop} STARTS WITH {self.param(self.value(item, value, at))}")
            elif item.kind == "date":
                parts.append(f"{prop} {COMPARE[op]} date({self.param(self.value(item, value, at))})")
            else:
                parts.append(f"{prop} {COMPARE[op]} {self.param(self.value(item, value, at))}")
        return " AND ".join(parts) if parts else "true"

    def sort(self, spec: TypeSpec, sort: list[dict[str, str]]) -> tuple[list[str], list[str]]:
        """The WITH expressions and ORDER BY keys: each sort key nulls last, then the key itself."""
        projections, keys = [], []
        for i, item in enumerate(sort):
            if not isinstance(item, dict) or len([v for v in item.values() if v is not None]) != 1:
                raise FieldErrors({f"sort[{i}]": "one field and a direction per item, e.g. {members: DESC}"})
            name, direction = next((k, v) for k, v in item.items() if v is not None)
            if direction not in ("ASC", "DESC"):
                raise FieldErrors({f"sort[{i}].{name}": "ASC or DESC"})
            if name in spec.counts:
                expression = f"size([{spec.counts[name].format(n='n')} | 1])"
            elif name in spec.fields:
                expression = f"n.{spec.fields[name].prop}"
            else:
                known = [*spec.fields, *spec.counts]
                raise FieldErrors({f"sort[{i}].{name}": f"not a sort key of {spec.label}; known: {', '.join(known)}"})
            projections.append(f"{expression} AS s{i}")
            keys += [f"CASE WHEN s{i} IS NULL THEN 1 ELSE 0 END", f"s{i} {direction}"]
        return projections, keys


def compile_page(type_name: str, where: dict[str, Any] | None, sort: list[dict[str, str]] | None) -> Compiled:
    """The ids matching `where`, in the order of `sort` (then by key), a page at a time ($skip, $limit), with the total."""
    spec = TYPES[type_name]
    compiler = _Compiler()
    text = _matching(compiler, spec, where)
    projections, keys = compiler.sort(spec, sort or [])
    text += f"WITH n{''.join(', ' + p for p in projections)}\n"
    text += f"ORDER BY {', '.join([*keys, f'n.{spec.key}'])}\n"
    text += f"WITH collect(n.{spec.key}) AS ids\nRETURN size(ids) AS total, ids[$skip..$skip + $limit] AS page"
    return Compiled(text, compiler.params)


def compile_aggregate(type_name: str, where: dict[str, Any] | None, facet: str | None) -> Compiled:
    """count, and min / max / avg of every numeric field, of the nodes matching `where`; or counts by one facet."""
    spec = TYPES[type_name]
    compiler = _Compiler()
    matching = _matching(compiler, spec, where)
    if facet is not None:
        if facet not in spec.facets:
            raise FieldErrors({"by": f"not a facet of {spec.label}; known: {', '.join(spec.facets) or 'none'}"})
        prop = spec.facets[facet]
        text = f"{matching}RETURN toString(n.{prop}) AS value, count(n) AS count\nORDER BY count DESC, value"
        return Compiled(text, compiler.params)
    numeric = [(api, f.prop) for api, f in spec.fields.items() if f.kind in ("int", "float")]
    measures = "".join(
        f", min(n.{prop}) AS min_{api}, max(n.{prop}) AS max_{api}, avg(n.{prop}) AS avg_{api}" for api, prop in numeric
    )
    return Compiled(f"{matching}RETURN count(n) AS count{measures}", compiler.params)


def _matching(compiler: _Compiler, spec: TypeSpec, where: dict[str, Any] | None) -> str:
    """MATCH and WHERE (then the relation counts and the WHERE that reads them), ending with a newline."""
    early, late = compiler.top(spec, where or {})
    text = f"MATCH (n:{spec.label})\nWHERE {early}\n"
    if compiler.hoisted:
        text += f"WITH n, {', '.join(compiler.hoisted)}\nWHERE {late}\n"
    return text
