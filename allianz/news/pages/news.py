"""Neuigkeiten: the published news of the office and the members, filtered by municipality and
Handlungsfeld, 20 to a page; an item's detail with its photo, its text (Markdown, rendered
safely) and its schema.org NewsArticle; the feeds of the chosen filter."""

from datetime import UTC, datetime

import streamlit as st

from allianz import jsonld, web_session
from allianz.errors import DomainError
from allianz.formatting import de_int
from allianz.news import feeds, service
from allianz.news.model import DETAIL_KEY, PAGE_SIZE, WHOLE_ALLIANCE
from allianz.rich_text import to_html
from allianz.ui import plain

PAGE = "allianz/news/pages/news.py"
SUBSCRIBE = "allianz/news/pages/subscribe.py"
DESK = "allianz/news/pages/news_desk.py"
user, alliance, db = web_session.open_page("page.news")
chosen = web_session.detail_key(DETAIL_KEY)
now = datetime.now(UTC)
names = {m.ags: m.name for m in alliance.municipalities}
topics = service.topics(alliance)


def byline(item) -> str:
    parts = [
        service.when(item.visible_from or item.publish_from),
        service.publisher(alliance, item),
    ]
    if item.municipality_ags is None:
        parts.append("ganze Allianz")
    if item.handlungsfeld in topics:
        parts.append(topics[item.handlungsfeld])
    if item.is_demo:
        parts.append("Demo")
    return plain(" · ".join(parts))


def _choice(name: str, options: list) -> object:
    """A filter's value from the address (a shared link), if it is one of the options."""
    value = st.query_params.get(name)
    if value is None:
        return None
    if name == "thema":
        value = int(value) if value.isdigit() else None
    return value if value in options else None


def filters() -> service.Filters:
    c1, c2 = st.columns(2)
    places = [WHOLE_ALLIANCE, *names]
    place = c1.selectbox(
        "Gemeinde",
        places,
        index=places.index(p) if (p := _choice("gemeinde", places)) else None,
        placeholder="alle Gemeinden",
        format_func=lambda a: "nur ganze Allianz" if a == WHOLE_ALLIANCE else names[a],
        key="news-place",
    )
    numbers = list(topics)
    topic = c2.selectbox(
        "Thema (Handlungsfeld)",
        numbers,
        index=numbers.index(t) if (t := _choice("thema", numbers)) else None,
        placeholder="alle Themen",
        format_func=lambda n: f"{n}. {topics[n]}",
        key="news-topic",
    )
    query = {"gemeinde": place or "", "thema": str(topic) if topic else ""}
    for key, value in query.items():
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
    return service.filters(alliance, query)


def feed_links(current: service.Filters) -> None:
    query = "&".join(
        f"{k}={v}"
        for k, v in (
            ("gemeinde", WHOLE_ALLIANCE if current.alliance_only else current.municipality),
            ("thema", current.topic),
        )
        if v
    )
    suffix = f"?{query}" if query else ""
    with st.expander("Diese Auswahl abonnieren (RSS oder Atom)"):
        st.write(
            "Mit einem Feed-Reader oder dem Newsletter-Programm Ihrer Gemeinde erhalten Sie neue "
            "Meldungen dieser Auswahl automatisch. Kopieren Sie eine der Adressen:"
        )
        base = web_session.base_url()
        st.code(f"{base}{feeds.RSS_PATH}{suffix}", language=None)
        st.code(f"{base}{feeds.ATOM_PATH}{suffix}", language=None)
        st.page_link(SUBSCRIBE, label="So funktioniert das Abonnieren")


def overview() -> None:
    st.title("Neuigkeiten")
    st.write(
        f"Meldungen der Geschäftsstelle und der Gemeinden der {plain(alliance.name)}. Die Auswahl "
        "einer Gemeinde zeigt auch die Meldungen für die ganze Allianz."
    )
    if service.may_write(user):
        st.page_link(DESK, label="Neuigkeit schreiben", icon=":material/edit_note:")
    current = filters()
    number = 1
    try:
        listing = service.public_page(db, current, 1, now)
        if listing.pages > 1:
            number = st.selectbox(
                f"Seite ({de_int(listing.total)} Meldungen, je {PAGE_SIZE})",
                range(1, listing.pages + 1),
                format_func=lambda n: f"Seite {n} von {listing.pages}",
                placeholder="Seite wählen",
                key=f"news-page-{current.municipality}-{current.alliance_only}-{current.topic}",
            )
            listing = service.public_page(db, current, number or 1, now)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    if not listing.items:
        st.info("Für diese Auswahl gibt es keine Meldungen.")
    for item in listing.items:
        with st.container(border=True):
            st.page_link(PAGE, label=plain(item.title), query_params={DETAIL_KEY: str(item.id)})
            st.caption(byline(item))
            st.write(plain(service.description(item)))
    feed_links(current)


def detail(item) -> None:
    if st.button("← Alle Neuigkeiten"):
        st.query_params.clear()
        st.rerun()
    st.title(plain(item.title))
    st.caption(byline(item))
    if not service.is_public(item, now):
        st.warning(
            f"Diese Meldung ist nicht öffentlich ({item.state_label}); Sie sehen sie, weil Sie "
            "sie bearbeiten dürfen."
        )
    if item.has_image:
        picture = service.image(db, user, item.id, now)
        if picture:
            st.image(picture, caption=f"Foto zur Meldung: {plain(item.title)}", width=640)
    if item.teaser:
        st.markdown(f"**{plain(item.teaser)}**")
    if item.body:
        st.html(to_html(item.body))
    if item.updated_at != item.created_at:
        st.caption(f"Zuletzt geändert: {service.when(item.updated_at)}")
    if service.is_public(item, now):
        jsonld.embed(service.json_ld(alliance, item, web_session.base_url()))


try:
    found = service.item_at(db, user, chosen, now) if chosen else None
except DomainError as exc:
    found = None
    st.error(" ".join(exc.errors))
if chosen and found is None:
    st.title("Neuigkeiten")
    st.error(f"Eine Meldung mit der Nummer {plain(chosen)} gibt es nicht (mehr).")
    if st.button("← Alle Neuigkeiten"):
        st.query_params.clear()
        st.rerun()
elif found is not None:
    detail(found)
else:
    overview()
