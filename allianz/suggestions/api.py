"""Open311 GeoReport v2 at /open311/v2/: the same rules as the web form, no personal data out.

services.{json,xml}, services/{code}.{json,xml}, requests.{json,xml} (GET filters, POST form),
requests/{id}.{json,xml}, and media/{id}.jpg for photos.
"""

from __future__ import annotations

import os
from datetime import date
from xml.etree import ElementTree as ET

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.municipalities import service as municipalities
from allianz.rate_limit import RateLimiter
from allianz.suggestions import presentation, service, store
from allianz.suggestions.model import CLOSED, TITLE_MAX, Status, Suggestion

PREFIX = "/open311/v2"
# One API client may forward many citizens' reports (e.g. a municipal app), so its limit is
# higher than a browser session's; it still stops a flood. An operator whose municipal app
# forwards more raises it with ALLIANZ_API_POST_LIMIT (reports per client per 15 minutes).
API_POST_LIMIT = int(os.environ.get("ALLIANZ_API_POST_LIMIT", "30"))
POST_LIMIT = RateLimiter(limit=API_POST_LIMIT, window_seconds=service.RATE_WINDOW.total_seconds())
_OPEN = tuple(s for s in Status if s not in CLOSED)


class ApiError(Exception):
    def __init__(self, status: int, messages: list[str]):
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = messages


def _render(fmt: str, payload, root: str, item: str, status: int = 200) -> Response:
    if fmt == "json":
        return JSONResponse(payload, status_code=status)
    if fmt != "xml":
        raise ApiError(404, ["Format wird nicht unterstützt (json oder xml)."])
    top = ET.Element(root)
    for entry in payload:
        node = ET.SubElement(top, item)
        for key, value in entry.items():
            child = ET.SubElement(node, key)
            child.text = "" if value is None else str(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, status_code=status, media_type="text/xml; charset=utf-8")


def _error(fmt: str, exc: ApiError) -> Response:
    payload = [{"code": exc.status, "description": m} for m in exc.messages]
    return _render(
        fmt if fmt in ("json", "xml") else "json", payload, "errors", "error", exc.status
    )


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


def _create_request(form) -> list[dict]:
    description = (form.get("description") or "").strip()
    first_line = description.splitlines()[0] if description else ""
    title = first_line[:TITLE_MAX].strip()
    submission = service.Submission(
        category=form.get("service_code") or "",
        title=title if len(title) >= 3 else description[:TITLE_MAX],
        description=description,
        lat=form.get("lat"),
        lon=form.get("long"),
        address_text=form.get("address_string") or "",
        chosen_ags=form.get("attribute[municipality]") or None,
        email=form.get("email") or "",
        email_consent=(form.get("attribute[email_consent]") or "").lower() in ("true", "1", "ja"),
        source="open311",
    )

    def work(alliance, db):
        try:
            created = service.submit(db, alliance, municipalities.areas(db), submission)
        except service.NeedsMunicipalityChoice as exc:
            options = ", ".join(f"{o.ags} ({o.name})" for o in exc.options)
            raise ApiError(
                400, [f"{exc.errors[0]} – attribute[municipality] angeben: {options}"]
            ) from exc
        except service.SubmissionError as exc:
            raise ApiError(400, exc.errors) from exc
        responsible = presentation.municipality_name(alliance, created.municipality_ags)
        notice = f"Weitergeleitet an {responsible}."
        return [{"service_request_id": created.ref, "service_notice": notice, "account_id": None}]

    return _with_db(work)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def services(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    try:
        alliance = config.load()
        return _render(fmt, [_service_entry(c) for c in alliance.categories], "services", "service")
    except ApiError as exc:
        return _error(fmt, exc)


async def service_definition(request: Request) -> Response:
    fmt, code = request.path_params["fmt"], request.path_params["code"]
    alliance = config.load()
    if code not in {c.code for c in alliance.categories}:
        return _error(fmt, ApiError(404, [f"Unbekannter service_code {code}."]))
    payload = {"service_code": code, "attributes": []}
    if fmt == "json":
        return JSONResponse(payload)
    return _render(fmt, [{"service_code": code}], "service_definition", "service")


async def requests_collection(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    try:
        if request.method == "POST":
            if not POST_LIMIT.allow(_client(request)):
                raise ApiError(429, ["Zu viele Hinweise in kurzer Zeit. Bitte später erneut."])
            form = await request.form()
            payload = await run_in_threadpool(_create_request, dict(form))
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
