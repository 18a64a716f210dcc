"""The coding taken elsewhere: who was coded to what, as tables and as a REFI-QDA project.

  coded.py   the coded segments, the answers no theme fits and the non-answers, read from the
             drafts' sidecars and the stored answers (never the source files)
  tables.py  coded.csv and coded.xlsx, every cell written so that no spreadsheet runs it
  qdpx.py    a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and QualCoder
"""
