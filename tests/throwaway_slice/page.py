"""Wegepaten: the throwaway slice's one page (staff and the alliance manager)."""

import streamlit as st

from allianz import web_session
from tests.throwaway_slice import service

user, alliance, db = web_session.open_page("page.path_sponsors")
st.title("Wegepaten")
for name in service.names(db):
    st.write(name)
