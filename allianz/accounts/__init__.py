"""Accounts: local users with hashed passwords, and the mapping of OIDC identities to roles."""

from allianz.accounts import cli, demo, personal_data, routes
from allianz.auth import MANAGER_ONLY, SIGNED_IN, Role
from allianz.features import Feature, Page

FEATURE = Feature(
    name="accounts",
    label="Konten",
    pages=(
        Page(
            "allianz/accounts/pages/admin.py",
            "Allianzverwaltung",
            ":material/admin_panel_settings:",
            "Verwaltung",
            "Konten, Gemeindegrenzen (VG250) und das Protokoll aller Änderungen.",
            "page.admin",
        ),
        Page(
            "allianz/accounts/pages/account.py",
            "Mein Konto",
            ":material/person:",
            "Konto",
            "Rolle, Gemeinde, angemeldete Geräte und Abmelden.",
            "page.account",
        ),
        Page(
            "allianz/accounts/pages/login.py",
            "Anmelden",
            ":material/login:",
            "Konto",
            "Anmeldung für Verwaltung, Bürgermeister, Arbeitskreis und Allianzmanagement.",
            "page.login",
        ),
    ),
    permissions={
        "page.login": frozenset({Role.CITIZEN}),
        "page.account": SIGNED_IN,
        "page.admin": MANAGER_ONLY,
        "users.list": MANAGER_ONLY,
        "users.manage": MANAGER_ONLY,
        "audit.view_all": MANAGER_ONLY,
    },
    personal_data=(personal_data.SESSIONS, personal_data.USERS),  # sessions first: found by e-mail
    demo=demo.load,
    cli=cli.group,
    routes=tuple(routes.ROUTES),
    audit_actions={
        "user.create": "Konto angelegt",
        "user.update": "Konto geändert",
        "user.disable": "Konto gesperrt",
        "user.enable": "Konto freigeschaltet",
        "user.login": "Angemeldet",
        "user.password": "Passwort gesetzt",
        "user.setup_code": "Passwort-Link erzeugt",
    },
)
