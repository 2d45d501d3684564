"""Small, cached views of the database the queries share (countries and their risk)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.queries import reasons as R
from knowledge.queries.types import Provenance, Reason
from knowledge.schema import Country
from knowledge.vocab import HIGH_RISK_OECD


@dataclass(frozen=True)
class CountryRow:
    """The cached facts of one country."""

    iso2: str
    classified: bool
    category: int | None
    previous: int | None
    note: str | None
    as_of: object
    region: str | None
    subregion: str | None
    intermediate_region: str | None


_cache: dict[tuple[str, str | None], dict[str, CountryRow]] = {}
_names: dict[tuple[str, str | None], dict[str, dict[str, str]]] = {}
_lock = threading.Lock()


def data_version(session: Session) -> str | None:
    """The loaded data version (changes whenever a load changes anything)."""
    from knowledge.queries.sql import run

    return run(session, "SELECT value FROM kb_meta WHERE key = 'data_version'").scalar()


def countries(session: Session) -> dict[str, CountryRow]:
    """All countries by ISO code (cached per database and data version)."""
    key = (str(session.get_bind().url), data_version(session))
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    rows = session.execute(
        select(
            Country.iso2,
            Country.oecd_classified,
            Country.oecd_category,
            Country.oecd_previous,
            Country.oecd_note,
            Country.oecd_as_of,
            Country.region,
            Country.subregion,
            Country.intermediate_region,
        )
    ).all()
    table = {r[0]: CountryRow(*r) for r in rows}
    with _lock:
        _cache.clear()
        _cache[key] = table
    return table


def clear() -> None:
    """Forget cached views (after a load in this process)."""
    with _lock:
        _cache.clear()
        _names.clear()


def risk_reasons(row: CountryRow | None) -> list[Reason]:
    """Reasons describing a country's OECD classification."""
    if row is None:
        return []
    if not row.classified:
        notes = [int(n) for n in re.findall(r"\((\d+)\)", row.note or "")]
        return [Reason(R.OECD_NOT_CLASSIFIED, {"notes": notes})]
    as_of = row.as_of.isoformat() if hasattr(row.as_of, "isoformat") else row.as_of
    params = {"category": row.category, "as_of": as_of}
    code = R.OECD_HIGH_RISK if (row.category or 0) >= HIGH_RISK_OECD else R.OECD_CATEGORY
    return [Reason(code, params)]


def risk_penalty(row: CountryRow | None, weight: float) -> float:
    """``weight`` per OECD category point (0 when not classified or unknown)."""
    if row is None or row.category is None:
        return 0.0
    return weight * row.category


def provenance(row: object) -> Provenance:
    """Provenance of a row exposing source, as_of, verification and origin."""
    return Provenance(
        source=row.source,  # type: ignore[attr-defined]
        as_of=row.as_of,  # type: ignore[attr-defined]
        verification=row.verification,  # type: ignore[attr-defined]
        origin=row.origin,  # type: ignore[attr-defined]
    )


def company_names(session: Session, keys: set[str]) -> dict[str, dict[str, str]]:
    """Names of the given companies."""
    from knowledge.queries.sql import rows_by_key

    return {r.key: r.name for r in rows_by_key(session, "companies", "key", sorted(keys))}
