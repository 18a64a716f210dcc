"""Prompts are files in prompts/: a TOML header declaring their variables, then '## system'
and '## user' parts with {placeholders}. Rendering checks the variables both ways."""

from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from summariser.errors import SummariserError


class PromptError(SummariserError):
    """A prompt file is malformed, or was rendered with missing or unknown variables."""


def prompt_dir() -> Path:
    """prompts/ inside an installed wheel, else the repository's prompts/ (editable install)."""
    packaged = Path(__file__).parents[1] / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: frozenset[str]
    system: str
    user: str
    sha256: str

    def render(self, **values: object) -> tuple[str, str]:
        """(system, user) text. Every declared variable must be given, and no other."""
        missing = self.variables - values.keys()
        extra = values.keys() - self.variables
        if missing or extra:
            raise PromptError(f"Prompt '{self.name}': missing variables {sorted(missing)}, "
                              f"unknown variables {sorted(extra)}")
        return (self.system.format_map(values), self.user.format_map(values))


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@cache
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    path = (directory or prompt_dir()) / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raise PromptError(f"No prompt file {path}; reinstall summariser") from None
    try:
        _, header, body = raw.split("+++\n", 2)
        meta = tomllib.loads(header)
        system, user = body.split("## user\n", 1)
        system = system.split("## system\n", 1)[1]
    except (ValueError, IndexError, tomllib.TOMLDecodeError):
        raise PromptError(f"{path}: expected a +++ TOML header +++, then '## system' and "
                          "'## user' parts") from None
    declared = frozenset(meta.get("variables", ()))
    used = _placeholders(system) | _placeholders(user)
    if used != declared:
        raise PromptError(f"{path}: placeholders {sorted(used)} do not match the declared "
                          f"variables {sorted(declared)}")
    return Prompt(name=meta.get("name", name), variables=declared, system=system.strip(),
                  user=user.strip(), sha256=hashlib.sha256(raw.encode()).hexdigest()[:16])
