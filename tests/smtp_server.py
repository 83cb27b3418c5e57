"""A real local SMTP server (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[Message] = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow mail server; other sessions go on
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class LocalSmtp:
    """`delay`: seconds before each message is accepted, as a real server over a network."""

    def __init__(self, port: int, delay: float = 0.0) -> None:
        self.inbox = _Inbox(delay)
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
