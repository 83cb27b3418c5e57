from __future__ import annotations

from dataclasses import dataclass

from allianz.audit import Actor
from allianz.auth import Role


@dataclass(frozen=True)
class User:
    """The person using the app in this session; anonymous visitors are citizens."""

    username: str
    display_name: str
    role: Role
    municipality_ags: str | None = None
    email: str | None = None
    id: int | None = None
    via_oidc: bool = False

    @property
    def signed_in(self) -> bool:
        return self.role is not Role.CITIZEN or self.via_oidc

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role.value)


ANONYMOUS = User(username="anonym", display_name="Gast", role=Role.CITIZEN)
# The command line acts for the alliance office; what it does is audited as "cli".
COMMAND_LINE = User(username="cli", display_name="Kommandozeile", role=Role.MANAGER)
