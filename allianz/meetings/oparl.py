"""OParl 1.1 (read-only) for the public part of the meetings: `/oparl/v1.1/system` is the entry.

Objects and their addresses (every `id` is an absolute URL built from the request's base URL):
- System `/oparl/v1.1/system`, the list of bodies `/oparl/v1.1/bodies`;
- Body `/oparl/v1.1/body/<alliance>`: the alliance (it has no AGS), with its external lists
  `…/organizations`, `…/meetings`, `…/agenda-items`, `…/files`, `…/locations` and the lists the
  schema requires although the alliance keeps no such objects, served empty: `…/people`,
  `…/papers`, `…/consultations`, `…/memberships`, `…/legislative-terms`;
- Organization `/oparl/v1.1/organization/<key>`: one per meeting kind and one per working group
  (the named ones and any a public meeting names), each with `…/meetings`;
- Meeting `/oparl/v1.1/meeting/<id>` with its agenda items, location, the released public
  minutes as `resultsProtocol` (a Markdown file) and its public PDFs as `auxiliaryFile`;
- AgendaItem `/oparl/v1.1/agendaitem/<id>`, Location `/oparl/v1.1/location/<meeting id>`,
  File `/oparl/v1.1/file/<document id>` or `/oparl/v1.1/file/protokoll-<meeting id>`, its content
  at `…/access` (inline) and `…/download` (attachment).

Only what a citizen sees comes out: the meetings of `service.public_listing` / `service.get` as
ANONYMOUS, so non-public meetings, non-public items, internal minutes and results before the
minutes are released never appear; a non-public object answers 404 like an unknown one.
Cancelled meetings stay listed with `cancelled: true`.

`meetingState` uses the spec's recommended words: "terminiert" (planned), "eingeladen" (from the
invitation until the minutes are released), "durchgeführt" (minutes released), and "abgesagt".

Lists are paginated (`page`, `limit` ≤ 100, stable order by id) and take `created_since`,
`created_until`, `modified_since`, `modified_until` (full date-time with offset) and
`omit_internal=true`. Errors are OParl error objects with a German message.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote, urlencode

import sqlite_utils
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.accounts.model import ANONYMOUS
from allianz.config import Alliance
from allianz.errors import NotFound
from allianz.formatting import BERLIN, de_date
from allianz.meetings import ical, service
from allianz.meetings.model import KINDS, WORKING_GROUPS, Document, Item, Meeting
from db.migrations import migrations

PREFIX = "/oparl/v1.1"
SCHEMA = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 100
MINUTES_KEY = "protokoll-"
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
MARKDOWN = "text/markdown; charset=utf-8"
NO_ENTRY = "Diesen Eintrag gibt es in der OParl-Schnittstelle nicht (oder er ist nicht öffentlich)."

# kind -> (short name, organizationType per the spec's list, classification)
ORGANIZATION_TYPES = {
    "steering_group": ("Lenkungsgruppe", "Gremium", "Lenkungsgruppe"),
    "assembly": ("Mitgliederversammlung", "Gremium", "Mitgliederversammlung"),
    "working_group": ("", "Gremium", "Arbeitskreis"),
    "network_working": ("Netzwerk Arbeitsebene", "externes Gremium", "Netzwerk"),
    "network_decision": ("Netzwerk Entscheidungsebene", "externes Gremium", "Netzwerk"),
    "public_event": ("Öffentliche Veranstaltungen", "Sonstiges", "Öffentliche Veranstaltung"),
}
MEETING_STATES = {
    "planned": "terminiert",
    "invited": "eingeladen",
    "held": "eingeladen",
    "commenting": "eingeladen",
    "released": "durchgeführt",
    "cancelled": "abgesagt",
}
_NUMBER = re.compile(r"[1-9][0-9]{0,11}")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


class OparlError(Exception):
    """An answer other than 200; `message` is German, for the client's user."""

    def __init__(self, status: int, message: str, debug: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.debug = debug


# --- time stamps ---------------------------------------------------------------------------------


def _moment(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def stamp(value: str | datetime) -> str:
    """OParl date-time: `yyyy-mm-ddThh:mm:ss±hh:mm`, in German local time."""
    return _moment(value).astimezone(BERLIN).isoformat(timespec="seconds")


def _day(value: str | datetime) -> str:
    return _moment(value).astimezone(BERLIN).date().isoformat()


def since(db: sqlite_utils.Database) -> str:
    """When this database got its meetings (the meetings migration): created/modified of the
    objects that come from the configuration (System, Body, Organizations)."""
    applied = {m.name: m.applied_at for m in migrations.applied(db)}
    return stamp(applied.get("0016_meetings") or min(applied.values()))


# --- what a citizen sees -----------------------------------------------------------------------


@dataclass(frozen=True)
class Organization:
    key: str
    kind: str
    name: str
    created: str


@dataclass(frozen=True)
class Public:
    """One meeting as the public sees it, with its public documents."""

    meeting: Meeting
    documents: tuple[Document, ...]

    @property
    def modified(self) -> str:
        return max((self.meeting.updated_at, *(d.uploaded_at for d in self.documents)), key=_moment)

    @property
    def minutes_released(self) -> bool:
        return self.meeting.state == "released" and bool(self.meeting.minutes.strip())


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_UMLAUTS)).strip("-")[:60].strip("-")
    return slug or hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]


def organization_key(kind: str, working_group: str = "") -> str:
    if kind == "working_group":
        return f"working-group-{_slug(working_group)}"
    return kind.replace("_", "-")


def _public(db: sqlite_utils.Database, meeting: Meeting) -> Public:
    return Public(meeting, tuple(service.documents(db, ANONYMOUS, meeting.id)))


class View:
    """One request's view of the public meetings, read lazily once."""

    def __init__(self, db: sqlite_utils.Database, alliance: Alliance, base: str, query: dict):
        self.db = db
        self.alliance = alliance
        self.base = base
        self.query = query
        self.omit_internal = str(query.get("omit_internal", "")).lower() == "true"
        self._meetings: list[Public] | None = None
        self.since = since(db)

    # addresses
    def url(self, *parts: str | int) -> str:
        return "/".join((self.base + PREFIX, *(str(p) for p in parts)))

    @property
    def body_url(self) -> str:
        return self.url("body", self.alliance.slug)

    def meeting_url(self, meeting_id: int) -> str:
        return self.url("meeting", meeting_id)

    def web(self, meeting_id: int) -> str:
        return ical.meeting_url(self.base, meeting_id)

    # data
    def meetings(self) -> list[Public]:
        if self._meetings is None:
            listed = sorted(service.public_listing(self.db), key=lambda m: m.id)
            self._meetings = [_public(self.db, m) for m in listed]
        return self._meetings

    def meeting(self, meeting_id: int) -> Public:
        if self._meetings is not None:
            for public in self._meetings:
                if public.meeting.id == meeting_id:
                    return public
            raise NotFound(NO_ENTRY)
        return _public(self.db, service.get(self.db, ANONYMOUS, meeting_id))

    def organizations(self) -> list[Organization]:
        found: dict[str, Organization] = {}
        for kind, label in KINDS.items():
            if kind != "working_group":
                found[organization_key(kind)] = Organization(
                    organization_key(kind), kind, label, self.since
                )
        for name in WORKING_GROUPS:
            key = organization_key("working_group", name)
            found[key] = Organization(key, "working_group", name, self.since)
        for public in self.meetings():
            m = public.meeting
            key = organization_key(m.kind, m.working_group)
            if key not in found:
                found[key] = Organization(key, m.kind, m.working_group, m.created_at)
        return list(found.values())


# --- the objects ----------------------------------------------------------------------------------


def _typed(kind: str, object_id: str, **fields) -> dict:
    """An OParl object without the properties that have no data (the spec: no null, no "")."""
    return {"id": object_id, "type": SCHEMA + kind,
            **{k: v for k, v in fields.items() if v is not None and v != ""}}  # fmt: skip


def system(view: View) -> dict:
    name = view.alliance.name
    return _typed(
        "System", view.url("system"),
        oparlVersion=SCHEMA,
        name=f"{name}: Sitzungen und Termine",
        body=view.url("bodies"),
        website=view.base + "/",
        contactEmail=_email(view.alliance.contact),
        contactName=f"Geschäftsstelle {name}",
        created=view.since, modified=view.since,
    )  # fmt: skip


def _email(contact: str | None) -> str | None:
    return contact if contact and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact) else None


def _legal_form(alliance: Alliance) -> str:
    return alliance.legal_form.split("(")[0].strip()


def body(view: View) -> dict:
    alliance = view.alliance
    form = _legal_form(alliance)
    name = alliance.name if alliance.name.startswith(form) else f"{form} {alliance.name}".strip()
    lists = {
        "organization": "organizations", "person": "people", "meeting": "meetings",
        "paper": "papers", "agendaItem": "agenda-items", "consultation": "consultations",
        "file": "files", "locationList": "locations", "legislativeTermList": "legislative-terms",
        "membership": "memberships",
    }  # fmt: skip
    return _typed(
        "Body", view.body_url,
        system=view.url("system"),
        name=name,
        shortName=alliance.name,
        classification=form,
        website=view.base + "/",
        contactEmail=_email(alliance.contact),
        contactName=f"Geschäftsstelle {alliance.name}",
        oparlSince=view.since,
        **{key: f"{view.body_url}/{path}" for key, path in lists.items()},
        legislativeTerm=[],  # required by the schema; an alliance has no electoral terms
        web=view.base + "/",
        created=view.since, modified=view.since,
    )  # fmt: skip


def organization(view: View, org: Organization) -> dict:
    short, kind, classification = ORGANIZATION_TYPES.get(org.kind, ("", "Sonstiges", ""))
    return _typed(
        "Organization", view.url("organization", org.key),
        body=view.body_url,
        name=org.name,
        shortName=short if short != org.name else None,
        organizationType=kind,
        classification=classification,
        meeting=view.url("organization", org.key, "meetings"),
        created=stamp(org.created), modified=stamp(org.created),
    )  # fmt: skip


def location(view: View, public: Public, embedded: bool = False) -> dict | None:
    m = public.meeting
    if not (m.place or m.online_url or m.lat is not None):
        return None
    geojson = None
    if m.lat is not None and m.lon is not None:
        geojson = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [m.lon, m.lat]},
                   "properties": {"name": m.place or m.title}}  # fmt: skip
    locality = None
    if m.municipality_ags:
        names = {mu.ags: mu.name for mu in view.alliance.municipalities}
        locality = names.get(m.municipality_ags)
    return _typed(
        "Location", view.url("location", m.id),
        description=m.place or "Online",
        geojson=geojson,
        locality=locality,
        meetings=None if embedded else [view.meeting_url(m.id)],
        web=view.web(m.id),
        created=stamp(m.created_at), modified=stamp(public.modified),
    )  # fmt: skip


def _file_urls(view: View, key: str) -> dict:
    return {"accessUrl": view.url("file", key, "access"),
            "downloadUrl": view.url("file", key, "download")}  # fmt: skip


def document_file(view: View, public: Public, doc: Document, embedded: bool = False) -> dict:
    title = doc.file_title[:-4] if doc.file_title.lower().endswith(".pdf") else doc.file_title
    return _typed(
        "File", view.url("file", doc.id),
        name=title,
        fileName=doc.file_title,
        mimeType=doc.mime_type,
        date=_day(doc.uploaded_at),
        size=doc.size,
        sha1Checksum=doc.sha1,
        **_file_urls(view, str(doc.id)),
        meeting=None if embedded else [view.meeting_url(public.meeting.id)],
        agendaItem=None if embedded or doc.item_id is None
        else [view.url("agendaitem", doc.item_id)],
        web=view.web(public.meeting.id),
        created=stamp(doc.uploaded_at), modified=stamp(doc.uploaded_at),
    )  # fmt: skip


def minutes_name(meeting: Meeting) -> str:
    return f"protokoll-{meeting.ref}.md"


def minutes_file(view: View, public: Public, embedded: bool = False) -> dict:
    m = public.meeting
    content = m.minutes.encode()
    released = m.released_at or m.updated_at
    day = de_date(m.starts_at.astimezone(BERLIN).date().isoformat())
    return _typed(
        "File", view.url("file", f"{MINUTES_KEY}{m.id}"),
        name=f"Protokoll: {m.title} vom {day}",
        fileName=minutes_name(m),
        mimeType="text/markdown",
        date=_day(released),
        size=len(content),
        sha1Checksum=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
        sha512Checksum=hashlib.sha512(content).hexdigest(),
        text=m.minutes,
        **_file_urls(view, f"{MINUTES_KEY}{m.id}"),
        meeting=None if embedded else [view.meeting_url(m.id)],
        web=view.web(m.id),
        created=stamp(released), modified=stamp(released),
    )  # fmt: skip


def agenda_item(view: View, public: Public, item: Item, embedded: bool = False) -> dict:
    m = public.meeting
    order = [i.id for i in m.items].index(item.id)
    files = [document_file(view, public, d, embedded=True)
             for d in public.documents if d.item_id == item.id]  # fmt: skip
    return _typed(
        "AgendaItem", view.url("agendaitem", item.id),
        meeting=None if embedded else view.meeting_url(m.id),
        number=item.number,
        order=order,
        name=item.title,
        public=True,
        result=item.result,
        resolutionText=item.resolution,
        auxiliaryFile=None if view.omit_internal or not files else files,
        web=view.web(m.id),
        created=stamp(m.created_at), modified=stamp(public.modified),
    )  # fmt: skip


def meeting(view: View, public: Public) -> dict:
    m = public.meeting
    files = [document_file(view, public, d, embedded=True)
             for d in public.documents if d.item_id is None]  # fmt: skip
    items = [agenda_item(view, public, i, embedded=True) for i in m.items]
    return _typed(
        "Meeting", view.meeting_url(m.id),
        name=m.title,
        meetingState=MEETING_STATES.get(m.state, m.state_label),
        cancelled=m.state == "cancelled",
        start=stamp(m.starts_at),
        end=stamp(m.ends_at),
        location=location(view, public, embedded=True),
        organization=[view.url("organization", organization_key(m.kind, m.working_group))],
        resultsProtocol=minutes_file(view, public, embedded=True) if public.minutes_released
        else None,
        auxiliaryFile=None if view.omit_internal or not files else files,
        agendaItem=None if view.omit_internal or not items else items,
        keyword=[m.kind_label],
        web=view.web(m.id),
        created=stamp(m.created_at), modified=stamp(public.modified),
    )  # fmt: skip


# --- lists ------------------------------------------------------------------------------------


def _filter_value(query: dict, name: str) -> datetime | None:
    raw = str(query.get(name) or "").strip().replace(" ", "+")  # an unencoded "+" arrives as " "
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise OparlError(400, f"„{name}“ braucht Datum, Uhrzeit und Zeitzone, z. B. "
                              "2026-01-01T00:00:00+01:00.", f"{name}={raw[:40]}")  # fmt: skip
    return moment


def _whole(query: dict, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = str(query.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < low:
        raise OparlError(400, f"„{name}“ muss eine ganze Zahl ab {low} sein.", f"{name}={raw[:20]}")
    return min(int(raw), high) if high else int(raw)


def page_of(view: View, list_url: str, objects: list[dict]) -> dict:
    """One page of an external list, with the filters applied and kept in every link."""
    query = view.query
    bounds = {name: _filter_value(query, name) for name in FILTERS}
    limit = _whole(query, "limit", PAGE_SIZE, 1, PAGE_SIZE)
    page = _whole(query, "page", 1, 1)

    def inside(obj: dict) -> bool:
        for name, bound in bounds.items():
            if bound is None:
                continue
            field, direction = name.split("_")
            value = datetime.fromisoformat(obj[field])
            if (direction == "since" and value < bound) or (direction == "until" and value > bound):
                return False
        return True

    chosen = [o for o in objects if inside(o)]
    pages = max(1, -(-len(chosen) // limit))
    kept = {k: str(query[k]) for k in (*FILTERS, "omit_internal") if query.get(k)}
    if query.get("limit"):
        kept["limit"] = str(limit)

    def link(number: int) -> str:
        params = {**kept, **({"page": str(number)} if number > 1 else {})}
        return f"{list_url}?{urlencode(sorted(params.items()))}" if params else list_url

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    if page < pages:
        links["next"] = link(page + 1)
    return {
        "data": chosen[(page - 1) * limit : page * limit],
        "pagination": {
            "totalElements": len(chosen),
            "elementsPerPage": limit,
            "currentPage": page,
            "totalPages": pages,
        },  # fmt: skip
        "links": links,
    }


def _check_body(view: View, slug: str) -> None:
    if slug != view.alliance.slug:
        raise OparlError(404, "Diese Körperschaft gibt es hier nicht.", f"body={slug[:40]}")


def body_list(view: View, slug: str, which: str) -> dict:
    _check_body(view, slug)
    url = f"{view.body_url}/{which}"
    builders: dict[str, Callable[[], list[dict]]] = {
        "organizations": lambda: [organization(view, o) for o in view.organizations()],
        "meetings": lambda: [meeting(view, p) for p in view.meetings()],
        "agenda-items": lambda: [agenda_item(view, p, i) for i, p in sorted(
            ((i, p) for p in view.meetings() for i in p.meeting.items), key=lambda x: x[0].id)],
        "files": lambda: _files(view),
        "locations": lambda: [x for p in view.meetings() if (x := location(view, p)) is not None],
    }  # fmt: skip
    if which in builders:
        return page_of(view, url, builders[which]())
    if which in ("people", "papers", "consultations", "memberships", "legislative-terms"):
        return page_of(view, url, [])  # the alliance keeps no such objects
    raise OparlError(404, NO_ENTRY, f"list={which[:40]}")


def _files(view: View) -> list[dict]:
    documents = sorted(
        ((d, p) for p in view.meetings() for d in p.documents), key=lambda x: x[0].id
    )
    files = [document_file(view, p, d) for d, p in documents]
    return files + [minutes_file(view, p) for p in view.meetings() if p.minutes_released]


# --- one object each ----------------------------------------------------------------------------


def _number(text: str) -> int:
    if not _NUMBER.fullmatch(text):
        raise OparlError(404, NO_ENTRY, f"id={text[:40]}")
    return int(text)


def organization_object(view: View, key: str) -> dict:
    for org in view.organizations():
        if org.key == key:
            return organization(view, org)
    raise OparlError(404, NO_ENTRY, f"organization={key[:40]}")


def organization_meetings(view: View, key: str) -> dict:
    organization_object(view, key)
    chosen = [meeting(view, p) for p in view.meetings()
              if organization_key(p.meeting.kind, p.meeting.working_group) == key]  # fmt: skip
    return page_of(view, view.url("organization", key, "meetings"), chosen)


def agenda_item_object(view: View, item_id: str) -> dict:
    wanted = _number(item_id)
    for public in view.meetings():
        for item in public.meeting.items:
            if item.id == wanted:
                return agenda_item(view, public, item)
    raise OparlError(404, NO_ENTRY, f"agendaitem={wanted}")


def location_object(view: View, meeting_id: str) -> dict:
    found = location(view, view.meeting(_number(meeting_id)))
    if found is None:
        raise OparlError(404, NO_ENTRY, f"location={meeting_id}")
    return found


def _file_target(view: View, key: str) -> tuple[Public, Document | None]:
    """The meeting and document of a file key; document None for the minutes."""
    if key.startswith(MINUTES_KEY):
        public = view.meeting(_number(key.removeprefix(MINUTES_KEY)))
        if not public.minutes_released:
            raise OparlError(404, NO_ENTRY, f"file={key[:40]}")
        return public, None
    doc, _content = service.document(view.db, ANONYMOUS, _number(key))
    public = view.meeting(doc.meeting_id)
    return public, next(d for d in public.documents if d.id == doc.id)


def file_object(view: View, key: str) -> dict:
    public, doc = _file_target(view, key)
    return minutes_file(view, public) if doc is None else document_file(view, public, doc)


# --- HTTP ------------------------------------------------------------------------------------


def _json(payload: dict, status: int = 200) -> JSONResponse:
    return JSONResponse(payload, status_code=status,
                        headers={"Access-Control-Allow-Origin": "*",
                                 "Cache-Control": "public, max-age=60"})  # fmt: skip


def error(status: int, message: str, debug: str = "") -> JSONResponse:
    response = _json({"type": SCHEMA + "Error", "message": message, "debug": debug}, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _view_for(request: Request, db: sqlite_utils.Database, alliance: Alliance) -> View:
    return View(db, alliance, str(request.base_url).rstrip("/"), dict(request.query_params))


def _answer(request: Request, build: Callable[..., dict | Response]) -> Response:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        result = build(_view_for(request, db, alliance), **request.path_params)
    except OparlError as exc:
        return error(exc.status, exc.message, exc.debug)
    except NotFound as exc:
        return error(404, str(exc), request.url.path[:200])
    finally:
        db.close()
    return result if isinstance(result, Response) else _json(result)


def _endpoint(build: Callable[..., dict | Response]):
    async def handler(request: Request) -> Response:
        return await run_in_threadpool(_answer, request, build)

    handler.__name__ = f"oparl_{build.__name__}"
    return handler


def _disposition(kind: str, file_name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name; nothing of the name can end the header."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", file_name).strip("_") or "datei"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def _content(view: View, key: str, disposition: str, request: Request) -> Response:
    public, doc = _file_target(view, key)
    if doc is None:
        m = public.meeting
        body, media, name = m.minutes.encode(), MARKDOWN, minutes_name(m)
        changed = m.released_at or m.updated_at
    else:
        _doc, body = service.document(view.db, ANONYMOUS, doc.id)
        media, name, changed = doc.mime_type, doc.file_title, doc.uploaded_at
    etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(_moment(changed).astimezone(UTC), usegmt=True),
        "Content-Disposition": _disposition(disposition, name),
        "Cache-Control": "public, max-age=300",
        "Access-Control-Allow-Origin": "*",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _file_content(disposition: str):
    async def handler(request: Request) -> Response:
        def build(view: View, key: str) -> Response:
            return _content(view, key, disposition, request)

        return await run_in_threadpool(_answer, request, build)

    return handler


def _not_found(view: View, rest: str = "") -> dict:
    raise OparlError(404, NO_ENTRY, f"path={rest[:200]}")


def bodies(view: View) -> dict:
    return page_of(view, view.url("bodies"), [body(view)])


def body_object(view: View, slug: str) -> dict:
    _check_body(view, slug)
    return body(view)


def meeting_object(view: View, meeting_id: str) -> dict:
    return meeting(view, view.meeting(_number(meeting_id)))


ROUTES = [
    Route(f"{PREFIX}/system", _endpoint(system)),
    Route(f"{PREFIX}/bodies", _endpoint(bodies)),
    Route(f"{PREFIX}/body/{{slug}}", _endpoint(body_object)),
    Route(f"{PREFIX}/body/{{slug}}/{{which}}", _endpoint(body_list)),
    Route(f"{PREFIX}/organization/{{key}}", _endpoint(organization_object)),
    Route(f"{PREFIX}/organization/{{key}}/meetings", _endpoint(organization_meetings)),
    Route(f"{PREFIX}/meeting/{{meeting_id}}", _endpoint(meeting_object)),
    Route(f"{PREFIX}/agendaitem/{{item_id}}", _endpoint(agenda_item_object)),
    Route(f"{PREFIX}/location/{{meeting_id}}", _endpoint(location_object)),
    Route(f"{PREFIX}/file/{{key}}", _endpoint(file_object)),
    Route(f"{PREFIX}/file/{{key}}/access", _file_content("inline")),
    Route(f"{PREFIX}/file/{{key}}/download", _file_content("attachment")),
    Route("/oparl/{rest:path}", _endpoint(_not_found)),  # every other address: a JSON 404
]
