"""Redaction: personal details replaced with placeholders before text leaves the machine."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w/])(?:\+?\d[\d ()-]{8,}\d)(?![\w/])")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


@dataclass
class Redactor:
    """Replaces personal details with placeholders before text leaves the machine, and can put
    them back in a model's excerpt so that it is verified against the original text."""

    names: Sequence[str] = ()
    enabled: bool = True
    _originals: dict[str, str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        if not self.enabled:
            return text
        patterns = [("EMAIL", EMAIL), ("PHONE", PHONE), ("POSTCODE", UK_POSTCODE)]
        patterns += [("NAME", re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE))
                     for n in self.names if n.strip()]
        for label, pattern in patterns:
            text = pattern.sub(partial(self._replace, label), text)
        return text

    def _replace(self, label: str, match: re.Match[str]) -> str:
        return self._placeholder(label, match.group())

    def _placeholder(self, label: str, original: str) -> str:
        for key, value in self._originals.items():
            if value == original:
                return key
        key = f"[{label}{len(self._originals) + 1}]"
        self._originals[key] = original
        return key

    def restore(self, text: str) -> str:
        for key, original in self._originals.items():
            text = text.replace(key, original)
        return text
