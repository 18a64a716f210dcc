"""The project: its manifest (`summariser.toml`) and the sources it names.

In: a project folder. Out: a `Manifest`, and a `Corpus` of `Response`, `Rating` and
`Attribute` records read from the sources, checked before anything is stored.
"""
