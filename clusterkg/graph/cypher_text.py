"""Reading people's Cypher text without an engine: which procedures it calls, which columns it returns.

Used where the engine cannot answer (which procedure a plan's ProcedureCall
is; the order of columns a wrapping changed). Comments and string literals
are blanked first so that text inside them never counts.
"""

from __future__ import annotations

import re

_STRING_OR_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_CALLED = re.compile(r"\bCALL\s+((?:[A-Za-z_]\w*|`[^`]*`)(?:\s*\.\s*(?:[A-Za-z_]\w*|`[^`]*`))*)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.IGNORECASE)
_OPEN, _CLOSE = "([{", ")]}"


def _blank(query: str) -> str:
    """The text with comments replaced by spaces and each string by a same-length run of x (positions kept)."""
    return _STRING_OR_COMMENT.sub(lambda m: " " * len(m.group(0)) if m.group(0).startswith("/") else "'" + "x" * (len(m.group(0)) - 2) + "'", query)


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
        skip = re.match(r"\s*DISTINCT\b", body_blank, re.IGNORECASE).end()
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
            columns.append(item[aliases[-1].start(1):aliases[-1].end(1)].strip("`"))
        else:  # the expression as written, without its comments
            columns.append("".join(c if b != " " else " " for c, b in zip(item, blank_item)).strip())
    return columns
