"""A Streamlit session spoken over its WebSocket the way the browser speaks it.

The load benchmark and the live-viewer benchmark need many sessions that cost the server what
a browser costs it, but not a Chromium each. `BrowserSession` fetches the page first (which
sets the proxy's affinity cookie and our visitor cookie, as for a browser), opens
`/_stcore/stream` with those cookies, and sends the same protobuf `BackMsg`s the frontend
sends: a page run with its query, a button press (the button's widget id as drawn by the
server), the heartbeat. A run counts as answered when the server reports the script finished
(after any `st.rerun`); the texts and buttons it drew are kept for checks.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM_PATH = "/_stcore/stream"
FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FRAGMENT_FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


class SessionError(RuntimeError):
    """The server closed the session, drew an exception or did not answer in time."""


def rerun(query: str, page_name: str = "", page_hash: str = "", fragment: str = "") -> bytes:
    """A page run as the frontend asks for it (a fragment's automatic rerun with `fragment`)."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = "" if page_hash else page_name
    message.rerun_script.page_script_hash = page_hash
    if fragment:
        message.rerun_script.fragment_id = fragment
        message.rerun_script.is_auto_rerun = True
    return message.SerializeToString()


def press(query: str, page_hash: str, widget_id: str) -> bytes:
    """A button press: a run whose widget states carry the button's trigger."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = page_hash
    state = message.rerun_script.widget_states.widgets.add()
    state.id = widget_id
    state.trigger_value = True
    return message.SerializeToString()


def heartbeat() -> bytes:
    message = BackMsg()
    message.app_heartbeat = True
    return message.SerializeToString()


@dataclass
class Drawn:
    """What one run put on the page: its texts, its buttons (label -> widget id), errors."""

    texts: list[str] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)

    def add(self, message: ForwardMsg) -> None:
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "button":
            self.buttons[element.button.label] = element.button.id
        elif kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "metric":
            self.texts.append(f"{element.metric.label}: {element.metric.body}")
        elif kind == "alert":
            self.texts.append(element.alert.body)
        elif kind == "heading":
            self.texts.append(element.heading.body)

    def contains(self, text: str) -> bool:
        return any(text in t for t in self.texts)


def _cookies(url: str, headers: dict[str, str], timeout: float) -> str:
    """Fetch the page as a browser would first and return the cookies it set."""
    request = urllib.request.Request(url + "/", headers=headers)  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        jar = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        response.read()
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())


class BrowserSession:
    """One simulated browser tab: `async with BrowserSession(url) as s: await s.open(...)`."""

    def __init__(
        self, url: str, *, timeout: float = 60, headers: dict[str, str] | None = None
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.page_hash = ""
        self.query = ""
        self._ws = None
        self._beat: asyncio.Task | None = None

    async def __aenter__(self) -> BrowserSession:
        cookie = await asyncio.to_thread(_cookies, self.url, self.headers, self.timeout)
        headers = {**self.headers, **({"Cookie": cookie} if cookie else {})}
        self._ws = await websockets.connect(
            self.url.replace("http", "ws", 1) + STREAM_PATH,
            origin=self.url,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # browsers send no pings; a busy server must not drop them
        )
        self._beat = asyncio.create_task(self._heartbeats())
        return self

    async def __aexit__(self, *_exc) -> None:
        if self._beat is not None:
            self._beat.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def _heartbeats(self, every: float = 5) -> None:
        while True:
            await asyncio.sleep(every)
            await self._ws.send(heartbeat())

    async def open(self, page_name: str = "", query: str = "") -> tuple[Drawn, float]:
        """Run a page (by its URL path; "" for the start page) with a query string."""
        self.query = query
        self.page_hash = ""
        return await self._ask(rerun(query, page_name))

    async def click(self, label: str, drawn: Drawn) -> tuple[Drawn, float]:
        """Press the button with this label on the page drawn last."""
        if label not in drawn.buttons:
            raise SessionError(f"Kein Knopf „{label}“ auf der Seite")
        return await self._ask(press(self.query, self.page_hash, drawn.buttons[label]))

    async def _ask(self, payload: bytes) -> tuple[Drawn, float]:
        """Send one interaction; the page drawn and the seconds until the server finished."""
        began = time.monotonic()
        await self._ws.send(payload)
        drawn = Drawn()
        deadline = began + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SessionError(f"keine Antwort binnen {self.timeout:.0f} s")
            raw = await asyncio.wait_for(self._ws.recv(), remaining)
            message = ForwardMsg.FromString(raw)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                drawn = Drawn()  # a rerun started afresh: only its page counts
                self.page_hash = message.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.page_hash = message.navigation.page_script_hash or self.page_hash
            elif kind == "delta":
                drawn.add(message)
            elif kind == "page_not_found":
                raise SessionError("Seite nicht gefunden")
            elif kind == "script_finished" and message.script_finished == FINISHED:
                break
        if drawn.exceptions:
            raise SessionError(drawn.exceptions[0])
        return drawn, time.monotonic() - began
