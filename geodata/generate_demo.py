"""Regenerate the demo geodata of every configured alliance (deterministic; commit the output).

Usage: python geodata/generate_demo.py
"""

from allianz import config, demo_geodata


def main() -> None:
    for path in sorted(config.ALLIANCES_DIR.glob("*.toml")):
        alliance = config.load(str(path))
        for written in demo_geodata.write_all(alliance):
            print(written.relative_to(config.PROJECT_ROOT))


if __name__ == "__main__":
    main()
