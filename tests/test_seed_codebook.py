"""Every theme and sub-count of the published report comes out exact once named in a codebook."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.coding import code
from summariser.index.split import split_all
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from tests.conftest import EXAMPLE, REPO

SEED = tomllib.loads((REPO / "evals" / "seed-themes.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sections(minilm):
    """Each section's passages and vectors, embedded once."""
    manifest = load_manifest(EXAMPLE)
    responses = read_corpus(manifest).responses
    found = {}
    for section_id in {t["section"] for t in SEED["themes"]}:
        section = manifest.section(section_id)
        passages = split_all(r for r in responses if r.question in section.questions)
        found[section_id] = passages, np.asarray(minilm.embed([p.text for p in passages]))
    return found


@pytest.mark.parametrize("item", SEED["themes"], ids=lambda t: f"{t['section']}:{t['title'][:30]}")
def test_the_analysts_codebook_codes_exactly_the_members(item, sections, minilm):
    passages, vectors = sections[item["section"]]
    theme = CodebookTheme("x", item["title"], item["description"], by_meaning=False,
                          phrases=tuple(item["phrases"]) + tuple(item.get("codebook_phrases", ())),
                          exclude=tuple(item.get("codebook_exclude", ())))
    [coded] = code(Codebook(item["section"], (theme,)), passages, vectors, minilm.embed).themes
    people = {s.passage.respondent for s in coded.segments}
    assert people == set(item["respondents"])
    if item["kind"] == "subcount" and not item.get("at_least"):
        assert len(people) == item["count"]
