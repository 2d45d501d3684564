"""``match_financing``: financing and insurance channels for an SME's profile."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import expand, overlap, place_countries, use_session
from knowledge.queries.channel_index import (
    W_ABOVE,
    W_APPLICANT,
    W_BELOW,
    W_GLOBAL,
    W_MARKET,
    W_NEED,
    W_NEEDS_CHECK,
    W_NOT_SME,
    W_PARTIAL,
    W_RELATED,
    W_RESTRICTED,
    W_SECTOR,
    W_SECTOR_OFF,
    W_SME,
    W_TICKET_FITS,
    best_channels,
    channel_index,
)
from knowledge.queries.sql import rows_by_key, run
from knowledge.queries.types import FinancingMatch, FinancingResult, Profile, Reason
from knowledge.sectors import load_vocabulary


def match_financing(
    profile: Profile,
    *,
    limit: int = 10,
    session: Session | None = None,
    engine: Engine | str | None = None,
) -> FinancingResult:
    """Channels that can finance or insure ``profile``'s business, best first.

    A channel is left out when the profile's need is not among its needs, its markets do not
    include the target, or it takes applicants only from elsewhere than ``home_country``.
    """
    with use_session(session, engine) as s:
        wanted = place_countries(profile.target)
        keys = best_channels(channel_index(s), profile, limit)
        channels = rows_by_key(s, "financing_channels", "key", keys)
        needs, markets, applicants, sectors = _links(s, keys)
        countries = catalog.countries(s)
        items = []
        for channel in channels:
            scored = _score(
                channel,
                profile,
                wanted,
                needs[channel.key],
                markets[channel.key],
                applicants[channel.key],
                sectors[channel.key],
            )
            if scored is None:
                continue
            score, why = scored
            items.append(
                FinancingMatch(
                    key=channel.key,
                    institution=channel.institution,
                    program=channel.program,
                    instrument=channel.instrument,
                    needs=tuple(needs[channel.key]),
                    access_path=channel.access_path,
                    eligibility=channel.eligibility,
                    markets=tuple(markets[channel.key]),
                    applicants=tuple(applicants[channel.key]),
                    ticket_min=channel.ticket_min,
                    ticket_max=channel.ticket_max,
                    ticket_currency=channel.ticket_currency,
                    terms=channel.terms,
                    how_to_apply=channel.how_to_apply,
                    score=round(score, 3),
                    reasons=tuple(why),
                    provenance=catalog.provenance(channel),
                )
            )
        items.sort(key=lambda m: (-m.score, m.key))
        notes: list[Reason] = []
        if not items:
            notes.append(
                Reason(R.NO_MATCHING_CHANNELS, {"need": profile.need, "place": profile.target})
            )
        if wanted is not None and len(wanted) == 1:
            notes += catalog.risk_reasons(countries.get(next(iter(wanted))))
        return FinancingResult(profile, tuple(items[:limit]), tuple(notes))


def _links(s: Session, keys: list[str]):  # type: ignore[no-untyped-def]
    needs: dict[str, list[str]] = defaultdict(list)
    markets: dict[str, list[str]] = defaultdict(list)
    applicants: dict[str, list[str]] = defaultdict(list)
    sectors: dict[str, list[str]] = defaultdict(list)
    if not keys:
        return needs, markets, applicants, sectors
    sql = (
        "SELECT 'need', channel_key, need FROM financing_needs WHERE channel_key IN :keys "
        "UNION ALL SELECT role, channel_key, place FROM financing_places "
        "WHERE channel_key IN :keys "
        "UNION ALL SELECT 'sector', channel_key, sector FROM financing_sectors "
        "WHERE channel_key IN :keys ORDER BY 1, 2, 3"
    )
    target = {"need": needs, "market": markets, "applicant": applicants, "sector": sectors}
    for kind, key, value in run(s, sql, keys=keys):
        target[kind][key].append(value)
    return needs, markets, applicants, sectors


def _score(
    channel: Row,
    profile: Profile,
    wanted: frozenset[str] | None,
    needs: list[str],
    markets: list[str],
    applicants: list[str],
    sectors: list[str],
) -> tuple[float, list[Reason]] | None:
    score, why = 0.0, []
    if profile.need:
        score += W_NEED
        why.append(Reason(R.NEED_MATCH, {"need": profile.need}))
    if markets:
        covered = expand(markets)
        if covered is None:
            score += W_GLOBAL
            why.append(Reason(R.MARKET_GLOBAL))
        elif wanted is not None:
            fit = overlap(covered, wanted)
            if fit == "none":
                return None
            if fit == "all":
                score += W_MARKET
                why.append(Reason(R.MARKET_MATCH, {"place": profile.target}))
            else:
                score += W_PARTIAL
                why.append(
                    Reason(
                        R.MARKET_PARTIAL,
                        {"place": profile.target, "countries": sorted(covered & wanted)},
                    )
                )
    else:
        why.append(Reason(R.MARKET_NOT_STATED))
    if applicants:
        allowed = expand(applicants)
        if profile.home_country:
            if allowed is not None and profile.home_country not in allowed:
                return None
            score += W_APPLICANT
            why.append(Reason(R.APPLICANT_MATCH, {"country": profile.home_country}))
        else:
            score += W_RESTRICTED
            why.append(Reason(R.APPLICANT_RESTRICTED, {"places": list(applicants)}))
    if profile.sector and sectors:
        related = load_vocabulary().related.get(profile.sector, ())
        if profile.sector in sectors:
            score += W_SECTOR
            why.append(Reason(R.SECTOR_MATCH, {"sector": profile.sector}))
        elif any(r in sectors for r in related):
            via = next(r for r in related if r in sectors)
            score += W_RELATED
            why.append(Reason(R.SECTOR_RELATED, {"sector": profile.sector, "via": via}))
        else:
            score += W_SECTOR_OFF
            why.append(
                Reason(R.SECTOR_NOT_LISTED, {"sector": profile.sector, "sectors": list(sectors)})
            )
    if channel.access_path == "projects_only":
        why.append(Reason(R.PROJECTS_ONLY))
    if profile.is_sme and channel.sme_eligible is False:
        score += W_NOT_SME
        why.append(Reason(R.NOT_FOR_SMES, {"company_size": profile.company_size}))
    elif profile.is_sme and channel.sme_eligible:
        score += W_SME
        why.append(Reason(R.SME_ELIGIBLE))
    if channel.access_path:
        why.append(Reason(R.ACCESS_PATH, {"path": channel.access_path}))
    score += _ticket(channel, profile, why)
    if channel.verification != "verified":
        score += W_NEEDS_CHECK
        why.append(Reason(R.NEEDS_CHECK))
    return score, why


def _ticket(channel: Row, profile: Profile, why: list[Reason]) -> float:
    low, high, currency = channel.ticket_min, channel.ticket_max, channel.ticket_currency
    if low is None and high is None:
        why.append(Reason(R.TICKET_NOT_PUBLISHED))
        return 0.0
    if profile.amount is None:
        return 0.0
    if currency != (profile.currency or "USD"):
        why.append(Reason(R.TICKET_CURRENCY_DIFFERS, {"currency": currency}))
        return 0.0
    params = {"amount": profile.amount, "currency": currency, "min": low, "max": high}
    if low is not None and profile.amount < low:
        why.append(Reason(R.TICKET_BELOW_MIN, params))
        return W_BELOW
    if high is not None and profile.amount > high:
        why.append(Reason(R.TICKET_ABOVE_MAX, params))
        return W_ABOVE
    why.append(Reason(R.TICKET_FITS, params))
    return W_TICKET_FITS
