"""Importers: an agency's partner directory and the AEI tracker (CSV; xlsx needs openpyxl)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from kb_helpers import snapshot
from sqlalchemy import select

from knowledge.importers.cgit import XlsxUnsupportedError, import_tracker
from knowledge.importers.partners import import_partners
from knowledge.loader import DataError, load_data
from knowledge.queries import find_partners, follow_the_leader
from knowledge.schema import Company, LeaderProject

HEADER = (
    "key,name_en,name_zh,kind,country,serves,sectors,services_en,services_zh,website,"
    "contact,source_url,as_of,verification\n"
)
GOOD_ROWS = (
    'nbo_law,"Example Advocates LLP",示例律师事务所,law_firm,KE,KE;eastern_africa,'
    "construction,company law; contracts,公司法；合同,example.co.ke,info@example.co.ke,"
    "https://agency.example.org/directory,2026-11-01,needs_check\n"
    'msa_log,"Coast Freight Ltd",,logistics,KE,,transport_logistics,freight forwarding,,'
    ",,https://agency.example.org/directory,,\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_agency_directory_is_imported_with_the_agency_as_origin(loaded, tmp_path):
    path = write(tmp_path, "directory.csv", HEADER + GOOD_ROWS)
    report = import_partners(loaded, path, "Kenya Export Agency")
    assert (report.rows, report.inserted) == (2, 2)
    with loaded.connect() as conn:
        rows = conn.execute(
            select(Company.key, Company.origin, Company.kind).where(
                Company.origin == "Kenya Export Agency"
            )
        ).all()
    assert {r.key for r in rows} == {"kenya_export_agency:nbo_law", "kenya_export_agency:msa_log"}
    result = find_partners("KE", "construction", "law_firm", engine=loaded)
    top = result.items[0]
    assert top.key == "kenya_export_agency:nbo_law"
    assert "agency_directory" in [r.code for r in top.reasons]
    assert top.provenance.origin == "Kenya Export Agency"


def test_dry_run_validates_and_counts_but_writes_nothing(loaded, tmp_path):
    before = snapshot(loaded)
    path = write(tmp_path, "directory.csv", HEADER + GOOD_ROWS)
    report = import_partners(loaded, path, "Kenya Export Agency", dry_run=True)
    assert report.dry_run and report.inserted == 2
    assert snapshot(loaded) == before


def test_malformed_csv_line_is_reported_by_line_and_nothing_is_imported(loaded, tmp_path):
    before = snapshot(loaded)
    bad = GOOD_ROWS + 'x,"Broken, Ltd",,bank,KE,extra,field,too,many,cells,here,,,,,,\n'
    path = write(tmp_path, "directory.csv", HEADER + bad)
    with pytest.raises(DataError) as caught:
        import_partners(loaded, path, "Kenya Export Agency")
    problem = caught.value.problems[0]
    assert problem.file == "directory.csv" and problem.line == 4
    assert "malformed line: expected 14 fields" in str(problem)
    assert snapshot(loaded) == before


def test_invalid_rows_are_listed_with_their_line_numbers(loaded, tmp_path):
    rows = GOOD_ROWS + (
        "a,Alpha,,wizard,KE,,,,,,,https://a.example.org/x,,\n"
        "b,Beta,,bank,XX,,,,,,,https://a.example.org/x,,\n"
        "c,Gamma,,bank,KE,,,,,,,,,\n"
    )
    path = write(tmp_path, "directory.csv", HEADER + rows)
    with pytest.raises(DataError) as caught:
        import_partners(loaded, path, "Kenya Export Agency")
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(4, "kind"), (5, "country"), (6, "source_url")}


def test_reimporting_an_agency_directory_replaces_its_previous_rows(loaded, tmp_path):
    import_partners(loaded, write(tmp_path, "a.csv", HEADER + GOOD_ROWS), "Agency A")
    only_one = HEADER + GOOD_ROWS.splitlines(keepends=True)[0]
    report = import_partners(loaded, write(tmp_path, "b.csv", only_one), "Agency A")
    assert report.deleted == 1 and report.inserted == 0


def test_a_curated_reload_keeps_imported_rows(loaded, tmp_path):
    import_partners(loaded, write(tmp_path, "a.csv", HEADER + GOOD_ROWS), "Agency A")
    load_data(loaded)
    with loaded.connect() as conn:
        kept = conn.execute(select(Company.key).where(Company.origin == "Agency A")).all()
    assert len(kept) == 2


TRACKER = (
    (
        "China Global Investment Tracker (test file generated for the importer's tests)\n"
        ",,,,,,,,,,,\n"
        "Year,Month,Chinese Entity,Quantity in Millions,Share size,Transaction Party,Sector,"
        "Subsector,Country,Region,BRI,Greenfield\n"
    )
    + """2019,March,PowerChina,450,,Example Hydro Co,Energy,Hydro,Zambia,Sub-Saharan Africa,1,G
2021,July,Example Textile Holdings,120,100%,,Real estate,Property,Vietnam,East Asia,1,G
2022,May,BYD,300,,,Transport,Autos,Brazil,South America,,G
"""
)


def test_tracker_csv_rows_become_leader_projects_with_origin(loaded, tmp_path):
    path = write(tmp_path, "cgit.csv", TRACKER)
    report = import_tracker(loaded, path)
    assert (report.rows, report.inserted) == (3, 3)
    with loaded.connect() as conn:
        rows = conn.execute(select(LeaderProject).where(LeaderProject.origin == "aei_cgit")).all()
    by_company = {r.company_key: r for r in rows}
    assert by_company["powerchina"].country == "ZM" and by_company["powerchina"].sector == "power"
    assert by_company["powerchina"].value_musd_min == 450
    assert by_company["byd"].sector == "automotive"
    assert "aei_cgit:example_textile_holdings" in by_company
    assert all(r.verification == "needs_check" for r in rows)
    assert not import_tracker(loaded, path).inserted  # idempotent
    evidence = follow_the_leader("automotive", "BR", engine=loaded).items[0].projects
    assert evidence[0].provenance.origin == "aei_cgit"


def test_tracker_dry_run_and_unknown_country_report(loaded, tmp_path):
    before = snapshot(loaded)
    bad = TRACKER + "2020,June,Sinopec,200,,,Energy,Oil,Atlantis,Oceania,,\n"
    path = write(tmp_path, "cgit.csv", bad)
    with pytest.raises(DataError) as caught:
        import_tracker(loaded, path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(7, "Country")]
    assert snapshot(loaded) == before
    report = import_tracker(loaded, path, skip_invalid=True, dry_run=True)
    assert report.rows == 3 and len(report.skipped) == 1
    assert snapshot(loaded) == before


@pytest.mark.skipif(
    importlib.util.find_spec("openpyxl") is not None,
    reason="openpyxl is installed: .xlsx files are read",
)
def test_xlsx_without_openpyxl_is_refused_with_a_clear_message(loaded, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(XlsxUnsupportedError, match=r"openpyxl.*save the data sheet as CSV"):
        import_tracker(loaded, path)
