"""The activity report (Tätigkeitsbericht): built from the demo alliance as PDF and Word, read
back with pypdf and python-docx, and every figure recomputed here with plain SQL on the rows
(not through the report's own code, the slices' figures or services)."""

from __future__ import annotations

import io
import statistics
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import docx as python_docx
import pypdf
import pytest

from allianz import cli
from allianz.accounts.model import ANONYMOUS, COMMAND_LINE, User
from allianz.auth import Role
from allianz.errors import PermissionDenied, ValidationError
from allianz.figures import Period
from allianz.meetings import report, service
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from allianz.workshops.model import Phase
from tests.hostile import CORPUS, expected_stored

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date.today()
MAYOR = User("bm", "Bürgermeisterin", Role.MAYOR, municipality_ags="14729070")
# The report's sentence per kind, written out here: "… haben 4 Allianzsitzungen stattgefunden."
NOUNS = {
    "steering_group": ("Allianzsitzung", "Allianzsitzungen"),
    "assembly": ("Mitgliederversammlung", "Mitgliederversammlungen"),
    "working_group": ("Arbeitskreistreffen", "Arbeitskreistreffen"),
    "network_working": ("Netzwerkveranstaltung auf Arbeitsebene",
                        "Netzwerkveranstaltungen auf Arbeitsebene"),
    "network_decision": ("Netzwerkveranstaltung auf Entscheidungsebene",
                         "Netzwerkveranstaltungen auf Entscheidungsebene"),
    "public_event": ("öffentliche Veranstaltung", "öffentliche Veranstaltungen"),
}  # fmt: skip
HELD = "('held', 'commenting', 'released')"


def de(n: float, digits: int | None = None) -> str:
    """German number written independently of allianz.formatting: 1.234 / 13,3."""
    text = f"{n:,}" if digits is None else f"{n:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def of(n: int, one: str, several: str) -> str:
    return f"{de(n)} {one if n == 1 else several}"


def de_day(iso: str | date) -> str:
    return date.fromisoformat(str(iso)[:10]).strftime("%d.%m.%Y")


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def word(data: bytes):
    return python_docx.Document(io.BytesIO(data))


def word_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def word_text(document) -> str:
    cells = [" ".join(row) for row in word_rows(document)]
    return flat(" ".join([p.text for p in document.paragraphs] + cells))


def utc_bounds(period: Period) -> tuple[str, str]:
    """The period's first and last Berlin day as UTC ISO bounds [start, end)."""
    start = datetime.combine(period.since, time.min, BERLIN).astimezone(UTC)
    end = datetime.combine(period.until + timedelta(days=1), time.min, BERLIN).astimezone(UTC)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


@pytest.fixture
def demo(demo_db, alliance):
    """The demo alliance plus what its demo leaves at zero for the last year: a workshop held,
    two segments reviewed, an interest request and a site brought into brokering."""
    db, _ = demo_db
    areas = municipalities.areas(db)
    workshop = workshops.create(
        db, alliance, COMMAND_LINE,
        workshops.WorkshopDraft("Bürgerwerkstatt Ortsmitte",
                                datetime.now(UTC) - timedelta(days=20), place="Bürgerhaus",
                                participants=27, tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, COMMAND_LINE, workshop, Phase.LIVE)
    for segment_id in [r["id"] for r in db.query("SELECT id FROM segments ORDER BY id LIMIT 2")]:
        networks.record_review(db, COMMAND_LINE, segment_id, networks.ReviewInput(condition=2))
    shared = db.execute(
        "SELECT id FROM vacancy_sites WHERE publication_consent = 1 ORDER BY id LIMIT 1"
    ).fetchone()[0]
    vacancies.express_interest(db, alliance, shared, "Frau Muster", "muster@example.org",
                               "Wir suchen eine Fläche für eine Werkstatt.", True)  # fmt: skip
    other = db.execute("SELECT id FROM vacancy_sites ORDER BY id DESC LIMIT 1").fetchone()[0]
    vacancies.update(db, alliance, areas, COMMAND_LINE, other, {"status": "in_progress"})
    return db


PERIODS = {
    "last_year": report.default_period(TODAY),
    # the demo workshop of 2020 included; meetings still to come are not held yet
    "since_2020": Period(date(2020, 1, 1), TODAY + timedelta(days=90)),
}


@pytest.mark.parametrize("name", list(PERIODS))
def test_every_figure_recomputed_in_both_documents(demo, alliance, name):
    period = PERIODS[name]
    made = report.collect(demo, alliance, COMMAND_LINE, period, "Unser Vorwort.")
    text = pdf_text(report.pdf(made))
    document = word(report.docx(made))
    wtext, rows = word_text(document), word_rows(document)
    assert "Unser Vorwort." in text and "Unser Vorwort." in wtext
    start, end = utc_bounds(period)
    since, until = period.since.isoformat(), period.until.isoformat()

    def in_both(phrase: str) -> None:
        assert phrase in text, phrase
        assert phrase in wtext, phrase

    def figure(label: str, value: str) -> None:
        """A row of the participation table: label and value side by side."""
        assert f"{label} {value}" in text, (label, value)
        assert any(row[1:] == [label, value] for row in rows), (label, value)

    # 2.1 meetings held, per kind, with every topic; non-public ones marked
    held = [dict(r) for r in demo.query(
        f"SELECT * FROM meetings WHERE state IN {HELD} AND starts_at >= ? AND starts_at < ?",
        [start, end])]  # fmt: skip
    assert len(held) >= 9
    span = f"Im Zeitraum vom {de_day(since)} bis {de_day(until)}"
    for kind, (one, several) in NOUNS.items():
        n = sum(1 for m in held if m["kind"] == kind)
        if n:
            in_both(f"{span} {'hat' if n == 1 else 'haben'} {n} {one if n == 1 else several} "
                    "stattgefunden.")  # fmt: skip
        assert made.figures[f"meetings.{kind}"] == n
    ids = ",".join(str(m["id"]) for m in held)
    items = [
        dict(r) for r in demo.query(f"SELECT * FROM meeting_items WHERE meeting_id IN ({ids})")
    ]
    present = demo.execute(
        f"SELECT count(*) FROM meeting_participants WHERE attended = 1 AND meeting_id IN ({ids})"
    ).fetchone()[0]
    resolutions = sum(1 for i in items if i["resolution"])
    meetings = of(len(held), "Sitzung oder Veranstaltung", "Sitzungen und Veranstaltungen")
    in_both(f"Insgesamt: {meetings} "
            f"mit {of(len(items), 'Tagesordnungspunkt', 'Tagesordnungspunkten')}, "
            f"{of(resolutions, 'Beschluss', 'Beschlüssen')} und "
            f"{of(present, 'Teilnahme', 'Teilnahmen')}.")  # fmt: skip
    assert any(not i["public"] for i in items)
    for item in items:
        in_both(f"– {item['title']}" + ("" if item["public"] else " (nichtöffentlich)"))
    for meeting in held:
        day = datetime.fromisoformat(meeting["starts_at"]).astimezone(BERLIN).date()
        in_both(de_day(day))
    for meeting in demo.query(
        f"SELECT starts_at FROM meetings WHERE state NOT IN {HELD}"
    ):  # not held (yet): not in the report
        day = de_day(datetime.fromisoformat(meeting["starts_at"]).astimezone(BERLIN).date())
        assert f"{day} –" not in text

    # 2.2 measures and steps done in the period
    statuses = dict(
        demo.execute("SELECT status, count(*) FROM measures GROUP BY status").fetchall()
    )
    total = sum(statuses.values())
    labels = {"idea": "Idee", "planned": "geplant", "in_progress": "in Umsetzung",
              "done": "umgesetzt", "dropped": "verworfen"}  # fmt: skip
    counts = ", ".join(f"{statuses[c]} {label}" for c, label in labels.items() if statuses.get(c))
    in_both(f"Die Maßnahmenmatrix der Allianz umfasst {of(total, 'Maßnahme', 'Maßnahmen')} "
            f"({counts}).")  # fmt: skip
    done = demo.query(
        "SELECT m.ref, s.text, s.done_on FROM measure_steps s JOIN measures m "
        "ON m.id = s.measure_id WHERE s.done_on >= ? AND s.done_on <= ?", [since, until]
    )  # fmt: skip
    done = [dict(r) for r in done]
    in_both(f"Im Zeitraum {'wurde' if len(done) == 1 else 'wurden'} {len(done)} "
            f"{'Schritt' if len(done) == 1 else 'Schritte'} erledigt.")  # fmt: skip
    for step in done:
        assert any(row[0] == step["ref"] and f"{de_day(step['done_on'])}: {step['text']}" in row[3]
                   for row in rows), step  # fmt: skip
        assert f"{de_day(step['done_on'])}: {step['text']}" in text
    for ref in [r[0] for r in demo.execute(
            "SELECT ref FROM measures WHERE status IN ('planned', 'in_progress')")]:  # fmt: skip
        assert any(row[0] == ref for row in rows), ref

    # 2.3 participation: workshops, suggestions, networks, vacancies
    shops = [dict(r) for r in demo.query(
        "SELECT * FROM workshops WHERE substr(starts_at, 1, 10) BETWEEN ? AND ? "
        "AND phase != 'planned'", [since, until])]  # fmt: skip
    assert shops
    shop_ids = ",".join(str(w["id"]) for w in shops)
    cards = demo.execute(
        f"SELECT count(*), coalesce(sum(origin = 'online'), 0), coalesce(sum(host_dots), 0) "
        f"FROM workshop_cards WHERE hidden = 0 AND workshop_id IN ({shop_ids})"
    ).fetchone()
    votes = demo.execute(
        "SELECT coalesce(sum(v.dots), 0) FROM workshop_votes v JOIN workshop_cards c "
        f"ON c.id = v.card_id WHERE c.hidden = 0 AND c.workshop_id IN ({shop_ids})"
    ).fetchone()[0]
    figure("Werkstätten im Zeitraum", de(len(shops)))
    figure("Teilnehmende", de(sum(w["participants"] for w in shops)))
    figure("Ideenkarten", de(cards[0]))
    figure("davon online eingereicht", de(cards[1]))
    figure("vergebene Punkte", de(cards[2] + votes))
    for shop in shops:
        assert any(row[:2] == [de_day(shop["starts_at"]), shop["title"]] for row in rows), shop

    visible = ("FROM suggestions WHERE hidden = 0 AND merged_into IS NULL "
               "AND created_at >= ? AND created_at < date(?, '+1 day')")  # fmt: skip
    by_status = dict(demo.execute(f"SELECT status, count(*) {visible} GROUP BY status",
                                  [since, until]).fetchall())  # fmt: skip
    assert sum(by_status.values()) > 0
    figure("im Zeitraum eingegangen", de(sum(by_status.values())))
    figure("davon heute erledigt", de(by_status.get("done", 0)))
    figure("davon abgelehnt", de(by_status.get("declined", 0)))
    figure("davon offen", de(sum(by_status.get(s, 0) for s in ("new", "in_review", "planned"))))
    waits = [r[0] for r in demo.execute(
        f"SELECT julianday(first_answer_at) - julianday(created_at) {visible} "
        "AND first_answer_at IS NOT NULL", [since, until])]  # fmt: skip
    figure("Median Tage bis zur ersten Antwort",
           de(round(statistics.median(waits), 1), 1) if waits else "–")  # fmt: skip

    km = demo.execute(
        "SELECT sum(CASE WHEN in_rad THEN length_m END), sum(CASE WHEN in_kern THEN length_m END),"
        " sum(CASE WHEN id IN (SELECT segment_id FROM segment_reviews) THEN length_m END) "
        "FROM segments"
    ).fetchone()
    assert km[2] > 0
    for label, metres in zip(("Radwegenetz km", "Kernwegenetz km", "davon geprüft km"), km,
                             strict=True):  # fmt: skip
        shown = next(row[2] for row in rows if row[1] == label)
        assert shown == de(float(shown.replace(",", ".")), 1)  # 13,3: one decimal, comma
        # shown to 100 m from the network figure, which is kept to the metre
        assert abs(float(shown.replace(",", ".")) - metres / 1000) <= 0.0505, (label, shown)
        figure(label, shown)

    sites = demo.execute(
        "SELECT count(*) FROM vacancy_sites WHERE status IN ('active', 'in_progress')"
    ).fetchone()[0]
    figure("Flächen im Kataster (heute leer oder in Vermittlung)", de(sites))
    interests = demo.execute(
        "SELECT count(*) FROM vacancy_interests WHERE substr(created_at, 1, 10) BETWEEN ? AND ?",
        [since, until],
    ).fetchone()[0]
    assert interests == 1
    figure("Anfragen von Interessierten im Zeitraum", de(interests))

    def states(day: date) -> dict[int, str]:
        sql = ("SELECT site_id, json_extract(snapshot, '$.status') FROM vacancy_history h "
               "WHERE version = (SELECT max(version) FROM vacancy_history WHERE "
               "site_id = h.site_id AND at < date(?, '+1 day'))")  # fmt: skip
        return dict(demo.execute(sql, [day.isoformat()]).fetchall())

    before, after = states(period.since - timedelta(days=1)), states(period.until)
    changed = [i for i in after if i in before and before[i] != after[i]]
    figure("Flächen neu erfasst", de(len([i for i in after if i not in before])))
    figure("Flächen mit geändertem Stand", de(len(changed)))
    figure("davon jetzt in Vermittlung", de(sum(after[i] == "in_progress" for i in changed)))
    figure("davon jetzt wieder genutzt", de(sum(after[i] == "reused" for i in changed)))

    # 2.4 external appointments, 2.5 press log
    appointments = "SELECT * FROM office_appointments WHERE on_date BETWEEN ? AND ?"
    appointments = [dict(r) for r in demo.query(appointments, [since, until])]
    assert appointments
    in_both(f"An folgenden Veranstaltungen nahm das Allianzmanagement teil "
            f"({of(len(appointments), 'Termin', 'Termine')}):")  # fmt: skip
    for a in appointments:
        assert [de_day(a["on_date"]), a["event"], a["partner"], a["topic"]] in rows, a
        assert f"{de_day(a['on_date'])} {a['event']}" in text
    press = [dict(r) for r in demo.query(
        "SELECT * FROM press_log WHERE on_date BETWEEN ? AND ?", [since, until])]  # fmt: skip
    in_both(f"Im Zeitraum sind {len(press)} Berichte über die Allianz erschienen:")
    for p in press:
        assert [de_day(p["on_date"]), p["outlet"], p["topic"]] in rows, p
    # headings in the seed's order
    order = ["1. Vorbemerkung", "2. Funktion und Aufgaben", "2.1. Geschäftsführung",
             "2.2. Projekte", "2.3. Beteiligung", "2.4. Austausch und Vernetzung",
             "2.5. Öffentlichkeitsarbeit", "3. Datengrundlage"]  # fmt: skip
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h in order] == order
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)


def test_empty_period_says_so(demo, alliance):
    period = Period(date(2000, 1, 1), date(2000, 12, 31))
    made = report.collect(demo, alliance, COMMAND_LINE, period)
    text = pdf_text(report.pdf(made))
    assert "Im Zeitraum vom 01.01.2000 bis 31.12.2000 haben keine Sitzungen stattgefunden." in text
    assert "Im Zeitraum sind keine Außentermine eingetragen." in text
    assert "Im Zeitraum sind keine Presseberichte eingetragen." in text
    # no foreword given: a sentence of our own, with the alliance's name
    assert f"Allianzmanagements für {alliance.name} im Zeitraum vom 01.01.2000" in text
    assert made.figures["appointments"] == made.figures["press"] == 0


def test_hostile_text_lands_literally(demo, alliance):
    for text in CORPUS:
        if len(expected_stored(text)) <= service.TITLE_MAX:
            service.add_appointment(demo, COMMAND_LINE, TODAY, text, text, text)
            service.add_press(demo, COMMAND_LINE, TODAY, "Zeitung", text)
    foreword = "\n\n".join(CORPUS)
    made = report.collect(demo, alliance, COMMAND_LINE, report.default_period(TODAY), foreword)
    pdf_plain = "".join(pdf_text(report.pdf(made)).split())
    document = word(report.docx(made))
    word_plain = "".join(word_text(document).split())
    paragraphs = [p.text for p in document.paragraphs]
    for text in CORPUS:
        kept = expected_stored(text)
        # in the PDF every character that has a glyph; line breaks may differ (wrapping)
        assert "".join(kept.split()) in pdf_plain, text
        assert "".join(kept.split()) in word_plain, text
        # the foreword as the office's own paragraphs, editable in Word
        assert kept.replace("\r\n", "\n") in paragraphs, text
    appointment_rows = [row for row in word_rows(document) if row[0] == de_day(TODAY)]
    assert any(row[1] == expected_stored("<script>window.__pwned=1</script>")
               for row in appointment_rows)  # fmt: skip


def test_only_the_office_makes_it(demo, alliance):
    for user in (ANONYMOUS, MAYOR):
        with pytest.raises(PermissionDenied):
            report.collect(demo, alliance, user, report.default_period(TODAY))
    with pytest.raises(ValidationError):
        report.collect(demo, alliance, COMMAND_LINE, Period(TODAY, TODAY - timedelta(days=1)))


def test_command_line_writes_both_formats(demo, tmp_path, capsys):
    foreword = tmp_path / "vorwort.txt"
    foreword.write_text("Vorwort aus der Datei.\n\nZweiter Absatz.", encoding="utf-8")
    since = (TODAY - timedelta(days=200)).isoformat()
    for name in ("bericht.pdf", "bericht.docx"):
        out = tmp_path / name
        code = cli.main(["meetings", "report", str(out), "--since", since,
                         "--foreword-file", str(foreword)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        assert out.stat().st_size > 1000
    assert "Vorwort aus der Datei." in pdf_text((tmp_path / "bericht.pdf").read_bytes())
    document = word((tmp_path / "bericht.docx").read_bytes())
    assert "Zweiter Absatz." in [p.text for p in document.paragraphs]
    assert f"Im Zeitraum vom {de_day(since)} bis {de_day(TODAY)}" in word_text(document)
    assert cli.main(["meetings", "report", str(tmp_path / "bericht.txt")]) == 2
    assert ".pdf oder .docx" in capsys.readouterr().err
    assert cli.main(["meetings", "report", str(tmp_path / "b.pdf"), "--since", "32.13.2026"]) == 2
    assert "JJJJ-MM-TT" in capsys.readouterr().err
