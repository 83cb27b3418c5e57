"""HTTP entry: the Streamlit app plus our own routes. Start with `streamlit run app.py`.

The per-run Streamlit script (navigation by role) is main.py.
"""

from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from allianz import auth, config, features, forwarded, visitors, warmup, web_session
from allianz.closed_endpoints import ClosedEndpoints
from allianz.health import healthz
from allianz.html_lang import GermanHtmlLang
from allianz.mail import worker as mail_worker
from allianz.security_headers import SecurityHeaders
from allianz.static_files import StaticFiles


@asynccontextmanager
async def lifespan(_app):
    """Refuse to start with an unsafe OIDC or proxy configuration rather than run
    half-secured; then prepare the public maps and deliver queued mail in the background."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        section = None
    errors = auth.oidc_settings_errors(dict(section) if section else None)
    if errors:
        raise RuntimeError("Unsichere Anmelde-Konfiguration: " + "; ".join(errors))
    config.trusted_proxies()  # a ConfigError names the bad entry
    errors = forwarded.uvicorn_trust_errors()
    if errors:
        raise RuntimeError("Unsichere Proxy-Konfiguration: " + "; ".join(errors))
    warmup.start()
    mail_delivery = mail_worker.start(web_session.smtp_settings())
    stops = [f.background() for f in features.registry() if f.background is not None]
    yield
    for stop in stops:
        stop()
    if mail_delivery is not None:
        mail_delivery.stop()


app = st.App(
    "main.py",
    routes=[Route("/healthz", healthz), *(r for f in features.registry() for r in f.routes)],
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(ClosedEndpoints),
        Middleware(forwarded.ClientAddress),
        Middleware(visitors.VisitorMiddleware),  # after ClientAddress: it reads the client
        Middleware(GermanHtmlLang),
        Middleware(StaticFiles),
    ],
    lifespan=lifespan,
)
