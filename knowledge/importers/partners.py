"""Import an agency's partner directory (CSV) into ``companies``.

Columns (header names; ``*`` required)::

    key, name_en*, name_zh, kind*, country*, serves, sectors, services_en, services_zh,
    website, contact, source_url, as_of, verification

``kind`` is a ``partner_type`` key; ``country`` an ISO alpha-2 code; ``serves`` and ``sectors``
are ``;``-separated place keys (ISO codes or region keys; default: the country) and sector
keys. ``source_url`` may be left empty when ``--source`` gives the directory's URL; ``as_of``
defaults to ``--as-of`` (or today); ``verification`` to ``needs_check``. Rows get
``origin`` = the agency's name and keys ``<agency>:<key or name>``. Re-importing the same
agency replaces its previous import (rows no longer in the file are deleted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from knowledge.countries import is_country_code
from knowledge.importers.common import ImportReport, read_csv_rows, slug
from knowledge.loader.errors import DataError, Problem
from knowledge.loader.meta import new_revision
from knowledge.loader.sync import SyncPlan, delete_stale, upsert
from knowledge.loader.validate import Context, Invalid, url_
from knowledge.regions import is_place
from knowledge.schema import Company, CompanyPlace, CompanySector
from knowledge.sectors import load_vocabulary
from knowledge.vocab import CURATED, PARTNER_KINDS, VERIFICATION

REQUIRED = ("name_en", "kind", "country")


def parse_partners(
    path: Path, agency: str, source: str | None = None, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """Validate every row; raise :class:`DataError` listing each bad line."""
    if not agency.strip() or agency.strip() == CURATED:
        raise DataError([Problem(path.name, None, "the agency name must be given (not 'curated')")])
    sectors = load_vocabulary().labels
    prefix = slug(agency)
    records, problems, seen = [], [], {}
    for line, row in read_csv_rows(path, REQUIRED):
        label = f"line {line}"
        errors: list[tuple[str, str]] = []
        kind = row.get("kind", "")
        if kind not in PARTNER_KINDS:
            errors.append(("kind", f"{kind!r} is not one of {list(PARTNER_KINDS)}"))
        country = row.get("country", "").upper()
        if not is_country_code(country):
            errors.append(("country", f"{row.get('country')!r} is not an ISO 3166-1 alpha-2 code"))
        if not row.get("name_en"):
            errors.append(("name_en", "is required"))
        given = [p.strip() for p in row.get("serves", "").split(";") if p.strip()]
        serves = [p.upper() if is_country_code(p.upper()) else p for p in given] or [country]
        for place in serves if given else ():
            if not is_place(place):
                errors.append(("serves", f"{place!r} is neither an ISO code nor a region key"))
        keys = [k.strip() for k in row.get("sectors", "").split(";") if k.strip()]
        for key in keys:
            if key not in sectors:
                errors.append(("sectors", f"{key!r} is not a sector key"))
        src = row.get("source_url") or source or ""
        try:
            src = url_(src, Context(frozenset(), frozenset()))
        except Invalid as exc:
            errors.append(("source_url", "missing (give --source)" if not src else str(exc)))
        website = row.get("website") or None
        if website:
            website = website if website.startswith("http") else "http://" + website
        try:
            when = (
                dt.date.fromisoformat(row["as_of"])
                if row.get("as_of")
                else (as_of or dt.date.today())
            )
        except ValueError:
            errors.append(("as_of", f"{row.get('as_of')!r} is not a date (YYYY-MM-DD)"))
            when = dt.date.today()
        verification = row.get("verification") or "needs_check"
        if verification not in VERIFICATION:
            errors.append(("verification", f"{verification!r} is not one of {list(VERIFICATION)}"))
        key = f"{prefix}:{slug(row.get('key') or row.get('name_en', ''))}"
        if key in seen:
            errors.append(("key", f"duplicate of line {seen[key]}"))
        seen.setdefault(key, line)
        for fld, message in errors:
            problems.append(Problem(path.name, label, message, line, fld))
        if errors:
            continue
        name = {"en": row["name_en"]} | ({"zh": row["name_zh"]} if row.get("name_zh") else {})
        services = {k: row[f"services_{k}"] for k in ("en", "zh") if row.get(f"services_{k}")}
        records.append(
            {
                "key": key,
                "name": name,
                "kind": kind,
                "subkind": None,
                "ownership": None,
                "country": country,
                "services": services or None,
                "website": website,
                "contact": row.get("contact") or None,
                "aliases": None,
                "source": src,
                "as_of": when,
                "verification": verification,
                "origin": agency.strip(),
                "quote": None,
                "note": f"Imported from {path.name}",
                "unverified_fields": None,
                "places": serves,
                "sectors": keys,
            }
        )
    if problems:
        raise DataError(problems)
    return records


def import_partners(
    engine: Engine,
    path: Path,
    agency: str,
    *,
    dry_run: bool = False,
    source: str | None = None,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Validate, then write the directory in one transaction (rolled back with ``dry_run``)."""
    records = parse_partners(path, agency, source, as_of)
    origin = agency.strip()
    report = ImportReport(path.name, origin, len(records), dry_run=dry_run)
    plan = SyncPlan(
        Company.__table__,
        "key",
        [{k: v for k, v in r.items() if k not in ("places", "sectors")} for r in records],
        {
            "places": (
                CompanyPlace.__table__,
                "company_key",
                [{"company_key": r["key"], "place": p} for r in records for p in r["places"]],
            ),
            "sectors": (
                CompanySector.__table__,
                "company_key",
                [{"company_key": r["key"], "sector": s} for r in records for s in r["sectors"]],
            ),
        },
    )
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            result = upsert(conn, plan)
            report.deleted = delete_stale(conn, plan, origin)
            report.inserted, report.updated = result.inserted, result.updated
            report.unchanged = result.unchanged
            if not dry_run and (result.changed or report.deleted):
                new_revision(conn)
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
    return report
