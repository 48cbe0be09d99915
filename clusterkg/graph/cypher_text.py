"""Reading people's Cypher text without an engine: which procedures it calls, which columns it returns.

Used where the engine cannot answer (which procedure a plan's ProcedureCall
is; the order of columns a wrapping changed). Comments and string literals
are blanked first so that text inside them never counts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

_STRING_OR_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_CALLED = re.compile(r"\bCALL\s+((?:[A-Za-z_]\w*|`[^`]*`)(?:\s*\.\s*(?:[A-Za-z_]\w*|`[^`]*`))*)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.IGNORECASE)
_OPEN, _CLOSE = "([{", ")]}"


def _blank(query: str) -> str:
    """The text with comments replaced by spaces and each string by a same-length run of x (positions kept)."""
    return _STRING_OR_COMMENT.sub(
        lambda m: " " * len(m.group(0)) if m.group(0).startswith("/") else "'" + "x" * (len(m.group(0)) - 2) + "'",
        query,
    )


def called_procedures(query: str) -> list[str]:
    """The procedures a query CALLs (`db.idx.fulltext.drop`), with comments, strings and backticks undone."""
    return [re.sub(r"[\s`]", "", name) for name in _CALLED.findall(_blank(query))]


def _top_level(text: str) -> list[int]:
    """Nesting depth (brackets) at each position of `text`."""
    depth, found = 0, []
    for char in text:
        if char in _OPEN:
            depth += 1
        found.append(depth)
        if char in _CLOSE:
            depth = max(0, depth - 1)
    return found


def returned_columns(query: str) -> list[str] | None:
    """The column names of the query's last RETURN, in order (an alias, else the expression as written); None if unsure."""
    blanked = _blank(query)
    depth = _top_level(blanked)
    starts = [m.end() for m in re.finditer(r"\bRETURN\b", blanked, re.IGNORECASE) if depth[m.start()] == 0]
    if not starts:
        return None
    start = starts[-1]
    end = len(blanked)
    for match in _CLAUSE_END.finditer(blanked, start):
        if depth[match.start()] == 0:
            end = match.start()
            break
    body_blank, body = blanked[start:end], query[start:end]
    if re.match(r"\s*DISTINCT\b", body_blank, re.IGNORECASE):
        distinct = re.match(r"\s*DISTINCT\b", body_blank, re.IGNORECASE)
        skip = distinct.end() if distinct else 0
        body_blank, body = body_blank[skip:], body[skip:]
    if body_blank.strip() == "*":
        return None
    inner_depth = _top_level(body_blank)
    items, last = [], 0
    for index, char in enumerate(body_blank):
        if char == "," and inner_depth[index] == 0:
            items.append((body_blank[last:index], body[last:index]))
            last = index + 1
    items.append((body_blank[last:], body[last:]))
    columns = []
    for blank_item, item in items:
        aliases = [m for m in re.finditer(r"\bAS\s+(`[^`]+`|\w+)\s*$", blank_item, re.IGNORECASE)]
        if aliases:
            columns.append(item[aliases[-1].start(1) : aliases[-1].end(1)].strip("`"))
        else:  # the expression as written, without its comments
            columns.append("".join(c if b != " " else " " for c, b in zip(item, blank_item)).strip())
    return columns


_RANGE = re.compile(r"(?<![\w.$`])range\s*\(", re.IGNORECASE)


def range_sizes(query: str, params: Mapping[str, Any] | None = None) -> list[int | None]:
    """The number of elements of each range(...) in the query, when its arguments are integers, parameters
    and arithmetic (None when they depend on data). FalkorDB builds a range's whole list before it checks
    its memory cap: range(1, 2000000000) grew the server to 21 GB until the kernel killed it."""
    blanked = _blank(query)
    sizes: list[int | None] = []
    for match in _RANGE.finditer(blanked):
        depth, end = 1, match.end()
        while end < len(blanked) and depth:
            depth += {"(": 1, ")": -1}.get(blanked[end], 0)
            end += 1
        inner_blank, inner = blanked[match.end() : end - 1], query[match.end() : end - 1]
        nesting = _top_level(inner_blank)
        cuts = [i for i, c in enumerate(inner_blank) if c == "," and nesting[i] == 0]
        parts = [inner[a:b] for a, b in zip([0] + [c + 1 for c in cuts], cuts + [len(inner)])]
        values = [_evaluate(part, params or {}) for part in parts]
        if len(values) not in (2, 3) or any(v is None for v in values):
            sizes.append(None)
            continue
        start, stop, step = int(values[0] or 0), int(values[1] or 0), int(values[2] or 0) if len(values) == 3 else 1
        sizes.append(0 if step == 0 else max(0, (stop - start) // step + 1))
    return sizes


def _evaluate(text: str, params: Mapping[str, Any]) -> int | None:
    """An integer expression of literals, $parameters, + - * / ^ and parentheses; None for anything else."""
    source = re.sub(r"\$(\w+)", r"__param_\1", text.strip()).replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return None

    def value(node: ast.AST) -> int | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name) and node.id.startswith("__param_"):
            found = params.get(node.id[len("__param_") :])
            return found if isinstance(found, int) and not isinstance(found, bool) else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = value(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, (ast.Div, ast.FloorDiv)) and right:
                return int(left / right)
            if isinstance(node.op, ast.Pow) and 0 <= right <= 64:
                return int(left**right)
        return None

    return value(tree.body)
