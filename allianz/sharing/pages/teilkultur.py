"""Teilkultur: citizens lend, give away or look for things. Listings show once the office has
freed them; contact goes through the app, and e-mail addresses are exchanged only when both
sides agree. With the key received on sending, a person opens their own listing or request."""

import streamlit as st

from allianz import web_session
from allianz.auth import can
from allianz.errors import DomainError
from allianz.formatting import de_date
from allianz.sharing import teilkultur
from allianz.sharing.model import LISTING_KINDS
from allianz.ui import plain, user_text

PAGE = "allianz/sharing/pages/teilkultur.py"
user, alliance, db = web_session.open_page("page.teilkultur")
names = {m.ags: m.name for m in alliance.municipalities}
key = web_session.detail_key("schluessel")


def _where(listing) -> str:
    parts = [names.get(listing.ags, "")] if listing.ags else []
    if listing.place_hint:
        parts.append(listing.place_hint)
    return ", ".join(p for p in parts if p)


def _own_listing(mine) -> None:
    listing = mine.listing
    st.subheader(f"Ihr Eintrag: {plain(listing.title)}")
    st.caption(f"{listing.kind_label} · {listing.state_label}")
    if listing.reject_reason:
        user_text(f"Hinweis der Geschäftsstelle: {listing.reject_reason}")
    if not mine.requests:
        st.write("Noch keine Anfragen.")
    for item in mine.requests:
        with st.container(border=True):
            st.markdown(f"**Anfrage vom {de_date(item.created_at)}**")
            user_text(item.note)
            if item.other_email:
                st.success(f"Beide sind einverstanden. E-Mail-Adresse: {plain(item.other_email)}")
            elif item.state == "declined":
                st.caption("Abgelehnt.")
            elif item.offerer_agrees:
                st.caption("Sie sind einverstanden; die anfragende Person noch nicht.")
            else:
                c1, c2 = st.columns(2)
                if c1.button("Kontakt freigeben", key=f"agree-{item.id}", type="primary"):
                    web_session.act(
                        lambda r=item.id: teilkultur.offerer_answers(db, key, r, True),
                        "Ihre Zustimmung ist gespeichert.",
                    )
                if c2.button("Ablehnen", key=f"no-{item.id}"):
                    web_session.act(
                        lambda r=item.id: teilkultur.offerer_answers(db, key, r, False),
                        "Die Anfrage ist abgelehnt.",
                    )
    if listing.state in ("pending", "published") and st.button("Eintrag als erledigt schließen"):
        web_session.act(lambda: teilkultur.close(db, key), "Der Eintrag ist geschlossen.")


def _own_request(mine) -> None:
    st.subheader(f"Ihre Anfrage zu: {plain(mine.listing.title)}")
    st.caption(f"{mine.listing.kind_label} · {mine.listing.state_label}")
    user_text(mine.request.note)
    found = mine.request
    if found.other_email:
        st.success(f"Beide sind einverstanden. E-Mail-Adresse: {plain(found.other_email)}")
    elif found.state == "declined":
        st.info("Die Person hat Ihre Anfrage abgelehnt.")
    elif not found.requester_agrees:
        if st.button("Meine E-Mail-Adresse freigeben", type="primary"):
            web_session.act(
                lambda: teilkultur.requester_agrees(db, key), "Ihre Zustimmung ist gespeichert."
            )
    else:
        st.caption("Sie sind einverstanden; die Antwort der anderen Seite steht noch aus.")


def _own_view() -> None:
    if st.button("← Alle Einträge"):
        st.query_params.clear()
        st.rerun()
    try:
        _own_listing(teilkultur.own_listing(db, key))
        return
    except DomainError:
        pass
    try:
        _own_request(teilkultur.own_request(db, key))
    except DomainError as exc:
        st.error(" ".join(exc.errors))


def _request_form(listing) -> None:
    name = f"teil-request-{listing.id}"
    with st.form(web_session.form_key(name)):
        note = st.text_area("Ihre Nachricht (ohne E-Mail-Adresse)", max_chars=teilkultur.TEXT_MAX)
        email = st.text_input(
            "Ihre E-Mail-Adresse (bleibt verborgen)", max_chars=teilkultur.EMAIL_MAX
        )
        share = st.checkbox(
            "Meine Adresse darf weitergegeben werden, sobald die andere Seite zustimmt"
        )
        if st.form_submit_button("Anfrage senden"):
            token = web_session.form_token(name, note, email, share)
            web_session.act(
                lambda: teilkultur.request(db, listing.id, email, note, share, token),
                lambda made: (
                    "Ihre Anfrage ist gesendet. Ihr Schlüssel (bitte aufheben): "
                    f"`{made.key}` – damit sehen Sie hier die Antwort."
                ),
                form=name,
            )


def _offer_form() -> None:
    name = "teil-offer"
    with st.form(web_session.form_key(name)):
        kind = st.selectbox(
            "Ich möchte …",
            list(LISTING_KINDS),
            index=None,
            format_func=lambda k: {
                "lend": "etwas verleihen",
                "give": "etwas verschenken",
                "wanted": "etwas suchen",
            }[k],
            placeholder="bitte wählen",
        )
        title = st.text_input("Was", max_chars=teilkultur.TITLE_MAX)
        description = st.text_area("Beschreibung", max_chars=teilkultur.TEXT_MAX)
        c1, c2 = st.columns(2)
        ags = c1.selectbox(
            "Gemeinde",
            list(names),
            format_func=names.get,
            index=None,
            placeholder="Gemeinde wählen",
        )
        place = c2.text_input("Ortsteil", max_chars=teilkultur.PLACE_MAX)
        email = st.text_input(
            "Ihre E-Mail-Adresse (bleibt verborgen)", max_chars=teilkultur.EMAIL_MAX
        )
        consent = st.checkbox(
            "Ich bin einverstanden, dass die Allianz meine E-Mail-Adresse "
            "für diesen Eintrag speichert."
        )
        if st.form_submit_button("Eintrag einreichen", type="primary"):
            draft = teilkultur.ListingDraft(kind, title, description, place, ags, email, consent)
            token = web_session.form_token(name, draft)
            web_session.act(
                lambda: teilkultur.offer(db, alliance, draft, token),
                lambda made: (
                    "Ihr Eintrag ist eingereicht und erscheint nach der Freigabe durch "
                    f"die Geschäftsstelle. Ihr Schlüssel (bitte aufheben): `{made.key}`"
                ),
                form=name,
            )


def _moderation() -> None:
    waiting = teilkultur.pending(db, user)
    if not waiting:
        st.write("Keine Einträge warten auf Freigabe.")
    for listing in waiting:
        with st.container(border=True):
            st.markdown(f"**{plain(listing.title)}** ({listing.kind_label})")
            st.caption(plain(_where(listing)))
            user_text(listing.description)
            c1, c2 = st.columns(2)
            if c1.button("Freigeben", key=f"free-{listing.id}", type="primary"):
                web_session.act(
                    lambda i=listing.id: teilkultur.moderate(db, user, i, True),
                    "Der Eintrag ist freigegeben.",
                )
            with c2.form(web_session.form_key(f"reject-{listing.id}")):
                reason = st.text_input("Grund", max_chars=500)
                if st.form_submit_button("Nicht freigeben"):
                    web_session.act(
                        lambda i=listing.id, r=reason: teilkultur.moderate(db, user, i, False, r),
                        "Der Eintrag ist nicht freigegeben.",
                        form=f"reject-{listing.id}",
                    )


if key:
    _own_view()
    st.stop()

st.title("Teilkultur")
st.write(
    "Verleihen, verschenken, suchen: Bürgerinnen und Bürger der Allianz teilen Dinge. "
    "Einträge erscheinen nach Freigabe durch die Geschäftsstelle. Ihre E-Mail-Adresse bleibt "
    "verborgen, bis beide Seiten der Weitergabe zustimmen. Bezahlt wird nicht über die App."
)
labels = ["Angebote und Gesuche", "Eintrag einreichen", "Mein Eintrag / meine Anfrage"]
office = can(user.role, "sharing.moderate")
tabs = st.tabs(labels + (["Freigabe"] if office else []), key="teil-tabs", on_change="rerun")
with tabs[0]:
    shown = teilkultur.published(db)
    if not shown:
        st.write("Noch keine Einträge.")
    for listing in shown:
        with st.expander(plain(f"{listing.title} ({listing.kind_label})")):
            st.caption(plain(f"{_where(listing)} · seit {de_date(listing.created_at)}"))
            user_text(listing.description)
            _request_form(listing)
with tabs[1]:
    _offer_form()
with tabs[2], st.form("own-key"):
    typed = st.text_input("Ihr Schlüssel")
    if st.form_submit_button("Öffnen"):
        st.query_params["schluessel"] = typed.strip()
        st.rerun()
if office:
    with tabs[3]:
        _moderation()
