"""Validate every data file, then load all of them in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import schema
from knowledge.config import DATA_DIR
from knowledge.loader.errors import DataError, Problem
from knowledge.loader.files import LINE, read_yaml, strip_lines
from knowledge.loader.meta import new_revision, set_meta
from knowledge.loader.sync import SyncPlan, TableReport, delete_stale, upsert
from knowledge.loader.validate import (
    COMPANIES,
    COUNTRIES,
    FINANCING,
    PARKS,
    PROJECTS,
    RISK_NOTES,
    Context,
    validate_records,
)
from knowledge.regions import country_regions
from knowledge.sectors import SECTOR_KEYS
from knowledge.vocab import CURATED, LANGUAGES, VERIFICATION

SECTORS_FILE = "sectors.yml"
DATA_FILES = (
    SECTORS_FILE,
    COUNTRIES.file,
    RISK_NOTES.file,
    PARKS.file,
    FINANCING.file,
    COMPANIES.file,
    PROJECTS.file,
)


@dataclass
class Dataset:
    """Validated records of every data file."""

    sectors: list[dict[str, Any]] = field(default_factory=list)
    countries: list[dict[str, Any]] = field(default_factory=list)
    risk_notes: list[dict[str, Any]] = field(default_factory=list)
    parks: list[dict[str, Any]] = field(default_factory=list)
    financing: list[dict[str, Any]] = field(default_factory=list)
    companies: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    version: str = ""

    def counts(self) -> dict[str, int]:
        """Records per file."""
        return {
            name: len(getattr(self, name))
            for name in (
                "sectors",
                "countries",
                "risk_notes",
                "parks",
                "financing",
                "companies",
                "projects",
            )
        }


@dataclass
class LoadReport:
    """What a load did, per table."""

    tables: dict[str, TableReport]
    version: str

    @property
    def changed(self) -> bool:
        return any(t.changed for t in self.tables.values())


def _sectors(doc: Any, name: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("sectors"), list):
        return [], [Problem(name, None, "must be a mapping with a 'sectors' list")]
    for top in ("source", "as_of", "verification"):
        if not doc.get(top):
            problems.append(Problem(name, None, "is required", doc.get(LINE), top))
    if doc.get("verification") and doc["verification"] not in VERIFICATION:
        problems.append(
            Problem(name, None, f"not one of {list(VERIFICATION)}", None, "verification")
        )
    out: list[dict[str, Any]] = []
    keys = [item.get("key") for item in doc["sectors"] if isinstance(item, dict)]
    for index, item in enumerate(doc["sectors"], start=1):
        line = item.get(LINE) if isinstance(item, dict) else None
        label = f"'{item.get('key')}'" if isinstance(item, dict) else f"#{index}"
        if not isinstance(item, dict):
            problems.append(Problem(name, label, "must be a mapping"))
            continue
        key = item.get("key")
        if key not in SECTOR_KEYS:
            problems.append(Problem(name, label, "not a key of nlu/README.md", line, "key"))
        if keys.count(key) > 1 and keys.index(key) != index - 1:
            problems.append(Problem(name, label, "duplicate key", line, "key"))
        labels = strip_lines(item.get("labels") or {})
        synonyms = strip_lines(item.get("synonyms") or {})
        for lang in LANGUAGES:
            if not str(labels.get(lang, "")).strip():
                problems.append(Problem(name, label, f"missing '{lang}' label", line, "labels"))
            words = synonyms.get(lang) or []
            if not isinstance(words, list) or len(words) < 5:
                problems.append(
                    Problem(name, label, f"needs at least 5 '{lang}' synonyms", line, "synonyms")
                )
        for rel in item.get("related") or []:
            if rel not in keys or rel == key:
                problems.append(Problem(name, label, f"unknown related sector {rel!r}", line))
        isic = item.get("isic") or []
        if not isic or not all(re.fullmatch(r"\d{2,4}", str(code)) for code in isic):
            problems.append(Problem(name, label, "ISIC Rev.4 codes must be 2-4 digits", line))
        out.append(
            {
                "key": key,
                "isic": [str(c) for c in isic],
                "labels": {k: str(v) for k, v in labels.items() if k in LANGUAGES},
                "synonyms": {k: [str(w) for w in v] for k, v in synonyms.items()},
                "related": list(item.get("related") or []),
                "source": str(doc.get("source", "")),
                "as_of": _date(doc.get("as_of")),
                "verification": doc.get("verification", "needs_check"),
                "origin": CURATED,
                "note": doc.get("note"),
                LINE: line,
            }
        )
    missing = sorted(set(SECTOR_KEYS) - set(keys))
    if missing:
        problems.append(Problem(name, None, f"missing sector keys {missing}"))
    return out, problems


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def validate_data(data_dir: Path = DATA_DIR) -> Dataset:
    """Read and validate every data file; raise :class:`DataError` listing all problems."""
    problems: list[Problem] = []
    raw: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = data_dir / name
        try:
            raw[name] = read_yaml(path, name)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        digest.update(path.read_bytes())
    if problems:
        raise DataError(problems)
    data = Dataset(version=digest.hexdigest()[:16])
    data.sectors, found = _sectors(raw[SECTORS_FILE], SECTORS_FILE)
    problems += found
    sectors = frozenset(s["key"] for s in data.sectors)
    data.countries, found = validate_records(
        COUNTRIES, raw[COUNTRIES.file], Context(frozenset(), sectors)
    )
    problems += found
    countries = frozenset(c["iso2"] for c in data.countries)
    ctx = Context(countries, sectors)
    data.risk_notes, found = validate_records(RISK_NOTES, raw[RISK_NOTES.file], ctx)
    problems += found
    data.parks, found = validate_records(PARKS, raw[PARKS.file], ctx)
    problems += found
    data.financing, found = validate_records(FINANCING, raw[FINANCING.file], ctx)
    problems += found
    data.companies, found = validate_records(COMPANIES, raw[COMPANIES.file], ctx)
    problems += found
    companies = frozenset(c["key"] for c in data.companies)
    data.projects, found = validate_records(
        PROJECTS, raw[PROJECTS.file], Context(countries, sectors, companies)
    )
    problems += found
    if problems:
        raise DataError(problems)
    return data


def _columns(record: dict[str, Any], table: Any, **renames: str) -> dict[str, Any]:
    names = {c.name for c in table.columns}
    row = {k: v for k, v in record.items() if k in names}
    for column, source in renames.items():
        row[column] = record.get(source)
    return row


def build_plans(data: Dataset) -> list[SyncPlan]:
    """Rows for every table, parents first."""
    t = {
        m.__tablename__: m.__table__
        for m in (
            schema.Country,
            schema.Sector,
            schema.CountryRiskNote,
            schema.Park,
            schema.ParkSector,
            schema.FinancingChannel,
            schema.FinancingNeed,
            schema.FinancingPlace,
            schema.FinancingSector,
            schema.Company,
            schema.CompanyPlace,
            schema.CompanySector,
            schema.LeaderProject,
        )
    }
    regions = country_regions()
    countries = []
    for c in data.countries:
        found = regions.get(c["iso2"], {})
        row = _columns(c, t["countries"])
        row.update(
            region=found.get("region"),
            subregion=found.get("subregion"),
            intermediate_region=found.get("intermediate"),
        )
        countries.append(row)
    park_links = [
        {"park_key": p["key"], "sector": s} for p in data.parks for s in p.get("sectors", [])
    ]
    fin = data.financing
    return [
        SyncPlan(t["sectors"], "key", [_columns(s, t["sectors"]) for s in data.sectors]),
        SyncPlan(t["countries"], "iso2", countries),
        SyncPlan(
            t["country_risk_notes"],
            "key",
            [_columns(n, t["country_risk_notes"]) for n in data.risk_notes],
        ),
        SyncPlan(
            t["parks"],
            "key",
            [_columns(p, t["parks"]) for p in data.parks],
            {"sectors": (t["park_sectors"], "park_key", park_links)},
        ),
        SyncPlan(
            t["financing_channels"],
            "key",
            [_columns(f, t["financing_channels"]) for f in fin],
            {
                "needs": (
                    t["financing_needs"],
                    "channel_key",
                    [{"channel_key": f["key"], "need": n} for f in fin for n in f.get("needs", [])],
                ),
                "places": (
                    t["financing_places"],
                    "channel_key",
                    [
                        {
                            "channel_key": f["key"],
                            "role": role[:-1] if role == "markets" else "applicant",
                            "place": p,
                        }
                        for f in fin
                        for role in ("markets", "applicants")
                        for p in f.get(role, [])
                    ],
                ),
                "sectors": (
                    t["financing_sectors"],
                    "channel_key",
                    [
                        {"channel_key": f["key"], "sector": s}
                        for f in fin
                        for s in f.get("sectors", [])
                    ],
                ),
            },
        ),
        SyncPlan(
            t["companies"],
            "key",
            [_columns(c, t["companies"]) for c in data.companies],
            {
                "places": (
                    t["company_places"],
                    "company_key",
                    [
                        {"company_key": c["key"], "place": p}
                        for c in data.companies
                        for p in c.get("places", [])
                    ],
                ),
                "sectors": (
                    t["company_sectors"],
                    "company_key",
                    [
                        {"company_key": c["key"], "sector": s}
                        for c in data.companies
                        for s in c.get("sectors", [])
                    ],
                ),
            },
        ),
        SyncPlan(
            t["leader_projects"],
            "key",
            [_columns(p, t["leader_projects"], company_key="company") for p in data.projects],
        ),
    ]


def load_data(
    engine: Engine, data_dir: Path = DATA_DIR, migrate: bool = True, progress: Any = None
) -> LoadReport:
    """Validate the data files, then upsert them all in one transaction.

    Curated rows whose keys left the files are deleted; rows of other origins (imports) are
    kept. Raises :class:`DataError` (nothing written) when any record is invalid.
    """
    data = validate_data(data_dir)
    if migrate:
        from knowledge.db import upgrade

        upgrade(engine)
    plans = build_plans(data)
    reports: dict[str, TableReport] = {}
    with engine.begin() as conn:
        for plan in plans:
            reports[plan.table.name] = upsert(conn, plan)
            if progress is not None:
                progress(plan.table.name)
        # Children first for deletions: projects before companies, and so on.
        for plan in reversed(plans):
            reports[plan.table.name].deleted += delete_stale(conn, plan)
        meta = schema.Meta.__table__
        current = conn.execute(
            select(meta.c.value).where(meta.c.key == "data_version")
        ).scalar_one_or_none()
        report = LoadReport(reports, data.version)
        if current != data.version:
            set_meta(conn, "data_version", data.version)
        if current != data.version or report.changed:
            new_revision(conn)
    return report
