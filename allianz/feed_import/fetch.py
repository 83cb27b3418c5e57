"""Fetching a feed from a member's website, carefully: http(s) only, public addresses only
(no loopback, private, link-local or reserved networks, checked on every redirect, and the
connection goes to the address that was checked, so a second DNS answer cannot point it
elsewhere), a timeout, and a size cap enforced while reading (a 20 MB answer is refused after
5 MB, or at once when it announces its length).

`allowed` names networks that may be reached although they are not public: the unit tests
serve their feeds from 127.0.0.1 and pass it explicitly; the app and the command line never
pass anything, so there is no switch to leave on by mistake.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from allianz.errors import ValidationError
from allianz.feed_import.model import MAX_BYTES, MAX_REDIRECTS, TIMEOUT_SECONDS
from allianz.formatting import de_number

USER_AGENT = "Allianz-Werkstatt Feed-Übernahme (+https://github.com/)"


class FetchError(ValidationError):
    """The feed could not be fetched; German message for the staff."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def networks(allowed: Iterable[str]) -> Networks:
    return tuple(ipaddress.ip_network(n, strict=False) for n in allowed)


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) address, or FetchError in German."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError("Die Adresse ist ungültig.") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError("Nur Adressen mit http:// oder https:// können abgerufen werden.")
    if not parts.hostname:
        raise FetchError("In der Adresse fehlt der Name der Website.")
    if parts.username or parts.password:
        raise FetchError("Adressen mit Benutzername oder Passwort werden nicht abgerufen.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _public_address(host: str, port: int, allowed: Networks) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"Die Website „{host}“ ist nicht erreichbar (Name unbekannt).") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if any(address in net for net in allowed):
            continue
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"„{host}“ zeigt auf eine interne Adresse ({address}); abgerufen werden nur "
                "öffentliche Websites."
            )
    if not addresses:
        raise FetchError(f"Die Website „{host}“ ist nicht erreichbar (Name unbekannt).")
    return str(addresses[0])


class _Pinned(http.client.HTTPConnection):
    """Connects to the checked address, not to a fresh DNS answer."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _mb(size: int) -> str:
    return f"{de_number(size / 1024 / 1024, 1)} MB"


def _too_slow(timeout: float) -> FetchError:
    return FetchError(
        f"Die Website hat nicht innerhalb von {de_number(timeout, 1)} Sekunden geantwortet."
    )


def _read(response: http.client.HTTPResponse, limit: int, deadline: float, timeout: float) -> bytes:
    announced = response.getheader("Content-Length")
    if announced and announced.strip().isdigit() and int(announced) > limit:
        raise FetchError(
            f"Der Feed ist zu groß ({_mb(int(announced))}; höchstens {_mb(limit)}). Er wurde "
            "nicht geladen."
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise _too_slow(timeout)
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(
                f"Der Feed ist größer als {_mb(limit)} und wurde nicht weiter geladen."
            )
        chunks.append(chunk)


def get(
    url: str,
    allowed: Networks = (),
    limit: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> Fetched:
    """The body of `url` (following up to three redirects, each checked anew)."""
    deadline = time.monotonic() + timeout
    current = url.strip()
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port = check_url(current)
        address = _public_address(host, port, allowed)
        kind = _PinnedTLS if scheme == "https" else _Pinned
        connection = kind(host, port, address, timeout)
        parts = urlsplit(current)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "application/rss+xml, application/atom+xml, text/calendar, "
                    "application/xml;q=0.9, */*;q=0.5",
                    "Accept-Encoding": "identity",
                },
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                target = response.getheader("Location") or ""
                if not target:
                    raise FetchError("Die Website leitet weiter, ohne ein Ziel zu nennen.")
                current = urljoin(current, target)
                continue
            if response.status != 200:
                raise FetchError(
                    f"Die Website antwortet mit dem Fehler {response.status} "
                    f"({response.reason or 'ohne Begründung'})."
                )
            body = _read(response, limit, deadline, timeout)
            return Fetched(current, (response.getheader("Content-Type") or "").lower(), body)
        except TimeoutError as exc:
            raise _too_slow(timeout) from exc
        except ssl.SSLError as exc:
            raise FetchError(
                "Die sichere Verbindung (HTTPS) zur Website ist fehlgeschlagen: das Zertifikat "
                "ist ungültig oder abgelaufen."
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"Die Website „{host}“ ist nicht erreichbar.") from exc
        finally:
            connection.close()
    raise FetchError("Die Website leitet zu oft weiter.")
