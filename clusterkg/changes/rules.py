"""The publication rules (the ECCP's registration criteria), read from a data file, and their check on a profile."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg.errors import ConfigError

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules" / "publication.json"
MEASURES = ("management_fte", "website", "members_total", "member_kinds")


@dataclass(frozen=True)
class Rule:
    id: str
    measure: str
    minimum: float
    text: str


@dataclass(frozen=True)
class PublicationRules:
    name: str
    source: str
    rules: tuple[Rule, ...]
    waiver_field: str | None
    waiver_text: str

    def unmet(self, profile: Mapping[str, Any]) -> list[Rule]:
        """The rules `profile` does not meet (none when a waiver applies): properties plus `member_kinds`."""
        if self.waiver_field and profile.get(self.waiver_field):
            return []
        return [rule for rule in self.rules if _measure(profile, rule.measure) < rule.minimum]


def _measure(profile: Mapping[str, Any], measure: str) -> float:
    value = profile.get(measure)
    if measure == "website":
        return 1.0 if value else 0.0
    if measure == "member_kinds" and value is None:
        # the declared counts stand in where the graph holds no members with kinds
        value = sum(1 for part in ("sme_members", "large_members", "research_members") if profile.get(part))
    return float(value) if isinstance(value, (int, float)) else 0.0


def member_kinds(kinds: list[str | None]) -> int:
    """Kinds of member for the triple helix: business (SMEs and large firms), research and education, public, other."""
    groups = {"sme": "business", "large": "business", "research": "research", "university": "research"}
    return len({groups.get(k, k) for k in kinds if k})


@functools.cache
def publication_rules(path: Path = RULES_FILE) -> PublicationRules:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rules = tuple(Rule(r["id"], r["measure"], float(r["min"]), r["text"]) for r in data["rules"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: the publication rules cannot be read ({exc})") from None
    unknown = [r.measure for r in rules if r.measure not in MEASURES]
    if unknown:
        raise ConfigError(f"{path}: unknown measures {unknown}; known: {', '.join(MEASURES)}")
    waiver = data.get("waived_when") or {}
    return PublicationRules(data["name"], data["source"], rules, waiver.get("field"), waiver.get("text", ""))
