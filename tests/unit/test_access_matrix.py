"""Table-driven, at the service layer (where the pages, the CLI and the API all end up):

1. every role × every guarded action: allowed roles succeed, every other role is refused;
2. every allowed role × municipality × every service action on an object of a municipality:
   a user bound to the object's municipality succeeds, one bound to another municipality is
   refused, the alliance manager succeeds everywhere;
3. the rules beside the table: a segment belongs to each municipality it crosses, a review is
   accepted by someone other than its author.

Refusals are PermissionDenied — not any other error, so a validation bug cannot pass as one."""

from __future__ import annotations

import dataclasses
import inspect
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from shapely.geometry import box, mapping, shape

from allianz import demo_geodata
from allianz.accounts.model import User
from allianz.addresses import service as addresses
from allianz.auth import MUNICIPAL_ROLES, Role, permissions
from allianz.capacity import service as capacity
from allianz.developments import service as developments
from allianz.digest import service as digest
from allianz.errors import PermissionDenied
from allianz.events import service as events
from allianz.feed_import import service as feed_import
from allianz.feed_import.model import SourceDraft as FeedSourceDraft
from allianz.jobs import service as jobs
from allianz.mayor_hours import service as mayor_hours
from allianz.measures import service as measures
from allianz.meetings import service as meetings
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.networks.model import Network
from allianz.news import service as news
from allianz.news.model import Draft as NewsDraft
from allianz.places import service as places
from allianz.places.model import ContactDraft as PlaceContactDraft
from allianz.places.model import PlaceDraft
from allianz.sharing import service as sharing
from allianz.sharing import teilkultur
from allianz.suggestions import service as suggestions
from allianz.summary import service as summary
from allianz.vacancies import fmd as vacancy_fmd
from allianz.vacancies import risk_import as vacancy_risk_import
from allianz.vacancies import risk_service as vacancy_risk
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from tests.conftest import TEST_ACTOR
from tests.unit.test_suggestions import jpeg

AGS = "14729060"  # Borsdorf: every object of the world lies here
OTHER = "14729070"  # Stadt Brandis, its neighbour
THIRD = "14729300"  # Stadt Naunhof
MANAGER = User("leitung", "Leitung", Role.MANAGER)


def user_for(role: Role) -> User:
    municipal = role in (Role.STAFF, Role.MAYOR)
    return User(f"u-{role.value}", role.value, role, AGS if municipal else None)


def segment_in(db, areas, municipalities: list[str]):
    """The first demo segment crossing exactly these municipalities (by its geometry)."""
    return next(
        s
        for s in network_store.all_segments(db)
        if sorted(a.ags for a in areas if shape(s.geometry).intersects(a.geometry))
        == municipalities
    )


@pytest.fixture
def world(db, alliance):
    areas = municipalities.areas(db)
    seat = alliance.municipality(AGS)
    made = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission("waste", "Müll", "Viel Müll", seat.seat_lat, seat.seat_lon),
    )
    duplicate = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission("waste", "Müll", "Noch mehr Müll", seat.seat_lat, seat.seat_lon),
    )
    networks.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    segment = segment_in(db, areas, [AGS])  # lying entirely in Borsdorf
    review = networks.record_review(db, MANAGER, segment.id, networks.ReviewInput(condition=3))
    wid = workshops.create(
        db,
        alliance,
        MANAGER,
        workshops.WorkshopDraft("Werkstatt", datetime(2026, 1, 1), scope_ags=AGS,
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, wid, "live")
    table = workshop_store.get(db, wid).tables[0].id
    card = workshops.add_card(db, alliance, areas, MANAGER, wid, workshops.CardDraft(table, "Idee"))
    site = vacancies.create(
        db, alliance, areas, MANAGER, {"type": "leerstand", "lat": seat.seat_lat,
                                       "lon": seat.seat_lon}
    )  # fmt: skip
    return {"areas": areas, "seat": seat, "suggestion": made.id, "duplicate": duplicate.id,
            "segment": segment.id, "review": review.id, "workshop": wid, "table": table,
            "card": card, "site": site}  # fmt: skip


def _line_preview(seat, areas):
    """A checked import preview of one short line at the municipal seat."""
    line = {
        "type": "LineString",
        "coordinates": [
            [seat.seat_lon, seat.seat_lat],
            [seat.seat_lon + 0.002, seat.seat_lat + 0.001],
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "Neu"}, "geometry": line}],
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "line.geojson"
        path.write_text(json.dumps(collection), encoding="utf-8")
        return networks.prepare_import(path, areas)  # fmt: skip


def _import_addresses(db, alliance, seat, user: User):
    """An address file with two houses at the municipal seat, imported as `user`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "adressen.csv"
        path.write_text(
            "Straße;Hausnummer;lat;lon\n"
            f"Markt;1;{seat.seat_lat};{seat.seat_lon}\nMarkt;2;{seat.seat_lat};{seat.seat_lon}\n",
            encoding="utf-8",
        )
        return addresses.import_file(db, alliance, user, path)


def _try(action: str, db, alliance, w, user: User) -> None:
    """Perform `action` as `user`; raises PermissionDenied when refused."""
    seat = w["seat"]
    if action == "suggestions.review":
        suggestions.set_status(db, alliance, user, w["suggestion"], "in_review", "Wir prüfen.")
    elif action == "suggestions.export":
        suggestions.export(db, alliance, user, suggestions.Filters(), "csv")
    elif action == "networks.review":
        networks.record_review(db, user, w["segment"], networks.ReviewInput(condition=2))
    elif action == "networks.accept":
        networks.accept_review(db, user, w["review"])
    elif action == "workshops.host":
        table = workshop_store.get(db, w["workshop"]).tables[0].id
        workshops.add_card(db, alliance, w["areas"], user, w["workshop"],
                           workshops.CardDraft(table, "Idee"))  # fmt: skip
    elif action == "workshops.manage":
        workshops.create(
            db,
            alliance,
            user,
            workshops.WorkshopDraft(
                "Neu",
                datetime(2026, 2, 1),
                scope_ags=AGS,
                tables=workshops.default_tables(alliance),
            ),
        )
    elif action == "vacancies.edit":
        vacancies.create(
            db,
            alliance,
            w["areas"],
            user,
            {"type": "baulücke", "lat": seat.seat_lat, "lon": seat.seat_lon},
        )
    elif action == "vacancies.owner":
        vacancies.owner_of(db, user, w["site"])
    elif action == "vacancies.import":
        vacancies.import_rows(
            db,
            alliance,
            w["areas"],
            user,
            [{"type": "hofstelle", "lat": seat.seat_lat, "lon": seat.seat_lon}],
        )
    elif action == "networks.import":
        networks.import_for(db, user, _line_preview(seat, w["areas"]), {Network.RAD})
    elif action == "networks.export":
        networks.export_for(db, user, ".csv")
    elif action == "vacancies.export":
        vacancies.export_file(db, alliance, user, "csv")
    elif action == "vacancies.export_internal":
        vacancies.export_file(db, alliance, user, "csv", internal=True)
    elif action == "summary.report":
        period = summary.Period(date(2026, 1, 1), date(2026, 1, 31))
        summary.report_for(db, alliance, w["areas"], user, period)
    elif action == "measures.edit":
        measures.create(db, alliance, user, {"handlungsfeld": 1, "priority": "A", "title": "Neu"})
    elif action == "addresses.import":
        _import_addresses(db, alliance, seat, user)
    elif action == "meetings.manage":
        meetings.create(
            db,
            alliance,
            user,
            meetings.MeetingDraft(
                "steering_group", "Allianzsitzung", date(2026, 5, 18), "18:00", "20:00", "Rathaus"
            ),
        )
    elif action == "mayor_hours.manage":
        _mayor_hour(db, alliance, user)
    elif action == "mayor_hours.moderate":
        _approve_question(db, alliance, user)
    elif action == "jobs.post":
        _job(db, alliance, user)
    elif action == "news.write":
        news.create(db, alliance, user, _news_draft())
    elif action == "news.review":
        news.approve(db, user, _news_item(db, alliance, submit=True))
    elif action == "events.manage":
        events.create(db, alliance, w["areas"], user, _event_draft(w))
    elif action == "events.moderate":
        events.moderation_queue(db, user)
    elif action == "places.edit":
        places.save_place(db, alliance, user, _place_draft(w))
    elif action == "places.import":
        places.import_records(db, alliance, user, [_place_record(w)], "csv")
    elif action.startswith("sharing."):
        _sharing(action, db, alliance, user)
    elif action.startswith("developments."):
        _development_action(action, db, alliance, w, user)
    elif action.startswith("vacancy_risk."):
        _vacancy_risk(action, db, alliance, w, user)
    elif action == "digest.overview":
        digest.overview(db, alliance, user)
    elif action == "feed_import.manage":
        _feed_source(db, alliance, user)
    elif action == "capacity.view":
        capacity.processes(db, user)
    else:  # pragma: no cover - the list below names only the actions handled above
        raise AssertionError(action)


def _feed_source(db, alliance, user: User = MANAGER) -> int:
    """A news feed of Borsdorf's website (on an internal address: a run never goes out)."""
    draft = FeedSourceDraft(AGS, "news", "http://127.0.0.1:1/neuigkeiten.xml")
    return feed_import.add_source(db, alliance, user, draft).id


def _event_draft(w, title: str = "Dorffest") -> events.EventDraft:
    """An event at Borsdorf's seat in a week."""
    seat = w["seat"]
    return events.EventDraft(
        title, "feste", AGS, date.today() + timedelta(days=7), "14:00", "18:00",
        venue="Festplatz", organiser="Heimatverein", point=f"{seat.seat_lat}, {seat.seat_lon}",
    )  # fmt: skip


def _event(db, alliance, w, club: bool = False) -> int:
    """An event in Borsdorf: entered by the office, or sent by a club and waiting."""
    if club:
        sub = events.ClubSubmission(_event_draft(w, "Vereinsfest"), "verein@example.org", True)
        return events.submit(db, alliance, w["areas"], sub).id
    return events.create(db, alliance, w["areas"], MANAGER, _event_draft(w)).id


def _development_at(db, alliance, w, reporter: str) -> int:
    """A small area at Borsdorf's seat, reported by the staff of `reporter`."""
    seat = w["seat"]
    area = box(seat.seat_lon - 0.002, seat.seat_lat - 0.001, seat.seat_lon, seat.seat_lat)
    draft = developments.Draft("Gewerbe am Markt", "commercial", "entwurf", mapping(area))
    staff = User(f"st-{reporter}", "Verwaltung", Role.STAFF, reporter)
    return developments.report(db, alliance, w["areas"], staff, draft)


def _development_action(action: str, db, alliance, w, user: User) -> None:
    """Report in Borsdorf; answer as Borsdorf to Brandis' report; release (the office)."""
    if action == "developments.report":
        seat = w["seat"]
        area = box(seat.seat_lon - 0.002, seat.seat_lat - 0.001, seat.seat_lon, seat.seat_lat)
        draft = developments.Draft("Wohnen am Markt", "housing", "entwurf", mapping(area))
        developments.report(db, alliance, w["areas"], user, draft, reporter_ags=AGS)
    elif action == "developments.answer":
        developments.answer(db, alliance, user, _development_at(db, alliance, w, OTHER), "noted")
    elif action == "developments.manage":
        developments.release(db, alliance, user, _development_at(db, alliance, w, AGS), True)
    else:  # pragma: no cover - the list below names only the actions handled above
        raise AssertionError(action)


def _sharing(action: str, db, alliance, user: User) -> None:
    """The pool: book Naunhof's trailer for the user's municipality (Borsdorf), enter an item
    for Borsdorf's Bauhof, read the quarter's settlement; the Teilkultur's moderation list."""
    if action == "sharing.book":
        item = sharing.create_item(
            db, alliance, MANAGER, sharing.ItemDraft("municipality", THIRD, "trailer", "Anhänger")
        )
        start = datetime.now(UTC) + timedelta(days=3)
        draft = sharing.BookingDraft(AGS, start, start + timedelta(hours=4))
        sharing.request_booking(db, user, item, draft)
    elif action == "sharing.inventory":
        draft = sharing.ItemDraft("municipality", AGS, "tool", "Rüttelplatte")
        sharing.create_item(db, alliance, user, draft)
    elif action == "sharing.settlement":
        sharing.settlement(db, user, 2026, 1)
    elif action == "sharing.moderate":
        teilkultur.pending(db, user)
    else:  # pragma: no cover - the list below names only the actions handled above
        raise AssertionError(action)


def _mayor_hour(db, alliance, user: User):
    """A consultation hour of Borsdorf's mayor tomorrow, announced by `user`."""
    draft = mayor_hours.HourDraft(
        "mayor", AGS, "Bürgermeister Borsdorf", date.today() + timedelta(days=1), "18:00", "19:00"
    )
    return mayor_hours.create_hour(db, alliance, user, draft)


def _mayor_question(db, alliance, published: bool = False, ended: bool = False) -> int:
    """A question to Borsdorf's mayor (the hour announced by the office), approved by the
    office if `published`; the hour moved into the past if `ended`."""
    hour = _mayor_hour(db, alliance, MANAGER)
    asked = mayor_hours.ask(db, hour.id, mayor_hours.QuestionDraft("Wann kommt der Radweg?"))
    if published:
        mayor_hours.approve(db, MANAGER, asked.id)
    if ended:
        db["mayor_hours"].update(
            hour.id,
            {"starts_at": "2026-01-01T17:00:00+00:00", "ends_at": "2026-01-01T18:00:00+00:00"},
        )
    return asked.id


def _merge_as(db, alliance, user: User):
    """Two questions of one hour of Borsdorf's mayor; `user` merges the new into the public."""
    public = _mayor_question(db, alliance, published=True)
    hour_id = mayor_hours.get_question(db, public).hour_id
    draft = mayor_hours.QuestionDraft("Wann kommt denn der Radweg?")
    return mayor_hours.merge(db, user, mayor_hours.ask(db, hour_id, draft).id, public)


def _approve_question(db, alliance, user: User):
    return mayor_hours.approve(db, user, _mayor_question(db, alliance))


def _job(db, alliance, user: User, ags: str = AGS) -> int:
    """A posting of `ags` (Borsdorf) with its deadline in ten days."""
    from allianz import clock  # noqa: PLC0415 - only the job board's tries need it

    draft = jobs.PostingDraft(
        municipality_ags=ags, title="Bauhofmitarbeiter/in", kind="job",
        valid_through=clock.today() + timedelta(days=10), description="Grünpflege",
        pay_grade="E 5", apply_email="personal@borsdorf.example",
    )  # fmt: skip
    return jobs.create(db, alliance, user, draft)


def _job_draft(db, alliance, posting_id: int) -> jobs.PostingDraft:
    posting = jobs.get_for(db, MANAGER, posting_id)
    return jobs.PostingDraft(
        municipality_ags=posting.municipality_ags, title="Bauhofmitarbeiter/in (geändert)",
        kind="job", valid_through=posting.valid_through, description="Grünpflege, Winterdienst",
        pay_grade="E 5", apply_email="personal@borsdorf.example",
    )  # fmt: skip


def _news_draft(title: str = "Neue Öffnungszeiten") -> NewsDraft:
    return NewsDraft(title, "Ab Montag länger geöffnet.", "Donnerstags bis 18 Uhr.", AGS, 1)


def _news_item(db, alliance, submit: bool = False) -> int:
    """A news item of Borsdorf written by Borsdorf's staff: a draft, or (`submit`) waiting
    for the office's review."""
    writer = User("st-news", "Verwaltung", Role.STAFF, AGS)
    return news.create(db, alliance, writer, _news_draft(), submit=submit).id


def _place_draft(w, name: str = "Bauhof Borsdorf") -> PlaceDraft:
    """A place at Borsdorf's seat (the city map)."""
    return PlaceDraft(None, "bauhof", name, w["seat"].seat_lat, w["seat"].seat_lon)


def _place_record(w) -> dict:
    seat = w["seat"]
    return {"id": "b1", "name": "Bauhof", "kategorie": "bauhof", "lat": seat.seat_lat,
            "lon": seat.seat_lon}  # fmt: skip


def _place(db, alliance, w) -> int:
    return places.save_place(db, alliance, MANAGER, _place_draft(w, "Spielplatz")).id


def _place_contact(db, alliance) -> int:
    draft = PlaceContactDraft(AGS, "Bauamt", "function")
    return places.save_contact(db, alliance, MANAGER, draft).id


SERVICE_ACTIONS = [
    "suggestions.review",
    "suggestions.export",
    "networks.review",
    "networks.accept",
    "networks.import",
    "networks.export",
    "workshops.host",
    "workshops.manage",
    "vacancies.edit",
    "vacancies.owner",
    "vacancies.import",
    "vacancies.export",
    "vacancies.export_internal",
    "summary.report",
    "measures.edit",
    "addresses.import",
    "meetings.manage",
    "mayor_hours.manage",
    "mayor_hours.moderate",
    "sharing.book",
    "sharing.inventory",
    "sharing.settlement",
    "sharing.moderate",
    "developments.report",
    "developments.answer",
    "developments.manage",
    "jobs.post",
    "news.write",
    "news.review",
    "events.manage",
    "events.moderate",
    "places.edit",
    "places.import",
    "vacancy_risk.import",
    "vacancy_risk.buildings",
    "vacancy_risk.contact",
    "vacancy_risk.aggregates",
    "digest.overview",
    "feed_import.manage",
    "capacity.view",
]
# Actions checked where they are offered (a page of the manager or the municipality desk),
# with no service call of their own to try here; the page-access tests cover them.
PAGE_CHECKED = {
    "audit.view_own_municipality": "Meine Gemeinde shows the municipality's audit rows",
    "audit.view_all": "Allianzverwaltung shows every audit row",
    "users.list": "Allianzverwaltung lists the accounts",
    "users.manage": "Allianzverwaltung creates, edits and locks accounts and makes password "
    "links (the services take the audit actor: the CLI acts as the office too)",
    "boundaries.import": "Allianzverwaltung imports VG250 boundaries",
    "meetings.feed": "Sitzungen & Termine offers the personal calendar link to signed-in roles; "
    "new_feed refuses anyone else (tests/unit/test_meetings.py)",
    "developments.view_internal": "Bauvorhaben shows non-public reports to the municipal desk; "
    "for_viewer hides them from every other role (tests/unit/test_developments.py)",
}
MATRIX = [(action, role) for action in SERVICE_ACTIONS for role in Role]


@pytest.mark.parametrize(("action", "role"), MATRIX, ids=[f"{a}-{r.value}" for a, r in MATRIX])
def test_service_refuses_every_role_the_table_does_not_allow(db, alliance, world, action, role):
    user = user_for(role)
    if role in permissions()[action]:
        _try(action, db, alliance, world, user)
    else:
        with pytest.raises(PermissionDenied):
            _try(action, db, alliance, world, user)


def test_every_action_is_tried_or_named_as_checked_on_its_page():
    actions = {a for a in permissions() if not a.startswith("page.")}
    assert actions == set(SERVICE_ACTIONS) | set(PAGE_CHECKED)


# --- role × municipality × action ----------------------------------------------------------
#
# Every service action on an object that belongs to a municipality (the objects of `world` all
# lie in Borsdorf), tried by each role the permission table allows, bound to Borsdorf ("own"),
# to Brandis ("other") or to no municipality ("none"). Roles the table refuses are the first
# matrix's business.


@dataclass(frozen=True)
class ScopedAction:
    name: str  # module.function of the service
    permission: str
    perform: Callable


def _segment_edit(db, w, name: str) -> networks.SegmentEdit:
    segment = network_store.get(db, w["segment"])
    return networks.SegmentEdit(
        name=name,
        in_rad=segment.in_rad,
        in_kern=segment.in_kern,
        status=segment.status.value,
        priority=segment.priority,
        surface=segment.surface,
        width_m=segment.width_m,
        lighting=segment.lighting,
        signage=segment.signage,
        facility=segment.facility,
        responsible=segment.responsible,
        gap=segment.gap,
        cost_eur=segment.cost_eur,
    )


def _workshop_draft(db, w) -> workshops.WorkshopDraft:
    current = workshop_store.get(db, w["workshop"])
    return workshops.WorkshopDraft(
        "Werkstatt (geändert)",
        datetime(2026, 1, 2),
        scope_ags=AGS,
        tables=[workshops.TableDraft(t.topic, t.host, t.handlungsfeld, t.id)
                for t in current.tables],
    )  # fmt: skip


def _seat_row(w, kind: str) -> dict:
    return {"type": kind, "lat": w["seat"].seat_lat, "lon": w["seat"].seat_lon}


SCOPED_ACTIONS = [
    # networks: the segment lies entirely in Borsdorf
    ScopedAction("networks.edit_segment", "networks.accept",
                 lambda db, a, w, u: networks.edit_segment(db, u, w["segment"],
                                                           _segment_edit(db, w, "Umbenannt"))),
    ScopedAction("networks.record_review", "networks.review",
                 lambda db, a, w, u: networks.record_review(db, u, w["segment"],
                                                            networks.ReviewInput(condition=2))),
    ScopedAction("networks.accept_review", "networks.accept",
                 lambda db, a, w, u: networks.accept_review(db, u, w["review"])),
    ScopedAction("networks.import_for", "networks.import",
                 lambda db, a, w, u: networks.import_for(db, u, _line_preview(w["seat"],
                                                                              w["areas"]),
                                                         {Network.RAD})),
    # workshops: planned for Borsdorf, running live
    ScopedAction("workshops.create", "workshops.manage",
                 lambda db, a, w, u: workshops.create(
                     db, a, u, workshops.WorkshopDraft("Neu", datetime(2026, 2, 1), scope_ags=AGS,
                                                       tables=workshops.default_tables(a)))),
    ScopedAction("workshops.update", "workshops.manage",
                 lambda db, a, w, u: workshops.update(db, a, u, w["workshop"],
                                                      _workshop_draft(db, w))),
    ScopedAction("workshops.set_phase", "workshops.manage",
                 lambda db, a, w, u: workshops.set_phase(db, u, w["workshop"], "closed")),
    ScopedAction("workshops.hide_card", "workshops.manage",
                 lambda db, a, w, u: workshops.hide_card(db, u, w["card"], "Doppelt")),
    ScopedAction("workshops.set_card_handlungsfeld", "workshops.manage",
                 lambda db, a, w, u: workshops.set_card_handlungsfeld(db, a, u, w["card"], 1)),
    ScopedAction("workshops.contacts", "workshops.manage",
                 lambda db, a, w, u: workshops.contacts(db, u, w["workshop"])),
    ScopedAction("workshops.add_card", "workshops.host",
                 lambda db, a, w, u: workshops.add_card(db, a, w["areas"], u, w["workshop"],
                                                        workshops.CardDraft(w["table"], "Idee"))),
    ScopedAction("workshops.set_host_dots", "workshops.host",
                 lambda db, a, w, u: workshops.set_host_dots(db, u, w["workshop"],
                                                             {w["card"]: 4})),
    ScopedAction("workshops.cast_ballot", "workshops.host",
                 lambda db, a, w, u: workshops.cast_ballot(db, u, w["workshop"],
                                                           {w["card"]: 1})),
    ScopedAction("workshops.add_photo", "workshops.host",
                 lambda db, a, w, u: workshops.add_photo(db, u, w["workshop"], w["table"],
                                                         "Stellwand", jpeg())),
    # suggestions: both lie in Borsdorf
    ScopedAction("suggestions.set_status", "suggestions.review",
                 lambda db, a, w, u: suggestions.set_status(db, a, u, w["suggestion"],
                                                            "in_review", "Wir prüfen.")),
    ScopedAction("suggestions.reassign", "suggestions.review",
                 lambda db, a, w, u: suggestions.reassign(db, a, u, w["suggestion"], THIRD,
                                                          "Zuständig ist Naunhof.")),
    ScopedAction("suggestions.merge", "suggestions.review",
                 lambda db, a, w, u: suggestions.merge(db, a, u, w["duplicate"],
                                                       w["suggestion"])),
    ScopedAction("suggestions.hide", "suggestions.review",
                 lambda db, a, w, u: suggestions.hide(db, u, w["suggestion"], "Beleidigend")),
    ScopedAction("suggestions.reporter", "suggestions.review",
                 lambda db, a, w, u: suggestions.reporter(db, u, w["suggestion"])),
    # vacancies: the site and the new ones lie at Borsdorf's seat
    ScopedAction("vacancies.create", "vacancies.edit",
                 lambda db, a, w, u: vacancies.create(db, a, w["areas"], u,
                                                      _seat_row(w, "baulücke"))),
    ScopedAction("vacancies.update", "vacancies.edit",
                 lambda db, a, w, u: vacancies.update(db, a, w["areas"], u, w["site"],
                                                      {"description": "Seit 2020 leer"})),
    ScopedAction("vacancies.owner_of", "vacancies.owner",
                 lambda db, a, w, u: vacancies.owner_of(db, u, w["site"])),
    # addresses: a file of two houses at Borsdorf's seat
    ScopedAction("addresses.import_file", "addresses.import",
                 lambda db, a, w, u: _import_addresses(db, a, w["seat"], u)),
    ScopedAction("vacancies.import_rows", "vacancies.import",
                 lambda db, a, w, u: vacancies.import_rows(db, a, w["areas"], u,
                                                           [_seat_row(w, "hofstelle")])),
    # consultation hours: the mayor's hour and its questions belong to Borsdorf
    ScopedAction("mayor_hours.create_hour", "mayor_hours.manage",
                 lambda db, a, w, u: _mayor_hour(db, a, u)),
    ScopedAction("mayor_hours.approve", "mayor_hours.moderate",
                 lambda db, a, w, u: _approve_question(db, a, u)),
    ScopedAction("mayor_hours.hold", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.hold(db, u, _mayor_question(db, a), "insult")),
    ScopedAction("mayor_hours.merge", "mayor_hours.moderate",
                 lambda db, a, w, u: _merge_as(db, a, u)),
    ScopedAction("mayor_hours.answer", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.answer(db, u, _mayor_question(db, a, True),
                                                        "Bald.")),
    ScopedAction("mayor_hours.show_on_screen", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.show_on_screen(db, u,
                                                                _mayor_question(db, a, True))),
    ScopedAction("mayor_hours.moderation_queue", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.moderation_queue(
                     db, u, mayor_hours.get_question(db, _mayor_question(db, a)).hour_id)),
    ScopedAction("mayor_hours.private_email", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.private_email(db, u, _mayor_question(db, a))),
    ScopedAction("mayor_hours.to_suggestion", "mayor_hours.moderate",
                 lambda db, a, w, u: mayor_hours.to_suggestion(
                     db, a, w["areas"], u, _mayor_question(db, a, True, True))),
    # the pool: Borsdorf's Bauhof owns the item; bookings are made for Borsdorf
    ScopedAction("sharing.create_item", "sharing.inventory",
                 lambda db, a, w, u: sharing.create_item(
                     db, a, u, sharing.ItemDraft("municipality", AGS, "tool", "Rüttelplatte"))),
    ScopedAction("sharing.create_crew", "sharing.inventory",
                 lambda db, a, w, u: sharing.create_crew(db, a, u, AGS, "Mannschaft", 2)),
    ScopedAction("sharing.update_item", "sharing.inventory",
                 lambda db, a, w, u: _pool_edit(db, a, u)),
    ScopedAction("sharing.retire_item", "sharing.inventory",
                 lambda db, a, w, u: sharing.retire_item(db, u, _pool_item(db, a))),
    ScopedAction("sharing.set_photo", "sharing.inventory",
                 lambda db, a, w, u: sharing.set_photo(db, u, _pool_item(db, a), jpeg())),
    ScopedAction("sharing.add_block", "sharing.inventory",
                 lambda db, a, w, u: sharing.add_block(db, u, _pool_item(db, a), *_pool_span(),
                                                       "Wartung")),
    ScopedAction("sharing.request_booking", "sharing.book",
                 lambda db, a, w, u: sharing.request_booking(
                     db, u, _pool_item(db, a, THIRD), sharing.BookingDraft(AGS, *_pool_span()))),
    # the job board: the posting is Borsdorf's
    ScopedAction("jobs.create", "jobs.post", lambda db, a, w, u: _job(db, a, u)),
    ScopedAction("jobs.update", "jobs.post",
                 lambda db, a, w, u: jobs.update(db, a, u, p := _job(db, a, MANAGER),
                                                 _job_draft(db, a, p))),
    ScopedAction("jobs.extend", "jobs.post",
                 lambda db, a, w, u: jobs.extend(db, u, p := _job(db, a, MANAGER),
                                                 date.fromisoformat(
                                                     jobs.get_for(db, MANAGER, p).valid_through)
                                                 + timedelta(days=7))),
    ScopedAction("jobs.withdraw", "jobs.post",
                 lambda db, a, w, u: jobs.withdraw(db, u, _job(db, a, MANAGER), "besetzt")),
    # news: the item is Borsdorf's, written by Borsdorf's staff
    ScopedAction("news.create", "news.write",
                 lambda db, a, w, u: news.create(db, a, u, _news_draft())),
    ScopedAction("news.update", "news.write",
                 lambda db, a, w, u: news.update(db, a, u, _news_item(db, a),
                                                 _news_draft("Geändert"))),
    ScopedAction("news.submit", "news.write",
                 lambda db, a, w, u: news.submit(db, a, u, _news_item(db, a))),
    ScopedAction("news.withdraw", "news.write",
                 lambda db, a, w, u: news.withdraw(db, u, _news_item(db, a, submit=True))),
    ScopedAction("news.approve", "news.review",
                 lambda db, a, w, u: news.approve(db, u, _news_item(db, a, submit=True))),
    ScopedAction("news.send_back", "news.review",
                 lambda db, a, w, u: news.send_back(db, u, _news_item(db, a, submit=True),
                                                    "Bitte kürzen.")),
    # events: the event takes place in Borsdorf
    ScopedAction("events.create", "events.manage",
                 lambda db, a, w, u: events.create(db, a, w["areas"], u, _event_draft(w))),
    ScopedAction("events.update", "events.manage",
                 lambda db, a, w, u: events.update(db, a, w["areas"], u, _event(db, a, w),
                                                   _event_draft(w, "Dorffest (neu)"))),
    ScopedAction("events.cancel", "events.manage",
                 lambda db, a, w, u: events.cancel(db, u, _event(db, a, w), "Regen")),
    ScopedAction("events.approve", "events.moderate",
                 lambda db, a, w, u: events.approve(db, u, _event(db, a, w, club=True))),
    ScopedAction("events.decline", "events.moderate",
                 lambda db, a, w, u: events.decline(db, u, _event(db, a, w, club=True),
                                                    "Keine öffentliche Veranstaltung")),
    ScopedAction("events.submitter_address", "events.moderate",
                 lambda db, a, w, u: events.submitter_address(db, u,
                                                              _event(db, a, w, club=True))),
    # city map: the places and the contact lie in Borsdorf
    ScopedAction("places.save_place", "places.edit",
                 lambda db, a, w, u: places.save_place(db, a, u, _place_draft(w))),
    ScopedAction("places.delete_place", "places.edit",
                 lambda db, a, w, u: places.delete_place(db, u, _place(db, a, w))),
    ScopedAction("places.set_photo", "places.edit",
                 lambda db, a, w, u: places.set_photo(db, u, _place(db, a, w), jpeg())),
    ScopedAction("places.save_contact", "places.edit",
                 lambda db, a, w, u: places.save_contact(
                     db, a, u, PlaceContactDraft(AGS, "Ordnungsamt", "function"))),
    ScopedAction("places.delete_contact", "places.edit",
                 lambda db, a, w, u: places.delete_contact(db, u, _place_contact(db, a))),
    # Leerstandsrisiko: a building at Borsdorf's seat; building level for its staff only
    ScopedAction("vacancy_risk.import_extract", "vacancy_risk.import",
                 lambda db, a, w, u: vacancy_risk.import_extract(db, a, w["areas"], u,
                                                                 _risk_extract(w))),
    ScopedAction("vacancy_risk.building", "vacancy_risk.buildings",
                 lambda db, a, w, u: vacancy_risk.building(db, u, _risk_building(db, a, w))),
    ScopedAction("vacancy_risk.record_contact", "vacancy_risk.contact",
                 lambda db, a, w, u: vacancy_risk.record_contact(
                     db, u, _risk_building(db, a, w),
                     vacancy_risk.ContactDraft(date.today(), "gespraech"))),
    ScopedAction("vacancy_risk.to_register", "vacancy_risk.contact",
                 lambda db, a, w, u: vacancy_risk.to_register(db, a, w["areas"], u,
                                                              _risk_consent(db, a, w))),
    ScopedAction("vacancy_risk.ortsteile", "vacancy_risk.aggregates",
                 lambda db, a, w, u: vacancy_risk.ortsteile(db, u, AGS)),
    ScopedAction("vacancy_risk.grid", "vacancy_risk.aggregates",
                 lambda db, a, w, u: vacancy_risk.grid(db, u, AGS)),
    ScopedAction("vacancy_risk.projection", "vacancy_risk.aggregates",
                 lambda db, a, w, u: vacancy_risk.projection(db, u, AGS)),
    ScopedAction("vacancy_fmd.import_file", "vacancies.import",
                 lambda db, a, w, u: _fmd_import(db, a, w, u)),
    # feeds of the members' websites: the source is Borsdorf's
    ScopedAction("feed_import.add_source", "feed_import.manage",
                 lambda db, a, w, u: _feed_source(db, a, u)),
    ScopedAction("feed_import.get", "feed_import.manage",
                 lambda db, a, w, u: feed_import.get(db, u, _feed_source(db, a))),
    ScopedAction("feed_import.set_paused", "feed_import.manage",
                 lambda db, a, w, u: feed_import.set_paused(db, u, _feed_source(db, a), True)),
    ScopedAction("feed_import.delete_source", "feed_import.manage",
                 lambda db, a, w, u: feed_import.delete_source(db, u, _feed_source(db, a))),
    ScopedAction("feed_import.run_now", "feed_import.manage",
                 lambda db, a, w, u: feed_import.run_now(db, a, w["areas"], u,
                                                         _feed_source(db, a))),
]  # fmt: skip
PLACES = {"own": AGS, "other": OTHER, "none": None}


def scoped_cases() -> list[tuple[ScopedAction, Role, str]]:
    return [
        (action, role, place)
        for action in SCOPED_ACTIONS
        for role in sorted(permissions()[action.permission])
        for place in PLACES
    ]


def allowed_at(role: Role, place: str) -> bool:
    """The rule under test: the manager everywhere; a bound user in their own municipality
    only; an unbound working group or host alliance-wide; staff and mayors never unbound."""
    if role is Role.MANAGER or place == "own":
        return True
    return place == "none" and role not in MUNICIPAL_ROLES


SCOPED = scoped_cases()


@pytest.mark.parametrize(
    ("action", "role", "place"),
    SCOPED,
    ids=[f"{a.name}-{r.value}-{p}" for a, r, p in SCOPED],
)
def test_service_acts_only_within_the_users_municipality(db, alliance, world, action, role, place):
    user = User(f"u-{role.value}-{place}", role.value, role, PLACES[place])
    if allowed_at(role, place):
        action.perform(db, alliance, world, user)
    else:
        with pytest.raises(PermissionDenied):
            action.perform(db, alliance, world, user)


def test_the_scope_matrix_covers_its_actions_for_every_allowed_role():
    assert {a.permission for a in SCOPED_ACTIONS} <= set(permissions())
    # staff (bound), host and working group (may be bound) and the manager all appear
    roles = {role for _, role, _ in SCOPED}
    assert {Role.STAFF, Role.MANAGER, Role.HOST, Role.WORKING_GROUP} <= roles


# Service functions that take the acting user but act on no single municipality's object,
# with the reason; every other one must be in SCOPED_ACTIONS.
NOT_OBJECT_ACTIONS = {
    "networks.export_for": "the whole network, public on the networks page anyway",
    "networks.may_review": "a predicate for the page; record_review checks again",
    "networks.may_maintain": "a predicate for the page; the actions check again",
    "networks.commit_import": "called by import_for with the user, tried there",
    "workshops.managed_by": "lists the workshops can_manage allows",
    "workshops.hosted_by": "lists the workshops can_host allows",
    "workshops.can_manage": "the predicate behind the planning actions, tried there",
    "workshops.can_host": "the predicate behind the hosting actions, tried there",
    "suggestions.may_handle": "the predicate behind the review actions, tried there",
    "suggestions.review_filters": "narrows reads to the user's municipality",
    "suggestions.review_queue": "a read narrowed by review_filters",
    "suggestions.export": "a read narrowed by review_filters",
    "vacancies.may_edit": "the predicate behind the register actions, tried there",
    "vacancies.scope_filter": "narrows reads to the user's municipality",
    "vacancies.records_as_of": "a read narrowed by scope_filter",
    "vacancies.interests": "a read narrowed to the user's municipality",
    "vacancies.export_file": "a read narrowed by scope_filter",
    "measures.create": "measures are the alliance manager's alone",
    "measures.update": "measures are the alliance manager's alone",
    "measures.link": "measures are the alliance manager's alone",
    "measures.unlink": "measures are the alliance manager's alone",
    "summary.report_for": "aggregate figures of every municipality, as the summary shows",
    "measures.add_step": "measures are the alliance manager's alone",
    "suggestions.visible_by_ref": "a read: hidden ones only for their desk",
    "vacancies.by_ref": "a read: register users see every site, others only published ones",
    "mayor_hours.may_manage": "the predicate behind create_hour and moderation, tried there",
    "mayor_hours.may_moderate": "the predicate behind the moderation actions, tried there",
    "sharing.may_book": "the predicate behind request_booking, tried there",
    "sharing.may_keep": "the predicate behind the owner's actions, tried there",
    "sharing.bookings_for": "a read narrowed to the user's municipality (or what it keeps)",
    "sharing.settlement": "a read narrowed to the pairs of the user's municipality",
    "sharing.get_booking": "a read: NotFound for a third member, tried in the booking test",
    "sharing.approve": "a booking belongs to two members: test_pool_booking_answers_...",
    "sharing.decline": "a booking belongs to two members: test_pool_booking_answers_...",
    "sharing.extend_hold": "a booking belongs to two members: test_pool_booking_answers_...",
    "sharing.record_return": "a booking belongs to two members: test_pool_booking_answers_...",
    "sharing.cancel": "a booking belongs to two members: test_pool_booking_answers_...",
    "jobs.may_post": "the predicate behind the posting actions, tried there",
    "jobs.visible_to": "a read: withdrawn postings only for their member's desk",
    "jobs.get_for": "a read: NotFound for a withdrawn posting (tests/unit/test_jobs.py)",
    "jobs.managed_by": "a read narrowed to the user's municipality (the office: all)",
    "news.is_office": "the predicate behind the review actions, tried there",
    "news.may_write": "the predicate behind the writing actions, tried there",
    "news.may_edit": "the predicate behind update, submit and withdraw, tried there",
    "news.item_at": "a read: non-public items only for those who may edit them",
    "news.desk": "a read narrowed to the user's municipality (the office: all)",
    "news.review_queue": "the office's list; refuses everyone else",
    "news.open_for": "a read for Meine Gemeinde: empty unless the user writes for the member",
    "news.image": "a read: the photo of a public item, or of one the user may edit",
    "events.may_manage": "the predicate behind create, update and cancel, tried there",
    "events.may_moderate": "the predicate behind the moderation actions, tried there",
    "events.for_viewer": "a read: waiting and declined events only for their moderators "
    "(tests/unit/test_events.py)",
    "events.moderation_queue": "a read narrowed to the user's municipality (the office: all)",
    "events.managed": "a read narrowed to the user's municipality (the office: all)",
    "places.may_edit": "the predicate behind the place and contact actions, tried there",
    "places.office_contacts": "a read narrowed to the user's municipality (the office: all)",
    "places.import_records": "refuses each line outside the user's municipality in its "
    "report (tests/unit/test_places.py::test_import_outside_the_own_municipality_...)",
    "places.import_file": "reads the file, then import_records",
    "vacancy_risk.buildings": "a read of the user's own municipality only (staff; "
    "tests/unit/test_vacancy_risk.py); other roles are refused in the first matrix",
    "vacancy_risk.latest_contacts": "a read narrowed to the user's own municipality",
    "vacancy_risk.import_file": "reads the file, then import_extract",
    "vacancy_risk.aggregate_scope": "the predicate behind ortsteile, grid and projection, "
    "tried there",
    "vacancy_fmd.export_csv": "the register of the user's scope (as vacancies.export_file)",
    "vacancy_fmd.rows_of": "reads rows for import_file, which checks the user",
    "digest.overview": "the newsletter's counts for the whole alliance, no addresses",
    "digest.may_see_overview": "the predicate behind overview, tried there",
    "feed_import.may_manage": "a predicate behind every action, tried there",
    "feed_import.sources": "lists the sources of the user's municipality (the office: all)",
    "feed_import.failing": "Meine Gemeinde's list, empty unless may_manage allows the member",
}
SERVICES = {
    "addresses": addresses,
    "networks": networks,
    "workshops": workshops,
    "suggestions": suggestions,
    "vacancies": vacancies,
    "measures": measures,
    "summary": summary,
    "mayor_hours": mayor_hours,
    "sharing": sharing,
    "jobs": jobs,
    "news": news,
    "events": events,
    "places": places,
    "vacancy_risk": vacancy_risk,
    "vacancy_fmd": vacancy_fmd,
    "digest": digest,
    "feed_import": feed_import,
}


def test_every_service_function_taking_a_user_is_tried_or_named():
    taking_user = {
        f"{slice_name}.{name}"
        for slice_name, module in SERVICES.items()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "user" in inspect.signature(function).parameters
    }
    assert taking_user == {a.name for a in SCOPED_ACTIONS} | set(NOT_OBJECT_ACTIONS)


# --- rules beside the table ----------------------------------------------------------------


def staff(ags: str, name: str = "st") -> User:
    return User(f"{name}-{ags}", "Verwaltung", Role.STAFF, ags)


def test_a_review_is_accepted_by_someone_other_than_its_author(db, world):
    author = staff(AGS, "autorin")
    review = networks.record_review(db, author, world["segment"], networks.ReviewInput(condition=4))
    with pytest.raises(PermissionDenied, match="eigene Bewertung"):
        networks.accept_review(db, author, review.id)
    assert network_store.review(db, review.id).accepted_at is None
    accepted = networks.accept_review(db, staff(AGS, "kollege"), review.id)
    assert accepted.condition == 4


def test_the_manager_does_not_accept_their_own_review_either(db, world):
    review = networks.record_review(
        db, MANAGER, world["segment"], networks.ReviewInput(condition=5)
    )
    with pytest.raises(PermissionDenied, match="eigene Bewertung"):
        networks.accept_review(db, MANAGER, review.id)


def test_a_segment_crossing_a_boundary_belongs_to_each_municipality_it_crosses(db, world):
    segment = segment_in(db, world["areas"], [AGS, OTHER])
    networks.edit_segment(db, staff(AGS), segment.id, _segment_edit(db, world, segment.name))
    review = networks.record_review(db, staff(OTHER), segment.id, networks.ReviewInput(3))
    networks.accept_review(db, staff(AGS), review.id)
    for action in (
        lambda user: networks.record_review(db, user, segment.id, networks.ReviewInput(2)),
        lambda user: networks.edit_segment(db, user, segment.id, _segment_edit(db, world, "X")),
    ):
        with pytest.raises(PermissionDenied, match="Gemeinde"):
            action(staff(THIRD))
    assert network_store.get(db, segment.id).name == segment.name


def test_stored_municipalities_are_those_the_figures_cut_the_segment_into(db, world):
    segments = network_store.all_segments(db)
    prepared = networks.prepare(segments, world["areas"])
    for column, segment in enumerate(segments):
        crossed = sorted(
            a.ags for row, a in enumerate(world["areas"]) if prepared.touches[row, column]
        )
        assert list(segment.municipalities) == crossed, segment.name


def test_a_stale_list_is_computed_again_when_the_boundaries_changed(db, world):
    """Lists computed before a boundary change (or before the column existed) are not
    trusted: the check computes the list on the current boundaries and stores it."""
    db.execute(
        "UPDATE segments SET municipalities = ?, municipalities_for = ? WHERE id = ?",
        [f'["{OTHER}"]', "alte Grenzen", world["segment"]],
    )
    with pytest.raises(PermissionDenied):
        networks.edit_segment(db, staff(OTHER), world["segment"], _segment_edit(db, world, "X"))
    assert network_store.get(db, world["segment"]).municipalities == (AGS,)
    networks.edit_segment(db, staff(AGS), world["segment"], _segment_edit(db, world, "Neu"))


def test_an_import_reaching_outside_the_own_municipality_writes_nothing(db, world):
    before = network_store.count(db)
    preview = _line_preview(world["seat"], world["areas"])  # in Borsdorf
    with pytest.raises(PermissionDenied, match="Linie 1 .*Nichts wurde gespeichert"):
        networks.import_for(db, staff(OTHER), preview, {Network.RAD})
    assert network_store.count(db) == before
    networks.import_for(db, staff(AGS), preview, {Network.RAD})
    assert network_store.all_segments(db)[-1].municipalities == (AGS,)


def test_an_alliance_wide_workshop_is_hosted_by_every_member_but_planned_by_the_manager(
    db, alliance, world
):
    wid = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Allianzwerkstatt", datetime(2026, 3, 1),
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, wid, "live")
    table = workshop_store.get(db, wid).tables[0].id
    for ags in (AGS, OTHER):
        workshops.add_card(db, alliance, world["areas"], staff(ags), wid,
                           workshops.CardDraft(table, "Idee"))  # fmt: skip
    assert wid in {w.id for w in workshops.hosted_by(db, staff(OTHER))}
    with pytest.raises(PermissionDenied):
        workshops.set_phase(db, staff(AGS), wid, "closed")
    # a workshop of Borsdorf is not offered to Brandis' staff for moderation
    assert world["workshop"] not in {w.id for w in workshops.hosted_by(db, staff(OTHER))}


# --- the pool: per role and per municipality ---------------------------------------------------


def _pool_span() -> tuple[datetime, datetime]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return start, start + timedelta(hours=4)


def _pool_item(db, alliance, ags: str = AGS) -> int:
    draft = sharing.ItemDraft("municipality", ags, "machine", "Mulcher", rate_hour_cents=4500)
    return sharing.create_item(db, alliance, MANAGER, draft)


def _pool_edit(db, alliance, user: User):
    item = _pool_item(db, alliance)
    draft = sharing.draft_of(sharing.get_item(db, item))
    return sharing.update_item(db, alliance, user, item, dataclasses.replace(draft, title="Neu"))


def _pool_booking(db, alliance, *, started: bool = False) -> int:
    """A request of Brandis (OTHER) for Borsdorf's item; `started`: approved and begun."""
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(hours=1) if started else now + timedelta(days=2)
    asked = start - timedelta(hours=2)
    brandis = User("st-brandis", "Brandis", Role.STAFF, OTHER)
    draft = sharing.BookingDraft(OTHER, start, start + timedelta(hours=4))
    booking = sharing.request_booking(db, brandis, _pool_item(db, alliance), draft, now=asked)
    if started:
        sharing.approve(db, MANAGER, booking.id, now=asked)
    return booking.id


POOL_BOOKING_ACTIONS = {
    "approve": lambda db, a, u: sharing.approve(db, u, _pool_booking(db, a)),
    "decline": lambda db, a, u: sharing.decline(db, u, _pool_booking(db, a), "Belegt"),
    "extend_hold": lambda db, a, u: sharing.extend_hold(db, u, _pool_booking(db, a)),
    "record_return": lambda db, a, u: sharing.record_return(
        db, u, _pool_booking(db, a, started=True), sharing.ReturnInput("2")
    ),
    "cancel": lambda db, a, u: sharing.cancel(db, u, _pool_booking(db, a)),
}
POOL_CASES = [(name, role, place) for name in POOL_BOOKING_ACTIONS for role in Role
              for place in PLACES]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role", "place"), POOL_CASES, ids=[f"{n}-{r.value}-{p}" for n, r, p in POOL_CASES]
)
def test_pool_booking_answers_only_by_the_owner_of_the_item(db, alliance, name, role, place):
    """Borsdorf's item, Brandis' request: only Borsdorf's staff (and the office) approve,
    decline, extend and take back; Brandis' own staff and mayor are refused although they see
    their booking; a cancellation is also the borrower's."""
    from allianz.errors import NotFound  # noqa: PLC0415 - only this test needs it

    user = User(f"u-{role.value}-{place}", role.value, role, PLACES[place])
    keeper = role in permissions()["sharing.inventory"] and allowed_at(role, place)
    borrower = role in permissions()["sharing.book"] and place == "other"
    if keeper or (name == "cancel" and borrower):
        POOL_BOOKING_ACTIONS[name](db, alliance, user)
    elif borrower:  # sees the booking as its borrower, but may not answer it
        with pytest.raises(PermissionDenied):
            POOL_BOOKING_ACTIONS[name](db, alliance, user)
    else:  # a third party: the booking does not even exist for them
        with pytest.raises((PermissionDenied, NotFound)):
            POOL_BOOKING_ACTIONS[name](db, alliance, user)


def test_brandis_staff_neither_approve_nor_return_nor_edit_naunhofs_items(db, alliance):
    brandis = User("st-brandis", "Brandis", Role.STAFF, OTHER)
    naunhof = User("st-naunhof", "Naunhof", Role.STAFF, THIRD)
    item = _pool_item(db, alliance, THIRD)
    start, end = _pool_span()
    booking = sharing.request_booking(db, brandis, item, sharing.BookingDraft(OTHER, start, end))
    draft = sharing.draft_of(sharing.get_item(db, item))
    for attempt in (
        lambda: sharing.approve(db, brandis, booking.id),
        lambda: sharing.decline(db, brandis, booking.id, "nein"),
        lambda: sharing.extend_hold(db, brandis, booking.id),
        lambda: sharing.update_item(db, alliance, brandis, item, draft),
        lambda: sharing.retire_item(db, brandis, item),
        lambda: sharing.set_photo(db, brandis, item, jpeg()),
        lambda: sharing.add_block(db, brandis, item, start, end, "fremd"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    approved = sharing.approve(db, naunhof, booking.id)
    assert approved.state == "approved"
    with pytest.raises(PermissionDenied):
        sharing.record_return(
            db, brandis, booking.id, sharing.ReturnInput("2"), now=end + timedelta(hours=1)
        )


# --- Leerstandsrisiko: a building at Borsdorf's seat, by coordinates ------------------------

RISK_STAFF = User("st-risk", "Verwaltung", Role.STAFF, AGS)


def _risk_extract(w):
    """A register extract of one building at Borsdorf's seat (one resident born 1940)."""
    seat = w["seat"]
    row = {"Breite": seat.seat_lat, "Länge": seat.seat_lon, "Geburtsjahre": "1940"}
    return vacancy_risk_import.parse([row], date.today())


def _risk_building(db, alliance, w) -> int:
    vacancy_risk.import_extract(db, alliance, w["areas"], RISK_STAFF, _risk_extract(w))
    return vacancy_risk.buildings(db, RISK_STAFF, "Test")[0].id


def _risk_consent(db, alliance, w) -> int:
    """The building, with the owner's consent recorded by Borsdorf's staff."""
    building = _risk_building(db, alliance, w)
    draft = vacancy_risk.ContactDraft(date.today(), "einwilligung")
    vacancy_risk.record_contact(db, RISK_STAFF, building, draft)
    return building


def _vacancy_risk(action: str, db, alliance, w, user: User) -> None:
    if action == "vacancy_risk.import":
        vacancy_risk.import_extract(db, alliance, w["areas"], user, _risk_extract(w))
    elif action == "vacancy_risk.buildings":
        vacancy_risk.buildings(db, user, "Liste")
    elif action == "vacancy_risk.contact":
        draft = vacancy_risk.ContactDraft(date.today(), "gespraech")
        vacancy_risk.record_contact(db, user, _risk_building(db, alliance, w), draft)
    elif action == "vacancy_risk.aggregates":
        vacancy_risk.ortsteile(db, user)
    else:  # pragma: no cover - the list above names only the actions handled here
        raise AssertionError(action)


def _fmd_import(db, alliance, w, user: User):
    """An FMD exchange file with one Baulücke at Borsdorf's seat, imported as `user`."""
    from shapely.geometry import Point  # noqa: PLC0415 - only the FMD try needs them

    from allianz import geo  # noqa: PLC0415

    seat = geo.to_metric(Point(w["seat"].seat_lon, w["seat"].seat_lat))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fmd.csv"
        row = f"F1;Baulücke;{seat.x:.1f};{seat.y:.1f}"
        path.write_text(f"Kennung;Kategorie;Rechtswert;Hochwert\n{row}\n", encoding="utf-8")
        return vacancy_fmd.import_file(db, alliance, w["areas"], user, path)
