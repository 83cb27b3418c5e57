"""Leerstandsrisiko (staff of one municipality): import a register extract (only derived
flags are kept), the work list and the map of the own municipality's risk buildings, one
building's owner-contact steps and, with the owner's consent, its entry in the vacancy
register. Every view of building-level data is written to the audit trail."""

import tempfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_date
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain, user_text
from allianz.vacancies import risk_service
from allianz.vacancies import service as vacancies
from allianz.vacancies.risk_model import BANDS, CONSENT, FLAG_LABELS, OUTCOMES

user, alliance, db = web_session.open_page("page.vacancy_risk")
areas = municipalities.areas(db)
state = st.session_state
own = alliance.municipality(user.municipality_ags) if user.municipality_ags else None
FLAG_COLORS = {
    FLAG_LABELS["no_resident"]: "#6c757d",
    FLAG_LABELS["all_80"]: "#b83a3a",
    FLAG_LABELS["all_70"]: "#e4694c",
}

st.title("Leerstandsrisiko")
if own is None:
    st.error("Ihr Konto ist keiner Gemeinde zugeordnet.")
    st.stop()
st.caption(
    f"Gemeinde {own.name} · nur für die Verwaltung der Gemeinde; jede Ansicht einzelner "
    "Gebäude wird protokolliert. Gespeichert sind nur abgeleitete Merkmale, nie Geburtsjahre."
)


def _rows(items, latest) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Nr.": b.id,
                "Adresse": b.label,
                "Ortsteil": b.ortsteil or "",
                "Merkmal": b.flag,
                "Gemeldete": BANDS[b.resident_band],
                "letzter Kontakt": de_date(latest[b.id].contacted_on, "") if b.id in latest else "",
                "Ergebnis": OUTCOMES[latest[b.id].outcome] if b.id in latest else "",
                "im Leerstandskataster": b.site_id is not None,
            }
            for b in items
        ],
        columns=[
            "Nr.",
            "Adresse",
            "Ortsteil",
            "Merkmal",
            "Gemeldete",
            "letzter Kontakt",
            "Ergebnis",
            "im Leerstandskataster",
        ],
    )


def _ortsteil_filter(key: str) -> str | None:
    choices = list(own.ortsteile)
    return st.selectbox(
        "Ortsteil",
        choices,
        index=None,
        placeholder="ganze Gemeinde",
        key=key,
    )


def work_list() -> None:
    ortsteil = _ortsteil_filter("risk-list-ortsteil")
    items = risk_service.buildings(db, user, "Arbeitsliste", ortsteil)
    latest = risk_service.latest_contacts(db, user, items)
    st.caption(
        count_of(len(items), "Risikogebäude", "Risikogebäude")
        + " (alle Gemeldeten 70 oder älter, oder niemand gemeldet)"
    )
    st.dataframe(german_table(_rows(items, latest)), hide_index=True, width="stretch")
    if not items:
        return
    labels = {b.id: f"{b.label} ({b.flag})" for b in items}
    chosen = st.selectbox(
        "Gebäude öffnen (Kontakte erfassen)",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Gebäude wählen",
        key="risk-open",
    )
    if chosen is not None:
        st.query_params["gebaeude"] = str(chosen)
        state.pop("risk-open", None)
        st.rerun()


def risk_map() -> None:
    ortsteil = _ortsteil_filter("risk-map-ortsteil")
    items = risk_service.buildings(db, user, "Karte", ortsteil)
    frame = municipalities.areas_frame(db)
    fmap = maps.areas_map(alliance, frame[frame["ags"] == own.ags])
    if items:
        points = gpd.GeoDataFrame(
            {
                "label": [b.label for b in items],
                "flag": [b.flag for b in items],
                "ortsteil": [b.ortsteil or "" for b in items],
            },
            geometry=[Point(b.lon, b.lat) for b in items],
            crs="EPSG:4326",
        )
        maps.add_point_layer(
            fmap,
            points,
            layer_name="Risikogebäude",
            tooltip=[Field("label", "Adresse"), Field("flag", "Merkmal")],
            popup=[
                Field("label", "Adresse"),
                Field("ortsteil", "Ortsteil"),
                Field("flag", "Merkmal"),
            ],
            color_by=("flag", FLAG_COLORS),
        )
    maps.show(fmap, key="risk-map", height=460, returned_objects=())
    st.caption(
        "Rot: alle Gemeldeten 80 oder älter · Orange: alle 70 oder älter · Grau: niemand "
        f"gemeldet. {count_of(len(items), 'Gebäude', 'Gebäude')}; dieselben Gebäude stehen "
        "als Tabelle in der Arbeitsliste."
    )


def import_extract() -> None:
    st.markdown(
        "**Melderegister-Auszug einlesen** (CSV oder XLSX, eine Zeile je Adresse oder je "
        "Person). Spalten: „Straße“ und „Hausnummer“ (oder „Rechtswert“/„Hochwert“ in "
        "ETRS89/UTM32, oder „Breite“/„Länge“), dazu „Geburtsjahre“ (z. B. 1938;1941), „Alter“ "
        "oder Altersgruppen („0-17“, „18-64“, „65-69“, „70-79“, „80+“). Namensspalten und "
        "alle anderen Spalten werden nicht gelesen. Gespeichert werden nur die Merkmale "
        "„alle 70+“, „alle 80+“, „niemand gemeldet“ und die Zahl der Gemeldeten in Stufen; "
        "der neue Auszug ersetzt den vorigen."
    )
    # A new key after every attempt: the extract (names, birth years) does not stay in the
    # session's upload once it has been read.
    upload = st.file_uploader(
        "Datei wählen (höchstens 10 MB)",
        type=["csv", "xlsx"],
        key=web_session.form_key("risk-upload"),
    )
    if upload is None or not st.button("Auszug übernehmen", type="primary"):
        return
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="allianz-upload-") as tmp:
        path = Path(tmp) / f"auszug{suffix}"
        path.write_bytes(upload.getvalue())
        try:
            token = web_session.form_token("vacancy-risk-import", upload.file_id)
            result = risk_service.import_file(db, alliance, areas, user, path, token=token)
        except DomainError as exc:
            web_session.clear_form("risk-upload")
            st.error("Nicht übernommen:\n\n" + "\n".join(f"- {plain(e)}" for e in exc.errors[:100]))
            return
    web_session.clear_form("risk-upload")
    parts = [
        f"{count_of(result.buildings, 'Gebäude', 'Gebäude')} übernommen, davon "
        f"{count_of(result.risk, 'Risikogebäude', 'Risikogebäude')}."
    ]
    if result.removed:
        parts.append(
            f"{count_of(result.removed, 'Gebäude', 'Gebäude')} des vorigen Auszugs entfallen."
        )
    if result.names_ignored:
        parts.append(
            "Nicht gelesen und nicht gespeichert: "
            + ", ".join(f"„{plain(n)}“" for n in result.names_ignored)
            + ". Bitte künftig ohne Namen exportieren."
        )
    if result.unknown:
        parts.append(
            f"{count_of(len(result.unknown), 'Adresse', 'Adressen')} nicht eindeutig im "
            "Adressverzeichnis gefunden (nicht übernommen, nicht geraten): "
            + "; ".join(plain(u) for u in result.unknown[:50])
            + ("; …" if len(result.unknown) > 50 else "")
        )
    web_session.saved(" ".join(parts))


def detail(building_id: int) -> None:
    if st.button("Zurück zur Arbeitsliste", icon=":material/arrow_back:"):
        del st.query_params["gebaeude"]
        st.rerun()
    try:
        found, steps = risk_service.building(db, user, building_id)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    st.subheader(found.label)
    st.write(
        f"{found.ortsteil or own.name} · {found.flag} · Gemeldete: {BANDS[found.resident_band]}"
        f" · Merkmale gelten bis {de_date(found.expires_at)}"
    )
    if found.site_id is not None:
        st.success("Dieses Gebäude steht im Leerstandskataster („Leerstand erfassen“).")
    st.markdown("**Kontakte mit dem Eigentümer**")
    if steps:
        for step in steps:
            st.markdown(
                f"{de_date(step.contacted_on)} · {OUTCOMES[step.outcome]} · {plain(step.actor)}"
            )
            if step.note:
                user_text(step.note)
    else:
        st.write("Noch kein Kontakt erfasst.")
    with st.form(web_session.form_key(f"risk-contact-{found.id}")):
        contacted = st.date_input(
            "Kontakt am", value=date.today(), max_value=date.today(), format="DD.MM.YYYY"
        )
        outcome = st.selectbox(
            "Ergebnis",
            list(OUTCOMES),
            index=None,
            format_func=OUTCOMES.get,
            placeholder="Ergebnis wählen",
        )
        note = st.text_area(
            "Notiz (intern)",
            max_chars=1000,
            placeholder="z. B. Gespräch mit der Tochter vereinbart",
        )
        sent = st.form_submit_button("Kontakt speichern", type="primary")
    if sent:
        draft = risk_service.ContactDraft(contacted, outcome, note)
        web_session.act(
            lambda: risk_service.record_contact(
                db,
                user,
                found.id,
                draft,
                token=web_session.form_token("risk-contact", found.id, draft),
            ),
            "Kontakt gespeichert.",
            form=f"risk-contact-{found.id}",
        )
    consent = bool(steps) and steps[0].outcome == CONSENT
    if found.site_id is None:
        st.markdown("**Ins Leerstandskataster übernehmen**")
        if not consent:
            st.caption(
                f"Möglich, sobald der neueste Kontakt das Ergebnis „{OUTCOMES[CONSENT]}“ hat."
            )
        if st.button("Ins Leerstandskataster übernehmen", disabled=not consent):
            web_session.act(
                lambda: risk_service.to_register(
                    db,
                    alliance,
                    areas,
                    user,
                    found.id,
                    token=web_session.form_token("risk-register", found.id),
                ),
                lambda site_id: (
                    f"Ins Leerstandskataster übernommen als Fläche "
                    f"{vacancies.get(db, site_id).ref} (siehe „Leerstand erfassen“)."
                ),
            )


chosen = web_session.detail_key("gebaeude")
if chosen is not None:
    if chosen.isdigit():
        detail(int(chosen))
    else:
        st.error("Dieses Gebäude gibt es nicht.")
    st.stop()

list_tab, map_tab, import_tab = st.tabs(
    ["Arbeitsliste", "Karte", "Auszug einlesen"], key="risk-tab", on_change="rerun"
)
# Only the open tab is computed, so only what is shown is recorded as viewed.
if list_tab.open:
    with list_tab:
        work_list()
if map_tab.open:
    with map_tab:
        risk_map()
if import_tab.open:
    with import_tab:
        import_extract()
