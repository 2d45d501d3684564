"""Commands of the maintainers' loop, added to `advisor` by `register(subparsers)`:

    advisor transcripts export   conversations of a time range as Markdown, HTML, test stories
    advisor transcripts inbox    user messages with intent, confidence, language, entities
    advisor transcripts review   review the inbox in the terminal (or from a script)
    advisor transcripts serve    the web review page (login token: ADVISOR_REVIEW_TOKEN)
    advisor transcripts forget   delete one user's conversations from the tracker store
    advisor retrain              train a candidate, gate it per language, promote or reject
    advisor model list|show|rollback|promote
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from review.project import Project, ReviewError

DEFAULT_PORT = 8090


def register(subparsers: Any) -> None:
    """Add `transcripts`, `retrain` and `model` to the `advisor` command."""
    _register_transcripts(subparsers)
    _register_retrain(subparsers)
    _register_model(subparsers)


def _guarded(handler: Callable[[argparse.Namespace], int]
             ) -> Callable[[argparse.Namespace], int]:
    """Problems the maintainer can fix are one line on stderr and exit code 2."""
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReviewError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    return run


def _project_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=None,
                        help="project folder (default: this repository)")


def _store_options(parser: argparse.ArgumentParser, time_range: bool = True) -> None:
    parser.add_argument("--tracker-url", default=None,
                        help="SQLAlchemy URL of the tracker store (default: "
                             "ADVISOR_TRACKER_URL, ADVISOR_DATABASE_URL, var/tracker.db)")
    if time_range:
        parser.add_argument("--since", help="from this date/time or age (2025-03-01, 7d, 12h)")
        parser.add_argument("--until", help="up to (not including) this date/time or age")


def _inbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", action="append", default=[], help="only this language "
                        "(repeatable)")
    parser.add_argument("--intent", action="append", default=[], help="only this predicted "
                        "intent (repeatable; a retrieval intent's base name matches its keys)")
    parser.add_argument("--below", type=float, help="only confidence below this (e.g. 0.6)")
    parser.add_argument("--fallback", action="store_true", help="only messages that fell back")
    parser.add_argument("--min-count", type=int, default=1, help="seen at least this often")
    parser.add_argument("--all", action="store_true",
                        help="include texts already in the training data or marked junk")
    parser.add_argument("--limit", type=int, default=None, help="at most this many items")
    _project_option(parser)


def _register_transcripts(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "transcripts", help="export, review and forget conversations (maintainers)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="transcripts_command", metavar="COMMAND")
    commands.required = True

    export = commands.add_parser("export", help="conversations as Markdown, HTML, test stories")
    _store_options(export)
    export.add_argument("--sender", action="append", default=None,
                        help="only this sender id (repeatable)")
    export.add_argument("--format", action="append", choices=["md", "html", "stories", "all"],
                        default=None, help="md, html, stories or all (default: md and stories)")
    export.add_argument("--out", type=Path, default=Path("transcripts"),
                        help="output folder (default: ./transcripts)")
    export.add_argument("--redact", action="append", choices=["email", "phone", "number", "all"],
                        default=None, help="replace personal data (repeatable; all = the three)")
    export.add_argument("--hash-senders", action="store_true",
                        help="replace sender ids by pseudonyms (keyed per export)")
    export.set_defaults(handler=_guarded(_export))

    inbox = commands.add_parser("inbox", help="the NLU inbox: messages and their parse")
    _store_options(inbox)
    _inbox_options(inbox)
    inbox.add_argument("--json", action="store_true", help="one JSON list")
    inbox.set_defaults(handler=_guarded(_inbox))

    review = commands.add_parser("review", help="review the inbox in the terminal")
    _store_options(review)
    _inbox_options(review)
    review.add_argument("--answers", type=Path, default=None,
                        help="answers from this file, one per line (non-interactive)")
    review.set_defaults(handler=_guarded(_review))

    serve = commands.add_parser("serve", help="the web review page")
    _store_options(serve, time_range=False)
    _project_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--token", default=None, help="login token (prefer ADVISOR_REVIEW_TOKEN:"
                       " command lines are visible to other users)")
    serve.add_argument("--secure-cookie", action="store_true",
                       help="mark the session cookie Secure (behind an HTTPS proxy)")
    serve.set_defaults(handler=_guarded(_serve))

    forget = commands.add_parser("forget", help="delete one user's conversations")
    _store_options(forget, time_range=False)
    forget.add_argument("sender", help="the sender id, e.g. telegram:123456")
    forget.add_argument("--dry-run", action="store_true", help="only count the events")
    forget.set_defaults(handler=_guarded(_forget))


def _register_retrain(subparsers: Any) -> None:
    from review.gate import DEFAULT_MARGIN
    from review.registry import DEFAULT_KEEP
    from review.retrain import DEFAULT_EPOCH_FRACTION, MODES

    retrain = subparsers.add_parser(
        "retrain", help="train a candidate, gate it on the held-out tests, promote or reject")
    _project_option(retrain)
    retrain.add_argument("--margin", type=float,
                         default=float(os.environ.get("ADVISOR_GATE_MARGIN") or DEFAULT_MARGIN),
                         help="largest tolerated drop of a language's intent F1 "
                              f"(default: ADVISOR_GATE_MARGIN or {DEFAULT_MARGIN})")
    retrain.add_argument("--keep", type=int,
                         default=int(os.environ.get("ADVISOR_KEEP_MODELS") or DEFAULT_KEEP),
                         help=f"models kept (default: ADVISOR_KEEP_MODELS or {DEFAULT_KEEP})")
    retrain.add_argument("--mode", choices=MODES, default="auto",
                         help="auto: fine-tune when only NLU examples changed, else full")
    retrain.add_argument("--epoch-fraction", type=float, default=DEFAULT_EPOCH_FRACTION,
                         help="share of the epochs a fine-tuning runs "
                              f"(default {DEFAULT_EPOCH_FRACTION})")
    retrain.add_argument("--force", action="store_true", help="retrain even if nothing changed")
    retrain.add_argument("--no-progress", action="store_true", help="no progress bars")
    retrain.set_defaults(handler=_guarded(_retrain))


def _register_model(subparsers: Any) -> None:
    from review.registry import DEFAULT_KEEP

    model = subparsers.add_parser("model", help="list the models, roll back, promote by hand")
    commands = model.add_subparsers(dest="model_command", metavar="COMMAND")
    commands.required = True
    listing = commands.add_parser("list", help="models with their scores (* = served)")
    show = commands.add_parser("show", help="one model's metadata (default: the served one)")
    show.add_argument("name", nargs="?")
    rollback = commands.add_parser("rollback", help="serve the previous model again")
    rollback.add_argument("name", nargs="?", help="roll back to this model (default: previous)")
    promote = commands.add_parser("promote", help="serve this model (e.g. a rejected candidate)")
    promote.add_argument("name")
    for sub, handler in ((listing, _model_list), (show, _model_show),
                         (rollback, _model_rollback), (promote, _model_promote)):
        _project_option(sub)
        sub.add_argument("--keep", type=int,
                         default=int(os.environ.get("ADVISOR_KEEP_MODELS") or DEFAULT_KEEP))
        sub.set_defaults(handler=_guarded(handler))


# -- handlers -----------------------------------------------------------------------------

def _tracker_url(args: argparse.Namespace) -> str:
    from bot import settings

    return args.tracker_url or settings.load().tracker_url


def _selection(args: argparse.Namespace) -> Any:
    from review.conversations import parse_time
    from review.inbox import InboxFilter

    return InboxFilter(
        since=parse_time(args.since), until=parse_time(args.until),
        languages=frozenset(args.language), intents=frozenset(args.intent), below=args.below,
        fallback_only=args.fallback, include_known=args.all, min_count=args.min_count)


def _load_inbox(args: argparse.Namespace) -> tuple[Project, Any, list[Any]]:
    from review.examples import JunkList, TrainingIndex
    from review.inbox import build
    from review.store import TrackerEvents

    project = Project.at(args.project)
    index = TrainingIndex.load(project)
    with TrackerEvents(_tracker_url(args)) as store:
        items = build(store, _selection(args), index, JunkList(project))
    return project, index, items[: args.limit] if args.limit else items


def _export(args: argparse.Namespace) -> int:
    from review.conversations import group, parse_time
    from review.export import export
    from review.redact import Redactor
    from review.store import TrackerEvents

    formats = set(args.format or ["md", "stories"])
    if "all" in formats:
        formats = {"md", "html", "stories"}
    redactor = Redactor.from_options(args.redact, args.hash_senders)
    with TrackerEvents(_tracker_url(args)) as store:
        conversations = group(store.events(parse_time(args.since), parse_time(args.until),
                                           senders=args.sender))
    written = export(conversations, args.out, formats, redactor)
    print(f"{len(conversations)} conversation(s), {len(written)} file(s) in {args.out}"
          + (f" (redacted: {', '.join(sorted(redactor.kinds)) or 'senders only'})"
             if redactor else ""))
    return 0


def _inbox(args: argparse.Namespace) -> int:
    from review.inbox import table

    _, _, items = _load_inbox(args)
    if args.json:
        print(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=1))
    else:
        print(table(items) if items else "The inbox is empty for these filters.")
    return 0


def _review(args: argparse.Namespace) -> int:
    from review.terminal import prompter_for, review

    project, index, items = _load_inbox(args)
    if not items:
        print("The inbox is empty for these filters.")
        return 0
    review(items, project, prompter_for(args.answers), index)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from review.web import ReviewApp, make_server

    token = args.token or os.environ.get("ADVISOR_REVIEW_TOKEN")
    if not token:
        raise ReviewError("Set ADVISOR_REVIEW_TOKEN (or --token) to a long random value, "
                          "e.g. `export ADVISOR_REVIEW_TOKEN=$(openssl rand -hex 32)`: the "
                          "page writes training data and shows what users wrote")
    app = ReviewApp(Project.at(args.project), _tracker_url(args), token, args.secure_cookie)
    server = make_server(app, args.host, args.port)
    print(f"Review page on http://{args.host}:{server.server_address[1]}/ (Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.store.close()
    return 0


def _forget(args: argparse.Namespace) -> int:
    from review.store import TrackerEvents

    with TrackerEvents(_tracker_url(args)) as store:
        if args.dry_run:
            print(f"{store.count(args.sender)} event(s) of {args.sender!r} would be deleted")
            return 0
        deleted = store.forget(args.sender)
    print(f"Deleted {deleted} event(s) of {args.sender!r}" if deleted
          else f"No events of {args.sender!r} in the tracker store")
    return 0


def _retrain(args: argparse.Namespace) -> int:
    from bot import settings
    from review.retrain import RetrainOptions, retrain

    options = RetrainOptions(margin=args.margin, keep=args.keep, mode=args.mode,
                             epoch_fraction=args.epoch_fraction, force=args.force,
                             progress=not args.no_progress)
    result = retrain(Project.at(args.project), settings.load(), options)
    return 0 if result.status in ("promoted", "up_to_date") else 1


def _registry(args: argparse.Namespace) -> Any:
    from review.registry import Registry

    return Registry(Project.at(args.project).models_dir, args.keep)


def _model_list(args: argparse.Namespace) -> int:
    print(_registry(args).table())
    return 0


def _model_show(args: argparse.Namespace) -> int:
    registry = _registry(args)
    info = registry.find(args.name) if args.name else registry.served()
    if info is None:
        raise ReviewError("No model")
    print(json.dumps({"path": str(info.path), **info.metadata}, indent=2, ensure_ascii=False))
    return 0


def _model_rollback(args: argparse.Namespace) -> int:
    target, retired = _registry(args).rollback(args.name)
    for info in retired:
        print(f"Archived {info.name}")
    print(f"Serving {target.name} again; restart the assistant to load it.")
    return 0


def _model_promote(args: argparse.Namespace) -> int:
    info = _registry(args).restore(args.name)
    print(f"Serving {info.name}; restart the assistant to load it.")
    return 0
