"""Allianz-Werkstatt core: everything a page, the CLI or the HTTP API decides lives here."""
