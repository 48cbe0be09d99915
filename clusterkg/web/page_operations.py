"""The GraphQL operations the explorer's own pages send, read from their modules: the allow-list of a
persisted-only server (CLUSTERKG_PERSISTED_ONLY=1) must hold them, or the pages would be refused.

The pages write their operations as constant strings and template literals; a literal may splice in
another constant of its module or of one it imports (`${PROJECT_FIELDS}`), which is resolved here. Anything still dynamic after
that is not an operation of the allow-list, and the test of the pages in that mode would fail on it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "static" / "explorer"
CONSTANT = re.compile(r"const\s+([A-Z_][A-Z0-9_]*)\s*=\s*`([^`]*)`", re.S)
LITERAL = re.compile(r"`([^`]*)`|\"((?:query|mutation|\{)[^\"\\]*)\"", re.S)
SPLICE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
OPERATION = re.compile(r"^\s*(query|mutation)\b|^\s*\{")


def _resolve(text: str, constants: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        return text
    return SPLICE.sub(lambda m: _resolve(constants.get(m.group(1), m.group(0)), constants, depth + 1), text)


@lru_cache(maxsize=1)
def page_operations() -> tuple[str, ...]:
    """Every operation text the explorer's modules can send, as they send it."""
    found: set[str] = set()
    sources = [module.read_text(encoding="utf-8") for module in sorted(PAGES.glob("*.js"))]
    constants = {name: body for source in sources for name, body in CONSTANT.findall(source)}  # modules import them
    for source in sources:
        for template, plain in LITERAL.findall(source):
            text = _resolve(template or plain, constants)
            if OPERATION.match(text) and "${" not in text:
                found.add(text)
    return tuple(sorted(found))
