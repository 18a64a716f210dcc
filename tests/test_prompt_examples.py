"""The prompts' examples are invented: no quoted example in any prompt shares two words in a row
with any bundled corpus or the shared benchmark data, so a model that copies an example (as a
1.5B model did, titling a theme "GP recruitment") cannot pass it off as a theme of the data."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The shared benchmark corpora sit beside the repository when they are checked out.
DATA = [ROOT / "corpus", ROOT.parent / "shared" / "benchmarks"]
# Quoted text in a prompt that is shape, not an example of content.
NOT_EXAMPLES = {"...", "title", "description", "passages", "themes", "placements", "passage",
                "theme", "none", "text", "answer", "quotes", "id", "who"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", text.lower())


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = _words(text)
    return set(zip(words, words[1:]))


def _corpus_bigrams() -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for folder in DATA:
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".csv", ".txt", ".md", ".json", ".jsonl"}:
                seen |= _bigrams(path.read_text(encoding="utf-8", errors="replace"))
    return seen


def _examples(prompt: str) -> list[str]:
    rules = prompt.split("## user", 1)[0].split("+++", 2)[-1]
    quoted = re.findall(r'"([^"{}]+)"', rules)
    return [q for q in quoted if q.lower() not in NOT_EXAMPLES and len(_words(q)) >= 2]


def test_prompt_examples_are_invented_not_taken_from_any_corpus():
    corpus = _corpus_bigrams()
    assert ("delayed", "discharge") in corpus  # the example corpus was read
    examples = {path.name: _examples(path.read_text(encoding="utf-8"))
                for path in sorted((ROOT / "prompts").glob("*.md")) if path.name != "README.md"}
    assert examples["name_theme.md"] and examples["draft_section.md"]
    taken = {name: [(e, sorted(" ".join(b) for b in _bigrams(e) & corpus)) for e in found
                    if _bigrams(e) & corpus] for name, found in examples.items()}
    assert not any(taken.values()), taken
