"""Every command of `allianz` has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _leaves(
    command: click.Command, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], click.Command]]:
    if isinstance(command, click.Group):
        return [
            leaf
            for name, sub in sorted(command.commands.items())
            for leaf in _leaves(sub, (*path, name))
        ]
    return [(path, command)]


def test_every_command_has_help_and_a_readme_line():
    leaves = _leaves(cli.command_tree(), ("allianz",))
    assert len(leaves) >= 20
    for path, command in leaves:
        assert (command.help or "").strip(), path
        assert f"{' '.join(path)}" in README, f"{' '.join(path)} fehlt im README"
        for param in command.params:
            if isinstance(param, click.Option):
                assert (param.help or "").strip(), (path, param.name)


def test_every_slice_group_is_in_the_tree():
    tree = cli.command_tree()
    for name in ("users", "boundaries", "suggestions", "network", "workshops", "vacancies"):
        assert name in tree.commands


def test_help_is_printed_without_a_database(capsys):
    assert cli.main(["vacancies", "export", "--help"]) == 0
    assert "--internal" in capsys.readouterr().out
