"""Which groups of a breakdown are too small to show (disclosure control): the one rule the
report, which suppresses them (`summariser.report.disclosure`), and the gate, which refuses a
figure printed for one (`summariser.gate.groups`), both follow."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["suppressed"]


def suppressed(sizes: Mapping[str, int], min_cell: int) -> frozenset[str]:
    """The groups of a breakdown whose figure is not shown, from how many in each answered the
    question: those under `min_cell`, where a mean or a count could single someone out; and
    where only one is, with the overall figure published it could be worked out from the
    others, so the smallest other group is hidden too (with only two groups, both are)."""
    hidden = {group for group, n in sizes.items() if n < min_cell}
    if len(hidden) == 1 and len(sizes) > 2:
        hidden.add(min((g for g in sizes if g not in hidden), key=lambda g: (sizes[g], g)))
    elif len(hidden) == 1:
        hidden = set(sizes)
    return frozenset(hidden)
