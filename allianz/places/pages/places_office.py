"""Stadtplan pflegen: staff keep the places and contacts of their municipality, the alliance
office all of them; places come from a form (with the address index to find the point) or
from a file (GeoJSON, GeoPackage, CSV with coordinates, OpenStreetMap extract), and go out as
GeoJSON or GeoPackage (public data only)."""

import tempfile
from pathlib import Path

import streamlit as st

from allianz import web_session
from allianz.addresses import service as addresses
from allianz.auth import Role
from allianz.errors import DomainError
from allianz.formatting import de_int
from allianz.places import hours, service
from allianz.places.model import (
    BASIS,
    CATEGORIES,
    HOURS_MAX,
    KEYWORDS_MAX,
    NOTE_MAX,
    WHEELCHAIR,
    ContactDraft,
    PlaceDraft,
)
from allianz.ui import german_table, plain

PAGE = "allianz/places/pages/places_office.py"
PUBLIC = "allianz/places/pages/places.py"
user, alliance, db = web_session.open_page("page.places_office")
chosen = web_session.detail_key("ort")
names = {m.ags: m.name for m in alliance.municipalities}
office = user.role is Role.MANAGER
own = list(names) if office else [user.municipality_ags]


def _place_or_none():
    if not chosen:
        return None
    try:
        found = service.get_place(db, chosen)
    except DomainError as exc:
        st.error(plain(exc.errors[0]))
        return None
    if not service.may_edit(user, found.municipality_ags):
        st.error("Diesen Ort pflegt die Verwaltung einer anderen Gemeinde.")
        return None
    return found


def address_pick() -> tuple[str, float | None, float | None]:
    """An address from the address index: its label and point fill the form."""
    query = st.text_input(
        "Adresse im Adressverzeichnis suchen (füllt Adresse und Lage aus)",
        max_chars=200,
        placeholder="z. B. Markt 1 Naunhof",
        key="place-address-search",
    )
    if not query.strip():
        return "", None, None
    hits = [h for h in addresses.search(db, query) if h.municipality_ags in own]
    if not hits:
        st.caption("Keine Adresse gefunden; Breite und Länge bitte selbst angeben.")
        return "", None, None
    hit = st.selectbox(
        "Gefundene Adressen",
        hits,
        format_func=lambda h: h.label,
        placeholder="Adresse wählen",
        key="place-address-hit",
    )
    return (hit.label, hit.lat, hit.lon) if hit else ("", None, None)


def place_form(current) -> None:
    st.subheader(f"Ort ändern: {plain(current.name)}" if current else "Ort anlegen")
    picked, lat_hit, lon_hit = address_pick()
    form = f"place-{current.id if current else 'new'}-{picked}"
    with st.form(web_session.form_key(form)):
        category = st.selectbox(
            "Kategorie (Ebene der Karte)",
            list(CATEGORIES),
            format_func=CATEGORIES.get,
            index=list(CATEGORIES).index(current.category) if current else None,
            placeholder="Bitte wählen",
        )
        name = st.text_input("Name", value=current.name if current else "", max_chars=120)
        address = st.text_input(
            "Adresse", value=picked or (current.address_text if current else ""), max_chars=200
        )
        c1, c2 = st.columns(2)
        lat = c1.text_input(
            "Breite (WGS84)",
            value=str(lat_hit if lat_hit is not None else (current.lat if current else "")),
        )
        lon = c2.text_input(
            "Länge (WGS84)",
            value=str(lon_hit if lon_hit is not None else (current.lon if current else "")),
        )
        opening = st.text_input(
            "Öffnungszeiten (OpenStreetMap-Format)",
            value=hours.german(current.opening_hours) if current else "",
            max_chars=HOURS_MAX,
            placeholder="Mo-Fr 08:00-12:00; Di 14:00-18:00; PH off",
            help="Wochentage Mo, Di, Mi, Do, Fr, Sa, So; Zeiten hh:mm-hh:mm, mehrere mit Komma; "
            "Regeln mit Semikolon trennen (eine spätere Regel ersetzt für ihre Tage die "
            "frühere); PH = Feiertag, off = geschlossen; 24/7 = immer geöffnet.",
        )
        c3, c4 = st.columns(2)
        phone = c3.text_input("Telefon", value=current.phone if current else "", max_chars=40)
        web = c4.text_input("Webseite (https://…)", value=current.web if current else "")
        wheelchair = st.selectbox(
            "Barrierefreiheit (Rollstuhl)",
            list(WHEELCHAIR),
            format_func=WHEELCHAIR.get,
            index=list(WHEELCHAIR).index(current.wheelchair) if current else 3,
            placeholder="Bitte wählen",
        )
        note = st.text_area(
            "Hinweis (öffentlich)", value=current.note if current else "", max_chars=NOTE_MAX
        )
        if st.form_submit_button("Ort speichern", type="primary"):
            draft = PlaceDraft(
                None, category or "", name, lat, lon, address_text=address,
                opening_hours=opening, phone=phone, web=web, wheelchair=wheelchair or "",
                note=note,
                source=current.source if current else "manual",
                source_id=current.source_id if current else "",
            )  # fmt: skip
            token = None if current else web_session.form_token(form, draft)
            web_session.act(
                lambda: service.save_place(
                    db, alliance, user, draft, current.id if current else None, token
                ),
                lambda p: f"„{p.name}“ ist gespeichert.",
                form=form,
            )
    if current:
        photo_and_delete(current)


def photo_and_delete(current) -> None:
    with st.expander("Foto"):
        upload = st.file_uploader(
            "Foto (JPEG oder PNG, höchstens 5 MB; Aufnahmedaten werden entfernt)",
            type=["jpg", "jpeg", "png"],
            key=web_session.form_key(f"place-photo-{current.id}"),
        )
        if st.button("Foto übernehmen", disabled=upload is None):
            web_session.act(
                lambda: service.set_photo(db, user, current.id, upload.getvalue()),
                "Das Foto ist gespeichert.",
                form=f"place-photo-{current.id}",
            )
        if current.has_photo and st.button("Foto entfernen"):
            web_session.act(
                lambda: service.set_photo(db, user, current.id, None), "Das Foto ist entfernt."
            )
    confirm = st.checkbox(f"Ja, „{current.name}“ löschen", key=f"place-delete-{current.id}")
    if st.button("Ort löschen", disabled=not confirm):
        try:
            service.delete_place(db, user, current.id)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            del st.query_params["ort"]
            web_session.saved(f"„{current.name}“ ist gelöscht.")


def places_tab() -> None:
    current = _place_or_none()
    if current:
        if st.button("← Zur Liste der Orte"):
            st.query_params.clear()
            st.rerun()
        st.page_link(
            PUBLIC, label="Öffentliche Ansicht", query_params={"ort": str(current.id)},
            icon=":material/visibility:",
        )  # fmt: skip
        place_form(current)
        return
    ags = st.selectbox(
        "Gemeinde", own, format_func=names.get, placeholder="Gemeinde wählen", key="office-ags"
    )
    rows = service.places(db, ags=[ags] if ags else own)
    st.caption(f"{de_int(len(rows))} Orte")
    picked = st.dataframe(
        german_table(
            [
                {
                    "Nr.": p.id,
                    "Name": p.name,
                    "Kategorie": p.category_label,
                    "Öffnungszeiten": hours.german(p.opening_hours),
                    "Quelle": p.source + (" (Demo)" if p.is_demo else ""),
                }
                for p in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="office-places",
    )
    st.caption("Eine Zeile wählen, um den Ort zu ändern.")
    if picked and picked.selection.rows:
        st.query_params["ort"] = str(rows[picked.selection.rows[0]].id)
        st.rerun()
    place_form(None)


def contacts_tab() -> None:
    mine = service.office_contacts(db, user)
    st.dataframe(
        german_table(
            [
                {
                    "Nr.": c.id,
                    "Gemeinde": names.get(c.municipality_ags, ""),
                    "Amt": c.department,
                    "Funktion": c.role,
                    "Person": c.person_name,
                    "Veröffentlichung": BASIS[c.basis],
                    "Zuständig für": c.keywords,
                }
                for c in mine
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    by_id = {c.id: c for c in mine}
    pick = st.selectbox(
        "Ansprechpartner ändern",
        list(by_id),
        format_func=lambda i: f"{by_id[i].department} · {by_id[i].title}",
        index=None,
        placeholder="neuen Ansprechpartner anlegen",
        key="office-contact",
    )
    current = by_id.get(pick)
    form = f"contact-{pick or 'new'}"
    halls = service.places(db, ["rathaus"], own)
    with st.form(web_session.form_key(form)):
        first = 0 if len(own) == 1 else None
        ags = st.selectbox(
            "Gemeinde", own, format_func=names.get,
            index=own.index(current.municipality_ags) if current else first,
            placeholder="Gemeinde wählen",
        )  # fmt: skip
        department = st.text_input(
            "Amt/Abteilung", value=current.department if current else "", max_chars=120
        )
        role = st.text_input("Funktion", value=current.role if current else "", max_chars=120)
        basis = st.radio(
            "Veröffentlichung",
            list(BASIS),
            format_func=BASIS.get,
            index=list(BASIS).index(current.basis) if current else 0,
        )
        person = st.text_input(
            "Name der Person (nur mit Einwilligung öffentlich)",
            value=current.person_name if current else "",
            max_chars=120,
        )
        consent = st.checkbox(
            "Die Person hat schriftlich eingewilligt, dass Name, Telefon, E-Mail, Zimmer und "
            "Sprechzeiten veröffentlicht werden.",
            value=bool(current and current.basis == "consent"),
        )
        c1, c2, c3 = st.columns(3)
        phone = c1.text_input("Telefon", value=current.phone if current else "", max_chars=40)
        email = c2.text_input("E-Mail", value=current.email if current else "", max_chars=200)
        room = c3.text_input("Zimmer", value=current.room if current else "", max_chars=40)
        office_hours = st.text_input(
            "Sprechzeiten (OpenStreetMap-Format)",
            value=hours.german(current.office_hours) if current else "",
            max_chars=HOURS_MAX,
            placeholder="Di 09:00-12:00,14:00-18:00; Do 09:00-12:00",
        )
        keywords = st.text_input(
            "Zuständig für (Stichworte, mit Komma getrennt)",
            value=current.keywords if current else "",
            max_chars=KEYWORDS_MAX,
            placeholder="Hundesteuer, Gewerbeanmeldung, Fundsachen",
        )
        hall_ids = [h.id for h in halls if not ags or h.municipality_ags == ags]
        hall = st.selectbox(
            "Rathaus/Dienststelle auf der Karte",
            hall_ids,
            format_func=lambda i: next(h.name for h in halls if h.id == i),
            index=hall_ids.index(current.place_id)
            if current and current.place_id in hall_ids
            else None,
            placeholder="keine Zuordnung",
        )
        if st.form_submit_button("Ansprechpartner speichern", type="primary"):
            if basis == "consent" and not consent:
                st.error("Bitte bestätigen, dass die Einwilligung der Person vorliegt.")
            else:
                draft = ContactDraft(
                    ags, department, basis, role=role, person_name=person, phone=phone,
                    email=email, room=room, office_hours=office_hours, keywords=keywords,
                    place_id=hall,
                )  # fmt: skip
                token = None if current else web_session.form_token(form, draft)
                web_session.act(
                    lambda: service.save_contact(
                        db, alliance, user, draft, current.id if current else None, token
                    ),
                    "Der Ansprechpartner ist gespeichert.",
                    form=form,
                )
    if current and st.button("Ansprechpartner löschen"):
        web_session.act(
            lambda: service.delete_contact(db, user, current.id),
            "Der Ansprechpartner ist gelöscht.",
        )


def files_tab() -> None:
    st.markdown(
        "Orte aus **GeoJSON**, **GeoPackage**, **CSV** (Spalten name, kategorie, lat, lon; "
        "dazu id, adresse, oeffnungszeiten, telefon, web, rollstuhl) oder einem "
        "**OpenStreetMap-Auszug** (.osm.pbf) einlesen. Ein Ort mit derselben Quell-ID (Spalte "
        "id) wird beim erneuten Einlesen aktualisiert, nicht doppelt angelegt."
    )
    upload = st.file_uploader(
        "Datei mit Orten",
        type=["geojson", "json", "gpkg", "csv", "pbf"],
        max_upload_size=50,
        key=web_session.form_key("places-import"),
    )
    if st.button("Einlesen", type="primary"):
        if upload is None:
            st.error("Bitte zuerst eine Datei wählen.")
        else:
            try:
                with tempfile.TemporaryDirectory(prefix="allianz-orte-") as tmp:
                    path = Path(tmp) / Path(upload.name).name
                    path.write_bytes(upload.getvalue())
                    report = service.import_file(db, alliance, user, path)
            except DomainError as exc:
                for message in exc.errors:
                    st.error(message)
            else:
                st.session_state["_places_import_errors"] = report.errors
                web_session.clear_form("places-import")
                web_session.saved(report.summary)
    refused = st.session_state.pop("_places_import_errors", ())
    if refused:
        st.warning("Diese Zeilen wurden nicht übernommen:")
        st.dataframe(german_table({"Meldung": list(refused)}), hide_index=True, width="stretch")
    st.subheader("Ausgeben (nur öffentliche Angaben)")
    c1, c2 = st.columns(2)
    c1.download_button(
        "GeoJSON",
        web_session.deferred(lambda conn: service.export(conn, alliance, "geojson", own)),
        file_name="orte.geojson",
        mime="application/geo+json",
        on_click="ignore",
    )
    c2.download_button(
        "GeoPackage",
        web_session.deferred(lambda conn: service.export(conn, alliance, "gpkg", own)),
        file_name="orte.gpkg",
        mime="application/geopackage+sqlite3",
        on_click="ignore",
    )


st.title("Stadtplan pflegen")
st.caption("Alle Gemeinden (Geschäftsstelle)" if office else f"Gemeinde: {names.get(own[0], '')}")
st.page_link(
    "allianz/places/pages/places_embed.py",
    label="Stadtplan auf der Webseite der Gemeinde einbinden",
    icon=":material/code:",
)
tab_places, tab_contacts, tab_files = st.tabs(
    ["Orte", "Ansprechpartner", "Einlesen & Ausgeben"], key="places-office-tab", on_change="rerun"
)
if tab_places.open:
    with tab_places:
        places_tab()
if tab_contacts.open:
    with tab_contacts:
        contacts_tab()
if tab_files.open:
    with tab_files:
        files_tab()
