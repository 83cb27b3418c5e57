"""Every create action lands exactly once: the same submission token a second time (a double
click, the same form sent again) writes nothing more and says so; a refused write leaves its
token unused, so the corrected form goes through."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks.model import Network
from allianz.submissions import AlreadySubmitted
from allianz.suggestions import service as suggestions
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops

MANAGER = User("leitung", "Leitung", Role.MANAGER)
AGS = "14729060"


def _seat(alliance):
    seat = alliance.municipality(AGS)
    return seat.seat_lat, seat.seat_lon


def _measure(db, alliance, token):
    data = {"handlungsfeld": 1, "priority": "A", "title": "Gemeinsamer Bauhof"}
    return measures.create(db, alliance, MANAGER, data, token=token)


def _vacancy(db, alliance, token):
    lat, lon = _seat(alliance)
    data = {"type": "leerstand", "lat": lat, "lon": lon, "publication_consent": True}
    return vacancies.create(db, alliance, municipalities.areas(db), MANAGER, data, token=token)


def _vacancy_import(db, alliance, token):
    lat, lon = _seat(alliance)
    rows = [{"type": "hofstelle", "lat": lat, "lon": lon}]
    return vacancies.import_rows(db, alliance, municipalities.areas(db), MANAGER, rows,
                                 token=token)  # fmt: skip


def _interest(db, alliance, token):
    site = vacancies.sites(db, vacancies.Filters())[0].id
    vacancies.express_interest(db, alliance, site, "Max", "max@example.org", "Wir suchen.", True,
                               token=token)  # fmt: skip


def _suggestion(db, alliance, token):
    lat, lon = _seat(alliance)
    sub = suggestions.Submission("waste", "Müll am Weg", "Viel Müll", lat, lon, token=token)
    return suggestions.submit(db, alliance, municipalities.areas(db), sub)


def _card(db, alliance, token):
    workshop = next(w for w in workshops.all_workshops(db) if w.phase.value == "live")
    draft = workshops.CardDraft(workshop.tables[0].id, "Mehr Bänke am Radweg")
    return workshops.add_card(db, alliance, municipalities.areas(db), MANAGER, workshop.id, draft,
                              token=token)  # fmt: skip


def _network(db, alliance, token):
    lat, lon = _seat(alliance)
    line = {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.003, lat + 0.001]]}
    feature = {"type": "Feature", "properties": {"name": "Neu"}, "geometry": line}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "linie.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
        preview = networks.prepare_import(path, municipalities.areas(db))
    return networks.import_for(db, MANAGER, preview, {Network.RAD}, token=token)


CREATES = {
    "measures": (_measure, "measures"),
    "vacancy_sites": (_vacancy, "vacancy_sites"),
    "vacancy_import": (_vacancy_import, "vacancy_sites"),
    "vacancy_interests": (_interest, "vacancy_interests"),
    "suggestions": (_suggestion, "suggestions"),
    "workshop_cards": (_card, "workshop_cards"),
    "segments": (_network, "segments"),
}


@pytest.fixture
def live_db(demo_db, alliance):
    db, _ = demo_db
    workshop = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Werkstatt", datetime.now() - timedelta(days=1),
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, workshop, "live")
    return db


@pytest.mark.parametrize("name", list(CREATES))
def test_the_same_token_creates_once(live_db, alliance, name):
    create, table = CREATES[name]
    before = live_db[table].count
    create(live_db, alliance, f"{name}:token-1")
    assert live_db[table].count > before
    after_first = live_db[table].count
    with pytest.raises(AlreadySubmitted, match="schon gespeichert"):
        create(live_db, alliance, f"{name}:token-1")
    assert live_db[table].count == after_first
    create(live_db, alliance, f"{name}:token-2")  # a new form is a new create
    assert live_db[table].count > after_first


def test_a_refused_write_leaves_its_token_unused(live_db, alliance):
    bad = {"handlungsfeld": 1, "priority": "Z", "title": "Bauhof"}
    with pytest.raises(measures.MeasureError):
        measures.create(live_db, alliance, MANAGER, bad, token="m:1")
    good = {"handlungsfeld": 1, "priority": "A", "title": "Bauhof"}
    measures.create(live_db, alliance, MANAGER, good, token="m:1")
    assert [m.title for m in measures.all_measures(live_db)].count("Bauhof") == 1


def test_old_tokens_are_forgotten(live_db, alliance):
    live_db.execute(
        "INSERT INTO submissions (token, action, at) VALUES ('alt', 'x', ?)",
        [(date.today() - timedelta(days=5)).isoformat()],
    )
    _measure(live_db, alliance, "neu")
    assert [r["token"] for r in live_db.query("SELECT token FROM submissions")] == ["neu"]
