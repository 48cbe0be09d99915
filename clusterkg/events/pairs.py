"""Candidate pairs: who may meet whom, scored with the symmetric complementarity, best first."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from clusterkg.events.attendees import organisation_key
from clusterkg.events.model import Attendee, EventSettings, Pair
from clusterkg.scoring.profiles import Taxonomy, score_pairs


def candidate_pairs(
    attendees: list[Attendee],
    taxonomy: Taxonomy,
    settings: EventSettings,
    met: frozenset[tuple[int, int]] = frozenset(),
) -> list[Pair]:
    """Every pair that may meet, best first (weight, then ids for a stable order); `met`: pairs that met before (i < j)."""
    scores = score_pairs([a.profile for a in attendees], taxonomy, settings.weights)
    mutual_score = scores.mutual()
    need = scores.need
    position = {a.id: i for i, a in enumerate(attendees)}
    wanted = {tuple(sorted((i, position[w]))) for i, a in enumerate(attendees) for w in a.wants}
    avoided = {tuple(sorted((i, position[v]))) for i, a in enumerate(attendees) for v in a.avoids}
    evidence = (need + need.T) > 0
    rows, cols = np.nonzero(np.triu(evidence | (mutual_score > settings.min_score), k=1))
    candidates = set(zip(rows.tolist(), cols.tolist())) | wanted
    pairs = []
    for i, j in candidates:
        a, b = attendees[i], attendees[j]
        is_wanted = (i, j) in wanted
        if (i, j) in avoided or a.max_meetings == 0 or b.max_meetings == 0:
            continue
        if settings.met_before == "avoid" and (i, j) in met and not is_wanted:
            continue
        if not is_wanted:
            if not evidence[i, j] or mutual_score[i, j] <= settings.min_score:
                continue
            if not settings.allow_same_organisation and organisation_key(a) == organisation_key(b):
                continue
            if not settings.allow_same_country and a.country and a.country == b.country:
                continue
        common = tuple(sorted(a.slots & b.slots))
        if not common:
            continue
        is_mutual = bool(need[i, j] > 0 and need[j, i] > 0)
        weight = float(mutual_score[i, j]) + (settings.mutual_bonus if settings.mutual_first and is_mutual else 0.0)
        if settings.met_before == "prefer" and (i, j) in met:
            weight += settings.mutual_bonus
        pairs.append(Pair(i, j, float(mutual_score[i, j]), weight, is_mutual, is_wanted, common))
    if pairs:
        want_bonus = 2 * max(max(p.weight for p in pairs), 0.0) + 1.0
        for pair in pairs:
            pair.weight = max(pair.weight, 0.001) + (want_bonus if pair.wanted else 0.0)
    pairs.sort(key=lambda p: (-p.weight, attendees[p.a].id, attendees[p.b].id))
    return pairs


def prune(pairs: list[Pair], attendees: list[Attendee]) -> list[Pair]:
    """Each attendee's best pairs (three times its meeting cap, at least 10) and every wanted pair."""
    kept_count: dict[int, int] = defaultdict(int)
    kept = []
    for pair in pairs:  # best first
        cap_a = max(10, 3 * min(attendees[pair.a].max_meetings, len(attendees[pair.a].slots)))
        cap_b = max(10, 3 * min(attendees[pair.b].max_meetings, len(attendees[pair.b].slots)))
        if pair.wanted or kept_count[pair.a] < cap_a or kept_count[pair.b] < cap_b:
            kept.append(pair)
            kept_count[pair.a] += 1
            kept_count[pair.b] += 1
    return kept
