import io
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from allianz import cli, config, database
from allianz.accounts import service as accounts
from tests.boundary_files import vg250_frame, write_gpkg
from tests.e2e.conftest import free_port
from tests.smtp_server import LocalSmtp


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_db_init_creates_demo_and_prints_passwords_once(db_path, capsys):
    code, out, _ = run(capsys, "db", "init")
    assert code == 0 and db_path.exists()
    assert out.count("Passwort: ") == 5 and "unverändert" not in out
    for name in (
        "demo-allianz",
        "demo-verwaltung",
        "demo-buergermeister",
        "demo-arbeitskreis",
        "demo-tisch",
    ):
        assert name in out
    code, out, _ = run(capsys, "db", "init")
    assert code == 0 and "Demo-Konten" not in out  # not empty any more: nothing printed
    code, out, _ = run(capsys, "demo", "load")
    assert code == 0 and out.count("unverändert") == 5


def test_db_init_without_demo(db_path, capsys):
    code, out, _ = run(capsys, "db", "init", "--no-demo")
    assert code == 0 and "Demo-Konten" not in out
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM municipalities").fetchone()[0] == 0


def test_users_add_and_list(db_path, capsys, monkeypatch):
    run(capsys, "db", "init")
    code, out, err = run(
        capsys,
        "users",
        "add",
        "k.meier",
        "--role",
        "staff",
        "--municipality",
        "14729070",
        "--password-stdin",
        stdin="sehr-geheim-1\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0, err
    assert "k.meier" in out
    code, out, _ = run(
        capsys,
        "users",
        "add",
        "oidc.bm",
        "--role",
        "mayor",
        "--municipality",
        "14729190",
        "--email",
        "bm@grosspoesna.example",
        "--oidc-only",
    )
    assert code == 0
    code, out, _ = run(capsys, "users", "list")
    assert code == 0
    assert "k.meier" in out and "14729070" in out and "bm@grosspoesna.example" in out
    assert "sehr-geheim" not in out and "scrypt" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["users", "add", "x1", "--role", "staff", "--oidc-only", "--email", "a@b.de"],
            "braucht eine Gemeinde",
        ),
        (
            [
                "users",
                "add",
                "x1",
                "--role",
                "mayor",
                "--municipality",
                "16068051",
                "--oidc-only",
                "--email",
                "a@b.de",
            ],
            "gehört nicht zur Allianz",
        ),
        (["boundaries", "import", "/nicht/da.gpkg"], "nicht gefunden"),
        (["db", "backup", "__EXISTING__"], "existiert schon"),
    ],
)
def test_errors_exit_non_zero_with_german_message(db_path, capsys, argv, message, tmp_path):
    run(capsys, "db", "init")
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM users").fetchone()[0]
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"")
    argv = [str(existing) if a == "__EXISTING__" else a for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.startswith("Fehler:")
    after = sqlite3.connect(db_path).execute("SELECT count(*) FROM users").fetchone()[0]
    assert after == before


def test_commands_refuse_an_uninitialised_database(db_path, capsys):
    code, _, err = run(capsys, "users", "list")
    assert code == 2 and "allianz db init" in err


def test_backup_is_a_consistent_copy(db_path, capsys, tmp_path):
    run(capsys, "db", "init")
    dest = tmp_path / "backup" / "copy.sqlite3"
    code, out, _ = run(capsys, "db", "backup", str(dest))
    assert code == 0 and "integrity_check: ok" in out
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM users").fetchone()[0] == 5
    assert copy.execute("SELECT count(*) FROM municipalities").fetchone()[0] == 7


def test_boundaries_import(db_path, capsys, alliance, tmp_path):
    run(capsys, "db", "init")
    path = write_gpkg(vg250_frame(alliance), tmp_path / "vg250.gpkg")
    code, out, _ = run(capsys, "boundaries", "import", str(path))
    assert code == 0 and "7 Gemeinden" in out
    bad = write_gpkg(vg250_frame(alliance, drop="14729060"), tmp_path / "bad.gpkg")
    code, _, err = run(capsys, "boundaries", "import", str(bad))
    assert code == 2 and "Borsdorf" in err


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "allianz"
    assert exe.exists() or shutil.which("allianz")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "users" in result.stdout


def test_mail_send_retries_the_outbox(db_path, capsys, tmp_path):
    run(capsys, "db", "init")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at) "
        "VALUES ('a@example.org', 'Betreff', 'Text', '2026-01-01')"
    )
    conn.commit()
    port = free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsender = "x@example.org"\n')
    with LocalSmtp(port) as smtp:
        code, out, _ = run(capsys, "mail", "send", "--secrets", str(secrets))
        assert code == 0 and "1 E-Mail(s) verschickt, 0 warten" in out
        assert smtp.messages[0]["To"] == "a@example.org"
    code, _, err = run(capsys, "mail", "send", "--secrets", str(tmp_path / "none.toml"))
    assert code == 2 and "[smtp]" in err


def test_network_import_and_export(db_path, capsys, tmp_path):
    run(capsys, "db", "init")
    inside = LineString([(12.5883, 51.2778), (12.6089, 51.3347)])
    path = tmp_path / "wege.geojson"
    gpd.GeoDataFrame({"BEZ": ["Neuer Weg"]}, geometry=[inside], crs="EPSG:4326").to_file(path)
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM segments").fetchone()[0]
    code, out, err = run(
        capsys,
        "network",
        "import",
        str(path),
        "--network",
        "rad",
        "--network",
        "kern",
        "--map",
        "name=BEZ",
    )
    assert code == 0, err
    assert "1 Abschnitt (" in out  # singular
    row = (
        sqlite3.connect(db_path)
        .execute("SELECT name, in_rad, in_kern FROM segments ORDER BY id DESC LIMIT 1")
        .fetchone()
    )
    assert row == ("Neuer Weg", 1, 1)
    outside = tmp_path / "aussen.geojson"
    gpd.GeoDataFrame(
        {"BEZ": ["weit weg"]}, geometry=[LineString([(9.6, 49.8), (9.7, 49.9)])], crs="EPSG:4326"
    ).to_file(outside)
    code, _, err = run(capsys, "network", "import", str(outside), "--network", "rad")
    assert code == 2 and "außerhalb" in err and "nichts gespeichert" in err
    after = sqlite3.connect(db_path).execute("SELECT count(*) FROM segments").fetchone()[0]
    assert after == before + 1
    code, out, _ = run(capsys, "network", "export", str(tmp_path / "netz.gpkg"))
    assert code == 0 and f"{after} Abschnitte" in out
    assert len(gpd.read_file(tmp_path / "netz.gpkg")) == after
    code, _, err = run(capsys, "network", "export", str(tmp_path / "netz.csv"))
    assert code == 2


def test_users_passwd_and_disable(db_path, capsys, monkeypatch):
    run(capsys, "db", "init")
    code, out, err = run(
        capsys,
        "users",
        "passwd",
        "demo-verwaltung",
        "--password-stdin",
        stdin="ganz-neues-passwort\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "geändert" in out and "ganz-neues" not in out
    db = database.open_for(config.load())
    assert accounts.authenticate(db, "demo-verwaltung", "ganz-neues-passwort") is not None
    code, out, _ = run(capsys, "users", "disable", "demo-verwaltung")
    assert code == 0 and "gesperrt" in out
    assert accounts.authenticate(db, "demo-verwaltung", "ganz-neues-passwort") is None
    code, _, _ = run(capsys, "users", "disable", "demo-verwaltung", "--enable")
    assert accounts.authenticate(db, "demo-verwaltung", "ganz-neues-passwort") is not None
    code, _, err = run(capsys, "users", "disable", "niemand")
    assert code == 2 and "gibt es nicht" in err
    code, _, err = run(
        capsys,
        "users",
        "passwd",
        "demo-verwaltung",
        "--password-stdin",
        stdin="kurz\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2 and "mindestens" in err


def test_privacy_commands(db_path, capsys, tmp_path):
    assert run(capsys, "db", "init")[0] == 0
    code, out, _ = run(capsys, "privacy", "export", "niemand@example.org")
    assert code == 0 and '"suggestions": []' in out
    target = tmp_path / "auskunft.json"
    code, out, _ = run(capsys, "privacy", "export", "niemand@example.org", "--out", str(target))
    assert code == 0 and target.exists()
    code, out, _ = run(capsys, "privacy", "erase", "niemand@example.org")
    assert code == 0 and "suggestion_contacts 0" in out
    code, out, _ = run(capsys, "privacy", "purge")
    assert code == 0 and "Älter als 12 Monate" in out
    code, _, err = run(capsys, "privacy", "purge", "--months", "0")
    assert code == 2 and "mindestens einen Monat" in err


def test_workshop_vacancy_and_report_commands(db_path, capsys, tmp_path):
    assert run(capsys, "db", "init")[0] == 0
    code, out, _ = run(capsys, "workshops", "list")
    assert code == 0 and "Bürgerwerkstatt" in out
    for suffix in ("md", "pdf", "csv"):
        code, out, _ = run(capsys, "workshops", "export", "1", str(tmp_path / f"p.{suffix}"))
        assert code == 0 and (tmp_path / f"p.{suffix}").stat().st_size > 100
    code, _, err = run(capsys, "workshops", "export", "1", str(tmp_path / "p.docx"))
    assert code == 2 and "Format" in err
    code, out, _ = run(capsys, "vacancies", "export", str(tmp_path / "l.xlsx"))
    assert code == 0 and "ohne Eigentümerdaten" in out
    code, out, _ = run(capsys, "vacancies", "import", str(tmp_path / "l.xlsx"))
    assert code == 0 and "Flächen importiert" in out
    (tmp_path / "l.txt").write_text("kein Tabellenformat", encoding="utf-8")
    code, _, err = run(capsys, "vacancies", "import", str(tmp_path / "l.txt"))
    assert code == 2 and err.startswith("Fehler:") and "Traceback" not in err
    code, out, _ = run(capsys, "vacancies", "export", str(tmp_path / "intern.csv"), "--internal")
    assert code == 0 and "Eigentümer Demo" in (tmp_path / "intern.csv").read_text("utf-8-sig")
    code, out, _ = run(capsys, "report", str(tmp_path / "r.pdf"), "--municipality", "14729060")
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "report", str(tmp_path / "r.pdf"), "--since", "gestern")
    assert code == 2 and "JJJJ-MM-TT" in err
