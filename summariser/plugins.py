"""Backends and embedders from installed packages, found through entry points as simonw/llm finds
its plugins. A package declares them in its pyproject.toml:

    [project.entry-points."summariser.backends"]
    mybackend = "my_package.drafting:factory"

    [project.entry-points."summariser.embedders"]
    myembedder = "my_package.vectors:factory"

and, once it is installed, `--llm mybackend` or `--embedder myembedder` uses it; `--help` lists
what is installed. What each entry point names is said where it is registered
(`summariser.draft.backends`, `summariser.index.embedders`). A built-in name always means the
built-in: a plugin cannot replace one. A plugin is imported only when its name is used, so a
broken one costs nothing until then, and then it is refused in one line.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from summariser.errors import ModelError

__all__ = ["BACKENDS", "EMBEDDERS", "installed", "load"]

BACKENDS = "summariser.backends"
EMBEDDERS = "summariser.embedders"


def installed(group: str) -> dict[str, EntryPoint]:
    """The entry points of `group` by name, from every installed package (read from their
    metadata: nothing is imported). Of two packages naming the same, the first found is kept."""
    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=group):
        found.setdefault(entry.name, entry)
    return found


def load(entry: EntryPoint, what: str) -> object:
    """What the entry point names, imported; any failure to import someone else's package is
    one line saying which package to reinstall."""
    package = entry.dist.name if entry.dist is not None else entry.value
    try:
        return entry.load()
    except Exception as exc:  # an installed package's import fails in ways of its own
        why = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise ModelError(f"The {what} '{entry.name}' from the package {package} could not be "
                         f"loaded ({why}); reinstall or uninstall {package}") from None
