"""Text rules shared by every stage: which glyphs are quote marks and ellipses (`glyphs`).

Each rule lives here once; drafting, the gate, the verifier and the report import it.
"""
