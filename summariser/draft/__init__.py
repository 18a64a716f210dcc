"""Drafting: a backend proposes themes for a section; code counts respondents and verifies
quotes.

In: a `Section` and its `Evidence`. Out: a `SectionDraft` (`drafts/<section>.json` and `.md`).
"""
