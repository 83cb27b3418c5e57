"""Leerstand erfassen: the vacancy register for staff (own municipality) and the alliance
manager: work list with in-place edits, new sites by map click or coordinates, one site's
form with owner data and history, interest requests, import and export."""

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from allianz import auth, geo, maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_datetime
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain
from allianz.vacancies import files, presentation, service
from allianz.vacancies.model import CODED, LABELS, STATUSES, TYPES, Owner

user, alliance, db = web_session.open_page("page.vacancies")
areas = municipalities.areas(db)
names = {m.ags: m.name for m in alliance.municipalities}
own_scope = service.scope_filter(user)
state = st.session_state
today = date.today()
WORK_PAGE = 200  # rows of the editable work list per page

st.title("Leerstand erfassen")
st.caption(
    "Zuständigkeit: "
    + (names[user.municipality_ags] if user.municipality_ags else "alle Gemeinden")
)


def _choice(field: str, current: str | None, key: str, optional: bool = True) -> str | None:
    options = ([None] if optional else []) + list(CODED[field])
    return st.selectbox(
        LABELS[field],
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda c: "–" if c is None else CODED[field][c],
        placeholder="Bitte wählen",
        key=key,
    )


def _date_or_none(label: str, value: str | None, key: str):
    return st.date_input(
        label,
        value=date.fromisoformat(value) if value else None,
        format="DD.MM.YYYY",
        key=key,
    )


def site_form(key: str, site=None):
    """All fields of a site (and its owner); returns (values, owner) when submitted."""
    values = site.values() if site else {}
    owner = service.owner_of(db, user, site.id) if site else Owner()
    with st.form(key):
        c1, c2, c3 = st.columns(3)
        with c1:
            kind = _choice("type", values.get("type"), f"{key}-type", optional=False)
            usage = _choice("usage", values.get("usage"), f"{key}-usage")
            status = _choice("status", values.get("status", "active"), f"{key}-status", False)
        with c2:
            since = _date_or_none("leer seit", values.get("vacant_since"), f"{key}-since")
            epoch = _choice("building_epoch", values.get("building_epoch"), f"{key}-epoch")
            condition = _choice("condition", values.get("condition"), f"{key}-condition")
        with c3:
            area = st.number_input(
                "Fläche m²",
                min_value=0.0,
                value=float(values.get("area_m2") or 0),
                step=10.0,
                format="%.0f",  # whole m², as in the work list (no English decimal point)
            )
            review = _date_or_none("nächste Prüfung", values.get("next_review"), f"{key}-review")
            source = st.text_input(
                "Quelle",
                value=values.get("source", ""),
                max_chars=200,
                placeholder="z. B. Begehung, Eigentümer, Bauamt",
            )
        c4, c5 = st.columns(2)
        ortsteil = c4.text_input(
            "Ortsteil", value=values.get("ortsteil") or "", max_chars=100, placeholder="optional"
        )
        address = c5.text_input(
            "Adresse",
            value=values.get("address", ""),
            max_chars=200,
            placeholder="Straße Hausnummer",
        )
        coords_key = f"{key}-coords"
        if coords_key not in state and values.get("lat") is not None:
            state[coords_key] = f"{values['lat']:.6f}, {values['lon']:.6f}"
        coords = st.text_input(
            "Koordinaten (Breite, Länge)", placeholder="51.2778, 12.5883", key=coords_key
        )
        municipality = st.selectbox(
            "Gemeinde (nur nötig ohne Koordinaten)",
            [None, *(own_scope or names)],
            format_func=lambda a: "aus den Koordinaten" if a is None else names[a],
            placeholder="Gemeinde wählen",
        )
        description = st.text_area(
            "Beschreibung (öffentlich, wenn veröffentlicht)",
            value=values.get("description", ""),
            max_chars=1000,
            placeholder="Lage, Zustand, Nutzungsmöglichkeiten",
        )
        st.markdown("**Eigentümer** (nur für die Verwaltung; erscheint nie öffentlich)")
        o1, o2, o3 = st.columns(3)
        owner_type = _choice("owner_type", values.get("owner_type"), f"{key}-otype")
        contacted = _date_or_none(
            "Eigentümer angesprochen am", values.get("owner_contacted_on"), f"{key}-contacted"
        )
        willingness = _choice("willingness", values.get("willingness"), f"{key}-will")
        owner_name = o1.text_input("Name", value=owner.name, max_chars=200, placeholder="optional")
        owner_contact = o2.text_input(
            "Kontakt", value=owner.contact, max_chars=300, placeholder="Telefon oder E-Mail"
        )
        owner_note = o3.text_input(
            "Notiz", value=owner.note, max_chars=1000, placeholder="optional"
        )
        consent = st.checkbox(
            "Eigentümer hat der Veröffentlichung zugestimmt („Leerstand teilen“)",
            value=bool(values.get("publication_consent")),
        )
        submitted = st.form_submit_button("Speichern", type="primary")
    if not submitted:
        return None
    lat = lon = None
    if coords.strip():
        try:
            lat, lon = geo.parse_coordinates(coords)
        except ValueError as exc:
            st.error(str(exc))
            return None
    data = {
        "type": kind,
        "usage": usage,
        "status": status,
        "vacant_since": since,
        "building_epoch": epoch,
        "condition": condition,
        "area_m2": area or None,
        "next_review": review,
        "source": source,
        "ortsteil": ortsteil,
        "address": address,
        "lat": lat,
        "lon": lon,
        "municipality_ags": municipality,
        "description": description,
        "owner_type": owner_type,
        "owner_contacted_on": contacted,
        "willingness": willingness,
        "publication_consent": consent,
    }
    return data, Owner(owner_name, owner_contact, owner_note)


def work_list() -> None:
    c1, c2, c3 = st.columns(3)
    chosen_ags = (
        own_scope
        if own_scope
        else tuple(
            c1.multiselect("Gemeinde", list(names), format_func=names.get, placeholder="alle")
        )
    )
    kinds = c2.multiselect("Art", list(TYPES), format_func=TYPES.get, placeholder="alle")
    statuses = c3.multiselect("Stand", list(STATUSES), format_func=STATUSES.get, placeholder="alle")
    f1, f2 = st.columns(2)
    due = f1.checkbox("nur zur Prüfung fällig")
    no_contact = f2.checkbox("nur ohne Kontakt zum Eigentümer")
    found = service.sites(
        db,
        service.Filters(
            municipality_ags=chosen_ags,
            types=tuple(kinds),
            statuses=tuple(statuses),
            due_by=today.isoformat() if due else None,
            without_owner_contact=no_contact,
        ),
    )
    pages = max(1, -(-len(found) // WORK_PAGE))
    page = st.number_input("Seite", min_value=1, max_value=pages, value=1) if pages > 1 else 1
    sites = found[(page - 1) * WORK_PAGE : page * WORK_PAGE]
    st.caption(
        count_of(len(found), "Fläche", "Flächen")
        + (f", Seite {page} von {pages} (je {WORK_PAGE})" if pages > 1 else "")
        + " · Änderungen direkt in der Tabelle, dann „Änderungen speichern“"
    )
    frame = presentation.work_list(sites, alliance)
    labels = presentation.WORK_LIST_LABELS
    edited = st.data_editor(
        frame,
        column_config={
            **{field: st.column_config.Column(label) for field, label in labels.items()},
            "type": st.column_config.SelectboxColumn(
                labels["type"], options=list(TYPES), format_func=TYPES.get
            ),
            "status": st.column_config.SelectboxColumn(
                labels["status"], options=list(STATUSES), format_func=STATUSES.get, required=True
            ),
            "willingness": st.column_config.SelectboxColumn(
                labels["willingness"],
                options=list(CODED["willingness"]),
                format_func=CODED["willingness"].get,
            ),
            **{
                field: st.column_config.DateColumn(labels[field], format="DD.MM.YYYY")
                for field in ("vacant_since", "owner_contacted_on", "next_review")
            },
            "publication_consent": st.column_config.CheckboxColumn(labels["publication_consent"]),
            # whole m² need no decimal sign, in any language (Streamlit formats numbers
            # in English or in the browser's language otherwise)
            "area_m2": st.column_config.NumberColumn(
                labels["area_m2"], min_value=0, step=1, format="%.0f"
            ),
        },
        placeholder="",  # empty cells stay empty (Streamlit writes "None")
        disabled=[f for f in labels if f not in presentation.WORK_LIST_EDITABLE],
        hide_index=True,
        width="stretch",
        key="vacancy-work-list",
    )
    if st.button("Änderungen speichern", type="primary", disabled=not sites):
        saved, problems = 0, []
        for site, (_, before), (_, after) in zip(
            sites, frame.iterrows(), edited.iterrows(), strict=True
        ):
            if before.equals(after):
                continue
            changes = {f: after[f] for f in presentation.WORK_LIST_EDITABLE}
            changes["publication_consent"] = bool(changes["publication_consent"])
            try:
                saved += service.update(db, alliance, areas, user, site.id, changes)
            except DomainError as exc:
                problems.append(f"{site.ref}: " + " ".join(exc.errors))
        if problems:
            st.error("Nicht gespeichert:\n\n" + "\n\n".join(plain(p) for p in problems))
            if saved:
                st.success(f"{count_of(saved, 'Fläche', 'Flächen')} gespeichert.")
        elif saved:
            web_session.saved(f"{count_of(saved, 'Fläche', 'Flächen')} gespeichert.")
    history = st.expander(
        "Register zu einem früheren Stichtag", key="as-of-open", on_change="rerun"
    )
    if history.open:  # read from the history only when asked for
        with history:
            day = st.date_input("Stichtag", value=today, format="DD.MM.YYYY", key="as-of")
            then = service.records_as_of(db, user, day)
            st.dataframe(
                german_table(presentation.snapshot_table(then, alliance)),
                hide_index=True,
                width="stretch",
            )


def new_site() -> None:
    st.caption(
        "Klicken Sie auf die Karte – oder geben Sie Koordinaten bzw. Gemeinde und Adresse ein."
    )
    areas_frame = municipalities.areas_frame(db)
    fmap = maps.areas_map(alliance, areas_frame)
    form_key = f"new-site-{state.get('vacancy_saved', 0)}"
    point = state.get("vacancy_point")
    if point:
        maps.add_points(
            fmap, [maps.MapPoint(*point, "Neue Fläche")], layer_name="Neu", color="#c1121f"
        )
    clicked = maps.show(fmap, key="vacancy-map", height=380, returned_objects=["last_clicked"]).get(
        "last_clicked"
    )
    if clicked and clicked != state.get("vacancy_last_click"):
        state["vacancy_last_click"] = clicked
        state["vacancy_point"] = (round(clicked["lat"], 6), round(clicked["lng"], 6))
        state[f"{form_key}-coords"] = "{:.6f}, {:.6f}".format(*state["vacancy_point"])
        st.rerun()
    result = site_form(form_key)
    if result is None:
        return
    data, owner = result
    try:
        token = web_session.form_token("vacancy-new", data, owner)
        site_id = service.create(db, alliance, areas, user, data, owner, token=token)
    except DomainError as exc:
        st.error("Nicht gespeichert: " + " ".join(exc.errors))
        return
    state.pop("vacancy_point", None)
    state["vacancy_saved"] = state.get("vacancy_saved", 0) + 1
    web_session.saved(f"Fläche {service.get(db, site_id).ref} gespeichert.")


def edit_site() -> None:
    sites = service.sites(db, service.Filters(municipality_ags=own_scope))
    if not sites:
        st.info("Noch keine Flächen erfasst.")
        return
    left, right = st.columns([1, 2])
    query = left.text_input(
        "Fläche suchen (Nummer oder Adresse)", placeholder="Nummer, Straße oder Gemeinde"
    )
    by_id = presentation.matching(sites, query, alliance)
    if not by_id:
        st.warning("Keine Fläche passt zur Suche.")
        return
    chosen = right.selectbox(
        "Fläche",
        list(by_id),
        format_func=by_id.get,
        help="höchstens 50 Treffer",
        placeholder="Fläche wählen",
    )
    site = service.get(db, chosen)
    result = site_form(f"edit-{site.id}-{site.version}", site)
    if result is not None:
        data, owner = result
        try:
            changed = service.update(db, alliance, areas, user, site.id, data, owner)
        except DomainError as exc:
            st.error("Nicht gespeichert: " + " ".join(exc.errors))
        else:
            if changed:
                web_session.saved(f"Fläche {site.ref} gespeichert.")
            st.info("Keine Änderung.")
    st.markdown("**Verlauf**")
    st.dataframe(
        german_table(presentation.history_table(service.history(db, site.id))),
        hide_index=True,
        width="stretch",
    )


def requests() -> None:
    rows = service.interests(db, user)
    st.caption("Anfragen aus „Leerstand teilen“. Bitte direkt per E-Mail antworten.")
    st.dataframe(
        german_table(
            pd.DataFrame(
                [
                    {
                        "Fläche": r["ref"],
                        "Eingang": de_datetime(r["created_at"], ""),
                        "Name": r["name"],
                        "E-Mail": r["email"],
                        "Nachricht": r["message"],
                    }
                    for r in rows
                ],
                columns=["Fläche", "Eingang", "Name", "E-Mail", "Nachricht"],
            )
        ),
        hide_index=True,
        width="stretch",
    )


def exchange() -> None:
    st.markdown("**Import** (CSV, XLSX oder GeoPackage mit Koordinaten; Spalten wie im Export)")
    upload = st.file_uploader(
        "Datei wählen (höchstens 10 MB)", type=["csv", "xlsx", "gpkg"], key="vacancy-upload"
    )
    if upload is not None and st.button("Importieren", type="primary"):
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory(prefix="allianz-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(upload.getvalue())
            try:
                rows = files.read_rows(path, alliance)
                token = web_session.form_token("vacancy-import", upload.file_id)
                result = service.import_rows(db, alliance, areas, user, rows, token=token)
            except DomainError as exc:
                st.error(
                    f"Nicht importiert (nichts gespeichert), {len(exc.errors)} Fehler:\n\n"
                    + "\n".join(f"- {plain(e)}" for e in exc.errors[:200])
                )
            else:
                web_session.saved(f"{count_of(result.count, 'Fläche', 'Flächen')} importiert.")
    st.markdown("**Export** (ohne Eigentümerdaten)")
    cols = st.columns(3)
    for col, (fmt, mime) in zip(
        cols,
        (
            ("csv", "text/csv"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("gpkg", "application/geopackage+sqlite3"),
        ),
        strict=True,
    ):
        col.download_button(
            f"Export {fmt.upper()}",
            web_session.deferred(lambda conn, f=fmt: service.export_file(conn, alliance, user, f)),
            file_name=f"leerstand.{fmt}",
            mime=mime,
            key=f"vacancy-export-{fmt}",
            on_click="ignore",
        )
    if auth.can(user.role, "vacancies.export_internal"):
        st.markdown("**Interner Export mit Eigentümerdaten** (wird protokolliert)")
        if st.checkbox("Ich brauche die Eigentümerdaten für eine dienstliche Aufgabe."):
            st.download_button(
                "Interner Export XLSX",
                web_session.deferred(
                    lambda conn: service.export_file(conn, alliance, user, "xlsx", internal=True)
                ),
                file_name="leerstand-intern.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="vacancy-export-internal",
                on_click="ignore",
            )


work_tab, new_tab, edit_tab, request_tab, file_tab = st.tabs(
    ["Arbeitsliste", "Neue Fläche", "Fläche bearbeiten", "Anfragen", "Import und Export"],
    key="register-tab",
    on_change="rerun",  # the chosen tab stays when a message above it comes or goes
)
with work_tab:
    work_list()
with new_tab:
    new_site()
with edit_tab:
    edit_site()
with request_tab:
    requests()
with file_tab:
    exchange()
