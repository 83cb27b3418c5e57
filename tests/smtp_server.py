"""A real local SMTP server (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class LocalSmtp:
    def __init__(self, port: int) -> None:
        self.inbox = _Inbox()
        self.port = port
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> LocalSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.inbox.messages
