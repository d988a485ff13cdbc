"""A real SMTP server for the tests (aiosmtpd), which answers DATA with replies from a script.

``ScriptedSMTPServer(["451 4.3.0 Try again later"])`` refuses the first message with a
temporary error and accepts every later one; Django's own SMTP backend talks to it.
"""

import socket

from aiosmtpd.controller import Controller

ACCEPTED = "250 2.0.0 OK"


class _ScriptedHandler:
    def __init__(self, replies: list[str]):
        self.replies = list(replies)
        self.accepted: list[bytes] = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        reply = self.replies.pop(0) if self.replies else ACCEPTED
        if reply.startswith("250"):
            self.accepted.append(envelope.original_content)
        else:
            self.refused += 1
        return reply


def _free_port() -> int:
    # aiosmtpd connects to its own port to see that it is up, so it needs a number, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScriptedSMTPServer:
    def __init__(self, replies: list[str] = ()):
        self.handler = _ScriptedHandler(list(replies))
        self.port = _free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def accepted(self) -> list[bytes]:
        return self.handler.accepted

    @property
    def refused(self) -> int:
        return self.handler.refused

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    def configure(self, settings) -> None:
        """Point Django's SMTP backend at this server (``settings`` is pytest-django's fixture)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
