"""The ``knowledge`` command: load | validate | stats | sources | migrate | import-partners |
import-cgit.

``register(subparsers)`` adds it to another argparse program (the product's ``advisor``
command); ``main(argv)`` runs it standalone (``python -m knowledge ...``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from knowledge.config import DATA_DIR


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``knowledge`` sub-command (with its own sub-commands) to ``subparsers``."""
    parser = subparsers.add_parser(
        "knowledge", help="load, check and import the knowledge base", description=__doc__
    )
    add_commands(parser)
    return parser


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add the knowledge sub-commands to ``parser``."""
    parser.add_argument("--database-url", help="overrides ADVISOR_DATABASE_URL")
    commands = parser.add_subparsers(dest="knowledge_command", metavar="COMMAND")
    commands.required = True
    load = commands.add_parser("load", help="migrate to head, then load the YAML data")
    load.add_argument("--data-dir", type=Path, default=DATA_DIR)
    load.set_defaults(handler=_guarded(_load))
    validate = commands.add_parser("validate", help="check the YAML data (no database)")
    validate.add_argument("--data-dir", type=Path, default=DATA_DIR)
    validate.set_defaults(handler=_guarded(_validate))
    stats = commands.add_parser("stats", help="row counts and provenance coverage")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler=_guarded(_stats))
    sources = commands.add_parser("sources", help="source domains cited (data/SOURCES.md)")
    sources.add_argument("--write", action="store_true", help="write data/SOURCES.md")
    sources.add_argument("--data-dir", type=Path, default=DATA_DIR)
    sources.set_defaults(handler=_guarded(_sources))
    migrate = commands.add_parser("migrate", help="run the migrations (default: to head)")
    migrate.add_argument("revision", nargs="?", default="head")
    migrate.add_argument("--down", action="store_true", help="downgrade to REVISION (or base)")
    migrate.set_defaults(handler=_guarded(_migrate))
    partners = commands.add_parser("import-partners", help="import an agency's partner CSV")
    partners.add_argument("file", type=Path)
    partners.add_argument("--agency", required=True, help="the agency's name (the rows' origin)")
    partners.add_argument("--source", help="URL of the directory, for rows without source_url")
    partners.add_argument("--as-of", type=dt.date.fromisoformat, help="date of the directory")
    partners.add_argument("--dry-run", action="store_true", help="validate and count only")
    partners.set_defaults(handler=_guarded(_import_partners))
    cgit = commands.add_parser(
        "import-cgit",
        help="import an AEI China Global Investment Tracker file (.csv; .xlsx needs openpyxl)",
    )
    cgit.add_argument("file", type=Path)
    cgit.add_argument("--origin", default="aei_cgit", help="origin of the imported rows")
    cgit.add_argument("--as-of", type=dt.date.fromisoformat, help="date of the download")
    cgit.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows and report the others"
    )
    cgit.add_argument("--dry-run", action="store_true", help="validate and count only")
    cgit.set_defaults(handler=_guarded(_import_cgit))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m knowledge ...``; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    add_commands(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run parsed arguments (callers that used :func:`register` may also call
    ``args.handler(args)`` directly: invalid data is reported, exit status 2)."""
    return int(args.handler(args) or 0)


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``handler`` with invalid data reported on stderr (status 2) instead of a traceback."""

    def wrapped(args: argparse.Namespace) -> int:
        from knowledge.loader.errors import DataError

        try:
            return int(handler(args) or 0)
        except DataError as exc:
            print(exc, file=sys.stderr)
            return 2

    wrapped.__doc__ = handler.__doc__
    return wrapped


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from knowledge.db import create_engine

    return create_engine(args.database_url)


def _load(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from knowledge.db import upgrade
    from knowledge.loader import load_data, validate_data
    from knowledge.queries import catalog

    engine = _engine(args)
    validate_data(args.data_dir)
    upgrade(engine)
    with tqdm(total=7, desc="loading", unit="table", file=sys.stderr) as bar:
        report = load_data(
            engine,
            args.data_dir,
            migrate=False,
            progress=lambda name: (bar.set_postfix_str(name), bar.update()),
        )
    catalog.clear()
    for name, t in report.tables.items():
        print(f"{name:20} +{t.inserted} ~{t.updated} -{t.deleted} ={t.unchanged}")
    print(f"data version {report.version}" + ("" if report.changed else " (no changes)"))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from knowledge.loader import validate_data

    data = validate_data(args.data_dir)
    counts = ", ".join(f"{k}={v}" for k, v in data.counts().items())
    print(f"valid: {counts}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from knowledge.stats import collect, minimums

    engine = _engine(args)
    stats = collect(engine)
    if args.json:
        print(json.dumps(stats, sort_keys=False))
        return 0
    for name, value in stats.items():
        print(f"{name:22} {value}")
    print("\nminimums (issue 3):")
    for name, (have, need) in minimums(engine).items():
        print(f"  {name:20} {have:5} / {need:<5} {'ok' if have >= need else 'SHORT'}")
    return 0


def _sources(args: argparse.Namespace) -> int:
    from knowledge import sources

    if args.write:
        print(f"wrote {sources.write(args.data_dir)}")
    else:
        print(sources.render(args.data_dir), end="")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from knowledge.db import current_revision, downgrade, upgrade

    engine = _engine(args)
    if args.down:
        downgrade(engine, "base" if args.revision == "head" else args.revision)
    else:
        upgrade(engine, args.revision)
    print(f"at revision {current_revision(engine)}")
    return 0


def _import_partners(args: argparse.Namespace) -> int:
    from knowledge.importers.partners import import_partners

    report = import_partners(
        _engine(args),
        args.file,
        args.agency,
        dry_run=args.dry_run,
        source=args.source,
        as_of=args.as_of,
    )
    _print_report(report)
    return 0


def _import_cgit(args: argparse.Namespace) -> int:
    from knowledge.importers.cgit import XlsxUnsupportedError, import_tracker

    try:
        report = import_tracker(
            _engine(args),
            args.file,
            origin=args.origin,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            as_of=args.as_of,
        )
    except XlsxUnsupportedError as exc:
        print(exc, file=sys.stderr)
        return 3
    _print_report(report)
    return 0


def _print_report(report: Any) -> None:
    mode = "dry run (nothing written)" if report.dry_run else "imported"
    print(
        f"{mode}: {report.file} as origin '{report.origin}': {report.rows} rows, "
        f"+{report.inserted} ~{report.updated} -{report.deleted} ={report.unchanged}"
    )
    for problem in report.skipped:
        print(f"  skipped {problem}", file=sys.stderr)
