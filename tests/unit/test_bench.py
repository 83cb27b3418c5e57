import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_runs_at_small_scale(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "allianz.cli",
            "bench",
            "--municipalities",
            "4",
            "--suggestions",
            "30",
            "--service-sample",
            "5",
            "--vacancies",
            "20",
            "--workshops",
            "2",
            "--cards",
            "5",
            "--segments",
            "50",
            "--network-km",
            "5",
            "--addresses",
            "2000",
            "--meeting-years",
            "1",
            "--runs",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["scale"]["suggestions"] == 30 and data["save_median_ms"] > 0
    assert data["naive_map"]["items"] >= 5 and data["naive_map"]["ratio"] > 0
    assert data["network_import"]["segments"] == 50
    assert abs(data["network_import"]["km"] - 5) < 0.1
    pages = {(row["page"], row["role"]) for row in data["pages"]}
    assert ("Start", "citizen") in pages and ("Hinweise bearbeiten", "staff") in pages
    assert ("Allianzverwaltung", "citizen") not in pages
    assert ("Sitzungen & Termine", "citizen") in pages and ("Tätigkeitsbericht", "manager") in pages
    assert ("Adressverzeichnis", "staff") in pages and ("Hinweis melden", "citizen") in pages
    meetings = data["meetings"]
    assert meetings["meetings"] == 60 and meetings["service_sample"] == 10
    assert 0.10 <= meetings["non_public_items"] / meetings["meeting_items"] <= 0.20
    assert meetings["office_appointments"] == meetings["press_log"] == 40
    documents = data["documents"]
    assert documents["activity_report_pdf_kb"] > 0 and documents["activity_report_docx_kb"] > 0
    assert documents["ical_public_feed_events"] > 0 and documents["oparl_meetings_total"] > 0
    assert data["address_search"]["addresses"] >= 2000 and data["address_search"]["searches"] == 60
    demo_pages = {row["page"] for row in data["demo_citizen_pages"]}
    assert {"Start", "Hinweise", "Radwege & Kernwege"} <= demo_pages
