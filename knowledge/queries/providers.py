"""An in-memory index of service providers for ``find_partners`` (cached per data token).

A provider's score is the tier of the places it serves (the country itself, then its regions,
then every market), plus a sector bonus, plus a part that does not depend on the query: the
agency bonus minus the needs-check penalty. Ranking in SQL had to read every provider of a tier
(thousands for a large region at scale) because no index orders them by that last part. Here
each (place, kind) lists its providers sorted by it, so the best of a tier are the first few of
a merge; providers with a sector bonus (few) are scored one by one. The result is exactly the
best ``count`` of the full ranking.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from knowledge.queries import cache
from knowledge.queries.base import places_covering
from knowledge.queries.sql import run
from knowledge.regions import WORLD, load_regions
from knowledge.sectors import load_vocabulary
from knowledge.vocab import CURATED, SERVICE_KINDS

W_COUNTRY, W_REGION, W_WORLD = 2.0, 1.0, 0.5
W_SECTOR, W_RELATED, W_AGENCY, W_NEEDS_CHECK = 1.0, 0.5, 0.5, 0.25

#: (-static score, key): ascending order is best first, ties by key (as the SQL ranked them).
Entry = tuple[float, str]
#: (base score, places of the tier, places of the tiers above); ``None`` places: every provider.
Tier = tuple[float, frozenset[str] | None, frozenset[str]]


@dataclass(frozen=True)
class ProviderIndex:
    """Service providers (every kind but ``leader``) of one database state."""

    static: Mapping[str, float]  # key -> agency bonus minus needs-check penalty
    places: Mapping[str, frozenset[str]]  # key -> places served
    sectors: Mapping[str, frozenset[str]]  # key -> sectors (providers naming none are absent)
    by_place: Mapping[Hashable, tuple[Entry, ...]]  # (place, kind) -> sorted entries
    by_kind: Mapping[Hashable, tuple[Entry, ...]]  # kind -> sorted entries
    by_sector: Mapping[Hashable, tuple[str, ...]]  # (sector, kind) -> keys


def provider_index(session: Session) -> ProviderIndex:
    """The index of the session's database (built once per data token)."""
    return cache.view(session, "provider_index", _build)


def _build(s: Session) -> ProviderIndex:
    kinds = list(SERVICE_KINDS)
    static: dict[str, float] = {}
    kind_of: dict[str, str] = {}
    sql = "SELECT key, kind, origin, verification FROM companies WHERE kind IN :kinds"
    for key, kind, origin, verification in run(s, sql, kinds=kinds):
        kind_of[key] = kind
        static[key] = (W_AGENCY if origin != CURATED else 0.0) + (
            -W_NEEDS_CHECK if verification != "verified" else 0.0
        )
    places: dict[str, set[str]] = defaultdict(set)
    for key, place in run(s, "SELECT company_key, place FROM company_places"):
        if key in kind_of:
            places[key].add(place)
    sectors: dict[str, set[str]] = defaultdict(set)
    for key, sector in run(s, "SELECT company_key, sector FROM company_sectors"):
        if key in kind_of:
            sectors[key].add(sector)
    return ProviderIndex(
        static=static,
        places={k: frozenset(v) for k, v in places.items()},
        sectors={k: frozenset(v) for k, v in sectors.items()},
        by_place=_ranked_groups(
            static, (((place, kind_of[k]), k) for k, served in places.items() for place in served)
        ),
        by_kind=_ranked_groups(static, ((kind_of[k], k) for k in kind_of)),
        by_sector={
            group: tuple(keys)
            for group, keys in _groups(
                ((sector, kind_of[k]), k) for k, named in sectors.items() for sector in named
            ).items()
        },
    )


def _groups(pairs: Iterable[tuple[Hashable, str]]) -> dict[Hashable, list[str]]:
    out: dict[Hashable, list[str]] = defaultdict(list)
    for group, key in pairs:
        out[group].append(key)
    return out


def _ranked_groups(
    static: Mapping[str, float], pairs: Iterable[tuple[Hashable, str]]
) -> dict[Hashable, tuple[Entry, ...]]:
    """Keys per group as entries sorted best static score first, then by key."""
    return {
        group: tuple(sorted((-static[k], k) for k in keys))
        for group, keys in _groups(pairs).items()
    }


def best_providers(
    index: ProviderIndex,
    place: str | None,
    sector: str | None,
    kinds: tuple[str, ...],
    count: int,
) -> list[str]:
    """Keys of the ``count`` best providers of ``kinds`` for ``place`` and ``sector``, best
    first (score descending, then key), as ``find_partners`` scores them."""
    tiers = _tiers(place)
    relevant = frozenset(load_vocabulary().with_related(sector)) if sector else frozenset()
    scores: dict[str, float] = {}
    for key, bonus in _sector_bonus(index, sector, relevant, kinds).items():
        base = _base(index, key, tiers)
        if base is not None:
            scores[key] = base + index.static[key] + bonus
    for base, tier, higher in tiers:
        for key in _first(index, tier, higher, kinds, relevant, count):
            scores[key] = base + index.static[key]
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [key for key, _ in ranked[:count]]


def _tiers(place: str | None) -> list[Tier]:
    covering = places_covering(place)
    if covering is None:
        return [(0.0, None, frozenset())]
    own = frozenset({place}) if place and place not in load_regions() else frozenset()
    near = frozenset(p for p in covering if p != WORLD) - own
    tiers = [(W_COUNTRY, own, frozenset()), (W_REGION, near, own)]
    tiers.append((W_WORLD, frozenset({WORLD}), own | near))
    return [t for t in tiers if t[1]]


def _base(index: ProviderIndex, key: str, tiers: list[Tier]) -> float | None:
    """The tier score of a provider (``None``: it serves none of the tiers' places)."""
    served = index.places.get(key, frozenset())
    for base, tier, _ in tiers:
        if tier is None or served & tier:
            return base
    return None


def _sector_bonus(
    index: ProviderIndex, sector: str | None, relevant: frozenset[str], kinds: tuple[str, ...]
) -> dict[str, float]:
    """Providers naming the sector or a related one, with their sector bonus."""
    out: dict[str, float] = {}
    for named in relevant:
        for kind in kinds:
            for key in index.by_sector.get((named, kind), ()):
                out[key] = W_SECTOR if sector in index.sectors[key] else W_RELATED
    return out


def _first(
    index: ProviderIndex,
    tier: frozenset[str] | None,
    higher: frozenset[str],
    kinds: tuple[str, ...],
    relevant: frozenset[str],
    count: int,
) -> list[str]:
    """The first ``count`` providers of a tier without a sector bonus, best static score first
    (they all share the tier's base score)."""
    if tier is None:
        lists = [index.by_kind.get(kind, ()) for kind in kinds]
    else:
        lists = [index.by_place.get((p, kind), ()) for p in tier for kind in kinds]
    out: list[str] = []
    seen: set[str] = set()
    for _, key in heapq.merge(*(entries for entries in lists if entries)):
        if len(out) >= count:
            break
        if key in seen:
            continue
        seen.add(key)
        if higher and index.places[key] & higher:
            continue  # ranked in a higher tier
        if relevant and index.sectors.get(key, frozenset()) & relevant:
            continue  # scored with its sector bonus
        out.append(key)
    return out
