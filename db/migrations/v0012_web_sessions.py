"""Server-side sign-in sessions and limits that several processes share.

A session row holds only a hash of the browser's random cookie, so a copy of the database
cannot be used to sign in. Limit events hold a salted hash of who acted (the salt changes
daily), never an address.
"""

from db.migrations import migrations


@migrations(name="0012_web_sessions")
def web_sessions(db):
    db.execute(
        """CREATE TABLE web_sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at REAL NOT NULL,
            last_seen REAL NOT NULL,
            expires_at REAL NOT NULL,
            user_agent TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX web_sessions_user ON web_sessions(user_id)")
    db.execute("CREATE TABLE limit_events (bucket TEXT NOT NULL, at REAL NOT NULL)")
    db.execute("CREATE INDEX limit_events_bucket ON limit_events(bucket, at)")
