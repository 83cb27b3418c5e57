"""Open311 GeoReport v2 at /open311/v2/: the same rules as the web form, no personal data out.

services.{json,xml}, services/{code}.{json,xml}, requests.{json,xml} (GET filters, POST form),
requests/{id}.{json,xml}, and media/{id}.jpg for photos. Every answer, errors included, comes in
the format the path asks for; an unknown format gets a 404 error list in JSON.

A POST is bounded before it is parsed (body size, number and length of fields) and may carry an
idempotency key (`Idempotency-Key` header or `attribute[client_request_id]`): a repeat from the
same client gets the first answer again instead of a second suggestion.

A POST takes the spec's standard fields from any client: `email`, `first_name`, `last_name`,
`phone`, `address_string`, `media_url`. Sending `email` means the reporter asked for news (the
client app collects that consent); the personal fields are kept privately for the responsible
staff and no GET returns them.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from xml.etree import ElementTree as ET

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from allianz import config, database, limits, submissions, visitors
from allianz.municipalities import service as municipalities
from allianz.suggestions import presentation, service, store
from allianz.suggestions.model import CLOSED, TITLE_MAX, Status, Suggestion
from allianz.text import clean

PREFIX = "/open311/v2"
# One API client may forward many citizens' reports (e.g. a municipal app), so its limit is
# higher than a browser's; it still stops a flood. An operator whose municipal app forwards
# more raises it with ALLIANZ_API_POST_LIMIT (reports per client address per 15 minutes).
# Counted in the database (`allianz.limits`): a restart or a second process does not reset it.
API_POST_LIMIT = int(os.environ.get("ALLIANZ_API_POST_LIMIT", "30"))
POST_LIMIT = limits.Limit(
    "open311.post",
    API_POST_LIMIT,
    15 * 60,
    "Zu viele Hinweise in kurzer Zeit. Bitte versuchen Sie es {wann} erneut.",
)
_OPEN = tuple(s for s in Status if s not in CLOSED)
FORMATS = ("json", "xml")
# A report is a few short fields and at most DESCRIPTION_MAX (2,000) characters of text; the
# limits leave room for percent-encoding and are checked before anything is parsed or stored.
MAX_BODY_BYTES = 64 * 1024
DRAIN_BYTES = 32 * 1024 * 1024  # read and dropped before a 413 (see _capped_body)
MAX_FIELDS = 30
MAX_FIELD_CHARS = 4000
IDEMPOTENCY_KEY_MAX = 255
IDEMPOTENCY_ATTRIBUTE = "attribute[client_request_id]"
CONSENT_ATTRIBUTE = "attribute[email_consent]"
_NO = ("false", "0", "nein", "no")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ApiError(Exception):
    def __init__(self, status: int, messages: list[str]):
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = messages


def _check_format(fmt: str) -> None:
    """Before any work: a POST to requests.yaml must not store a suggestion and then fail."""
    if fmt not in FORMATS:
        raise ApiError(404, ["Format wird nicht unterstützt (json oder xml)."])


def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # the spec's examples write true/false, as JSON does
        return "true" if value else "false"
    return str(value)


def _xml(top: ET.Element, status: int) -> Response:
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, status_code=status, media_type="text/xml; charset=utf-8")


def _render(fmt: str, payload, root: str, item: str, status: int = 200) -> Response:
    _check_format(fmt)
    if fmt == "json":
        return JSONResponse(payload, status_code=status)
    top = ET.Element(root)
    for entry in payload:
        node = ET.SubElement(top, item)
        for key, value in entry.items():
            ET.SubElement(node, key).text = _xml_text(value)
    return _xml(top, status)


def _error(fmt: str, exc: ApiError) -> Response:
    payload = [{"code": exc.status, "description": m} for m in exc.messages]
    return _render(fmt if fmt in FORMATS else "json", payload, "errors", "error", exc.status)


def _service_entry(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": category.label,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def _request_entry(alliance, s: Suggestion, base_url: str) -> dict:
    notes = s.public_answer
    if s.merged_into:
        notes = "Zusammengeführt mit einem gleichlautenden Hinweis."
    return {
        "service_request_id": s.ref,
        "status": "closed" if s.closed or s.merged_into else "open",
        "status_notes": notes,
        "service_name": presentation.category_label(alliance, s.category),
        "service_code": s.category,
        "description": s.description,
        "agency_responsible": presentation.municipality_name(alliance, s.municipality_ags),
        "service_notice": None,
        "requested_datetime": s.created_at,
        "updated_datetime": s.updated_at,
        "expected_datetime": None,
        "address": s.address_text,
        "address_id": None,
        "zipcode": None,
        "lat": s.lat,
        "long": s.lon,
        "media_url": f"{base_url}{PREFIX}/media/{s.ref}.jpg" if s.has_photo else None,
    }


def _with_db(work):
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        return work(alliance, db)
    finally:
        db.close()


def _date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise ApiError(400, [f"{name} ist kein Datum im Format JJJJ-MM-TT."]) from exc


def _list_requests(params, base_url: str):
    statuses = {"open": _OPEN, "closed": tuple(CLOSED)}
    status = params.get("status")
    if status and status not in statuses:
        raise ApiError(400, ["status muss open oder closed sein."])
    filters = store.Filters(
        categories=tuple(c for c in (params.get("service_code") or "").split(",") if c),
        statuses=statuses.get(status, ()),
        since=_date(params.get("start_date"), "start_date"),
        until=_date(params.get("end_date"), "end_date"),
    )
    wanted = {r.strip() for r in (params.get("service_request_id") or "").split(",") if r.strip()}

    def work(alliance, db):
        if wanted:
            items = [
                s
                for s in (store.by_ref(db, r) for r in sorted(wanted))
                if s is not None and not s.hidden
            ]
        else:
            items = store.search(db, filters, limit=1000)
        return [_request_entry(alliance, s, base_url) for s in items]

    return _with_db(work)


def _created(alliance, suggestion: Suggestion) -> list[dict]:
    responsible = presentation.municipality_name(alliance, suggestion.municipality_ags)
    notice = f"Weitergeleitet an {responsible}."
    return [{"service_request_id": suggestion.ref, "service_notice": notice, "account_id": None}]


def _create_request(form, token: str | None = None, request_hash: str | None = None) -> list[dict]:
    description = clean(form.get("description"))
    # GeoReport v2 has no consent field: the client app asks the reporter, and a client that
    # sends `email` says the reporter wants news about the request. Only an explicit "no" in
    # our optional attribute keeps the address out (the report is still taken).
    declined = (form.get(CONSENT_ATTRIBUTE) or "").strip().lower() in _NO
    email = "" if declined else (form.get("email") or "")
    # the title is the first line that shows something (not one of zero-width characters)
    first_line = next((clean(line) for line in description.splitlines() if clean(line)), "")
    title = first_line[:TITLE_MAX].strip()
    submission = service.Submission(
        category=form.get("service_code") or "",
        title=title if len(title) >= 3 else description[:TITLE_MAX],
        description=description,
        lat=form.get("lat"),
        lon=form.get("long"),
        address_text=form.get("address_string") or "",
        chosen_ags=form.get("attribute[municipality]") or None,
        email=email,
        email_consent=bool(email),
        first_name=form.get("first_name") or "",
        last_name=form.get("last_name") or "",
        phone=form.get("phone") or "",
        media_url=form.get("media_url") or "",
        token=token,
        request_hash=request_hash,
        source="open311",
    )

    def work(alliance, db):
        try:
            created = service.submit(db, alliance, municipalities.areas(db), submission)
        except submissions.AlreadySubmitted as exc:
            if not exc.same_request:
                raise ApiError(
                    422,
                    [
                        "Dieser Idempotenzschlüssel gehört schon zu einem anderen Hinweis; "
                        "für einen neuen Hinweis bitte einen neuen Schlüssel verwenden."
                    ],
                ) from exc
            first = store.by_ref(db, exc.result) if exc.result else None
            if first is None:
                raise ApiError(409, ["Dieser Hinweis wurde schon angenommen."]) from exc
            return _created(alliance, first)  # the first answer again, nothing stored twice
        except service.NeedsMunicipalityChoice as exc:
            options = ", ".join(f"{o.ags} ({o.name})" for o in exc.options)
            raise ApiError(
                400, [f"{exc.errors[0]} – attribute[municipality] angeben: {options}"]
            ) from exc
        except service.SubmissionError as exc:
            raise ApiError(400, exc.errors) from exc
        return _created(alliance, created)

    return _with_db(work)


async def _capped_body(request: Request) -> bytes:
    """The body, or 413 when it exceeds MAX_BODY_BYTES. A body up to DRAIN_BYTES is read to
    its end (and dropped) first: a client still sending would otherwise see the connection
    reset instead of the answer. A larger one is answered at once, from Content-Length
    before reading or as soon as that much has arrived."""
    declared = request.headers.get("content-length")
    if declared is not None and not declared.strip().isdigit():
        raise ApiError(400, ["Content-Length ist keine Zahl."])
    too_large = ApiError(413, [f"Die Anfrage ist zu groß (höchstens {MAX_BODY_BYTES // 1024} KB)."])
    if declared is not None and int(declared) > DRAIN_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > DRAIN_BYTES:
            break
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
    if size > MAX_BODY_BYTES:
        raise too_large
    return b"".join(chunks)


async def _read_form(request: Request) -> FormData:
    """The POST form within the limits; every refusal is a German ApiError."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind not in _FORM_TYPES:
        raise ApiError(
            400,
            ["Bitte als application/x-www-form-urlencoded oder multipart/form-data senden."],
        )
    body = await _capped_body(request)

    async def replay():
        return {"type": "http.request", "body": body, "more_body": False}

    # The body is capped, so the parser's own limits only need to stay out of the way; the
    # German checks below say what is wrong.
    try:
        form = await Request(request.scope, replay).form(
            max_files=MAX_FIELDS, max_fields=MAX_BODY_BYTES, max_part_size=MAX_BODY_BYTES
        )
    except (HTTPException, MultiPartException) as exc:
        raise ApiError(
            400, ["Das Formular ist fehlerhaft und konnte nicht gelesen werden."]
        ) from exc
    items = form.multi_items()
    try:
        if any(not isinstance(value, str) for _, value in items):
            raise ApiError(
                400,
                [
                    "Dateien nimmt die Schnittstelle nicht an; Fotos bitte über das "
                    "Formular der Website."
                ],
            )
        if len(items) > MAX_FIELDS:
            raise ApiError(400, [f"Zu viele Felder ({len(items)}), höchstens {MAX_FIELDS}."])
        for name, value in items:
            if len(value) > MAX_FIELD_CHARS:
                shown = name if len(name) <= 40 else name[:40] + "…"
                raise ApiError(
                    400,
                    [f"Das Feld „{shown}“ ist zu lang (höchstens {MAX_FIELD_CHARS} Zeichen)."],
                )
    except ApiError:
        await form.close()
        raise
    return form


def _idempotency(request: Request, form: FormData) -> tuple[str | None, str | None]:
    """(token, request_hash) for an idempotency key, (None, None) without one.

    The token is a hash of the client and the key, so two clients' keys never collide and the
    database holds neither; the request hash tells a repeat from a different report."""
    header = (request.headers.get("idempotency-key") or "").strip()
    if len(header) >= 2 and header[0] == header[-1] == '"':  # a structured-field string
        header = header[1:-1]
    keys = {k for k in (header, (form.get(IDEMPOTENCY_ATTRIBUTE) or "").strip()) if k}
    if not keys:
        return None, None
    if len(keys) > 1:
        raise ApiError(400, [f"Idempotency-Key und {IDEMPOTENCY_ATTRIBUTE} widersprechen sich."])
    key = keys.pop()
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ApiError(
            400,
            [
                f"Der Idempotenzschlüssel darf höchstens {IDEMPOTENCY_KEY_MAX} druckbare "
                "Zeichen haben."
            ],
        )
    client = _client(request)
    token = "open311:" + hashlib.sha256(f"{client}\n{key}".encode()).hexdigest()
    fields = sorted((n, v) for n, v in form.multi_items() if n != IDEMPOTENCY_ATTRIBUTE)
    request_hash = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
    return token, request_hash


async def _admit(request: Request) -> None:
    """Count this POST for its client address, or refuse it with 429 (before any parsing)."""
    client = visitors.Visitor(address=_client(request))
    try:
        await run_in_threadpool(
            _with_db, lambda _alliance, db: limits.admit(db, POST_LIMIT, client.identities())
        )
    except limits.LimitReached as exc:
        raise ApiError(429, exc.errors) from exc


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def services(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    try:
        _check_format(fmt)
        alliance = config.load()
        return _render(fmt, [_service_entry(c) for c in alliance.categories], "services", "service")
    except ApiError as exc:
        return _error(fmt, exc)


async def service_definition(request: Request) -> Response:
    """No extra attributes (the spec's `metadata` is false for every service)."""
    fmt, code = request.path_params["fmt"], request.path_params["code"]
    try:
        _check_format(fmt)
        if code not in {c.code for c in config.load().categories}:
            raise ApiError(404, [f"Unbekannter service_code {code}."])
    except ApiError as exc:
        return _error(fmt, exc)
    if fmt == "json":
        return JSONResponse({"service_code": code, "attributes": []})
    top = ET.Element("service_definition")
    ET.SubElement(top, "service_code").text = code
    ET.SubElement(top, "attributes")
    return _xml(top, 200)


async def requests_collection(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    try:
        _check_format(fmt)
        if request.method == "POST":
            await _admit(request)
            form = await _read_form(request)
            token, request_hash = _idempotency(request, form)
            payload = await run_in_threadpool(_create_request, dict(form), token, request_hash)
            return _render(fmt, payload, "service_requests", "request", 201)
        payload = await run_in_threadpool(
            _list_requests, dict(request.query_params), _base_url(request)
        )
        return _render(fmt, payload, "service_requests", "request")
    except ApiError as exc:
        return _error(fmt, exc)


async def request_item(request: Request) -> Response:
    fmt, ref = request.path_params["fmt"], request.path_params["ref"]
    try:
        _check_format(fmt)
        payload = await run_in_threadpool(
            _list_requests, {"service_request_id": ref}, _base_url(request)
        )
        if not payload:
            raise ApiError(404, [f"Hinweis {ref} nicht gefunden."])
        return _render(fmt, payload, "service_requests", "request")
    except ApiError as exc:
        return _error(fmt, exc)


async def media(request: Request) -> Response:
    ref = request.path_params["ref"]

    def work(_alliance, db):
        found = store.by_ref(db, ref)
        if found is None or found.hidden or not found.has_photo:
            return None
        return store.photo(db, found.id)

    jpeg = await run_in_threadpool(_with_db, work)
    if jpeg is None:
        return JSONResponse([{"code": 404, "description": "Kein Foto."}], status_code=404)
    return Response(jpeg, media_type="image/jpeg")


ROUTES = [
    Route(PREFIX + "/services.{fmt}", services),
    Route(PREFIX + "/services/{code}.{fmt}", service_definition),
    Route(PREFIX + "/requests.{fmt}", requests_collection, methods=["GET", "POST"]),
    Route(PREFIX + "/requests/{ref}.{fmt}", request_item),
    Route(PREFIX + "/media/{ref}.jpg", media),
]
