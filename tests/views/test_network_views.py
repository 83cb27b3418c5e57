"""Network views in AppTest: map and figures, review and acceptance, Befahrung, import."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from allianz import demo_geodata
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.networks import presentation, service, store
from tests.conftest import TEST_ACTOR
from tests.views.conftest import folium_maps, open_page

INSIDE = LineString([(12.5883, 51.2778), (12.6089, 51.3347)])
BORSDORF = "14729060"  # the municipality of the staff account (tests/views/conftest.py)


def crossing(db, ags: str = BORSDORF, *, inside: bool = True):
    """The first segment that crosses `ags` (inside=True) or does not (inside=False)."""
    return next(s for s in store.all_segments(db) if (ags in s.municipalities) is inside)


@pytest.fixture
def net(db, alliance):
    service.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    return db


def test_networks_page_for_citizens(run_page, net):
    at = open_page(run_page, Role.CITIZEN, "allianz/networks/pages/networks.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Abschnitte"] == str(store.count(net))
    assert metrics["geprüft"] == "0,0 km"
    assert len(folium_maps(at)) == 1
    assert not at.dataframe  # the table tab is built only when opened
    assert not at.get("download_button")  # exports are for the working group and staff
    first, last = store.all_segments(net)[0], store.all_segments(net)[-1]
    next(s for s in at.selectbox if s.label.startswith("Abschnitt")).select(first.id).run()
    assert at.subheader[0].value.startswith(f"Abschnitt {first.id}")
    assert not any("bewerten" in p.proto.label for p in at.get("page_link"))
    # keyboard search: by number or name, at most 50 choices
    next(t for t in at.text_input if t.label.startswith("Abschnitt suchen")).input(
        str(last.id)
    ).run()
    chooser = next(s for s in at.selectbox if s.label.startswith("Abschnitt"))
    assert last.id in chooser.options or f"{last.id}: {last.name}" in chooser.options
    assert len(chooser.options) <= 51
    at.session_state["network-tab"] = "Tabelle"
    at.run()
    assert len(at.dataframe[0].value) == store.count(net)
    assert not folium_maps(at)


def test_filters_change_map_table_and_figures(run_page, net):
    at = open_page(run_page, Role.CITIZEN, "allianz/networks/pages/networks.py")
    next(c for c in at.checkbox if c.label == "nur Lücken").check().run()
    gaps = [s for s in store.all_segments(net) if s.gap]
    at.session_state["network-tab"] = "Tabelle"
    at.run()
    assert len(at.dataframe[0].value) == len(gaps)
    at.session_state["network-tab"] = "Karte"
    at.run()
    assert {m.label: m.value for m in at.metric}["Abschnitte"] == str(len(gaps))
    at.radio[0].set_value("priority").run()
    args = folium_maps(at)[0].proto.json_args
    for hue in presentation.colours(service.frame(gaps), "priority"):
        assert hue in args


def test_working_group_reviews_and_staff_accepts(run_page, net):
    segment = crossing(net)
    at = open_page(
        run_page,
        Role.WORKING_GROUP,
        "allianz/networks/pages/network_review.py",
        segment=str(segment.id),
    )
    assert at.subheader[0].value.startswith(f"Abschnitt {segment.id}")
    next(s for s in at.selectbox if s.label == "Zustand").select(4)
    next(t for t in at.text_input if t.label.startswith("nutzbare Breite")).input("1,8")
    next(t for t in at.text_area if t.label == "Kommentar").input("Zu schmal")
    next(b for b in at.button if b.label == "Bewertung speichern").click().run()
    assert any("gespeichert" in s.value for s in at.success)
    review = store.reviews(net, segment.id)[0]
    assert (review.condition, review.width_m, review.reviewer) == (4, 1.8, "ak")
    assert not any(b.label.startswith("In die amtlichen") for b in at.button)

    at = open_page(
        run_page, Role.STAFF, "allianz/networks/pages/network_review.py", segment=str(segment.id)
    )
    next(b for b in at.button if b.label.startswith("In die amtlichen")).click().run()
    assert store.get(net, segment.id).condition == 4
    assert store.get(net, segment.id).width_m == 1.8


def test_bad_review_input_is_shown_and_not_saved(run_page, net):
    segment = store.all_segments(net)[0]
    at = open_page(
        run_page,
        Role.WORKING_GROUP,
        "allianz/networks/pages/network_review.py",
        segment=str(segment.id),
    )
    next(t for t in at.text_input if t.label.startswith("nutzbare Breite")).input("breit")
    next(t for t in at.text_input if t.label.startswith("Mängelpunkt")).input("irgendwo")
    next(b for b in at.button if b.label == "Bewertung speichern").click().run()
    assert at.error
    assert store.reviews(net, segment.id) == []


def test_befahrung_walks_through_unreviewed_segments(run_page, net):
    at = open_page(
        run_page, Role.STAFF, "allianz/networks/pages/network_review.py"
    )  # staff of Borsdorf
    at.toggle[0].set_value(True).run()
    first = at.subheader[0].value
    assert "Borsdorf" in at.get("progress")[0].proto.text
    next(b for b in at.button if b.label == "Bewertung speichern").click().run()
    assert at.subheader[0].value != first


def _geojson_bytes(**columns) -> bytes:
    frame = gpd.GeoDataFrame(columns, geometry=[INSIDE], crs="EPSG:4326")
    return frame.to_json().encode()


def test_import_preview_mapping_and_save(run_page, net):
    before = store.count(net)
    at = open_page(run_page, Role.WORKING_GROUP, "allianz/networks/pages/network_import.py")
    at.file_uploader[0].upload(
        "weg.geojson", _geojson_bytes(BEZ=["Parthe-Radweg"]), "application/geo+json"
    ).run()
    assert {m.label: m.value for m in at.metric}["Linien"] == "1"
    next(s for s in at.selectbox if s.label == "Name").select("BEZ").run()
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert any("1 Abschnitt (" in s.value for s in at.success)
    assert store.count(net) == before + 1
    assert store.all_segments(net)[-1].name == "Parthe-Radweg"


def test_import_refuses_bad_files(run_page, net):
    before = store.count(net)
    at = open_page(run_page, Role.STAFF, "allianz/networks/pages/network_import.py")
    outside = (
        gpd.GeoDataFrame(
            {"n": ["x"]}, geometry=[LineString([(9.6, 49.8), (9.7, 49.9)])], crs="EPSG:4326"
        )
        .to_json()
        .encode()
    )
    at.file_uploader[0].upload("aussen.geojson", outside, "application/geo+json").run()
    assert any("Nichts wurde gespeichert" in e.value for e in at.error)
    assert not any(b.label == "Speichern" for b in at.button)
    at.file_uploader[0].upload("bild.geojson", b"\x89PNG....", "application/geo+json").run()
    assert any("kein GeoJSON" in str(v) for v in at.dataframe[0].value["Fehler"])
    assert store.count(net) == before


def test_staff_edits_official_attributes(run_page, net):
    segment = crossing(net)
    at = open_page(
        run_page, Role.STAFF, "allianz/networks/pages/network_review.py", segment=str(segment.id)
    )
    next(s for s in at.selectbox if s.label == "Status").select("done")
    next(s for s in at.selectbox if s.label == "Beleuchtung").select(True)
    next(t for t in at.text_input if t.label == "Kostenschätzung (€)").input("250000")
    next(b for b in at.button if b.label == "Attribute speichern").click().run()
    assert any("Attribute gespeichert" in s.value for s in at.success)
    updated = store.get(net, segment.id)
    assert (updated.status.value, updated.lighting, updated.cost_eur) == ("done", True, 250000)


def test_working_group_cannot_edit_official_attributes(run_page, net):
    segment = store.all_segments(net)[0]
    at = open_page(
        run_page,
        Role.WORKING_GROUP,
        "allianz/networks/pages/network_review.py",
        segment=str(segment.id),
    )
    assert not any(b.label == "Attribute speichern" for b in at.button)


def test_staff_maintain_only_segments_of_their_municipality(run_page, net):
    elsewhere = crossing(net, inside=False)
    service.record_review(net, User("ak", "AK", Role.WORKING_GROUP), elsewhere.id,
                          service.ReviewInput(condition=3))  # fmt: skip
    at = open_page(
        run_page, Role.STAFF, "allianz/networks/pages/network_review.py", segment=str(elsewhere.id)
    )
    assert at.subheader[0].value.startswith(f"Abschnitt {elsewhere.id}")
    assert any("nicht durch Ihre Gemeinde" in i.value for i in at.info)
    assert next(b for b in at.button if b.label == "Bewertung speichern").disabled
    assert not any(b.label == "Attribute speichern" for b in at.button)
    assert not any(b.label.startswith("In die amtlichen") for b in at.button)


def test_staff_see_that_their_own_review_needs_a_second_person(run_page, net):
    segment = crossing(net)
    at = open_page(
        run_page, Role.STAFF, "allianz/networks/pages/network_review.py", segment=str(segment.id)
    )
    next(b for b in at.button if b.label == "Bewertung speichern").click().run()
    assert store.reviews(net, segment.id)[0].reviewer == "verwaltung"
    assert not any(b.label.startswith("In die amtlichen") for b in at.button)
    assert any("Vier-Augen-Prinzip" in c.value for c in at.caption)
