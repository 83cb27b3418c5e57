"""One-time codes with which a new (or locked-out) user sets their own password: the alliance
office never chooses or sees a password. Only a hash of the code is kept."""

from db.migrations import migrations


@migrations(name="0015_password_setups")
def password_setups(db):
    db.execute(
        """CREATE TABLE password_setups (
            code_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            expires_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX password_setups_user ON password_setups(user_id)")
