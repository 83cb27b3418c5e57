"""Streamlit pieces the city map's pages share: a contact with its vCard, a place's facts."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from allianz.places import hours, service, vcard
from allianz.places.model import WHEELCHAIR, Contact
from allianz.ui import plain


def contact_card(db, alliance, contact: Contact, names: dict[str, str], key: str) -> None:
    """One public contact: function or person, how to reach them, the vCard download."""
    with st.container(border=True):
        heading = contact.person_name or contact.role or contact.department
        st.markdown(f"**{plain(heading)}**")
        facts = [contact.department, names.get(contact.municipality_ags, "")]
        if contact.person_name and contact.role:
            facts.insert(0, contact.role)
        st.caption(plain(" · ".join(f for f in facts if f)))
        lines = []
        if contact.phone:
            lines.append(f"Telefon: {plain(contact.phone)}")
        if contact.email:
            lines.append(f"E-Mail: {plain(contact.email)}")
        if contact.room:
            lines.append(f"Zimmer: {plain(contact.room)}")
        if contact.office_hours:
            now = hours.status(contact.office_hours, datetime.now(UTC), alliance.state).text
            lines.append(f"Sprechzeiten: {plain(hours.german(contact.office_hours))} · {now}")
        if contact.keywords:
            lines.append(f"Zuständig für: {plain(contact.keywords)}")
        if lines:
            st.markdown("  \n".join(lines))
        st.download_button(
            "Kontakt als vCard speichern (.vcf)",
            service.contact_vcard(db, alliance, contact.id),
            file_name=vcard.filename(contact),
            mime="text/vcard",
            on_click="ignore",
            key=f"vcard-{key}-{contact.id}",
            icon=":material/contact_page:",
        )


def wheelchair_label(value: str) -> str:
    return WHEELCHAIR.get(value, WHEELCHAIR[""])
