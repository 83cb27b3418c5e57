from pathlib import Path

import pytest

from allianz import config


def test_partheland_is_the_default(monkeypatch):
    monkeypatch.delenv("ALLIANZ_CONFIG", raising=False)
    alliance = config.load()
    assert alliance.slug == "partheland"
    assert [m.name for m in alliance.municipalities][:2] == ["Borsdorf", "Stadt Brandis"]
    assert len(alliance.municipalities) == 7
    assert alliance.municipality("14729250").ortsteile[0] == "Machern"
    assert alliance.inhabitants == 8195 + 9676 + 5508 + 8839 + 3372 + 3545 + 6767
    assert len(alliance.workshop_topics) == 4
    assert [h.number for h in alliance.handlungsfelder] == [1, 2, 3, 4, 5, 6]
    assert "lighting" in {c.code for c in alliance.categories}
    assert alliance.tiles.host == "sgx.geodatenzentrum.de"


def test_second_alliance_selected_by_env(monkeypatch):
    monkeypatch.setenv("ALLIANZ_CONFIG", "thueringer-becken")
    alliance = config.load()
    assert alliance.name == "Allianz Thüringer Becken"
    assert alliance.legal_form == "Zweckverband"
    assert {m.ags for m in alliance.municipalities} == {
        "16068051",
        "16068063",
        "16068064",
        "16068053",
    }
    assert alliance.geodata_dir.name == "thueringer-becken"


def test_config_by_path(tmp_path):
    source = config.ALLIANCES_DIR / "partheland.toml"
    target = tmp_path / "copy.toml"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert config.load(str(target)).slug == "partheland"


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = (config.ALLIANCES_DIR / "partheland.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('ags = "14729060"', 'ags = "1472906"', "8-stellig"),
        ('ags = "14729070"', 'ags = "14729060"', "doppelt"),
        ("seat = [51.3469, 12.5383]", "seat = [41.3469, 12.5383]", "nicht in Deutschland"),
        ('slug = "partheland"', 'slug = "Parthe Land"', "slug"),
        ('url = "https://sgx', 'url = "http://sgx', "https"),
        ('code = "waste"', 'code = "lighting"', "doppelt"),
        ("[workshops]", "[workshopz]", "fehlender"),
    ],
)
def test_invalid_config_is_refused_in_german(tmp_path, old, new, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(_broken(tmp_path, old, new))


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(config.ConfigError, match="nicht gefunden"):
        config.load("gibt-es-nicht")
    bad = tmp_path / "bad.toml"
    bad.write_text("[alliance\nname=", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="kein gültiges TOML"):
        config.load(str(bad))
