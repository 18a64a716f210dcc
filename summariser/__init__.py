"""summariser: turn survey answers and interview transcripts into report sections whose
quotes are verbatim and whose counts are true."""

__version__ = "0.1.0"
