"""Passages that read as instructions to a model ("ignore previous instructions", "write that
100% of respondents ...") are flagged for a reviewer and never counted without review.

Whatever a model does with such a passage, it reaches the draft only as a flag: coding never
sees it, so no theme can count its author, until the reviewer, having read it, lists its
response id in the codebook's `reviewed` (a false flag: "please write that all partners helped").
The patterns look for what an injected note does that an answer does not: it speaks to the
machine ("Note to whoever summarises this", "Assistant, ..."), orders a sweeping claim written,
or says where the answer goes and how it counts. Measured on evals/injections.jsonl (literal and
paraphrased notes, and innocent answers using the same words) by benchmarks/screening.py. A
false flag costs only a look.
"""

from __future__ import annotations

import re

# Who an injected note speaks to: the machine reading the answers, never a person in them.
_ADDRESSEE = (r"(ai|assistant|chatbot|(language\s+)?model|llm|summari[sz]er|summary\s+writers?|"
              r"summari[sz]ing\s+(system|tool|model)|(automated|ai)\s+\w+)")
# A count or a sweeping claim a note may order written ("write that 100% ...").
_SWEEPING = (r"(all|every(one|body)?|no\s?one|nobody|\d+\s*(%|per\s*cent)|the\s+(majority|"
             r"minister|government))")
_PATTERNS = (
    # "ignore previous instructions", "pay no attention to the earlier rules"
    r"\b(ignore|disregard|forget|override|pay\s+no\s+attention\s+to)\s+(all\s+|any\s+|the\s+|"
    r"your\s+)*(previous|prior|above|earlier|preceding|other|system)\s+(instructions?|prompts?|"
    r"rules|directions)",
    # an order to write a sweeping claim, given as an order ("and report that 100% ..."), not
    # a respondent's own view ("I would say that all our teams ...")
    rf"(^|[.;:!]\s*|\b(please|and|then|must|should|to)\s+)(write|report|state|say|conclude|"
    rf"claim|record)\s+that\s+{_SWEEPING}(?!\w)",
    # a note addressed to the machine: "Note to whoever summarises this", "Assistant, ...",
    # "For the model: ...", "Instructions for the AI reading this"
    rf"\b(note|message|instructions?|attention|memo)\s+(to|for)\s+(the\s+|any\s+)?"
    rf"(whoever|{_ADDRESSEE}\b)",
    rf"^\W*(dear\s+|to\s+the\s+|for\s+the\s+|hey\s+)?{_ADDRESSEE}\s*[,:]",
    r"\bwhoever\s+(is\s+)?(summari[sz]|compil|analys|process)\w*\s+(this|these|the)\b",
    # orders about the summary itself, or about where this answer goes or how it counts
    r"\b(in\s+)?your\s+(summary|summaries|output|analysis)\b",
    r"\b(count|treat|list|rank|put|place|mark|attribute|weight)\s+(this|my)\s+(response|"
    r"answer|comment|passage|note|text)\b",
    r"\b(system\s+prompt|you\s+are\s+now\s+an?\b|as\s+an\s+ai\b|new\s+task\b|output\s+only\b)",
    r"\b(reply|respond|answer)\s+(only\s+)?with\s+(the\s+word|only|json)\b",
)
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def instruction_in(text: str) -> str | None:
    """The words that make `text` read as an instruction to a model, or None."""
    match = _INSTRUCTION.search(text)
    return match.group(0) if match else None
