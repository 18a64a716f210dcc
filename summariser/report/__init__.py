"""The report: statistics, disclosure control, figures, and the whole report assembled from the
drafts and written as Markdown, HTML and Word (by `summariser.document`'s writers).

In: the manifest, drafts and the corpus. Out: `out/report.*` and `out/figures/`.
"""
