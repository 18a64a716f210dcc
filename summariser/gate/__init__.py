"""The publication gate (`summariser eval`): check a draft's quotes, citations and numbers
against the corpus.

In: draft files (tool sidecars, Markdown, text, Word). Out: an `EvalReport` and a reviewer's
report.
"""
