"""Retrieval: the passages that speak to a question or a section, from the store.

In: the store, an embedder and a query or `Section`. Out: `SearchResult` / `Evidence`.
"""
