import pytest

from .smtp import ScriptedSMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server that accepts every message; Django's SMTP backend points at it."""
    with ScriptedSMTPServer() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def flaky_smtp_server(settings):
    """Refuses the first message with 451 (a temporary failure), accepts the rest."""
    with ScriptedSMTPServer(["451 4.3.0 Mailbox temporarily unavailable"]) as server:
        server.configure(settings)
        yield server
