"""The review page as a Starlette application: pages rendered on the server from Jinja2 templates,
and forms that post changes. Without JavaScript every page reads and every form works (a change
answers with a redirect back to the page, which says what was done); with it, htmx posts the same
forms and swaps the section in place, keeping the analyst's place on the page.

Only this machine is served (`summariser.review.serve`): requests naming another host are refused
(a web page elsewhere cannot reach the page through a rebound name), and every change carries the
page's own token, so another site cannot post one. Respondents' words are escaped and their hidden
characters shown (`summariser.review.show`). One job runs at a time, off the
server's event loop.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.edits import Edit
from summariser.draft.records import EvidenceRef, SectionDraft, Theme
from summariser.errors import SummariserError
from summariser.jobs import review as jobs
from summariser.records import Response as Answer
from summariser.review import show
from summariser.text.wording import count_text

T = TypeVar("T")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Coded:
    """How one segment of an answer was coded to a theme, in words."""

    how: str  # "phrase", "meaning", "stated", "model" or "analyst"
    detail: str  # "the phrase “delayed discharge”, similarity 0.41"


@dataclass(frozen=True)
class ShownAnswer:
    response_id: str
    respondent: str
    question: str
    text: Markup  # the whole answer, escaped, its coded segments marked
    coded: tuple[Coded, ...] = ()


@dataclass(frozen=True)
class ShownTheme:
    theme: Theme
    count: str  # "five of 16 Chief Officers (31%)"
    held: str  # why it is held back until accepted ("" when published)
    entry: CodebookTheme | None  # the theme in the codebook
    answers: tuple[ShownAnswer, ...]  # every counted person's coded answers
    supporting: tuple[ShownAnswer, ...]  # interviews and documents: quoted, not counted


def _how(evidence: EvidenceRef) -> Coded:
    similarity = f"similarity {evidence.similarity:.2f}"
    detail = {"phrase": f"uses the phrase “{evidence.phrase}”, {similarity}",
              "meaning": f"close in meaning, {similarity}",
              "stated": "the answer opens by taking this side (\u201cYes\u201d, \u201cNo\u201d)",
              "model": f"placed by the model, {similarity}",
              "analyst": f"coded by you, {similarity}"}.get(evidence.via, similarity)
    return Coded(evidence.via, detail)


def _answers(evidence: tuple[EvidenceRef, ...], responses: dict[str, Answer]
             ) -> tuple[ShownAnswer, ...]:
    """Each answer once, with every one of its segments coded to the theme marked in it."""
    grouped: dict[str, list[EvidenceRef]] = {}
    for item in evidence:
        grouped.setdefault(item.response_id, []).append(item)
    shown = []
    for response_id, items in sorted(grouped.items(), key=lambda g: (g[1][0].respondent, g[0])):
        response = responses.get(response_id)
        whole = response.text if response else " … ".join(i.text for i in items)
        spans = [(i.start, i.end) for i in items] if response else []
        shown.append(ShownAnswer(response_id, items[0].respondent,
                                 response.question if response else "",
                                 show.highlighted(whole, spans),
                                 tuple(_how(i) for i in items)))
    return tuple(shown)


def _themes(draft: SectionDraft, responses: dict[str, Answer], book: Codebook | None
            ) -> tuple[ShownTheme, ...]:
    held = {r.theme: r.reason for r in draft.review if r.kind == "consensus"}
    return tuple(
        ShownTheme(theme, count_text(len(theme.respondents), draft.denominator,
                                     draft.respondent_noun),
                   held.get(theme.id, "") if theme in draft.held else "",
                   book.theme(theme.id) if book else None, _answers(theme.evidence, responses),
                   _answers(theme.supporting, responses))
        for theme in (*draft.held, *draft.themes))


def _plain(ids: tuple[str, ...], responses: dict[str, Answer]) -> tuple[ShownAnswer, ...]:
    return tuple(ShownAnswer(i, responses[i].respondent, responses[i].question,
                             show.text(responses[i].text))
                 for i in ids if i in responses)


class _LocalOnly:
    """Refuse a request that names a host other than the one served (DNS rebinding)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None):
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hosts is not None:
            from urllib.parse import urlsplit

            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = urlsplit(f"//{host}").hostname or ""
            if name not in self.hosts:
                response = PlainTextResponse("This page answers only on this machine's own "
                                             "address.", status_code=421)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def make_app(options: jobs.ReviewOptions, hosts: frozenset[str] | None = LOOPBACK) -> ASGIApp:
    """The review application for one project. `hosts`: the host names a request may use
    (None: any, for a page served to other machines on purpose)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    templates = Jinja2Templates(env=Environment(
        loader=PackageLoader("summariser.review", "templates"),
        autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True))
    templates.env.filters["shown"] = show.text
    templates.env.filters["path"] = lambda value: quote(str(value), safe="")
    token = secrets.token_urlsafe(24)
    lock = threading.Lock()

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("said", request.query_params.get("said", ""))
        context.setdefault("problem", request.query_params.get("problem", ""))
        return templates.TemplateResponse(request, name, {"token": token, **context},
                                          status_code=status)

    def sections(request: Request) -> Response:
        with lock:
            manifest, states = jobs.overview(options)
        return page(request, "sections.html", manifest=manifest, states=states)

    def section_page(request: Request, view: str, said: str = "", problem: str = "",
                     state: jobs.SectionState | None = None) -> Response:
        section_id = request.path_params["section"]
        if state is None:
            with lock:
                state = jobs.section_state(options, section_id)
        manifest, draft = state.manifest, state.draft
        responses = dict(state.responses)
        themes = _themes(draft, responses, state.codebook) if draft else ()
        context: dict[str, Any] = {"said": said, "problem": problem} if said or problem else {}
        return page(request, f"{view}.html", title=manifest.title, state=state, draft=draft,
                    themes=themes, view=view,
                    uncoded=_plain(draft.uncoded, responses) if draft else (),
                    non_answers=_plain(draft.non_answers, responses) if draft else (),
                    **context)

    def themes_page(request: Request) -> Response:
        return section_page(request, "section")

    def unassigned_page(request: Request) -> Response:
        return section_page(request, "unassigned")

    def locked(job: Callable[[jobs.ReviewOptions], T]) -> T:
        with lock:
            return job(options)

    async def checked_form(request: Request) -> FormData:
        form = await request.form()
        if not secrets.compare_digest(str(form.get("token", "")), token):
            raise HTTPException(403, "This form is not from this review page: reload the page.")
        return form

    def answered(request: Request, form: FormData, run: Callable[[], jobs.Changed]
                 ) -> Response:
        """Run a change; answer htmx with the page itself, a plain form with a redirect."""
        view = "unassigned" if form.get("view") == "unassigned" else "section"
        state, said, problem = None, "", ""
        try:
            with lock:
                done = run()
            state, said = done.state, done.message
        except SummariserError as exc:
            problem = str(exc)
        if request.headers.get("HX-Request"):
            return section_page(request, view, said, problem, state)
        where = f"/s/{quote(request.path_params['section'], safe='')}" + (
            "/unassigned" if view == "unassigned" else "")
        query = urlencode({k: v for k, v in (("said", said), ("problem", problem)) if v})
        return RedirectResponse(f"{where}?{query}" if query else where, status_code=303)

    async def change(request: Request) -> Response:
        form = await checked_form(request)
        edit = Edit(action=str(form.get("action", "")), theme=str(form.get("theme", "")),
                    other=str(form.get("other", "")), title=str(form.get("title", "")),
                    description=str(form.get("description", "")),
                    phrases=tuple(str(p) for p in form.getlist("phrases")),
                    answers=tuple(str(a) for a in form.getlist("answers")))
        section_id = request.path_params["section"]
        version = str(form.get("version", ""))
        return await run_in_threadpool(answered, request, form,
                                       lambda: jobs.change(options, section_id, edit, version))

    async def undo(request: Request) -> Response:
        form = await checked_form(request)
        section_id, version = request.path_params["section"], str(form.get("version", ""))
        return await run_in_threadpool(answered, request, form,
                                       lambda: jobs.undo(options, section_id, version))

    async def recode(request: Request) -> Response:
        form = await checked_form(request)
        section_id = request.path_params["section"]
        return await run_in_threadpool(answered, request, form,
                                       lambda: jobs.recode(options, section_id))

    async def gate(request: Request) -> Response:
        await checked_form(request)
        try:
            result = await run_in_threadpool(locked, jobs.gate)
        except SummariserError as exc:
            return page(request, "done.html", what="The gate", problem=str(exc))
        checks = [c for c in result.report.checks if str(c.outcome) in ("fail", "warning")]
        checks.sort(key=lambda c: str(c.outcome) != "fail")
        return page(request, "done.html", what="The gate", report=result.report,
                    counts=result.report.counts(), checks=checks)

    async def publish(request: Request) -> Response:
        await checked_form(request)
        try:
            built = await run_in_threadpool(locked, jobs.publish)
        except SummariserError as exc:
            return page(request, "done.html", what="Publishing", problem=str(exc))
        held = [(text.heading, theme.title) for text in built.texts if text.draft
                for theme in text.draft.held]
        return page(request, "done.html", what="Publishing", built=built, held=held)

    async def failed(request: Request, exc: Exception) -> Response:
        return page(request, "done.html", status=400, what="This page", problem=str(exc))

    app = Starlette(routes=[
        Route("/", sections),
        Route("/s/{section}", themes_page),
        Route("/s/{section}/unassigned", unassigned_page),
        Route("/s/{section}/change", change, methods=["POST"]),
        Route("/s/{section}/undo", undo, methods=["POST"]),
        Route("/s/{section}/code", recode, methods=["POST"]),
        Route("/gate", gate, methods=["POST"]),
        Route("/publish", publish, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("summariser.review", "static")]), name="static"),
    ], exception_handlers={SummariserError: failed})
    return _LocalOnly(app, hosts)
