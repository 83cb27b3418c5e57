"""Foundation schema: alliance metadata, accounts, municipalities, audit trail."""

from db.migrations import migrations


@migrations(name="0001_initial")
def initial(db):
    db.execute(
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            municipality_ags TEXT,
            email TEXT COLLATE NOCASE,
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX users_email ON users(email) WHERE email IS NOT NULL")
    db.execute(
        """CREATE TABLE municipalities (
            ags TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            inhabitants INTEGER,
            seat_lat REAL NOT NULL,
            seat_lon REAL NOT NULL,
            geometry TEXT NOT NULL,
            boundary_source TEXT NOT NULL,
            boundary_is_demo INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            municipality_ags TEXT,
            reason TEXT,
            details TEXT
        )"""
    )
    db.execute("CREATE INDEX audit_at ON audit(at)")
    db.execute("CREATE INDEX audit_municipality ON audit(municipality_ags, at)")
