"""Fixtures of the webchat channel tests: the channel served with a fake agent (no model)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webchat.fake_channel import ChannelServer, start_channel_server


@pytest.fixture(scope="session")
def channel_server() -> Iterator[ChannelServer]:
    running, stop = start_channel_server()
    yield running
    stop()


@pytest.fixture
def server(channel_server: ChannelServer) -> Iterator[ChannelServer]:
    """The shared server with the fake agent reset to echoing."""
    channel_server.agent.mode = "echo"
    channel_server.agent.delay = 0.0
    channel_server.agent.received.clear()
    yield channel_server
