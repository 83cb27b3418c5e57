"""Meetings of the alliance (steering group, members' assembly, working groups, network events,
public events) with agenda items, invitations and answers, documents, minutes with a comment
phase; the office's external appointments and press log; secret personal calendar feeds.

Times are stored as UTC ISO strings; pages show them in Europe/Berlin.
"""

from db.migrations import migrations


@migrations(name="0016_meetings")
def meetings(db):
    db.execute(
        """CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            working_group TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            lat REAL,
            lon REAL,
            online_url TEXT NOT NULL DEFAULT '',
            organiser TEXT NOT NULL DEFAULT '',
            municipality_ags TEXT,
            public INTEGER NOT NULL DEFAULT 1,
            state TEXT NOT NULL DEFAULT 'planned',
            cancel_reason TEXT NOT NULL DEFAULT '',
            invited_at TEXT,
            minutes TEXT NOT NULL DEFAULT '',
            minutes_internal TEXT NOT NULL DEFAULT '',
            comments_until TEXT,
            released_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX meetings_start ON meetings(starts_at)")
    db.execute(
        """CREATE TABLE meeting_items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            public INTEGER NOT NULL DEFAULT 1,
            result TEXT NOT NULL DEFAULT '',
            resolution TEXT NOT NULL DEFAULT '',
            decided_at TEXT
        )"""
    )
    db.execute("CREATE INDEX meeting_items_meeting ON meeting_items(meeting_id, position)")
    db.execute(
        """CREATE TABLE meeting_item_links (
            item_id INTEGER NOT NULL REFERENCES meeting_items(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            PRIMARY KEY (item_id, kind, target)
        )"""
    )
    db.execute("CREATE INDEX meeting_item_links_target ON meeting_item_links(kind, target)")
    db.execute(
        """CREATE TABLE meeting_invitees (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (meeting_id, kind, value)
        )"""
    )
    db.execute(
        """CREATE TABLE meeting_participants (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            answer TEXT,
            answered_at TEXT,
            attended INTEGER,
            PRIMARY KEY (meeting_id, user_id)
        )"""
    )
    db.execute("CREATE INDEX meeting_participants_user ON meeting_participants(user_id)")
    db.execute(
        """CREATE TABLE meeting_documents (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            item_id INTEGER REFERENCES meeting_items(id) ON DELETE CASCADE,
            file_title TEXT NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha1 TEXT NOT NULL,
            content BLOB NOT NULL,
            uploaded_by TEXT NOT NULL,
            uploaded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX meeting_documents_meeting ON meeting_documents(meeting_id)")
    db.execute(
        """CREATE TABLE meeting_comments (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            user_id INTEGER REFERENCES users(id),
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX meeting_comments_meeting ON meeting_comments(meeting_id)")
    db.execute(
        """CREATE TABLE office_appointments (
            id INTEGER PRIMARY KEY,
            on_date TEXT NOT NULL,
            event TEXT NOT NULL,
            partner TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL DEFAULT '',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE press_log (
            id INTEGER PRIMARY KEY,
            on_date TEXT NOT NULL,
            outlet TEXT NOT NULL,
            topic TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE calendar_feeds (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id)")
