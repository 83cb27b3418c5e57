"""Leerstand teilen: the public view of sites whose owners agreed to publication, without any
owner data, with an "I am interested" form that reaches the responsible municipality."""

import streamlit as st

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import de_int
from allianz.municipalities import service as municipalities
from allianz.ui import plain, user_text
from allianz.vacancies import presentation, service
from allianz.vacancies.model import TYPES

user, alliance, db = web_session.open_page("page.vacancy_share")
names = {m.ags: m.name for m in alliance.municipalities}
state = st.session_state
PAGE_SIZE = 25


st.title("Leerstand teilen")
st.write(
    f"Freie Gebäude, Baulücken und Hofstellen in der {alliance.name}, deren Eigentümer einer "
    "Veröffentlichung zugestimmt haben. Interesse? Schreiben Sie der zuständigen Gemeinde über "
    "das Formular – sie meldet sich bei Ihnen."
)
left, right = st.columns(2)
kinds = left.multiselect("Art", list(TYPES), format_func=TYPES.get, placeholder="alle")
chosen = right.multiselect("Gemeinde", list(names), format_func=names.get, placeholder="alle")
offers = service.shared(
    db, service.Filters(municipality_ags=tuple(chosen), types=tuple(kinds), shareable_only=True)
)
sites = offers.sites
st.caption(f"{len(sites)} Angebote")
map_tab, list_tab = st.tabs(["Karte", "Liste"], key="share-tab", on_change="rerun")
with map_tab:
    areas_frame = municipalities.areas_frame(db)
    fmap = maps.areas_map(alliance, areas_frame)
    if sites:
        maps.PointCluster(
            service.public_layer(db),
            offers.map_rows,
            colors=[presentation.TYPE_COLORS[label] for label in TYPES.values()],
            labels=list(TYPES.values()),
            name="Angebote",
            counted="Angebote",
        ).add_to(fmap)
    st.caption("Ein Klick auf einen Punkt wählt das Angebot im Formular „Interesse melden“.")
    clicked = maps.clicked_properties(maps.show(fmap, key="share-map", height=420))
    if clicked.get("ref"):
        state["share_ref"] = clicked["ref"]
with list_tab:
    pages = max(1, -(-len(sites) // PAGE_SIZE))
    page = st.number_input("Seite", min_value=1, max_value=pages, value=1) if pages > 1 else 1
    for site in sites[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        with st.container(border=True):
            place = ", ".join(p for p in (names[site.municipality_ags], site.ortsteil) if p)
            st.markdown(f"**{site.ref} · {TYPES[site.type]}** – " + plain(place))
            facts = [
                f"{de_int(site.area_m2)} m²" if site.area_m2 else None,
                presentation.label("usage", site.usage) if site.usage else None,
                f"Zustand: {presentation.label('condition', site.condition)}"
                if site.condition
                else None,
                f"Angebot: {presentation.label('willingness', site.willingness)}"
                if site.willingness in ("verkauf", "vermietung", "bebauung")
                else None,
            ]
            st.caption(plain(" · ".join(f for f in facts if f)))
            if site.description:
                user_text(site.description)

if sites:
    st.subheader("Interesse melden")
    by_ref = {s.ref: s for s in sites}
    refs = list(by_ref)
    with st.form(web_session.form_key("interest")):
        ref = st.selectbox(
            "Angebot",
            refs,
            index=refs.index(state["share_ref"]) if state.get("share_ref") in refs else 0,
            format_func=lambda r: (
                f"{r} – {TYPES[by_ref[r].type]}, {names[by_ref[r].municipality_ags]}"
            ),
            placeholder="Angebot wählen",
        )
        name = st.text_input("Ihr Name (optional)", max_chars=120, placeholder="optional")
        email = st.text_input(
            "Ihre E-Mail-Adresse (für die Antwort der Gemeinde)", placeholder="name@beispiel.de"
        )
        message = st.text_area(
            "Ihre Nachricht",
            max_chars=service.INTEREST_MAX,
            placeholder="Was haben Sie vor? Wann passt ein Gespräch?",
        )
        consent = st.checkbox(
            "Ich willige ein, dass die zuständige Gemeinde meine Angaben erhält, um mir zu "
            "antworten. Sie werden nach Ablauf der Aufbewahrungsfrist gelöscht."
        )
        st.page_link("allianz/portal/pages/privacy.py", label="Datenschutzhinweise")
        if st.form_submit_button("Anfrage senden", type="primary"):
            try:
                service.express_interest(
                    db, alliance, by_ref[ref].id, name, email, message, consent,
                    token=web_session.form_token("interest", ref, name, email, message),
                    visitor=web_session.visitor(),
                )  # fmt: skip
            except DomainError as exc:
                st.error(" ".join(exc.errors))
            else:
                state["share_sent"] = True
                web_session.clear_form("interest")
                st.rerun()
    if state.pop("share_sent", False):
        st.success("Danke! Ihre Anfrage ist bei der zuständigen Gemeinde eingegangen.")
