"""Indexes for data versions and the public suggestion list: the newest audit row per kind of
entity without a scan (pages cache prepared data until such a row appears), and visible
suggestions by date, so a page of the newest needs no sort of all of them."""

from db.migrations import migrations


@migrations(name="0008_version_indexes")
def version_indexes(db):
    db.execute("CREATE INDEX audit_entity ON audit(entity, id)")
    db.execute("CREATE INDEX suggestions_visible_created ON suggestions(hidden, created_at)")
