"""Sharing across the alliance: the members' Bauhof equipment pool (items with lending rules,
operator crews, maintenance blocks, bookings with holds, returns) and the citizens'
Teilkultur (offers and wishes moderated by the office, contact requests whose e-mail
addresses are shown only once both sides agree).

Times are UTC ISO strings; money is integer cents; hours used are whole minutes.
"""

from db.migrations import migrations


@migrations(name="0020_sharing")
def sharing(db):
    db.execute(
        """CREATE TABLE pool_crews (
            id INTEGER PRIMARY KEY,
            holder_ags TEXT NOT NULL,
            title TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 1),
            is_demo INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE pool_items (
            id INTEGER PRIMARY KEY,
            holder_kind TEXT NOT NULL,
            holder_ags TEXT,
            holder_label TEXT NOT NULL,
            category TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            depot TEXT NOT NULL DEFAULT '',
            lat REAL,
            lon REAL,
            rate_hour_cents INTEGER NOT NULL DEFAULT 0 CHECK (rate_hour_cents >= 0),
            rate_day_cents INTEGER NOT NULL DEFAULT 0 CHECK (rate_day_cents >= 0),
            rate_km_cents INTEGER NOT NULL DEFAULT 0 CHECK (rate_km_cents >= 0),
            deposit_cents INTEGER NOT NULL DEFAULT 0 CHECK (deposit_cents >= 0),
            operator_required INTEGER NOT NULL DEFAULT 0,
            operator_rate_cents INTEGER NOT NULL DEFAULT 0 CHECK (operator_rate_cents >= 0),
            crew_id INTEGER REFERENCES pool_crews(id),
            licence TEXT NOT NULL DEFAULT '',
            insurance_note TEXT NOT NULL DEFAULT '',
            pickup_place TEXT NOT NULL DEFAULT '',
            return_place TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX pool_items_holder ON pool_items(holder_ags, category)")
    db.execute(
        """CREATE TABLE pool_blocks (
            id INTEGER PRIMARY KEY,
            item_id INTEGER REFERENCES pool_items(id) ON DELETE CASCADE,
            crew_id INTEGER REFERENCES pool_crews(id) ON DELETE CASCADE,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK (ends_at > starts_at),
            CHECK (item_id IS NOT NULL OR crew_id IS NOT NULL)
        )"""
    )
    db.execute("CREATE INDEX pool_blocks_item ON pool_blocks(item_id, starts_at)")
    db.execute("CREATE INDEX pool_blocks_crew ON pool_blocks(crew_id, starts_at)")
    db.execute(
        """CREATE TABLE pool_bookings (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES pool_items(id),
            borrower_ags TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            with_operator INTEGER NOT NULL DEFAULT 0,
            purpose TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            hold_until TEXT,
            rate_hour_cents INTEGER NOT NULL DEFAULT 0,
            rate_day_cents INTEGER NOT NULL DEFAULT 0,
            rate_km_cents INTEGER NOT NULL DEFAULT 0,
            operator_rate_cents INTEGER NOT NULL DEFAULT 0,
            requested_by TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT,
            decline_reason TEXT NOT NULL DEFAULT '',
            returned_at TEXT,
            condition_note TEXT NOT NULL DEFAULT '',
            machine_minutes INTEGER,
            operator_minutes INTEGER,
            km_used INTEGER,
            is_demo INTEGER NOT NULL DEFAULT 0,
            CHECK (ends_at > starts_at)
        )"""
    )
    db.execute("CREATE INDEX pool_bookings_item ON pool_bookings(item_id, state, starts_at)")
    db.execute("CREATE INDEX pool_bookings_borrower ON pool_bookings(borrower_ags, state)")
    db.execute(
        """CREATE TABLE teil_listings (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            place_hint TEXT NOT NULL DEFAULT '',
            ags TEXT,
            state TEXT NOT NULL DEFAULT 'pending',
            reject_reason TEXT NOT NULL DEFAULT '',
            offerer_email TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            moderated_by TEXT,
            moderated_at TEXT,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX teil_listings_state ON teil_listings(state, created_at)")
    db.execute(
        """CREATE TABLE teil_requests (
            id INTEGER PRIMARY KEY,
            listing_id INTEGER NOT NULL REFERENCES teil_listings(id) ON DELETE CASCADE,
            requester_email TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            key_hash TEXT NOT NULL UNIQUE,
            requester_agrees INTEGER NOT NULL DEFAULT 0,
            offerer_agrees INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'open',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX teil_requests_listing ON teil_requests(listing_id)")
