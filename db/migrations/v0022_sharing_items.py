"""Pool items kept up over time: a purchase/replacement value per item (for the figure
"savings vs. buying"), retirement (no new bookings, the history stays) and one photo per item
(re-encoded JPEG without metadata, see allianz.images).

Money in integer cents; times UTC ISO strings.
"""

from db.migrations import migrations


@migrations(name="0022_sharing_items")
def sharing_items(db):
    db.execute(
        "ALTER TABLE pool_items ADD COLUMN purchase_value_cents INTEGER NOT NULL DEFAULT 0 "
        "CHECK (purchase_value_cents >= 0)"
    )
    db.execute("ALTER TABLE pool_items ADD COLUMN retired_at TEXT")
    db.execute("ALTER TABLE pool_items ADD COLUMN retired_by TEXT")
    db.execute(
        """CREATE TABLE pool_item_photos (
            item_id INTEGER PRIMARY KEY REFERENCES pool_items(id) ON DELETE CASCADE,
            image BLOB NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            uploaded_by TEXT NOT NULL,
            uploaded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX pool_bookings_span ON pool_bookings(starts_at, ends_at)")
