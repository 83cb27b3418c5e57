"""Plain HTML forms that post to the app's routes (sign-in, sign-out), looking close to
Streamlit's own widgets."""

import html

CSS = """<style>
.allianz-form { display: flex; flex-direction: column; gap: 0.35rem; max-width: 28rem; }
.allianz-form label { font-size: 0.875rem; margin-top: 0.5rem; }
.allianz-form input {
  font: inherit; padding: 0.5rem 0.75rem; border: 1px solid #8a8d93;
  border-radius: 0.5rem; background: #f0f2f6; color: inherit;
}
.allianz-form input:focus { outline: 2px solid #b3121f; outline-offset: 1px; }
.allianz-form button {
  font: inherit; margin-top: 1rem; padding: 0.45rem 1rem; align-self: flex-start;
  border-radius: 0.5rem; border: 1px solid #b3121f; background: #b3121f; color: #fff;
  cursor: pointer;
}
.allianz-form button.secondary { background: #fff; color: #31333f; border-color: #8a8d93; }
.allianz-form button:focus { outline: 2px solid #31333f; outline-offset: 2px; }
</style>
"""


def form(action: str, token: str, button: str, fields: str = "") -> str:
    """A POST form with its signed token (`allianz.form_tokens`) and one submit button."""
    return (
        CSS
        + f'<form method="post" action="{html.escape(action)}" class="allianz-form">'
        + fields
        + f'<input type="hidden" name="formular" value="{html.escape(token)}">'
        + f'<button type="submit">{html.escape(button)}</button></form>'
    )
