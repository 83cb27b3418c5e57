"""Index for data versions: the newest audit row per kind of entity, found without a scan
(pages cache prepared data until such a row appears)."""

from db.migrations import migrations


@migrations(name="0008_version_indexes")
def version_indexes(db):
    db.execute("CREATE INDEX audit_entity ON audit(entity, id)")
