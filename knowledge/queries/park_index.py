"""An in-memory index of parks for ``recommend_parks`` (cached per data token).

A park's score has three parts: its sector tier (the profile's sector, a related sector, or
neither), a part of its own (MOFCOM confirmation, ready-built sheds for SMEs, verification,
sectors only of heavy industry) and a part of its country (leading firms' projects in the
sector, OECD risk). Ranking in SQL scored every park of a tier, re-aggregating the leader
projects each time. Here each country's parks of a tier are kept ordered by their own part;
countries are visited by the best score they can reach (their best park plus the country's
part), reading each only until its parks fall below the ``count``-th found and stopping when
no further country can reach it. The result is exactly the best ``count`` of the full ranking.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from knowledge.queries import cache, catalog
from knowledge.queries.sql import run
from knowledge.sectors import load_vocabulary

#: Sectors of heavy industry: a park focused only on these suits light manufacturers poorly.
HEAVY_SECTORS = frozenset({"metals", "mining", "oil_gas", "chemicals", "power"})
W_SECTOR, W_RELATED, W_MISMATCH, W_HEAVY = 3.0, 1.0, -1.0, -1.0
W_CONFIRMED, W_READY, W_RISK, W_NEEDS_CHECK = 0.5, 0.5, 0.25, 0.25
W_LEADERS, CAP_LEADERS = 0.25, 1.0

#: (-own score, key): ascending order is best first, then by key.
Entry = tuple[float, str]
#: How a park's own score is counted: (is SME, heavy-only penalty, sector-mismatch penalty).
Variant = tuple[bool, bool, bool]
#: Orderings kept per country (no sector; the rest tier) and per (sector, country) (the
#: sector's tier; the related tier, with the heavy-only penalty when the sector is light).
COUNTRY_VARIANTS: tuple[Variant, ...] = (
    (False, False, False),
    (True, False, False),
    *((sme, heavy, True) for sme in (False, True) for heavy in (False, True)),
)
SECTOR_VARIANTS: tuple[Variant, ...] = tuple(
    (sme, heavy, False) for sme in (False, True) for heavy in (False, True)
)


@dataclass(frozen=True)
class ParkFacts:
    """What the ranking needs of one park."""

    country: str
    overseas: bool
    own: tuple[float, float]  # indexed by is_sme: confirmed + ready-built (SMEs) - needs check
    sectors: frozenset[str]
    heavy_only: bool  # names sectors, all of heavy industry

    def score(self, variant: Variant) -> float:
        """The park's own part of the score."""
        sme, heavy, mismatch = variant
        score = self.own[sme]
        if heavy and self.heavy_only:
            score += W_HEAVY
        if mismatch and self.sectors:
            score += W_MISMATCH
        return score


#: Entries of one group, per variant.
Orderings = Mapping[Variant, tuple[Entry, ...]]


@dataclass(frozen=True)
class ParkIndex:
    """The parks of one database state, ordered per country and per (sector, country)."""

    facts: Mapping[str, ParkFacts]
    by_country: Mapping[str, Orderings]
    by_sector: Mapping[str, Mapping[str, Orderings]]  # sector -> country -> orderings


def park_index(session: Session) -> ParkIndex:
    """The index of the session's database (built once per data token)."""
    return cache.view(session, "park_index", _build)


def _build(s: Session) -> ParkIndex:
    facts = _read_facts(s)
    by_country: dict[str, list[str]] = defaultdict(list)
    by_sector: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, park in facts.items():
        by_country[park.country].append(key)
        for sector in park.sectors:
            by_sector[sector][park.country].append(key)
    return ParkIndex(
        facts=facts,
        by_country={c: _orderings(facts, k, COUNTRY_VARIANTS) for c, k in by_country.items()},
        by_sector={
            sector: {c: _orderings(facts, k, SECTOR_VARIANTS) for c, k in groups.items()}
            for sector, groups in by_sector.items()
        },
    )


def _read_facts(s: Session) -> dict[str, ParkFacts]:
    sectors: dict[str, set[str]] = defaultdict(set)
    for key, sector in run(s, "SELECT park_key, sector FROM park_sectors"):
        sectors[key].add(sector)
    facts: dict[str, ParkFacts] = {}
    # ``ready_built IS NOT NULL``, as the SQL ranking tested it (not the decoded value).
    sql = "SELECT key, country, overseas, status, verification, ready_built IS NOT NULL FROM parks"
    for key, country, overseas, status, verification, ready in run(s, sql):
        base = (W_CONFIRMED if status == "mofcom_confirmed" else 0.0) + (
            -W_NEEDS_CHECK if verification != "verified" else 0.0
        )
        named = frozenset(sectors.get(key, ()))
        facts[key] = ParkFacts(
            country=country,
            overseas=bool(overseas),
            own=(base, base + (W_READY if ready else 0.0)),
            sectors=named,
            heavy_only=bool(named) and named <= HEAVY_SECTORS,
        )
    return facts


def _orderings(
    facts: Mapping[str, ParkFacts], keys: Iterable[str], variants: tuple[Variant, ...]
) -> dict[Variant, tuple[Entry, ...]]:
    return {v: tuple(sorted((-facts[k].score(v), k) for k in keys)) for v in variants}


def country_parts(session: Session, sector: str | None) -> Mapping[str, float]:
    """Per country: leading firms' projects in ``sector`` (capped) minus OECD risk (cached per
    data token)."""
    return cache.view(session, ("park_country_parts", sector), lambda s: _parts(s, sector))


def _parts(session: Session, sector: str | None) -> dict[str, float]:
    counts = catalog.sector_countries(session).get(sector, {}) if sector else {}
    out = {}
    for iso, row in catalog.countries(session).items():
        leaders = counts[iso].projects if iso in counts else 0
        out[iso] = min(CAP_LEADERS, W_LEADERS * leaders) - (row.category or 0) * W_RISK
    return out


def best_parks(
    index: ParkIndex,
    parts: Mapping[str, float],
    sector: str | None,
    is_sme: bool,
    wanted: frozenset[str] | None,
    count: int,
) -> list[str]:
    """Keys of the ``count`` best parks (in ``wanted`` countries, or overseas anywhere), best
    first (score descending, then key), as ``recommend_parks`` scores them."""
    scores: dict[str, float] = {}
    for bonus, groups, variant, belongs in _tiers(index, sector, is_sme):
        countries = groups if wanted is None else [c for c in wanted if c in groups]
        lists = [(parts.get(c, 0.0), groups[c][variant]) for c in countries]
        accept = _acceptor(index, belongs, overseas_only=wanted is None)
        for key, score in _best_of(lists, accept, count).items():
            scores[key] = bonus + score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [key for key, _ in ranked[:count]]


#: (tier bonus, groups by country, variant, which parks of the groups belong to the tier)
TierSpec = tuple[float, Mapping[str, Orderings], Variant, Callable[[ParkFacts], bool]]


def _tiers(index: ParkIndex, sector: str | None, is_sme: bool) -> list[TierSpec]:
    """The sector tiers: the sector itself, related sectors, neither (one tier without one)."""
    if not sector:
        return [(0.0, index.by_country, (is_sme, False, False), _anyone)]
    related = frozenset(load_vocabulary().related.get(sector, ()))
    relevant = related | {sector}
    light = sector not in HEAVY_SECTORS
    tiers = [(W_SECTOR, index.by_sector.get(sector, {}), (is_sme, False, False), _anyone)]
    for other in sorted(related):
        tiers.append(
            (
                W_RELATED,
                index.by_sector.get(other, {}),
                (is_sme, light, False),
                lambda park: sector not in park.sectors,
            )
        )
    tiers.append(
        (
            0.0,
            index.by_country,
            (is_sme, light, True),
            lambda park: not park.sectors & relevant,
        )
    )
    return tiers


def _anyone(_park: ParkFacts) -> bool:
    return True


def _acceptor(
    index: ParkIndex, belongs: Callable[[ParkFacts], bool], overseas_only: bool
) -> Callable[[str], bool]:
    """Whether a park belongs to the tier (and is overseas, without a target)."""

    def accept(key: str) -> bool:
        park = index.facts[key]
        return belongs(park) and (park.overseas or not overseas_only)

    return accept


def _best_of(
    lists: list[tuple[float, tuple[Entry, ...]]], accept: Callable[[str], bool], count: int
) -> dict[str, float]:
    """The best ``count`` accepted keys (with their scores) of lists sharing an offset each
    (own score + offset), visiting lists by the best score they can reach. A key is in one
    list only (the lists are one country's each)."""
    if count <= 0:
        return {}
    best: list[tuple[float, str]] = []  # (-score, key) of the best so far, sorted
    ranked = sorted(
        ((part - entries[0][0], part, entries) for part, entries in lists if entries),
        key=lambda item: -item[0],
    )
    for reach, part, entries in ranked:
        if len(best) >= count and reach < -best[-1][0]:
            break  # no park of this or a later list can enter the best ``count``
        for negative_own, key in entries:
            entry = (negative_own - part, key)
            if len(best) >= count and entry > best[-1]:
                break  # the list's later parks rank lower still
            if accept(key):
                bisect.insort(best, entry)
                del best[count:]
    return {key: -negative for negative, key in best}
