"""Hinweis melden: citizens pin a suggestion or defect (map click or keyboard input)."""

import hashlib
from datetime import UTC, datetime

import streamlit as st

from allianz import geo, maps, web_session
from allianz.addresses import service as addresses
from allianz.errors import DomainError
from allianz.municipalities import service as municipalities
from allianz.suggestions import service
from allianz.suggestions.model import DESCRIPTION_MAX, TITLE_MAX
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.suggest")
areas = municipalities.areas(db)
areas_frame = municipalities.frame_of(areas)
state = st.session_state
state.setdefault("suggest_started_at", datetime.now(UTC))

st.title("Hinweis melden")
st.write(
    f"Melden Sie Mängel und Ideen in der {alliance.name}. Ihr Hinweis geht direkt an die "
    "zuständige Gemeinde; auf der Seite „Hinweise“ sehen Sie, was daraus wird."
)


def _set_pin(
    lat: float, lon: float, precise: bool, address: str = "", ags: str | None = None
) -> None:
    """Where the report goes. `ags`: the municipality the chosen address or Ortsteil belongs
    to (it decides when the point lies within 50 m of a boundary)."""
    state["pin"] = {"lat": lat, "lon": lon, "precise": precise, "address": address, "ags": ags}
    state.pop("pending", None)


def _choose_address(key: str, pins: dict[int, dict]) -> None:
    """A hit chosen in the list (mouse or keyboard) places the report at that house."""
    chosen = state.get(key)
    if chosen in pins:
        _set_pin(**pins[chosen])


ADDRESS_NOTE_MAX = 160  # of the typed text kept with an Ortsteil placement (ADDRESS_MAX 200)


def address_search(conn) -> str:
    """Search box with hits while typing; returns what was typed (for the Ortsteil guess)."""
    query = st.text_input(
        "Adresse suchen",
        key=f"{web_session.form_key('suggestion')}-address",
        type="search",
        live=True,
        max_chars=200,
        placeholder="z. B. Dorfstraße 5 Beucha",
        help="Straße, Hausnummer, Ort oder Ortsteil in beliebiger Reihenfolge. Beim Tippen "
        "erscheinen passende Adressen in der Liste darunter; mit Tab zur Liste, mit den "
        "Pfeiltasten wählen, mit Enter übernehmen.",
    )
    if not query.strip():
        return ""
    hits = addresses.search(conn, query)
    if not hits:
        st.info(
            "Keine passende Adresse gefunden. Wählen Sie unten den Ortsteil: Der Hinweis wird "
            "dann ungefähr dort eingeordnet."
        )
        return query
    labels = {hit.id: hit.label for hit in hits}
    pins = {
        hit.id: {
            "lat": hit.lat,
            "lon": hit.lon,
            "precise": True,
            "address": hit.label,
            "ags": hit.municipality_ags,
        }
        for hit in hits
    }
    key = "address-hit-" + hashlib.sha256(query.encode()).hexdigest()[:16]  # new text: new list
    st.selectbox(
        "Passende Adressen",
        options=list(labels),
        index=None,
        format_func=labels.get,
        key=key,
        placeholder=f"{len(hits)} Treffer – bitte wählen",
        on_change=_choose_address,
        args=(key, pins),
    )
    return query


def ortsteil_choice(conn, query: str) -> None:
    """Without an address: the report goes to the Ortsteil's point, marked approximate."""
    places = {p.key: p for p in addresses.localities(conn, alliance)}
    guess = addresses.guess_locality(list(places.values()), query)
    with st.form("ortsteil", border=False):
        choice = st.selectbox(
            "Ohne genaue Adresse: Ortsteil",
            options=list(places),
            index=list(places).index(guess.key) if guess else None,
            format_func=lambda key: places[key].label,
            placeholder="Ortsteil wählen",
        )
        st.caption(
            "Der Hinweis wird dann ungefähr beim Ortsteil eingeordnet; die Verwaltung sieht "
            "Ihre Ortsangabe aus dem Suchfeld."
        )
        if st.form_submit_button("Beim Ortsteil einordnen"):
            if choice is None:
                st.error("Bitte einen Ortsteil wählen.")
                return
            place = places[choice]
            note = " ".join(query.split())[:ADDRESS_NOTE_MAX]
            where = f"Ortsteil {place.ortsteil}" if not place.is_seat else place.municipality
            address = f"{where}: {note}" if note else where
            _set_pin(place.lat, place.lon, False, address, place.municipality_ags)


@st.fragment
def location_picker() -> None:
    st.subheader("1. Ort")
    st.caption("Klicken Sie auf die Karte – oder geben Sie den Ort unten ohne Maus ein.")
    map_slot = st.container()  # filled last, so it shows a pin set by the inputs below
    by_coords, by_place = st.tabs(
        ["Koordinaten", "Adresse oder Ortsteil"], key="place-tab", on_change="rerun"
    )
    with by_coords, st.form("coords", border=False):
        text = st.text_input("Koordinaten (Breite, Länge)", placeholder="51.2778, 12.5883")
        if st.form_submit_button("Ort übernehmen"):
            try:
                lat, lon = geo.parse_coordinates(text)
            except ValueError as exc:
                st.error(str(exc))
            else:
                _set_pin(lat, lon, True)
    with by_place, web_session.connection() as conn:  # a fragment rerun has no page run
        query = address_search(conn)
        ortsteil_choice(conn, query)

    with map_slot:
        pin = state.get("pin")
        fmap = maps.areas_map(alliance, areas_frame)
        if pin:
            maps.add_points(
                fmap,
                [maps.MapPoint(pin["lat"], pin["lon"], "Ihr Hinweis")],
                layer_name="Ihr Ort",
                color="#c1121f",
            )
        result = maps.show(fmap, key="suggest-map", height=420, returned_objects=["last_clicked"])
        clicked = result.get("last_clicked")
        if clicked and clicked != state.get("last_map_click"):
            state["last_map_click"] = clicked
            _set_pin(round(clicked["lat"], 6), round(clicked["lng"], 6), True)
            st.rerun()  # redraw with the pin
        if pin:
            where = municipalities.locate(areas, pin["lat"], pin["lon"]).municipality
            label = where.name if where else "außerhalb der Allianz"
            text = f"Gewählter Ort: {pin['lat']:.5f}, {pin['lon']:.5f} ({label})"
            if pin["precise"] and pin["address"]:
                text += f" – Adresse: {pin['address']}"
            elif not pin["precise"]:
                text += f" – ungefähr, Ortsangabe: {pin['address']}"
            (st.success if where else st.warning)(plain(text))


location_picker()

st.subheader("2. Ihr Hinweis")
st.html("<style>.st-key-suggest_hp {position:absolute; left:-9999px;}</style>")
with st.form(web_session.form_key("suggestion")):
    codes = [c.code for c in alliance.categories]
    labels = {c.code: c.label for c in alliance.categories}
    category = st.selectbox(
        "Kategorie",
        options=codes,
        index=None,
        format_func=labels.get,
        placeholder="Bitte wählen: Worum geht es?",
    )
    title = st.text_input("Titel", max_chars=TITLE_MAX)
    description = st.text_area("Beschreibung", max_chars=DESCRIPTION_MAX)
    photo = st.file_uploader(
        "Foto (optional, JPEG oder PNG, höchstens 5 MB)",
        type=["jpg", "jpeg", "png"],
        max_upload_size=5,  # the widget then says what the service allows (allianz.images)
    )
    email = st.text_input("E-Mail für Nachrichten zum Stand (optional)")
    consent = st.checkbox(
        "Ich willige ein, dass meine E-Mail-Adresse gespeichert wird, um mich über den Stand "
        "dieses Hinweises zu informieren. Die Einwilligung kann ich jederzeit widerrufen."
    )
    honeypot = st.text_input("Bitte leer lassen", key="suggest_hp", label_visibility="collapsed")
    st.caption(
        "Datenschutz: Ihr Hinweis (ohne E-Mail-Adresse) ist öffentlich sichtbar. Die E-Mail-"
        "Adresse sieht nur die Verwaltung; sie wird nur für Nachrichten zu diesem Hinweis "
        "genutzt und nicht veröffentlicht. Wir speichern keine IP-Adresse (gegen massenhaftes "
        "Absenden nur zwei Tage lang einen gesalzenen Prüfwert davon). Rechtsgrundlage: "
        "Art. 6 Abs. 1 lit. e DSGVO, für die E-Mail Ihre Einwilligung (lit. a)."
    )
    submitted = st.form_submit_button("Hinweis senden", type="primary")


st.page_link(
    "allianz/portal/pages/privacy.py", label="Mehr zum Datenschutz", icon=":material/policy:"
)


def _save(submission: service.Submission) -> bool:
    """Store the suggestion; False when the citizen still has to fix or confirm something."""
    try:
        created = service.submit(db, alliance, areas, submission)
    except service.NeedsMunicipalityChoice as exc:
        state["pending"] = {"submission": submission, "choose": [o.ags for o in exc.options]}
        return False
    except DomainError as exc:
        for message in exc.errors:
            st.error(message)
        return False
    state["suggest_started_at"] = datetime.now(UTC)
    state.pop("pending", None)
    state.pop("pin", None)
    state["saved_ref"] = created.ref
    web_session.clear_form("suggestion")
    return True


if submitted:
    pin = state.get("pin")
    if not pin:
        st.error("Bitte zuerst den Ort wählen (Karte, Koordinaten, Adresse oder Ortsteil).")
    elif category is None:
        st.error("Bitte eine Kategorie wählen.")
    else:
        submission = service.Submission(
            category=category,
            title=title,
            description=description,
            lat=pin["lat"],
            lon=pin["lon"],
            address_text=pin["address"],
            location_precise=pin["precise"],
            chosen_ags=pin.get("ags"),
            email=email,
            email_consent=consent,
            photo=photo.getvalue() if photo is not None else None,
            honeypot=honeypot,
            started_at=state["suggest_started_at"],
            visitor=web_session.visitor(),
            token=web_session.form_token(
                "suggest", category, title, description, pin["lat"], pin["lon"], email
            ),
        )
        duplicates = service.nearby_duplicates(
            db, category, pin["lat"], pin["lon"], precise=pin["precise"]
        )
        if duplicates:
            state["pending"] = {"submission": submission, "duplicates": [d.id for d in duplicates]}
        elif _save(submission):
            st.rerun()  # the form is drawn again, empty, with the confirmation below

pending = state.get("pending")
if pending and pending.get("duplicates"):
    st.warning(
        "In der Nähe (50 m) gibt es schon Hinweise dieser Kategorie. Möchten Sie einen "
        "davon unterstützen, statt einen neuen anzulegen?"
    )
    for suggestion_id in pending["duplicates"]:
        existing = service.get(db, suggestion_id)
        cols = st.columns([4, 1])
        cols[0].markdown(
            plain(f"{existing.ref}: {existing.title} ({existing.supports} Unterstützungen)")
        )
        if cols[1].button("Unterstützen (+1)", key=f"support-{suggestion_id}"):
            try:
                service.support(db, suggestion_id, web_session.visitor())
            except DomainError as exc:
                st.error(" ".join(exc.errors))
            else:
                state.pop("pending", None)
                state["supported_ref"] = existing.ref
                st.rerun()
    if st.button("Trotzdem als neuen Hinweis senden") and _save(pending["submission"]):
        st.rerun()
elif pending and pending.get("choose"):
    names = {a.ags: a.name for a in areas}
    choice = st.radio(
        "Der Ort liegt nahe einer Gemeindegrenze. Welche Gemeinde ist zuständig?",
        options=pending["choose"],
        format_func=names.get,
    )
    if st.button("Gemeinde bestätigen und senden", type="primary"):
        pending["submission"].chosen_ags = choice
        if _save(pending["submission"]):
            st.rerun()

for key, message in (
    ("saved_ref", "Danke! Ihr Hinweis ist gespeichert. Ihre Nummer: {ref}"),
    ("supported_ref", "Danke für Ihre Unterstützung von Hinweis {ref}."),
):
    ref = state.pop(key, None)
    if ref:
        st.success(message.format(ref=ref))
        st.page_link(
            "allianz/suggestions/pages/suggestions.py",
            label=f"Hinweis {ref} ansehen",
            query_params={"ref": ref},
            icon=":material/open_in_new:",
        )
