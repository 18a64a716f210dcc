"""The report: statistics, disclosure control, figures, and the document written as Markdown,
HTML and Word.

In: the manifest, drafts and the corpus. Out: `out/report.*` and `out/figures/`.
"""
