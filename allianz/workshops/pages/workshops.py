"""Bürgerwerkstatt: every workshop's cards live, the results, the online phase, the protocol."""

import streamlit as st

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_date, de_int
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import PLAIN_COLUMNS, bar_chart, german_table, line_chart, plain
from allianz.workshops import presentation, protocol, results, service
from allianz.workshops.model import CARD_MAX, ORIGIN_LABELS, PHASE_LABELS, Phase
from allianz.workshops.widgets import dot_inputs

user, alliance, db = web_session.open_page("page.workshops")
LIVE_REFRESH_SECONDS = 3
LINKED = 30  # workshops listed with a link; a table lists all


def board(workshop_id: int) -> None:
    """The cards of every table, ranked; refreshes itself while cards can still come in."""
    with web_session.connection() as conn:
        workshop = service.get(conn, workshop_id)
        cards = service.cards(conn, workshop_id)
    split = results.origin_split(cards)
    cols = st.columns(4)
    cols[0].metric("Karten vor Ort", de_int(split.live_cards))
    cols[1].metric("Karten online", de_int(split.online_cards))
    cols[2].metric("Punkte vor Ort", de_int(split.live_dots))
    cols[3].metric("Punkte online", de_int(split.online_dots))
    ranking = results.by_table(workshop, cards)
    tabs = st.tabs(
        [f"Tisch {t.position}: {t.topic}" for t in workshop.tables],
        key=f"table-tab-{workshop.id}",
        on_change="rerun",  # after an idea or a vote the visitor stays at the table
    )
    for tab, table in zip(tabs, workshop.tables, strict=True):
        with tab:
            if table.host:
                st.caption(plain(f"Moderation: {table.host}"))
            if not ranking[table.id]:
                st.write("Noch keine Karten an diesem Tisch.")
            for r in ranking[table.id]:
                facts = [count_of(r.card.dots, "Punkt", "Punkte"), ORIGIN_LABELS[r.card.origin]]
                if r.card.tags:
                    facts.append(", ".join(r.card.tags))
                with st.container(border=True):
                    st.markdown(f"**{r.rank}.** " + plain(r.card.text))
                    st.caption(plain(" · ".join(facts)))


def overview() -> None:
    st.title("Bürgerwerkstatt")
    st.write(
        "Ergebnisse der Bürgerwerkstätten (World Café): Ideen von den Thementischen, die "
        "Punktabfrage und die Online-Phase danach."
    )
    workshops = service.all_workshops(db)
    if not workshops:
        st.info("Noch keine Werkstatt geplant.")
        return
    counts = service.card_counts(db)
    if len(workshops) > LINKED:
        st.caption(
            f"Die neuesten {LINKED} von {de_int(len(workshops))} Werkstätten; alle in der Tabelle."
        )
        st.dataframe(
            german_table(presentation.overview(alliance, workshops, counts)),
            hide_index=True,
            width="stretch",
        )
    for workshop in workshops[:LINKED]:
        with st.container(border=True):
            st.page_link(
                "allianz/workshops/pages/workshops.py",
                label=plain(f"{workshop.title} ({de_date(workshop.date)})"),
                query_params={"workshop": str(workshop.id)},
                icon=":material/groups:",
            )
            st.caption(
                plain(
                    f"{PHASE_LABELS[workshop.phase]} · "
                    f"{presentation.scope_label(alliance, workshop)} · "
                    f"{workshop.place or 'Ort offen'} · "
                    f"{count_of(counts.get(workshop.id, 0), 'Karte', 'Karten')}"
                )
            )
    trend = results.topic_over_time(workshops, service.table_totals(db))
    recurring = results.recurring_topics(trend)
    if recurring:
        st.subheader("Themen über die Zeit")
        st.caption("Themen, die in mehreren Werkstätten einen Tisch hatten.")
        frame = presentation.topic_frame([p for p in trend if p.topic in recurring])
        line_chart(frame, "Datum", "Karten", "Thema")
        st.dataframe(
            german_table(frame, plain=PLAIN_COLUMNS | {"Werkstatt"}),
            hide_index=True,
            width="stretch",
        )


def online_participation(workshop) -> None:
    st.subheader("Online mitmachen")
    st.write(
        f"Bis {de_date(workshop.online_until)} können Sie Ideen an den Thementischen ergänzen und "
        f"{workshop.dots_per_person} Punkte vergeben. Online-Beiträge werden gekennzeichnet "
        "und getrennt gezählt."
    )
    topics = {t.id: t.topic for t in workshop.tables}
    names = {m.ags: m.name for m in alliance.municipalities}
    with st.form("online-card", clear_on_submit=True):
        table_id = st.selectbox(
            "Thementisch", list(topics), format_func=topics.get, placeholder="Tisch wählen"
        )
        text = st.text_area("Ihre Idee", max_chars=CARD_MAX, placeholder="Ihre Idee in Worten")
        tags = st.text_input(
            "Schlagworte (optional, durch Komma getrennt)", placeholder="z. B. Radweg, Schule"
        )
        ags = st.selectbox(
            "Gemeinde (optional)",
            [None, *names],
            format_func=lambda a: names.get(a, "–"),
            placeholder="Gemeinde wählen",
        )
        if st.form_submit_button("Idee hinzufügen", type="primary"):
            try:
                service.add_card(
                    db,
                    alliance,
                    municipalities.areas(db),
                    user,
                    workshop.id,
                    service.CardDraft(table_id, text, tags=tags, municipality_ags=ags),
                    online=True,
                    token=web_session.form_token(
                        "online-card", workshop.id, table_id, text, tags, ags
                    ),
                    visitor=web_session.visitor(),
                )
            except DomainError as exc:
                st.error("\n\n".join(exc.errors))
            else:
                st.success("Danke! Ihre Idee steht jetzt am Thementisch.")
    if service.has_voted(db, workshop, web_session.visitor()):
        st.info(service.already_voted_message(workshop))
        return
    cards = service.cards(db, workshop.id)
    if not cards:
        return
    with st.form("online-vote"):
        st.markdown(f"**Punkte vergeben** (insgesamt {workshop.dots_per_person})")
        given = dot_inputs(workshop, cards, "vote")
        if st.form_submit_button("Punkte abgeben"):
            try:
                service.cast_ballot(
                    db, user, workshop.id, given, online=True, visitor=web_session.visitor()
                )
            except DomainError as exc:
                st.error("\n\n".join(exc.errors))
            else:
                st.success("Ihre Punkte sind gezählt. Danke!")


def protocol_downloads(workshop) -> None:
    st.subheader("Protokoll")
    cols = st.columns(3)
    for col, (fmt, label) in zip(
        cols, (("pdf", "PDF"), ("md", "Markdown"), ("csv", "CSV (alle Karten)")), strict=True
    ):
        col.download_button(
            f"Protokoll als {label}",
            web_session.deferred(
                lambda conn, f=fmt: protocol.build(conn, alliance, workshop.id, f)
            ),
            file_name=protocol.file_name(workshop, fmt),
            mime=protocol.FORMATS[fmt],
            key=f"protocol-{fmt}",
            on_click="ignore",
        )
    with st.form("protocol-mail", clear_on_submit=True):
        st.markdown("**Protokoll per E-Mail erhalten (optional)**")
        email = st.text_input("E-Mail-Adresse", placeholder="name@beispiel.de")
        consent = st.checkbox(
            "Ich willige ein, dass meine E-Mail-Adresse nur für den Versand des Protokolls "
            "gespeichert wird. Die Einwilligung kann ich jederzeit widerrufen."
        )
        st.page_link("allianz/portal/pages/privacy.py", label="Datenschutzhinweise")
        if st.form_submit_button("Eintragen"):
            try:
                service.register_contact(db, workshop.id, email, consent)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.success("Eingetragen. Sie erhalten das Protokoll, sobald es fertig ist.")


def results_section(workshop) -> None:
    cards = service.cards(db, workshop.id)
    st.subheader("Auswertung")
    by_table, tags, origin, fields, places = st.tabs(
        ["Je Tisch", "Schlagworte", "Vor Ort und online", "Handlungsfelder", "Karte"],
        key="results-tab",
        on_change="rerun",
    )
    with by_table:
        frame = presentation.per_table_frame(workshop, cards)
        bar_chart(frame, None, ["Karten vor Ort", "Karten online"], value_title="Karten")
        st.dataframe(german_table(frame), width="stretch")
        for table in workshop.tables:
            best = results.top([c for c in cards if c.table_id == table.id])
            st.markdown("**" + plain(table.topic) + "**: wichtigste Ideen")
            if best:
                st.dataframe(
                    german_table(presentation.ranking_table(best)),
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.caption("Noch keine Punkte vergeben.")
    with tags:
        frame = presentation.tag_frame(cards)
        if frame.empty:
            st.write("Noch keine Karten.")
        else:
            bar_chart(frame.head(15), "Schlagwort", "Karten")
            st.dataframe(german_table(frame), hide_index=True, width="stretch")
    with origin:
        frame = presentation.per_table_frame(workshop, cards)
        bar_chart(frame, None, ["Punkte vor Ort", "Punkte online"], value_title="Punkte")
        st.dataframe(german_table(frame), width="stretch")
    with fields:
        frame = presentation.handlungsfeld_frame(alliance, cards)
        if not frame.empty:
            bar_chart(frame, "Handlungsfeld", "Karten")
        st.dataframe(german_table(frame), hide_index=True, width="stretch")
    with places:
        points = presentation.card_points(workshop, cards)
        st.caption(
            f"{len(points)} von {len(cards)} Karten haben einen Kartenpunkt; alle Karten "
            "stehen in der Liste oben."
        )
        areas_frame = municipalities.areas_frame(db)
        fmap = maps.areas_map(alliance, areas_frame)
        if len(points):
            maps.add_point_layer(
                fmap,
                points,
                layer_name="Ideen",
                tooltip=[Field("text", "Idee")],
                popup=[Field("text", "Idee"), Field("table", "Tisch"), Field("dots", "Punkte")],
            )
        maps.show(fmap, key=f"workshop-map-{workshop.id}", height=380, returned_objects=())


def detail(workshop) -> None:
    st.title(plain(workshop.title))
    if st.button("← Alle Werkstätten"):
        st.query_params.clear()
        st.rerun()
    st.caption(
        plain(
            f"{de_date(workshop.date)} {workshop.starts_at[11:16]} Uhr · "
            f"{workshop.place or 'Ort offen'} · "
            f"{presentation.scope_label(alliance, workshop)} · {PHASE_LABELS[workshop.phase]} · "
            f"{de_int(workshop.participants)} Teilnehmende · "
            f"{count_of(workshop.rounds, 'Runde', 'Runden')}"
        )
    )
    running = workshop.phase in (Phase.LIVE, Phase.ONLINE)
    if running:
        st.caption(f"Die Karten aktualisieren sich alle {LIVE_REFRESH_SECONDS} Sekunden.")
    st.fragment(board, run_every=LIVE_REFRESH_SECONDS if running else None)(workshop.id)
    if service.online_open(workshop):
        online_participation(workshop)
    results_section(workshop)
    protocol_downloads(workshop)


chosen = web_session.detail_key("workshop")
if chosen:
    found = service.get(db, int(chosen)) if chosen.isdigit() else None
    if found is None:
        st.title("Bürgerwerkstatt")
        st.error(f"Eine Werkstatt mit der Nummer {plain(chosen)} gibt es nicht.")
    else:
        detail(found)
else:
    overview()
