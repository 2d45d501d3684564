"""Smoke test of benchmarks/public_nlu.py: it keeps training, parsing and reporting.

`--smoke` trains both pipelines (ours from config.yml, stock Rasa) for one epoch on a few
intents of every public dataset in ../shared/benchmarks (about a minute on 2 CPUs). The
figures themselves mean nothing at that size: only the shape of the report is asserted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import public_data as data
from benchmarks import public_nlu

pytestmark = pytest.mark.slow

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_DIR / "benchmarks" / "public_nlu.py"
DATA_DIR = public_nlu.DEFAULT_DATA_DIR
PIPELINES = ("ours", "stock")
ROW_PREFIX = {"clinc150": "CLINC150", "banking77": "BANKING77", "hwu64": "HWU64",
              "xsid": "xSID"}
NUMBER = re.compile(r"^(\d+\.\d{3})(?: ±\d+\.\d{3})?$")


def present_datasets() -> list[str]:
    """The datasets the smoke run can use (HWU64 needs its fold 1, the smoke default)."""
    present = []
    for name in public_nlu.DATASETS:
        folder = DATA_DIR / name
        if not folder.is_dir():
            continue
        if name == "hwu64" and 1 not in data.hwu64_folds(folder):
            continue
        present.append(name)
    return present


def run_script(*args: str, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, str(SCRIPT), "--smoke", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def printed_results(stdout: str) -> dict[tuple[str, str], list[str]]:
    """The printed results table: (dataset, metric) -> the other cells."""
    table = stdout.split("## Public NLU benchmarks", 1)[1].strip().split("\n\n")[1]
    lines = [[c.strip() for c in line.strip().strip("|").split("|")]
             for line in table.splitlines()]
    header, rows = lines[0], lines[2:]
    assert header[:5] == ["dataset", "metric", "ours", "stock Rasa", "published"], header
    assert header[5].startswith("training time"), header
    return {(row[0], row[1]): row[2:] for row in rows}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    present = present_datasets()
    if not present:
        pytest.skip(f"no public benchmark data under {DATA_DIR}")
    tmp = tmp_path_factory.mktemp("public-nlu-smoke")
    out = tmp / "results.json"
    result = run_script("--data-dir", str(DATA_DIR), "--json-out", str(out), cwd=tmp)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return {"present": present, "stdout": result.stdout,
            "json": json.loads(out.read_text(encoding="utf-8"))}


def test_every_present_dataset_has_a_row_for_both_pipelines(smoke: dict[str, Any]) -> None:
    rows = smoke["json"]["rows"]
    printed = printed_results(smoke["stdout"])
    assert len(printed) == len(rows)
    for name in smoke["present"]:
        mine = [r for r in rows if r["dataset"].startswith(ROW_PREFIX[name])]
        assert mine, f"no row for {name}"
        if name == "clinc150":
            assert {r["metric"] for r in mine} == {"in-scope accuracy", "out-of-scope recall"}
        if name == "xsid":
            languages = [x for x in data.XSID_LANGUAGES
                         if (DATA_DIR / "xsid" / f"{x}.test.conll").exists()]
            assert sorted(r["dataset"] for r in mine) == sorted(f"xSID {x}" for x in languages)
        for row in mine:
            for pipeline in PIPELINES:
                value = row["values"][pipeline]
                assert value is not None and 0.0 <= value <= 1.0, row
            cells = printed[(row["dataset"], row["metric"])]
            for cell in cells[:2]:  # ours, stock Rasa
                match = NUMBER.match(cell)
                assert match and 0.0 <= float(match.group(1)) <= 1.0, (row, cells)
            assert re.fullmatch(r"\d+ s / \d+ s", cells[3]), cells  # training time


def test_published_figures_are_shown_where_known(smoke: dict[str, Any]) -> None:
    printed = printed_results(smoke["stdout"])
    for row in smoke["json"]["rows"]:
        name, metric = row["dataset"], row["metric"]
        if name.startswith("xSID "):
            language = name.split()[1]
            expected = (f"mBERT {public_nlu.XSID_MBERT[language]:.3f}"
                        if language in public_nlu.XSID_MBERT else "-")
        else:
            expected = public_nlu.PUBLISHED[(name.split(" (")[0], metric)]
        assert expected in row["published"], row
        assert expected in printed[(name, metric)][2], printed[(name, metric)]
    shown = [r for r in smoke["json"]["rows"] if r["published"] != "-"]
    assert shown or not smoke["present"]
    for name in set(smoke["present"]) & {"clinc150", "banking77", "xsid"}:
        assert any(r["dataset"].startswith(ROW_PREFIX[name]) for r in shown), name


def test_each_run_trains_both_pipelines_with_a_training_time(smoke: dict[str, Any]) -> None:
    runs = smoke["json"]["runs"]
    for name in smoke["present"]:
        mine = [r for r in runs if r["dataset"].startswith(ROW_PREFIX[name])]
        assert {r["pipeline"] for r in mine} == set(PIPELINES), name
        assert all(r["train_seconds"] > 0 and r["epochs"] == 1 for r in mine), mine
    assert smoke["json"]["smoke"] is True


def test_missing_dataset_folders_are_skipped_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (DATA_DIR / "banking77").is_dir():
        pytest.skip("BANKING77 is not under ../shared/benchmarks")
    (tmp_path / "banking77").symlink_to(DATA_DIR / "banking77", target_is_directory=True)
    (tmp_path / "hwu64").mkdir()  # a folder without folds
    args = public_nlu.parse_args(["--smoke", "--data-dir", str(tmp_path)])
    loaded = public_nlu.load_benchmarks(args)
    out = capsys.readouterr().out
    assert [name for name, _ in loaded] == ["banking77"]
    assert f"SKIPPED clinc150: no folder {tmp_path / 'clinc150'}" in out
    assert f"SKIPPED xsid: no folder {tmp_path / 'xsid'}" in out
    assert "SKIPPED hwu64: folds [1] not under" in out


def test_an_empty_data_folder_is_reported_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # main() sets these when unset: keep them from leaking into the other tests
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED",
                       os.environ.get("RASA_TELEMETRY_ENABLED", "false"))
    assert public_nlu.main(["--smoke", "--data-dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("SKIPPED") == len(public_nlu.DATASETS)
    assert "No dataset found" in captured.err


def test_a_run_with_missing_folders_still_reports_the_present_ones(tmp_path: Path) -> None:
    """End to end: one dataset present, one missing; the script completes and reports."""
    if not (DATA_DIR / "banking77").is_dir():
        pytest.skip("BANKING77 is not under ../shared/benchmarks")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "banking77").symlink_to(DATA_DIR / "banking77", target_is_directory=True)
    result = run_script("--data-dir", str(data_dir), "--datasets", "banking77", "clinc150",
                        "--pipelines", "stock", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert f"SKIPPED clinc150: no folder {data_dir / 'clinc150'}" in result.stdout
    table = result.stdout.split("## Public NLU benchmarks", 1)[1]
    assert "| BANKING77" in table and "CLINC150 " not in table
