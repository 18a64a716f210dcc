"""How a long job tells whoever runs it how far it has got: the command line draws a bar, a web
page might send events. A job is given a `Progress` and never draws anything itself."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int, what: str) -> None:
        """A new step of the job, of `total` units (passages, sections), called `what`."""

    def advance(self, count: int) -> None:
        """`count` more units of the current step are done."""


class NoProgress:
    """Progress that nobody watches."""

    def start(self, total: int, what: str) -> None:
        pass

    def advance(self, count: int) -> None:
        pass
