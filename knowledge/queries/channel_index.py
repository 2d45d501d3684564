"""An in-memory index of financing channels for ``match_financing`` (cached per data token).

Everything the ranking reads of a channel but its sectors - markets, applicant places, SME
eligibility, ticket, verification - is shared by many channels (an institution's programmes),
so channels are grouped by it: a group's score is computed once per query, and groups are
visited by the best score they can reach (their score plus the best sector bonus), stopping
when none can beat the ``count``-th found. Ranking in SQL scored every channel serving the need
with a per-channel aggregate of its places. The result is exactly the best ``count`` of the
full ranking.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from knowledge.queries import cache
from knowledge.queries.base import place_countries, places_covering
from knowledge.queries.sql import run
from knowledge.queries.types import Profile
from knowledge.regions import WORLD, places_containing
from knowledge.sectors import load_vocabulary

W_NEED, W_MARKET, W_PARTIAL, W_GLOBAL = 3.0, 2.0, 1.0, 0.5
W_SECTOR, W_RELATED, W_SECTOR_OFF = 1.0, 0.5, -1.0
W_SME, W_NOT_SME, W_TICKET_FITS, W_BELOW, W_ABOVE = 1.0, -2.0, 1.0, -2.0, -1.0
W_APPLICANT, W_RESTRICTED, W_NEEDS_CHECK = 1.0, -0.5, -0.25


#: (markets, applicant places, sme_eligible, ticket_min, ticket_max, ticket_currency,
#: needs check)
Signature = tuple[
    frozenset[str], frozenset[str], object, float | None, float | None, str | None, bool
]
#: (channel key, its sectors)
Member = tuple[str, frozenset[str]]


@dataclass(frozen=True)
class Group:
    """Channels alike in everything the ranking reads but their sectors."""

    markets: frozenset[str]
    applicants: frozenset[str]
    sme_eligible: object  # the stored value: 1, 0 or None
    ticket_min: float | None
    ticket_max: float | None
    ticket_currency: str | None
    needs_check: bool
    channels: tuple[Member, ...]  # by key

    @property
    def names_sectors(self) -> bool:
        """Whether a channel of the group names sectors (only those can earn a bonus)."""
        return any(sectors for _, sectors in self.channels)


@dataclass(frozen=True)
class ChannelIndex:
    """The channels of one database state, grouped per need (``None``: every channel)."""

    by_need: Mapping[str | None, tuple[Group, ...]]


def channel_index(session: Session) -> ChannelIndex:
    """The index of the session's database (built once per data token)."""
    return cache.view(session, "channel_index", _build)


def _build(s: Session) -> ChannelIndex:
    places: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, role, place in run(s, "SELECT channel_key, role, place FROM financing_places"):
        places[key][role].add(place)
    sectors: dict[str, set[str]] = defaultdict(set)
    for key, sector in run(s, "SELECT channel_key, sector FROM financing_sectors"):
        sectors[key].add(sector)
    needs: dict[str, set[str]] = defaultdict(set)
    for key, need in run(s, "SELECT channel_key, need FROM financing_needs"):
        needs[key].add(need)
    sql = (
        "SELECT key, sme_eligible, ticket_min, ticket_max, ticket_currency, verification "
        "FROM financing_channels ORDER BY key"
    )
    groups: dict[str | None, dict[Signature, list[Member]]] = defaultdict(lambda: defaultdict(list))
    for key, sme, low, high, currency, verification in run(s, sql):
        signature = (
            frozenset(places[key]["market"]),
            frozenset(places[key]["applicant"]),
            sme,
            low,
            high,
            currency,
            verification != "verified",
        )
        for need in (None, *needs.get(key, ())):
            groups[need][signature].append((key, frozenset(sectors.get(key, ()))))
    return ChannelIndex(
        by_need={
            need: tuple(Group(*sig, channels=tuple(members)) for sig, members in found.items())
            for need, found in groups.items()
        }
    )


@dataclass(frozen=True)
class Query:
    """What the ranking needs of a profile, computed once per call."""

    profile: Profile
    touching: frozenset[str] | None  # places whose markets reach the target (None: anywhere)
    full: frozenset[str]  # places whose markets cover the whole target
    home: frozenset[str]  # places containing the home country
    related: frozenset[str]

    @classmethod
    def of(cls, profile: Profile) -> Query:
        wanted = place_countries(profile.target)
        touching = places_covering(profile.target)
        full: set[str] = {WORLD}
        if wanted is not None and touching is not None:
            full |= set.intersection(*(set(places_containing(c)) for c in wanted))
            if profile.target:
                full.add(profile.target)
        home = places_containing(profile.home_country) if profile.home_country else frozenset()
        related = load_vocabulary().related.get(profile.sector, ()) if profile.sector else ()
        return cls(profile, touching, frozenset(full), home, frozenset(related))


def best_channels(index: ChannelIndex, profile: Profile, count: int) -> list[str]:
    """Keys of the ``count`` best channels for ``profile``, best first (score descending,
    then key), leaving out those ``match_financing`` excludes."""
    if count <= 0:
        return []
    query = Query.of(profile)
    reachable = []
    for group in index.by_need.get(profile.need, ()):
        score = _group_score(group, query)
        if score is not None:
            bonus = W_SECTOR if profile.sector and group.names_sectors else 0.0
            reachable.append((score + bonus, score, group))
    reachable.sort(key=lambda item: -item[0])
    best: list[tuple[float, str]] = []  # (-score, key) of the best so far, sorted
    for reach, score, group in reachable:
        if len(best) >= count and reach < -best[-1][0]:
            break  # no channel of this or a later group can enter the best ``count``
        for key, sectors in group.channels:
            entry = (-(score + _sector_bonus(sectors, query)), key)
            if len(best) < count or entry < best[-1]:
                bisect.insort(best, entry)
                del best[count:]
    return [key for _, key in best]


def _group_score(group: Group, query: Query) -> float | None:
    """The score of a group's channels but their sector bonus (``None``: left out)."""
    profile = query.profile
    markets, applicants = group.markets, group.applicants
    score = W_NEED if profile.need else 0.0
    if query.touching is not None:
        if markets and not markets & query.touching:
            return None  # serves other markets only
        if WORLD in markets:
            score += W_GLOBAL
        elif markets & query.full:
            score += W_MARKET
        elif markets:
            score += W_PARTIAL
    elif WORLD in markets:
        score += W_GLOBAL
    if profile.home_country:
        if applicants and not applicants & query.home:
            return None  # takes applicants from elsewhere only
        score += W_APPLICANT if applicants else 0.0
    else:
        score += W_RESTRICTED if applicants else 0.0
    if profile.is_sme:
        score += W_NOT_SME if group.sme_eligible == 0 else W_SME if group.sme_eligible == 1 else 0.0
    score += _ticket(group, profile)
    return score + (W_NEEDS_CHECK if group.needs_check else 0.0)


def _ticket(group: Group, profile: Profile) -> float:
    if profile.amount is None or group.ticket_currency != (profile.currency or "USD"):
        return 0.0
    amount = float(profile.amount)
    if group.ticket_min is not None and group.ticket_min > amount:
        return W_BELOW
    if group.ticket_max is not None and group.ticket_max < amount:
        return W_ABOVE
    if group.ticket_min is not None or group.ticket_max is not None:
        return W_TICKET_FITS
    return 0.0


def _sector_bonus(sectors: frozenset[str], query: Query) -> float:
    sector = query.profile.sector
    if not sector or not sectors:
        return 0.0
    if sector in sectors:
        return W_SECTOR
    return W_RELATED if sectors & query.related else W_SECTOR_OFF
