"""The offline default backend: themes by clustering, labels by c-TF-IDF, quotes by MMR.

It needs no model and no key, and its output is deterministic for a given corpus. Its titles
are key phrases and its summaries list them: an honest extractive draft for an analyst to edit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summariser.draft.records import count_text
from summariser.draft.section import (
    Proposal,
    ProposedAnswer,
    ProposedQuote,
    ProposedTheme,
    excerpt,
)
from summariser.draft.themes import find_clusters, representatives, title_from_phrases
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence

SUPPORTING_QUOTE_SIMILARITY = 0.45  # an interview passage this close to a theme may be quoted


class ExtractiveBackend:
    name = "extractive"
    model = ""

    def propose(self, section: Section, evidence: Evidence) -> Proposal:
        passages = evidence.counted
        if not passages:
            return Proposal("", ())
        texts = [p.text for p in passages]
        respondents = [p.respondent for p in passages]
        vectors = evidence.counted_vectors
        clusters = find_clusters(vectors, texts, respondents)
        supporting = _supporting_by_cluster(evidence, [c.centroid for c in clusters])
        themes = []
        for number, cluster in enumerate(clusters):
            chosen = representatives(vectors, cluster, respondents)
            quotes = [ProposedQuote(passages[i].passage_id,
                                    excerpt(passages[i], cluster.key_phrases)) for i in chosen]
            quotes += [ProposedQuote(p.passage_id, excerpt(p, cluster.key_phrases))
                       for p in supporting.get(number, [])[:1]]
            phrases = ", ".join(cluster.key_phrases[:4])
            title = "Other points" if cluster.other else title_from_phrases(cluster.key_phrases)
            summary = (f"Answers that fit no larger theme; their distinctive words: {phrases}."
                       if cluster.other else f"Distinctive words and phrases: {phrases}.")
            themes.append(ProposedTheme(
                title=title, summary=summary,
                passage_ids=tuple(passages[i].passage_id for i in cluster.covered),
                quotes=tuple(quotes)))
        return Proposal("", tuple(themes))

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None:
        return None  # excerpts are cut from the passage itself: there is nothing to revise

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """Every passage counts (they were all close enough to be found); the closest of
        different respondents are quoted whole."""
        counted = count_text(len({p.respondent for p in passages}), denominator, noun)
        text = (f"{counted[0].upper()}{counted[1:]} gave answers close to this question "
                "(extractive answer: passages ranked by similarity, not read by a model). "
                "The closest are quoted below.")
        quoted: list[Passage] = []
        for passage in passages:
            if all(p.respondent != passage.respondent for p in quoted):
                quoted.append(passage)
            if len(quoted) == max_quotes:
                break
        return ProposedAnswer(text, tuple(passages), tuple((p, p.text) for p in quoted))


def _supporting_by_cluster(evidence: Evidence, centroids: list[np.ndarray]
                           ) -> dict[int, list[Passage]]:
    """Interview and notes passages attached to the theme they are closest to, best first."""
    if not evidence.supporting or not centroids:
        return {}
    similarity = evidence.supporting_vectors @ np.array(centroids).T
    attached: dict[int, list[tuple[float, Passage]]] = {}
    for row, passage in enumerate(evidence.supporting):
        best = int(np.argmax(similarity[row]))
        if similarity[row, best] >= SUPPORTING_QUOTE_SIMILARITY:
            attached.setdefault(best, []).append((float(similarity[row, best]), passage))
    return {c: [p for _, p in sorted(items, key=lambda x: -x[0])]
            for c, items in attached.items()}
