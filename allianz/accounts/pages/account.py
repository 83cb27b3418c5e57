"""The signed-in user's own account: role, municipality, sign out."""

import streamlit as st

from allianz import web_session
from allianz.auth import ROLE_LABELS

user, alliance, db = web_session.open_page("page.account")

st.title("Mein Konto")
st.write(f"**Name:** {user.display_name}")
st.write(f"**Rolle:** {ROLE_LABELS[user.role]}")
if user.municipality_ags:
    st.write(f"**Gemeinde:** {alliance.municipality(user.municipality_ags).name}")
if user.via_oidc:
    st.write("**Anmeldung:** Single Sign-on (OIDC)")
    if not user.id:
        st.info(
            "Ihr Konto ist noch keiner Rolle zugeordnet. Das Allianzmanagement kann es mit "
            "`allianz users add NAME --role ROLLE --email IHRE-ADRESSE --oidc-only` freischalten."
        )
if st.button("Abmelden", icon=":material/logout:"):
    web_session.sign_out(user)
    st.switch_page("allianz/portal/pages/home.py")
