"""`ask`: what respondents said about a question, counted, and answered in a short paragraph.

A stage after the gate: the search and the count come from `summariser.retrieve.search`, and
`--answer` (`answer`) keeps only the sentences of a model's answer whose numbers hold by the
gate's own claim rules.

In: a `SearchResult` over the store. Out: an `Answer` with verified quotes and a `Tally`.
"""
