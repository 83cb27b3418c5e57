"""Alliance administration: accounts, official boundaries, the full audit trail."""

import tempfile
from pathlib import Path

import streamlit as st

from allianz import audit, web_session
from allianz.accounts import service as accounts
from allianz.auth import ROLE_LABELS, Role
from allianz.errors import DomainError
from allianz.formatting import count_of
from allianz.municipalities import service as municipalities
from allianz.ui import audit_table, german_table, plain

user, alliance, db = web_session.open_page("page.admin")

st.title("Allianzverwaltung")

st.subheader("Konten")
web_session.require(user, "users.manage")
names = {m.ags: m.name for m in alliance.municipalities}
ROLES = [r for r in Role if r is not Role.CITIZEN]
users = accounts.list_users(db)
st.dataframe(
    german_table(
        [
            {
                "Benutzer": u["username"],
                "Name": u["display_name"],
                "Rolle": ROLE_LABELS.get(Role(u["role"]), u["role"]),
                "Gemeinde": names.get(u["municipality_ags"], ""),
                "E-Mail": u["email"],
                "Status": "aktiv" if u["active"] else "gesperrt",
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)


def _profile_fields(key: str, current: dict) -> dict:
    """Name, role, municipality and e-mail, as for a new account or an existing one."""
    left, right = st.columns(2)
    name = left.text_input(
        "Name",
        value=current.get("display_name", ""),
        max_chars=100,
        placeholder="Vor- und Nachname",
        key=f"{key}-name",
    )
    email = right.text_input(
        "E-Mail (optional)",
        value=current.get("email") or "",
        placeholder="name@gemeinde.de",
        key=f"{key}-email",
    )
    role = left.selectbox(
        "Rolle",
        ROLES,
        index=ROLES.index(Role(current["role"])) if current.get("role") else None,
        format_func=ROLE_LABELS.get,
        placeholder="Rolle wählen",
        key=f"{key}-role",
    )
    options = [None, *names]
    ags = right.selectbox(
        "Gemeinde (nur Verwaltung und Bürgermeister)",
        options,
        index=options.index(current.get("municipality_ags")),
        format_func=lambda a: names[a] if a else "keine",
        placeholder="Gemeinde wählen",
        key=f"{key}-ags",
    )
    return {"display_name": name, "email": email, "role": role, "municipality_ags": ags}


def _show_code(username: str, code: str) -> None:
    page_url = (st.context.url or "").split("?")[0]  # this page's address, as the browser sees it
    origin = page_url.rsplit("/", 1)[0] if "://" in page_url else ""
    link = f"{origin}/login?code={code}"
    st.session_state["_setup_link"] = (username, link)


with st.expander("Neues Konto anlegen"):
    form = web_session.form_key("new-account")
    with st.form(form):
        username = st.text_input(
            "Benutzername (für die Anmeldung)", max_chars=40, placeholder="z. B. m.mustermann"
        )
        profile = _profile_fields(form, {})
        created = st.form_submit_button("Konto anlegen", type="primary")
    if created:
        try:
            if profile["role"] is None:
                raise accounts.AccountError("Bitte eine Rolle wählen.")
            made = accounts.create_user(
                db,
                alliance,
                user.actor,
                username=username.strip(),
                invite=True,
                password=None,
                token=web_session.form_token("new-account", username, *profile.values()),
                **profile,
            )
            code = accounts.issue_setup_code(db, user.actor, made.username)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            web_session.clear_form("new-account")
            _show_code(made.username, code)
            web_session.saved(f"Konto {made.username} angelegt.")

with st.expander("Konto bearbeiten, sperren oder Passwort-Link erzeugen"):
    by_name = {u["username"]: u for u in users}
    chosen = st.selectbox(
        "Konto",
        list(by_name),
        index=None,
        format_func=lambda n: f"{n} – {by_name[n]['display_name']}",
        placeholder="Konto wählen (Namen tippen)",
    )
    if chosen:
        current = by_name[chosen]
        with st.form(f"edit-{chosen}"):
            profile = _profile_fields(f"edit-{chosen}", current)
            active = st.checkbox(
                "Konto aktiv (gesperrte Konten können sich nicht anmelden)",
                value=bool(current["active"]),
            )
            save = st.form_submit_button("Änderungen speichern", type="primary")
        if save:
            try:
                changed = accounts.update_user(
                    db, alliance, user.actor, chosen, active=active, **profile
                )
            except DomainError as exc:
                st.error(" ".join(exc.errors))
            else:
                if changed:
                    web_session.saved(f"Konto {chosen} gespeichert.")
                st.info("Keine Änderung.")
        if st.button(
            "Neuen Einmal-Link zum Passwort setzen erzeugen", disabled=not current["active"]
        ):
            try:
                code = accounts.issue_setup_code(db, user.actor, chosen)
            except DomainError as exc:
                st.error(" ".join(exc.errors))
            else:
                _show_code(chosen, code)
                web_session.saved(
                    f"Einmal-Link für {chosen} erzeugt; frühere Links gelten nicht mehr."
                )

shown = st.session_state.pop("_setup_link", None)
if shown:
    st.info(
        f"Einmal-Link für **{plain(shown[0])}** (nur jetzt sichtbar, {accounts.SETUP_HOURS} "
        "Stunden gültig). Bitte auf sicherem Weg weitergeben; damit legt die Person ihr "
        "Passwort selbst fest:"
    )
    st.code(shown[1], language=None)
st.caption("Auch per Kommandozeile: `allianz users add NAME --role ROLLE [--municipality AGS]`.")

st.subheader("Amtliche Gemeindegrenzen übernehmen")
st.write(
    "BKG-Datensatz VG250, Ebene `VG250_GEM` (EPSG:25832), als GeoPackage oder gezipptes "
    "Shapefile. Übernommen werden nur die Gemeinden dieser Allianz; fehlt eine, wird nichts "
    "geändert."
)
upload = st.file_uploader("VG250-Datei", type=["gpkg", "zip", "geojson", "json"])
if upload is not None and st.button("Grenzen übernehmen", type="primary"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            done = municipalities.import_boundaries(db, alliance, path, user.actor)
        except DomainError as exc:
            st.error(str(exc))
        else:
            st.success(
                f"Amtliche Grenzen für {count_of(len(done), 'Gemeinde', 'Gemeinden')} übernommen."
            )

st.subheader("Protokoll aller Änderungen")
audit_table(audit.recent(db, limit=300), municipalities=names, people=accounts.display_names(db))
