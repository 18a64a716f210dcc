"""Jobs: one function per command, taking typed options and returning a typed result.

The command line (`summariser.cli`) parses its options into a job's options and prints the
result; a review web page or a batch runner calls the same functions. A job never prints: what
it has to say is in its result, its progress goes to the `summariser.progress.Progress` it is
given, and a failure is a `SummariserError` whose message is one line.

  common.py  where a job's project and store are (`ProjectOptions`), opening them
  ingest.py  `ingest`      draft.py   `draft`      runs.py   `runs`
  ask.py     `ask`         eval.py    `evaluate`   stats.py  `stats`
  report.py  `report`      run.py     `run` (ingest, draft, report)
  review.py  the review page's reads and changes (`summariser review`)
  export.py  `export`

A new command's job is one module here: its options, its result and its function.
"""
