"""Lenkungsgruppe: the alliance and each municipality side by side for a period, with charts,
their numbers, a map overview, links to the source pages and the council report as PDF.
Every tab is one slice's figure section from the registry."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from allianz import auth, features, maps, web_session
from allianz.figures import ALLIANCE, FigureSection
from allianz.formatting import de_value
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.summary import service
from allianz.ui import bar_chart, plain

user, alliance, db = web_session.open_page("page.summary")
areas = municipalities.areas(db)
today = date.today()
names = {m.ags: m.name for m in alliance.municipalities}

st.title("Lenkungsgruppe")
period_input = st.date_input(
    "Zeitraum",
    value=(today - timedelta(days=365), today),
    max_value=today,
    format="DD.MM.YYYY",
    key="summary-period",
)
if len(period_input) != 2:
    st.info("Bitte Anfang und Ende des Zeitraums wählen.")
    st.stop()
period = service.Period(*period_input)
if user.municipality_ags in names:
    focus = user.municipality_ags
    st.caption(f"Zahlen der Allianz und aller Gemeinden; Einzelheiten für {names[focus]}.")
else:
    focus = st.selectbox(
        "Einzelheiten für",
        [None, *names],
        format_func=lambda a: names[a] if a else "die ganze Allianz",
        placeholder="Bitte wählen",
    )
summary = service.build(db, alliance, areas, period, today)


def _compare(section: FigureSection) -> None:
    """A chart comparing the municipalities on one figure, the full table beside it."""
    chart, table = st.columns([2, 3])
    if section.compare is not None:
        figure, label = section.compare
        members = [s for s in section.frame.columns if s != ALLIANCE]
        data = pd.DataFrame(
            {"Gemeinde": [names[s] for s in members],
             label: [section.frame.loc[figure, s] for s in members]}
        )  # fmt: skip
        bar_chart(data, "Gemeinde", label, height=300, where=chart)
    table.dataframe(summary.table(section.key).map(de_value), width="stretch")


def _details(section: FigureSection) -> None:
    for title, frame in section.matrices:
        st.markdown(f"**{title}**")
        st.dataframe(frame.rename(columns=summary.names).map(de_value), width="stretch")
    for listing in section.listings:
        rows = listing.for_scope(focus)
        if not rows and listing.empty_text is None:
            continue
        st.markdown(f"**{listing.title}**" + (f" ({plain(names[focus])})" if focus else ""))
        if rows:
            st.dataframe(
                [{label: de_value(row[k]) for k, label in listing.columns.items()} for row in rows],
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(listing.empty_text)
    st.caption(section.note)
    if section.link is not None:
        path, label = section.link
        page = features.page_at(path)
        if page is not None and auth.can(user.role, page.permission):
            st.page_link(path, label=label, icon=":material/arrow_forward:")


headline = [(s, figure, label) for s in summary.sections for figure, label in s.headline]
for column, (section, figure, label) in zip(st.columns(len(headline)), headline, strict=True):
    column.metric(label, de_value(section.value(figure)))

# Only the open tab is built and sent (a rerun on switching).
tabs = st.tabs(
    [s.title for s in summary.sections] + ["Karte"], key="summary-tab", on_change="rerun"
)
for tab, section in zip(tabs, summary.sections, strict=False):
    if tab.open:
        with tab:
            _compare(section)
            _details(section)
if tabs[-1].open:
    with tabs[-1]:
        frame = municipalities.frame_of(areas)
        fields = [Field("name", "Gemeinde")]
        for section in summary.sections:
            for figure, label in section.on_map:
                column = f"{section.key}.{figure}"
                frame[column] = [de_value(section.frame.loc[figure].get(a.ags, 0)) for a in areas]
                fields.append(Field(column, label))
        fmap = maps.base_map(alliance, frame.total_bounds)
        maps.add_areas(fmap, frame, layer_name="Gemeinden", tooltip=fields)
        maps.show(fmap, key="summary-map", height=380, returned_objects=())
        st.caption("Dieselben Zahlen stehen in den Tabellen der anderen Reiter.")

st.subheader("Sitzungsvorlage (PDF)")
st.download_button(
    f"Bericht als PDF ({names.get(focus) or alliance.name}, {period.label})",
    web_session.deferred(
        lambda conn: service.report_for(
            conn, alliance, municipalities.areas(conn), user, period, focus
        )
    ),
    file_name=f"sitzungsvorlage-{period.since}-{period.until}.pdf",
    mime="application/pdf",
    key="summary-pdf",
    on_click="ignore",
)
