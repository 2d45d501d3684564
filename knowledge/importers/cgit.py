"""Import a user-downloaded AEI China Global Investment Tracker file into leader projects.

The tracker (https://www.aei.org/china-global-investment-tracker/) has the columns Year,
Month, Chinese Entity, Quantity in Millions, Share size, Transaction Party, Sector, Subsector,
Country, Region, BRI, Greenfield. Its terms do not clearly allow redistribution: the file is
never committed; each user imports their own copy. CSV is always supported; ``.xlsx`` only when
``openpyxl`` is installed. Rows become ``leader_projects`` with ``origin`` (default
``aei_cgit``) and ``verification: needs_check``; the Chinese entity is matched to a curated
leading firm where possible, else a company of the same origin is created. Re-importing
replaces the previous import of that origin.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge.countries import code_for_english_name
from knowledge.importers.common import ImportReport, slug
from knowledge.loader.errors import DataError, Problem
from knowledge.loader.meta import new_revision
from knowledge.loader.sync import SyncPlan, delete_stale, upsert
from knowledge.schema import Company, Country, LeaderProject
from knowledge.tools.leaders import match_group

TRACKER_URL = "https://www.aei.org/china-global-investment-tracker/"
DEFAULT_ORIGIN = "aei_cgit"
COLUMNS = (
    "Year",
    "Month",
    "Chinese Entity",
    "Quantity in Millions",
    "Share size",
    "Transaction Party",
    "Sector",
    "Subsector",
    "Country",
    "Region",
    "BRI",
    "Greenfield",
)
REQUIRED = ("Year", "Chinese Entity", "Quantity in Millions", "Sector", "Country")

#: (sector, subsector) of the tracker -> sector key; subsector ``*`` matches any.
SECTOR_MAP: dict[tuple[str, str], str] = {
    ("energy", "alternative"): "renewable_energy",
    ("energy", "hydro"): "power",
    ("energy", "coal"): "power",
    ("energy", "gas"): "oil_gas",
    ("energy", "oil"): "oil_gas",
    ("energy", "*"): "power",
    ("transport", "autos"): "automotive",
    ("transport", "shipping"): "transport_logistics",
    ("transport", "aviation"): "transport_logistics",
    ("transport", "*"): "construction",
    ("metals", "steel"): "metals",
    ("metals", "aluminum"): "metals",
    ("metals", "*"): "mining",
    ("real estate", "construction"): "construction",
    ("real estate", "*"): "real_estate",
    ("agriculture", "*"): "agriculture",
    ("finance", "*"): "financial_services",
    ("technology", "telecom"): "telecom",
    ("technology", "*"): "software_it",
    ("health", "*"): "healthcare",
    ("tourism", "*"): "tourism_hospitality",
    ("entertainment", "*"): "tourism_hospitality",
    ("logistics", "*"): "transport_logistics",
    ("utilities", "*"): "power",
    ("chemicals", "*"): "chemicals",
}


class XlsxUnsupportedError(RuntimeError):
    """Raised for an .xlsx file when openpyxl is not installed."""


def map_sector(sector: str, subsector: str) -> str | None:
    """The sector key for a tracker row (``None`` when unmapped)."""
    s, sub = sector.strip().lower(), subsector.strip().lower()
    return SECTOR_MAP.get((s, sub)) or SECTOR_MAP.get((s, "*"))


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line or sheet row, row)`` pairs from a tracker CSV or XLSX, after its header row."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
        return
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                if "Chinese Entity" in [c.strip() for c in cells]:
                    header = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise DataError(
                    [
                        Problem(
                            path.name,
                            f"line {line}",
                            f"malformed line: expected {len(header)} fields, got {len(cells)}",
                            line,
                        )
                    ]
                )
            yield line, dict(zip(header, (c.strip() for c in cells), strict=True))
    except csv.Error as exc:
        raise DataError(
            [
                Problem(
                    path.name, f"line {reader.line_num}", f"malformed CSV: {exc}", reader.line_num
                )
            ]
        ) from exc
    if header is None:
        raise DataError([Problem(path.name, None, "no header row with 'Chinese Entity' found")])


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError as exc:
        raise XlsxUnsupportedError(
            "Reading .xlsx needs the openpyxl package, which is not installed. Open the tracker "
            "in a spreadsheet program and save the data sheet as CSV, then import the CSV."
        ) from exc
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    header: list[str] | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if header is None:
            if "Chinese Entity" in cells:
                header = cells
            continue
        if any(cells):
            yield number, dict(zip(header, cells, strict=False))
    if header is None:
        raise DataError([Problem(path.name, None, "no header row with 'Chinese Entity' found")])


def parse_tracker(
    path: Path, origin: str, known_countries: set[str], as_of: dt.date, skip_invalid: bool
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], list[Problem]]:
    """Projects and new companies from the tracker; problems per line."""
    projects: list[dict[str, Any]] = []
    companies: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    rows = list(read_rows(path))
    missing = [c for c in REQUIRED if rows and c not in rows[0][1]]
    if missing:
        raise DataError([Problem(path.name, None, f"missing column(s) {missing}")])
    for line, row in rows:
        errors: list[tuple[str, str]] = []
        try:
            year = int(float(row.get("Year", "")))
        except ValueError:
            errors.append(("Year", f"{row.get('Year')!r} is not a year"))
            year = None
        try:
            amount = float(row.get("Quantity in Millions", "").replace(",", "").replace("$", ""))
        except ValueError:
            errors.append(
                ("Quantity in Millions", f"{row.get('Quantity in Millions')!r} is not a number")
            )
            amount = None
        iso2 = code_for_english_name(row.get("Country", ""))
        if iso2 is None or iso2 not in known_countries:
            errors.append(("Country", f"unknown country {row.get('Country')!r}"))
        sector = map_sector(row.get("Sector", ""), row.get("Subsector", ""))
        if sector is None:
            errors.append(
                ("Sector", f"no sector key for {row.get('Sector')!r}/{row.get('Subsector')!r}")
            )
        entity = row.get("Chinese Entity", "")
        if not entity:
            errors.append(("Chinese Entity", "is required"))
        fingerprint = "|".join(row.get(c, "") for c in COLUMNS)
        key = f"{slug(origin)}:{hashlib.sha1(fingerprint.encode()).hexdigest()[:12]}"
        if key in seen:
            errors.append(("row", f"duplicate of line {seen[key]}"))
        seen.setdefault(key, line)
        if errors:
            problems += [Problem(path.name, f"line {line}", m, line, f) for f, m in errors]
            continue
        group = match_group(entity)
        if group is not None:
            company = group.key
        else:
            company = f"{slug(origin)}:{slug(entity)}"
            companies.setdefault(
                company,
                {
                    "key": company,
                    "name": {"en": entity},
                    "kind": "leader",
                    "subkind": None,
                    "ownership": None,
                    "country": "CN",
                    "services": None,
                    "website": None,
                    "contact": None,
                    "aliases": None,
                    "source": TRACKER_URL,
                    "as_of": as_of,
                    "verification": "needs_check",
                    "origin": origin,
                    "quote": None,
                    "note": f"Chinese entity named in {path.name}",
                    "unverified_fields": None,
                },
            )
        party = row.get("Transaction Party", "")
        title = party or f"{row.get('Sector', '')} / {row.get('Subsector', '')}".strip(" /")
        details = ", ".join(
            f"{c}: {row[c]}"
            for c in ("Month", "Share size", "Region", "BRI", "Greenfield")
            if row.get(c)
        )
        projects.append(
            {
                "key": key,
                "company_key": company,
                "subsidiary": entity if group else None,
                "country": iso2,
                "sector": sector,
                "subsector": f"{row.get('Sector', '')} / {row.get('Subsector', '')}".strip(" /"),
                "title": {"en": title},
                "year": year,
                "year_end": None,
                "year_kind": "greenfield investment" if row.get("Greenfield") else "transaction",
                "value_musd_min": amount,
                "value_musd_max": amount,
                "source": TRACKER_URL,
                "as_of": as_of,
                "verification": "needs_check",
                "origin": origin,
                "quote": None,
                "note": f"{path.name} line {line}; {details}",
                "unverified_fields": None,
            }
        )
    if problems and not skip_invalid:
        raise DataError(problems)
    return projects, companies, problems


def import_tracker(
    engine: Engine,
    path: Path,
    *,
    origin: str = DEFAULT_ORIGIN,
    dry_run: bool = False,
    skip_invalid: bool = False,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Validate, then write the tracker's rows in one transaction (rolled back on dry run)."""
    with engine.connect() as conn:
        known = {r[0] for r in conn.execute(select(Country.iso2))}
    if not known:
        raise DataError([Problem(path.name, None, "the knowledge base is empty: run load first")])
    projects, companies, skipped = parse_tracker(
        path, origin, known, as_of or dt.date.today(), skip_invalid
    )
    report = ImportReport(path.name, origin, len(projects), skipped=skipped, dry_run=dry_run)
    company_plan = SyncPlan(Company.__table__, "key", list(companies.values()))
    project_plan = SyncPlan(LeaderProject.__table__, "key", projects)
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            company_result = upsert(conn, company_plan)
            result = upsert(conn, project_plan)
            report.deleted = delete_stale(conn, project_plan, origin)
            companies_deleted = delete_stale(conn, company_plan, origin)
            report.inserted, report.updated = result.inserted, result.updated
            report.unchanged = result.unchanged
            changed = company_result.changed or result.changed or report.deleted
            if not dry_run and (changed or companies_deleted):
                new_revision(conn)
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
    return report
