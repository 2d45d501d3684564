"""Export: Markdown and HTML transcripts, Rasa test stories, redaction, time ranges, forget;
on SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from review.conversations import group, parse_time
from review.export import export, md_escape
from review.redact import Redactor
from review.store import TrackerEvents
from tests.review.builders import postgres_reason, postgres_store, save_conversations
from tests.review.conftest import HOSTILE, T0, sample_conversations


def _conversations(url: str, since: float | None = None, until: float | None = None):
    with TrackerEvents(url) as store:
        return group(store.events(since, until))


def test_conversations_are_grouped_by_sender_and_session(tracker_url: str) -> None:
    conversations = {c.sender_id: c for c in _conversations(tracker_url)}
    assert sorted(conversations) == ["alice", "bob", "carol", "dave"]
    assert len(conversations["carol"].sessions) == 2
    assert conversations["bob"].count("user") == 3


def test_time_range_selects_events(tracker_url: str) -> None:
    late = _conversations(tracker_url, since=T0 + 50_000)
    assert [c.sender_id for c in late] == ["carol"]
    assert [c.sender_id for c in _conversations(tracker_url, until=T0 + 1500)] == ["alice", "bob"]


def test_parse_time_accepts_dates_and_ages() -> None:
    assert parse_time("7d", now=1_000_000.0) == 1_000_000.0 - 7 * 86400
    assert parse_time("2023-11-14T22:13:20+00:00") == T0
    assert parse_time(None) is None
    with pytest.raises(Exception, match="Not a date"):
        parse_time("last tuesday")


def test_markdown_and_html_transcripts(tracker_url: str, tmp_path: Path) -> None:
    written = export(_conversations(tracker_url), tmp_path, ["md", "html"], Redactor())
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert "index.md" in names and "index.html" in names
    assert "transcripts/alice.md" in names and "transcripts/carol.html" in names
    alice = (tmp_path / "transcripts" / "alice.md").read_text(encoding="utf-8")
    assert "Hola, necesito un préstamo para Kenia" in alice
    assert "es · ask\\_financing 0.87 · country=KE" in alice
    assert "\\[50 000 USD\\]" in alice                    # buttons shown, escaped
    bob_html = (tmp_path / "transcripts" / "bob.html").read_text(encoding="utf-8")
    assert "<script>alert" not in bob_html and "&lt;script&gt;" in bob_html
    assert "<b>Here" not in bob_html                    # bot text is escaped too
    assert "default-src 'none'" in bob_html and 'dir=auto' in bob_html
    bob_md = (tmp_path / "transcripts" / "bob.md").read_text(encoding="utf-8")
    assert "<script>" not in bob_md and "\\<script\\>" in bob_md
    assert "(fallback)" in bob_md
    carol = (tmp_path / "transcripts" / "carol.md").read_text(encoding="utf-8")
    assert carol.count("## Session") == 2


def test_markdown_escaping() -> None:
    assert md_escape("[click](http://evil)") == "\\[click\\](http://evil)"
    assert md_escape("# title") == "\\# title"
    assert md_escape("1. first") == "1\\. first"
    assert md_escape("line\nbreak") == "line break"


def test_test_stories_are_read_by_rasa(tracker_url: str, tmp_path: Path) -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    export(_conversations(tracker_url), tmp_path, ["stories"], Redactor())
    text = (tmp_path / "test_stories.yml").read_text(encoding="utf-8")
    steps = YAMLStoryReader(Domain.empty()).read_from_string(text)
    names = {step.block_name for step in steps}
    assert names == {"alice session 1", "bob session 1", "carol session 1", "carol session 2",
                     "dave session 1"}
    assert 'préstamo para [Kenia]{"entity": "country", "value": "KE"}' in text
    assert "intent: compliance_info" in text
    assert '"language"' not in text                      # the detector's tag is not a span


def test_redaction_in_exports(tracker_url: str, tmp_path: Path) -> None:
    redactor = Redactor.from_options(["all"], hash_senders=True)
    out = tmp_path / "export"
    export(_conversations(tracker_url), out, ["md", "html", "stories"], redactor)
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.*"))
    for secret in ("bob@example.com", "138 0013 8000", "500,000", "50 000", "bob"):
        assert secret not in everything, secret
    assert "[email]" in everything and "[phone]" in everything
    stories = (out / "test_stories.yml").read_text(encoding="utf-8")
    # Egypt's span moved with the redactions before it; the redacted amount was dropped.
    assert '[Egypt]{"entity": "country", "value": "EG"}' in stories
    assert '"amount"' not in stories
    assert "user-" in stories


def test_redactor_details() -> None:
    redactor = Redactor.from_options(["email", "phone", "number"])
    result = redactor.redact("call +7 (495) 123-45-67 or a@b.co about ١٢٠٠٠ units in Kenya")
    assert result.text == "call [phone] or [email] about [number] units in Kenya"
    start = result.original.index("Kenya")
    assert result.map_span(start, start + 5) == (result.text.index("Kenya"),
                                                 result.text.index("Kenya") + 5)
    assert result.map_span(5, 10) is None
    assert Redactor.from_options(["email"]).text("2 pcs, x@y.org") == "2 pcs, [email]"
    assert Redactor().text("unchanged 123") == "unchanged 123"
    pseudonyms = Redactor(hash_senders=True)
    assert pseudonyms.sender("telegram:42") == pseudonyms.sender("telegram:42") != "telegram:42"


def test_forget_deletes_one_sender(tracker_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["transcripts", "forget", "bob", "--dry-run",
                     "--tracker-url", tracker_url]) == 0
    assert "would be deleted" in capsys.readouterr().out
    assert cli.main(["transcripts", "forget", "bob", "--tracker-url", tracker_url]) == 0
    assert "Deleted" in capsys.readouterr().out
    with TrackerEvents(tracker_url) as store:
        assert store.count("bob") == 0
        assert store.senders() == ["alice", "carol", "dave"]


def test_export_command(tracker_url: str, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "export"
    assert cli.main(["transcripts", "export", "--tracker-url", tracker_url, "--out", str(out),
                     "--format", "all", "--since", "2023-11-14", "--sender", "carol",
                     "--redact", "number"]) == 0
    assert "1 conversation(s)" in capsys.readouterr().out
    assert (out / "transcripts" / "carol.html").exists()
    assert not (out / "transcripts" / "bob.md").exists()


def test_missing_store_is_a_clear_error(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["transcripts", "inbox", "--tracker-url",
                     f"sqlite:///{tmp_path / 'empty.db'}"]) == 2
    assert "No Rasa tracker store" in capsys.readouterr().err


def test_postgres_tracker_store(tmp_path: Path) -> None:
    reason = postgres_reason()
    if reason:
        pytest.skip(reason)
    with postgres_store() as (store, url):
        save_conversations(store, sample_conversations())
        conversations = _conversations(url)
        assert [c.sender_id for c in conversations] == ["alice", "bob", "carol", "dave"]
        export(conversations, tmp_path, ["md", "stories"], Redactor())
        assert HOSTILE not in (tmp_path / "transcripts" / "bob.md").read_text(encoding="utf-8")
        with TrackerEvents(url) as events:
            assert events.forget("alice") > 0
            assert events.senders() == ["bob", "carol", "dave"]
