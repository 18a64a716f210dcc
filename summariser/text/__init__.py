"""Text rules shared by every stage: how numbers are worded and rounded (`wording`), where
sentences end (`sentences`), and which glyphs are quote marks and ellipses (`glyphs`).

Each rule lives here once; drafting, the gate, the verifier and the report import it.
"""
