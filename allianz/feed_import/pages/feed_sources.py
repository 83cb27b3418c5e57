"""Feeds übernehmen: the staff of a member (the office for every member) register the RSS/Atom
and iCal feeds of their own website, see each source's last run, its counts and its last error,
fetch a source now, pause, resume or delete it."""

import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.events import service as events
from allianz.feed_import import service
from allianz.feed_import.model import KIND_LABELS, MAX_BYTES, URL_MAX, Kind, SourceDraft
from allianz.formatting import de_datetime, de_int
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain

PAGE = "allianz/feed_import/pages/feed_sources.py"
KEY = "quelle"
user, alliance, db = web_session.open_page("page.feed_import")
chosen = web_session.detail_key(KEY)
names = {m.ags: m.name for m in alliance.municipalities}


def _state(source) -> str:
    return "pausiert" if source.paused else "aktiv"


def fetch_now(source) -> None:
    """Run the source; a failure is stored on it and shown below its heading after the rerun."""
    try:
        result = service.run_now(db, alliance, municipalities.areas(db), user, source.id)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    if not result.ok:
        st.rerun()
    text = (
        f"Abgerufen: {result.created} neu, {result.updated} geändert, "
        f"{result.unchanged} unverändert"
    )
    if result.skipped:
        text += f", {len(result.skipped)} nicht übernommen"
    web_session.saved(text + ".")


def source_form() -> None:
    own = [user.municipality_ags] if user.municipality_ags else list(names)
    categories = events.categories(alliance)
    form = "feed-source-new"
    with st.form(web_session.form_key(form)):
        ags = st.selectbox(
            "Gemeinde", own, format_func=names.get, placeholder="Gemeinde wählen",
            index=0 if len(own) == 1 else None,
        )  # fmt: skip
        kind = st.radio("Inhalt des Feeds", list(Kind), format_func=KIND_LABELS.get)
        url = st.text_input(
            "Adresse des Feeds", max_chars=URL_MAX, placeholder="https://www.gemeinde.de/feed.xml",
            help="Die Adresse des RSS-, Atom- oder iCal-Feeds Ihrer Website (nicht die der "
            "Startseite). Nur öffentliche Adressen mit http:// oder https://.",
        )  # fmt: skip
        category = st.selectbox(
            "Kategorie der Veranstaltungen (nur bei iCal)", list(categories),
            format_func=categories.get, placeholder="Kategorie wählen", index=None,
        )  # fmt: skip
        if not st.form_submit_button("Quelle eintragen"):
            return
    draft = SourceDraft(ags, kind, url, (category or "") if kind is Kind.EVENTS else "")
    token = web_session.form_token(form, draft)
    web_session.act(
        lambda: service.add_source(db, alliance, user, draft, token=token),
        lambda s: (
            f"Die Quelle {plain(s.url)} ist eingetragen; sie wird beim nächsten Abruf gelesen."
        ),
        form=form,
    )


def overview() -> None:
    st.title("Feeds übernehmen")
    st.markdown(
        "Neue Meldungen und Termine Ihrer eigenen Website erscheinen automatisch unter "
        "„Neuigkeiten“ und „Veranstaltungen“ – als Meldungen Ihrer Gemeinde, mit dem Hinweis "
        "„Übernommen von …“ und dem Link zum Original. Die Quellen werden regelmäßig abgerufen "
        f"(Feeds bis {de_int(MAX_BYTES // 1024 // 1024)} MB); bereits übernommene Einträge "
        "werden nicht doppelt angelegt, geänderte aktualisiert."
    )
    found = service.sources(db, user)
    if found:
        st.subheader("Ihre Quellen")
        st.dataframe(
            german_table(
                [
                    {
                        "Nr.": s.id,
                        "Gemeinde": names.get(s.municipality_ags, s.municipality_ags),
                        "Inhalt": s.kind_label,
                        "Adresse": s.url,
                        "Stand": _state(s),
                        "Letzter Abruf": service.last_run(s),
                        "Letzter Fehler": s.last_error,
                    }
                    for s in found
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        for s in found:
            st.page_link(
                PAGE, label=plain(f"Nr. {s.id}: {s.website} ({s.kind_label})"),
                query_params={KEY: str(s.id)},
            )  # fmt: skip
    else:
        st.info("Noch keine Quellen eingetragen.")
    st.subheader("Neue Quelle")
    source_form()


def detail(key: str) -> None:
    source = None
    if key.isdigit() and len(key) <= 12:
        try:
            source = service.get(db, user, int(key))
        except DomainError:
            source = None
    if source is None:
        st.title("Feeds übernehmen")
        st.error(f"Eine Quelle Nr. {plain(key[:20])} Ihrer Gemeinde gibt es nicht.")
        st.page_link(PAGE, label="Zur Übersicht", query_params={})
        return
    st.page_link(PAGE, label="← Alle Quellen", query_params={})
    st.title(plain(f"Quelle Nr. {source.id}: {source.website}"))
    st.caption(
        plain(f"{names.get(source.municipality_ags, '')} · {source.kind_label} · {_state(source)}")
    )
    st.markdown(plain(f"Adresse: {source.url}"))
    st.markdown(
        plain(
            f"Eingetragen am {de_datetime(source.created_at)} · letzter Abruf: "
            f"{service.last_run(source)} · bisher übernommen: "
            f"{de_int(service.imported_count(db, source.id))}"
        )
    )
    if source.last_error and source.last_success_at != source.last_run_at:
        st.error(plain(f"Letzter Abruf fehlgeschlagen: {source.last_error}"))
    elif source.last_error:
        st.warning(plain(source.last_error))
    c1, c2 = st.columns(2)
    if c1.button("Jetzt abrufen", disabled=source.paused):
        fetch_now(source)
    if source.paused:
        if c2.button("Fortsetzen"):
            web_session.act(lambda: service.set_paused(db, user, source.id, False),
                            "Die Quelle ist wieder aktiv.")  # fmt: skip
    elif c2.button("Pausieren"):
        web_session.act(lambda: service.set_paused(db, user, source.id, True),
                        "Die Quelle ist pausiert; sie wird nicht mehr abgerufen.")  # fmt: skip
    st.subheader("Quelle löschen")
    st.caption(
        "Bereits übernommene Meldungen und Veranstaltungen bleiben veröffentlicht; sie lassen "
        "sich unter „Neuigkeiten schreiben“ und „Veranstaltungen verwalten“ zurückziehen."
    )
    sure = st.checkbox("Ja, diese Quelle löschen")
    if st.button("Quelle löschen", disabled=not sure):
        try:
            service.delete_source(db, user, source.id)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            del st.query_params[KEY]
            web_session.saved("Die Quelle ist gelöscht.")


if chosen:
    detail(chosen)
else:
    overview()
