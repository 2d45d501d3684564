"""Loading the YAML data: validated first, one transaction, idempotent upserts by key."""

from __future__ import annotations

import pytest
from kb_helpers import read_records, snapshot, write_records

from knowledge.loader import DataError, load_data, validate_data


def _load_and_snapshot(engine, data_dir):
    load_data(engine, data_dir)
    return snapshot(engine)


def test_the_shipped_data_validates():
    counts = validate_data().counts()
    assert counts["countries"] >= 60 and counts["parks"] >= 40


def test_reloading_twice_changes_nothing(engine, data_dir):
    first = load_data(engine, data_dir)
    assert first.changed
    before = snapshot(engine)
    second = load_data(engine, data_dir)
    assert not second.changed
    assert all(t.inserted == t.updated == t.deleted == 0 for t in second.tables.values())
    assert snapshot(engine) == before


def test_invalid_iso_code_names_file_and_record_and_leaves_the_database_unchanged(engine, data_dir):
    before = _load_and_snapshot(engine, data_dir)
    parks = read_records(data_dir / "parks.yml")
    parks[0]["country"] = "XX"
    write_records(data_dir / "parks.yml", parks)
    with pytest.raises(DataError) as caught:
        load_data(engine, data_dir)
    message = str(caught.value)
    assert "parks.yml" in message and f"'{parks[0]['key']}'" in message
    assert "'XX' is not an ISO 3166-1 alpha-2 code" in message
    assert snapshot(engine) == before


def test_missing_source_is_an_error_naming_the_record(engine, data_dir):
    before = _load_and_snapshot(engine, data_dir)
    channels = read_records(data_dir / "financing.yml")
    del channels[2]["source"]
    write_records(data_dir / "financing.yml", channels)
    with pytest.raises(DataError) as caught:
        load_data(engine, data_dir)
    problem = caught.value.problems[0]
    assert problem.file == "financing.yml"
    assert problem.record == f"'{channels[2]['key']}'"
    assert problem.field == "source" and problem.line
    assert snapshot(engine) == before


def test_duplicate_key_is_an_error_and_nothing_is_half_loaded(engine, data_dir):
    before = _load_and_snapshot(engine, data_dir)
    companies = read_records(data_dir / "companies.yml")
    projects = read_records(data_dir / "projects.yml")
    projects[0]["title"]["en"] = "changed title that must not be written"
    projects.append(dict(projects[1]))
    write_records(data_dir / "projects.yml", projects)
    companies[0]["name"]["en"] = "changed name that must not be written"
    write_records(data_dir / "companies.yml", companies)
    with pytest.raises(DataError) as caught:
        load_data(engine, data_dir)
    assert "duplicate key (first defined in record #2)" in str(caught.value)
    assert f"'{projects[1]['key']}'" in str(caught.value)
    assert snapshot(engine) == before


def test_text_fields_need_english_and_chinese(data_dir):
    parks = read_records(data_dir / "parks.yml")
    parks[3]["name"] = {"en": "Only English"}
    write_records(data_dir / "parks.yml", parks)
    with pytest.raises(DataError, match="missing 'zh' text"):
        validate_data(data_dir)


def test_unknown_sector_and_unknown_company_references_are_errors(data_dir):
    projects = read_records(data_dir / "projects.yml")
    projects[0]["sector"] = "space_travel"
    projects[1]["company"] = "no_such_company"
    write_records(data_dir / "projects.yml", projects)
    with pytest.raises(DataError) as caught:
        validate_data(data_dir)
    text = str(caught.value)
    assert "'space_travel' is not a sector key" in text
    assert "company 'no_such_company' is not in companies.yml" in text


def test_yaml_syntax_errors_name_the_file_and_line(data_dir):
    path = data_dir / "parks.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- key: [unclosed\n", "utf-8")
    with pytest.raises(DataError) as caught:
        validate_data(data_dir)
    problem = caught.value.problems[0]
    assert problem.file == "parks.yml" and problem.line and "YAML syntax error" in str(problem)


def test_oecd_unclassified_is_not_category_zero():
    countries = {c["iso2"]: c for c in validate_data().countries}
    assert countries["DE"]["oecd_classified"] is False and "oecd_category" not in countries["DE"]
    assert countries["SG"]["oecd_classified"] is True and countries["SG"]["oecd_category"] == 0
    assert countries["AF"]["oecd_category"] == 7


def test_a_record_removed_from_the_files_is_deleted_on_reload(engine, data_dir):
    load_data(engine, data_dir)
    parks = read_records(data_dir / "parks.yml")
    removed = parks.pop()
    write_records(data_dir / "parks.yml", parks)
    report = load_data(engine, data_dir)
    assert report.tables["parks"].deleted == 1
    assert removed["key"] not in {row[0] for row in snapshot(engine)["parks"]}


def test_every_shipped_record_has_source_as_of_and_verification():
    data = validate_data()
    for name in ("countries", "risk_notes", "parks", "financing", "companies", "projects"):
        for record in getattr(data, name):
            assert record["source"].startswith("http"), (name, record)
            assert record["as_of"] and record["verification"] in ("verified", "needs_check")
