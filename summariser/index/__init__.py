"""Indexing: split responses into passages, embed them offline, and keep them in the store.

In: a `Corpus`. Out: the store (SQLite corpus db + Chroma vectors) that later stages read.
"""
