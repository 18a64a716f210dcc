"""The quote verifier: is a quote verbatim in the response it is attributed to?

In: responses and a quote. Out: a `Verification` (status, offsets, reason, word diff).
One function decides for drafting and for the gate alike.
"""
