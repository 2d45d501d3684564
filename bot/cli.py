"""The `advisor` command: run, train, serve actions, manage catalogs and the knowledge base.

    advisor run                 train if needed, start the action server and Rasa, wait
    advisor train [--force]     train when the model is older than its inputs
    advisor actions             the action server (custom actions + NLG endpoint) alone
    advisor catalogs ...        extract / update / compile / check the gettext catalogs
    advisor handoffs            requests for a human advisor (--close ID to close one)
    advisor knowledge ...       load / validate / stats / import the knowledge base
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from bot import settings as settings_module
from bot.settings import PROJECT_DIR, VAR_DIR, Settings

logger = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 300


def _wait_until_ready(url: str, process: subprocess.Popen, name: str,  # type: ignore[type-arg]
                      timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Poll `url` until it answers 200 with a loaded model, or fail if `process` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                body = reply.read().replace(b" ", b"")
                if reply.status == 200 and b'"ready":false' not in body:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{name} did not become ready within {timeout:.0f} s ({url})")


def start_action_server(config: Settings) -> subprocess.Popen:  # type: ignore[type-arg]
    """Start the action server (custom actions + NLG endpoint); return once it answers."""
    actions = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "actions", "--port", str(config.action_port)],
        cwd=PROJECT_DIR, env={**os.environ, **config.environment()}, start_new_session=True,
    )
    _wait_until_ready(f"http://127.0.0.1:{config.action_port}/health", actions, "action server")
    return actions


def start_rasa(config: Settings) -> subprocess.Popen:  # type: ignore[type-arg]
    """Start the Rasa server on the newest model; return once the model is loaded."""
    VAR_DIR.mkdir(exist_ok=True)
    rasa = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--model", str(settings_module.MODELS_DIR),
         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
         "--port", str(config.rasa_port), "--interface", "127.0.0.1"],
        cwd=PROJECT_DIR, env={**os.environ, **config.environment()}, start_new_session=True,
    )
    _wait_until_ready(f"http://127.0.0.1:{config.rasa_port}/webhooks/rest/", rasa,
                      "Rasa server")
    return rasa


def start_servers(config: Settings) -> list[subprocess.Popen]:  # type: ignore[type-arg]
    """Start the action server and the Rasa server; return once both are ready."""
    actions = start_action_server(config)
    try:
        return [actions, start_rasa(config)]
    except BaseException:
        stop_servers([actions])
        raise


def start_rasa_only(config: Settings) -> list[subprocess.Popen]:  # type: ignore[type-arg]
    """The Rasa server without an action server (fault tests: a dead action server)."""
    return [start_rasa(config)]


def stop_servers(processes: Sequence[subprocess.Popen], grace: float = 15) -> None:  # type: ignore[type-arg]
    """Terminate the servers' process groups; kill what is still alive after `grace`."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _print_usage(config: Settings) -> None:
    url = f"http://localhost:{config.rasa_port}/webhooks/rest/webhook"
    print(f"""
The advisor is running.
  REST:   {url}
  Widget: http://localhost:{os.environ.get("ADVISOR_WEBCHAT_PORT") or "8080"}/  (demo page)
  Try:    curl -s {url} -H 'Content-Type: application/json' \\
            -d '{{"sender": "me", "message": "Hello, what can you do?"}}'
          curl -s {url} -H 'Content-Type: application/json' \\
            -d '{{"sender": "moi", "message": "Financement pour une PME textile au Kenya ?"}}'
  Tracker store: {config.tracker_url}
Press Ctrl-C to stop.
""", flush=True)


def command_run(args: argparse.Namespace) -> int:
    from bot import training

    config = settings_module.load()
    if not args.no_train:
        training.train(config)
    if training.newest_model() is None:
        raise SystemExit("No model under models/: run `advisor train` first")
    processes = start_servers(config)
    # The web widget's demo page (bot/channels/webchat/demo.py), talking to this Rasa server.
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "bot.channels.webchat.demo",
         "--port", os.environ.get("ADVISOR_WEBCHAT_PORT") or "8080",
         "--rasa-url", f"http://localhost:{config.rasa_port}"],
        cwd=PROJECT_DIR, env={**os.environ, **config.environment()}, start_new_session=True,
    ))
    if os.environ.get("ADVISOR_TELEGRAM_TOKEN"):
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "telegram"],
            cwd=PROJECT_DIR, env={**os.environ, **config.environment()}, start_new_session=True,
        ))
        mode = os.environ.get("ADVISOR_TELEGRAM_MODE") or "polling"
        print(f"Telegram bridge: running in {mode} mode (ADVISOR_TELEGRAM_TOKEN is set)",
              flush=True)
    _print_usage(config)
    stop = {"requested": False}

    def request_stop(signum: int, _frame: object) -> None:
        stop["requested"] = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        while not stop["requested"] and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        print("Stopping...", flush=True)
        stop_servers(processes)
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stop["requested"] else 0


def command_train(args: argparse.Namespace) -> int:
    from bot import training

    model = training.train(settings_module.load(), force=args.force)
    print(f"Model: {model}")
    return 0


def command_actions(args: argparse.Namespace) -> int:
    from bot import action_server

    action_server.serve(args.port or settings_module.load().action_port)
    return 0


def command_handoffs(args: argparse.Namespace) -> int:
    """List open hand-offs (oldest first), or close one."""
    import json

    from actions import handoffs

    if args.close is not None:
        if not handoffs.close(args.close, args.note):
            print(f"No hand-off with id {args.close}", file=sys.stderr)
            return 1
        print(f"Closed hand-off {args.close}")
        return 0
    found = handoffs.open_handoffs(include_closed=args.all)
    for handoff in found:
        if args.json:
            print(json.dumps({
                "id": handoff.id, "reference": handoff.reference, "status": handoff.status,
                "created_at": handoff.created_at.isoformat(), "sender": handoff.sender,
                "channel": handoff.channel, "language": handoff.language,
                "profile": handoff.profile, "notified_via": handoff.notified_via,
                "recent_turns": handoff.recent_turns, "note": handoff.note,
            }, ensure_ascii=False))
            continue
        last = handoff.recent_turns[-1]["text"][:70] if handoff.recent_turns else ""
        print(f"{handoff.reference}  {handoff.created_at:%Y-%m-%d %H:%M}  {handoff.status:<6} "
              f"{handoff.language}  {handoff.sender}  via {handoff.notified_via or 'queue'}"
              f"  “{last}”")
    if not found and not args.json:
        print("No open hand-offs." if not args.all else "No hand-offs.")
    return 0


def command_catalogs(args: argparse.Namespace) -> int:
    from locales import catalogs

    return catalogs.main(args.action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="advisor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the assistant (trains first if needed)")
    run.add_argument("--no-train", action="store_true", help="serve the newest model as is")
    run.set_defaults(handler=command_run)

    train = commands.add_parser("train", help="train when the model is older than its inputs")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(handler=command_train)

    actions = commands.add_parser("actions", help="run the action server and NLG endpoint")
    actions.add_argument("--port", type=int, default=None)
    actions.set_defaults(handler=command_actions)

    catalogs = commands.add_parser("catalogs", help="gettext catalogs (pybabel)")
    catalogs.add_argument("action", choices=["extract", "update", "compile", "check"])
    catalogs.set_defaults(handler=command_catalogs)

    handoffs = commands.add_parser("handoffs", help="requests for a human advisor")
    handoffs.add_argument("--all", action="store_true", help="include closed hand-offs")
    handoffs.add_argument("--json", action="store_true", help="one JSON object per line")
    handoffs.add_argument("--close", type=int, metavar="ID", help="close hand-off ID")
    handoffs.add_argument("--note", help="a note to keep with a closed hand-off")
    handoffs.set_defaults(handler=command_handoffs)

    from bot.channels import telegram as telegram_channel

    telegram_channel.register(commands)

    from knowledge import cli as knowledge_cli

    knowledge_cli.register(commands)

    from review import cli as review_cli

    review_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("ADVISOR_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
