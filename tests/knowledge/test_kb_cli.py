"""The ``knowledge`` command line, standalone and registered in another program."""

from __future__ import annotations

import argparse
import json

from knowledge import cli, sources
from knowledge.config import DATA_DIR


def test_load_then_stats_json_prints_counts_and_provenance_fractions(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    assert cli.main(["--database-url", url, "load"]) == 0
    capsys.readouterr()
    assert cli.main(["--database-url", url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    for table in (
        "countries",
        "parks",
        "financing_channels",
        "companies",
        "leader_projects",
        "sectors",
        "country_risk_notes",
    ):
        assert stats[table] > 0
    assert stats["with_source"] == 1.0 and stats["with_as_of"] == 1.0
    assert 0.5 < stats["verified"] <= 1.0


def test_register_adds_the_knowledge_subcommand_to_another_program(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="advisor")
    subparsers = parser.add_subparsers(dest="command")
    cli.register(subparsers)
    args = parser.parse_args(["knowledge", "validate"])
    assert cli.run(args) == 0
    assert capsys.readouterr().out.startswith("valid:")


def test_invalid_data_exits_non_zero_with_the_problem(tmp_path, capsys, data_dir):
    path = data_dir / "countries.yml"
    path.write_text(path.read_text("utf-8").replace("iso2: AF", "iso2: AFG", 1), "utf-8")
    assert cli.main(["validate", "--data-dir", str(data_dir)]) == 2
    assert "countries.yml" in capsys.readouterr().err


def test_import_partners_dry_run_from_the_command_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    cli.main(["--database-url", url, "load"])
    csv_path = tmp_path / "d.csv"
    csv_path.write_text(
        "name_en,kind,country,source_url\nAcme Law,law_firm,KE,https://agency.example.org/d\n",
        "utf-8",
    )
    code = cli.main(
        [
            "--database-url",
            url,
            "import-partners",
            str(csv_path),
            "--agency",
            "KenTrade",
            "--dry-run",
        ]
    )
    assert code == 0 and "dry run" in capsys.readouterr().out


def test_sources_md_is_generated_and_up_to_date():
    assert (DATA_DIR / "SOURCES.md").read_text("utf-8") == sources.render()
