"""The review page (`summariser review`): a local web page where the analyst signs off a section's
themes, reading each theme's evidence and changing the codebook, with the counts recomputed on
every change.

  app.py        the Starlette application: the pages, the changes, the gate and the report
  show.py       respondents' text made safe and readable in HTML (escaped, controls shown)
  serve.py      serving it on the loopback address
  templates/    the pages (Jinja2, rendered on the server: every page reads with JavaScript off)
  static/       htmx (it only enhances: a change swaps the section in place) and the style sheet

Everything the page does is a job (`summariser.jobs.review`): it reads and writes the files the
command line does, so the page and the CLI never disagree. Its web packages are the optional
extra `review` (`pip install "summariser[review]"`).
"""

from __future__ import annotations

from importlib.util import find_spec

from summariser.errors import MissingDependency

# (import name, the package that provides it)
WEB_PACKAGES = (("starlette", "starlette"), ("jinja2", "jinja2"),
                ("multipart", "python-multipart"), ("uvicorn", "uvicorn"))


def require_web() -> None:
    """Refuse in one line, naming the extra to install, when a web package is missing."""
    for module, package in WEB_PACKAGES:
        if find_spec(module) is None:
            raise MissingDependency(package, "review", "The review page")
