"""Breakdowns by respondent attribute, with small cells suppressed (disclosure control).

A group with fewer than `min_cell` respondents (manifest `min_cell`, default 5) is never shown
as a number in a table or figure: with so few people, a mean or a count can single someone out.
The suppressed cell says why. Quotes are never printed with attributes at all: a quote carries
only the respondent's pseudonymous id, so no combination of attributes can identify its author.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from summariser.project.closed import in_top_two, top_two
from summariser.project.disclosure import suppressed
from summariser.project.manifest import Manifest
from summariser.records import Corpus
from summariser.report.stats import answers_by_person, person_rating
from summariser.text.wording import number_word, rounded


@dataclass(frozen=True, slots=True)
class Cell:
    group: str
    n: int
    value: str  # the figure shown, or "suppressed"
    suppressed: bool


@dataclass(frozen=True, slots=True)
class Breakdown:
    attribute: str
    question: str
    label: str
    measure: str  # what the cells show, e.g. "mean rating" or "% Satisfied or Very satisfied"
    cells: tuple[Cell, ...]
    min_cell: int
    ungrouped: int = 0  # who answered the question and gave no value of the attribute

    @property
    def note(self) -> str:
        hidden = [c.group for c in self.cells if c.suppressed]
        said = [f"Suppressed: {', '.join(hidden)} (fewer than {self.min_cell} respondents, or "
                "a figure that would let a suppressed one be worked out)."] if hidden else []
        if self.ungrouped and hidden:
            # How many: with the total answered, it would give a suppressed group's size.
            said.append(f"Those who answered but gave no {self.attribute} are in no column.")
        elif self.ungrouped == 1:  # in no column: said, so no one is left out silently
            said.append(f"{self.label}: one person who answered gave no {self.attribute} and "
                        "is in no column.")
        elif self.ungrouped:  # named by its row: a table's rows may leave out different people
            said.append(f"{self.label}: the {number_word(self.ungrouped)} who answered but "
                        f"gave no {self.attribute} are in no column.")
        return " ".join(said)


def breakdowns(manifest: Manifest, corpus: Corpus) -> list[Breakdown]:
    """Every rating mean, and the top-two share of each choice question that asks for one,
    split by every attribute in the manifest; each person counted once."""
    groups: dict[str, dict[str, str]] = defaultdict(dict)  # attribute -> respondent -> value
    for item in corpus.attributes:
        groups[item.name][item.respondent] = item.value
    found = []
    for attribute, membership in sorted(groups.items()):
        for question in manifest.questions:
            top = (top_two(question) if question.kind == "choice" else None) or ()
            if question.kind == "rating":
                measure = "mean rating"
            elif top:
                measure = f"% {' or '.join(top)}"
            else:
                continue
            given = answers_by_person(corpus, question.id).values
            by_group = {group: [v for r, v in given.items() if membership.get(r) == group]
                        for group in sorted(set(membership.values()))}
            hidden = suppressed({g: len(chosen) for g, chosen in by_group.items()},
                                manifest.min_cell)
            cells = []
            for group, chosen in by_group.items():
                n = len(chosen)
                if group in hidden:
                    cells.append(Cell(group, n, "suppressed", True))
                elif question.kind == "rating":
                    mean = sum(person_rating(v) for v in chosen) / n
                    cells.append(Cell(group, n, rounded(mean), False))
                else:
                    share = 100 * sum(in_top_two(question, v) for v in chosen) / n
                    cells.append(Cell(group, n, f"{rounded(share)}%", False))
            found.append(Breakdown(attribute, question.id, question.short, measure,
                                   tuple(cells), manifest.min_cell,
                                   sum(1 for r in given if r not in membership)))
    return found
