"""What the fuzz test and the fuzz benchmark share: the checks on an answer, and a grammar of Cypher texts."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

GRAPHQL_CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "TIMEOUT",
    "LIMIT_EXCEEDED",
    "UNAUTHORIZED",
    "BAD_REQUEST",
    "UNAUTHENTICATED",  # the write side without a token
    "FORBIDDEN",
    "CONFLICT",
}
ANALYST_CODES = {"BAD_REQUEST", "READ_ONLY", "ENGINE", "TIMEOUT", "LIMIT_EXCEEDED", "BUSY"}


def graphql_problems(response: Any) -> list[str]:
    """What is wrong with an API answer: a 5xx, an error without a code, an INTERNAL error, a traceback."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    if "Traceback" in response.text:
        problems.append("traceback in the answer")
    try:
        body = response.json()
    except ValueError:
        return problems + ["not JSON"]
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            problems.append(f"error without a code: {error.get('message')}")
        elif code == "INTERNAL":
            problems.append(f"INTERNAL: {error.get('message')}")
        elif code not in GRAPHQL_CODES:
            problems.append(f"unknown code {code}")
    return problems


_NAME = st.sampled_from(["n", "m", "c", "r", "x", "`odd name`"])
_LABEL = st.sampled_from(["Cluster", "Region", "Organisation", "Competence", "Nope", "Load"])
_VALUE = st.one_of(
    st.integers(-10, 10).map(str),
    st.sampled_from(["0.0/0.0", "1.0/0.0", "null", "true", "[1,2,3]", "{a: 1}", "$p", "date('2020-01-01')", "'x'"]),
    st.text(max_size=8).map(lambda t: "'" + t.replace("\\", "\\\\").replace("'", "\\'") + "'"),
)
_PREFIX = st.sampled_from(["", "EXPLAIN ", "PROFILE ", "/* c */ ", "// c\n", "explain ", "CYPHER p=1 "])


@st.composite
def cypher_texts(draw) -> str:
    """Read queries, broken queries, writes and procedure calls, under every prefix."""
    variable, label, value = draw(_NAME), draw(_LABEL), draw(_VALUE)
    body = draw(
        st.sampled_from(
            [
                f"MATCH ({variable}:{label}) RETURN {variable} LIMIT 3",
                f"MATCH ({variable}:{label}) WHERE {variable}.id = {value} RETURN count(*)",
                f"RETURN {value} AS v",
                f"UNWIND range(1, {draw(st.integers(0, 10**7))}) AS i RETURN sum(i)",
                f"MATCH ({variable}) RETURN labels({variable}), {value}",
                f"CREATE (:{label} {{v: {value}}})",
                f"MATCH ({variable}:{label}) SET {variable}.v = {value}",
                "CALL db.labels()",
                f"CALL db.idx.fulltext.drop('{label}')",
                f"CALL db.idx.fulltext.queryNodes('{label}', {value}) YIELD node RETURN node LIMIT 2",
                f"MATCH p=({variable})-[*1..{draw(st.integers(0, 4))}]->() RETURN p LIMIT 2",
                f"WITH {value} AS v RETURN v, v + 1",
                f"MATCH ({variable}:{label}) RETURN {variable}.name ORDER BY {variable}.name SKIP {draw(st.integers(-2, 2))} LIMIT {draw(st.integers(-2, 5))}",
                draw(st.text(max_size=40)),
            ]
        )
    )
    return draw(_PREFIX) + body


def custom_scalars() -> dict[str, Any]:
    """Strategies for the schema's own scalars, as GraphQL literals."""
    import graphql

    dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12))
    return {"Date": dates.map(lambda text: graphql.StringValueNode(value=text))}
