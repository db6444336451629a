"""``paperkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store (Starlette + uvicorn).

Routes::

    GET  /                   a small offline page to type queries and run the library's examples
    GET  /sparql?query=...   SPARQL 1.1 Protocol query (also POST: form-encoded or application/sparql-query)
    GET  /sparql             the SPARQL service description (Turtle)
    GET  /queries            the query library as JSON (name, title, description, parameters, text)
    GET  /queries/NAME?P=V   run a library query; its parameters come from the query string
    GET  /prefixes           the predeclared prefixes as JSON

Results are content-negotiated by ``Accept`` (or forced with ``format=``): SELECT and ASK as SPARQL
JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default), N-Triples, JSON-LD or
RDF/XML. Updates (``update=`` or ``application/sparql-update``) get 403 and the store, opened
read-only, never changes. CORS allows any origin: the data is public and no request carries
credentials.

Queries run in a pool of worker processes, each with its own read-only store: a query that runs past
``timeout`` seconds gets its worker killed and replaced (503), because Oxigraph evaluates in Rust and
cannot be interrupted from Python. An answer longer than ``max_rows`` rows (or triples) is cut there
and says so in the headers ``X-PaperKG-Truncated: true`` and ``X-PaperKG-Max-Rows``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from .errors import FormatError, PaperKGError, QueryError, StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_WORKERS = 2
MAX_BODY = 1 << 20  # bytes of a POSTed query

TRUNCATED_HEADER = "X-PaperKG-Truncated"
MAX_ROWS_HEADER = "X-PaperKG-Max-Rows"

# Media type → result format, per kind of answer. Order matters for wildcards (first is preferred).
SOLUTION_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/xml": "xml",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/turtle": "turtle",
    "text/n3": "turtle", "text/rdf+n3": "turtle",  # Turtle is N3 too
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
}
MEDIA_BY_KIND = {"solutions": SOLUTION_MEDIA, "boolean": SOLUTION_MEDIA, "graph": GRAPH_MEDIA}
# format= names other clients use, keyed by (graph answer?, name)
FORMAT_ALIASES = {(True, "xml"): "rdfxml", (True, "rdf"): "rdfxml", (True, "json"): "jsonld",
                  (True, "ttl"): "turtle", (True, "n3"): "turtle", (True, "nt"): "ntriples"}


def negotiate(kind: str, accept: str | None, fmt: str | None = None) -> str | None:
    """The result format for an answer of ``kind`` given an Accept header (or ``format=``); None: 406."""
    from .sparql import RESULT_FORMATS

    media = MEDIA_BY_KIND[kind]
    if fmt:
        name = fmt.strip().lower()
        name = FORMAT_ALIASES.get((kind == "graph", name), name.replace("-", ""))
        if name in RESULT_FORMATS and name in media.values():
            return name
        if name in media:  # format=text/csv works too
            return media[name]
        # Clients also send format= in other servers' dialects; then the Accept header decides.
    if not accept or not accept.strip():
        return next(iter(media.values()))
    choices = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if mtype and q > 0:
            choices.append((-q, index, mtype))
    for _q, _i, mtype in sorted(choices):
        if mtype in media:
            return media[mtype]
        if mtype == "*/*":
            return next(iter(media.values()))
        if mtype.endswith("/*"):
            major = mtype[:-1]
            for candidate, name in media.items():
                if candidate.startswith(major):
                    return name
    return None


@dataclasses.dataclass
class Reply:
    """What a worker sends back: an HTTP status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def error_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", f"Error: {message}\n".encode())


@dataclasses.dataclass
class QueryJob:
    """One query for a worker: SPARQL text, or a library name with its parameters."""

    text: str | None = None
    name: str | None = None
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    accept: str | None = None
    fmt: str | None = None


def answer(store, job: QueryJob, max_rows: int | None) -> Reply:
    """Run ``job`` on an open store and write the negotiated result (in a worker process)."""
    from .sparql import RESULT_FORMATS, format_result, prepare, run_prepared

    try:
        if job.name is not None:
            prepared = prepare(job.name, job.params)
        else:
            prepared = prepare(job.text or "", text_only=True)
        if not prepared.form:
            raise QueryError("not a SPARQL query (expected SELECT, ASK, CONSTRUCT or DESCRIBE)")
        fmt = negotiate(prepared.kind, job.accept, job.fmt)
        if fmt is None:
            offered = ", ".join(dict.fromkeys(MEDIA_BY_KIND[prepared.kind]))
            return error_reply(406, f"cannot answer with {job.fmt or job.accept!r}; this query can give: {offered}")
        result = run_prepared(store, prepared, max_rows)
        body = format_result(result, fmt).encode("utf-8")
    except (QueryError, FormatError) as exc:
        return error_reply(400, str(exc))
    except StoreError as exc:
        return error_reply(500, str(exc))
    headers = {}
    if result.truncated:
        headers = {TRUNCATED_HEADER: "true", MAX_ROWS_HEADER: str(max_rows)}
    if result.warnings:
        headers["X-PaperKG-Warning"] = "; ".join(result.warnings).encode("ascii", "replace").decode()
    return Reply(200, RESULT_FORMATS[fmt].media_type, body, headers)


# ---------------------------------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------------------------------

def _worker_main(conn, directory: str, max_rows: int | None) -> None:
    """A worker: answer jobs from ``conn`` with its own read-only store, reopened after a rebuild."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl-C and then ends us
    from .store import current_generation, open_store

    store, generation = None, None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            current = current_generation(directory)
            if current != generation:
                store, generation = open_store(directory), current
            reply = answer(store, job, max_rows)
        except PaperKGError as exc:
            reply = error_reply(500, str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker answers every job, whatever happens
            reply = error_reply(500, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, directory: str, max_rows: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, directory, max_rows), daemon=True,
                                   name="paperkg-sparql-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """``size`` worker processes; a job waits for a free one, and a job past ``timeout`` is killed."""

    def __init__(self, directory: str | os.PathLike, size: int = DEFAULT_WORKERS,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS) -> None:
        import multiprocessing

        self.directory, self.size, self.timeout, self.max_rows = str(directory), size, timeout, max_rows
        # forkserver: workers start from a clean single-threaded process, never from the server's
        # threads, including the replacements started while requests are being served.
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["paperkg.server", "paperkg.sparql", "paperkg.store"])
        self._idle: asyncio.Queue | None = None
        self._workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.directory, self.max_rows)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(await asyncio.to_thread(self._spawn))

    async def close(self) -> None:
        for worker in list(self._workers):
            self._retire(worker)

    async def run(self, job: QueryJob) -> Reply:
        assert self._idle is not None, "start() the pool first"
        try:
            # Waiting for a free worker has its own bound; the query's time starts when it runs, so a
            # quick query queued behind slow ones is not killed (with its healthy worker) for their delay.
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.timeout)
        except TimeoutError:
            return error_reply(503, f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                                    "try again later")
        healthy = False
        try:
            worker.conn.send(job)
            if not await _readable(worker.conn, self.timeout):
                return error_reply(503, f"query timed out after {self.timeout:g} s")
            reply = worker.conn.recv()
            healthy = True
            return reply
        except (EOFError, OSError) as exc:
            return error_reply(500, f"the query worker ended unexpectedly ({exc or type(exc).__name__})")
        finally:
            if not healthy:  # killed on time-out, or dead: a fresh worker takes its place
                self._retire(worker)
                worker = await asyncio.to_thread(self._spawn)
            self._idle.put_nowait(worker)


async def _readable(conn, timeout: float) -> bool:
    """Wait until ``conn`` has data (or was closed), at most ``timeout`` seconds."""
    if conn.poll():
        return True
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


# ---------------------------------------------------------------------------------------------------
# The web application
# ---------------------------------------------------------------------------------------------------

def _page() -> bytes:
    return resources.files("paperkg").joinpath("data", "server", "index.html").read_bytes()


def service_description(endpoint: str, fmt: str) -> tuple[str, bytes]:
    """The SPARQL 1.1 Service Description of the endpoint, in ``fmt`` (a graph format)."""
    import pyoxigraph as ox

    from .sparql import RESULT_FORMATS, _graph_text

    SD = "http://www.w3.org/ns/sparql-service-description#"
    FORMATS = "http://www.w3.org/ns/formats/"
    A = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, graph = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("graph")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, A, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, A, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), graph),
        ox.Triple(graph, A, sd("Graph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)))
    return RESULT_FORMATS[fmt].media_type, _graph_text(triples, fmt).encode("utf-8")


def library_json() -> list[dict[str, Any]]:
    from .sparql import library

    return [{"name": q.name, "title": q.title, "description": q.description, "form": q.form,
             "params": [{"name": p.name, "type": p.type_text, "required": p.required, "default": p.default,
                         "description": p.description} for p in q.params],
             "examples": list(q.examples), "text": q.text} for q in library().values()]


def create_app(directory: str | os.PathLike = "output", timeout: float = DEFAULT_TIMEOUT,
               max_rows: int | None = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS):
    """The Starlette application serving the store of ``directory`` (see the module docstring)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from .store import current_generation

    current_generation(directory)  # StoreError now, not on the first request
    pool = WorkerPool(directory, workers, timeout, max_rows)

    def respond(reply: Reply) -> Response:
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type,
                        headers=reply.headers)

    def refuse_update() -> Response:
        return respond(error_reply(403, "this endpoint is read-only: SPARQL updates are refused"))

    async def run(request: Request, job: QueryJob) -> Response:
        job.accept = request.headers.get("accept")
        return respond(await pool.run(job))

    def dataset_given(values: dict) -> Response | None:
        if values.get("default-graph-uri") or values.get("named-graph-uri"):
            return respond(error_reply(400, "this endpoint serves one default graph; default-graph-uri "
                                            "and named-graph-uri are not supported"))
        return None

    async def form_fields(request: Request) -> tuple[dict[str, list[str]], Response | None]:
        body = await request.body()
        if len(body) > MAX_BODY:
            return {}, respond(error_reply(413, f"the request body is over {MAX_BODY} bytes"))
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            try:
                return parse_qs(body.decode("utf-8"), keep_blank_values=True), None
            except UnicodeDecodeError:
                return {}, respond(error_reply(400, "the form is not UTF-8"))
        if ctype == "application/sparql-query":
            return {"query": [body.decode("utf-8", errors="replace")]}, None
        if ctype == "application/sparql-update":
            return {}, refuse_update()
        return {}, respond(error_reply(415, "POST a form (application/x-www-form-urlencoded) or "
                                            "application/sparql-query"))

    async def sparql(request: Request) -> Response:
        if request.method == "POST":
            fields, problem = await form_fields(request)
            if problem is not None:
                return problem
            fields = {k: v[0] for k, v in fields.items()} | {k: v for k, v in request.query_params.items()
                                                             if k not in fields}
        else:
            fields = dict(request.query_params)
        if "update" in fields:
            return refuse_update()
        problem = dataset_given(fields)
        if problem is not None:
            return problem
        if "query" not in fields:
            if request.method == "POST":
                return respond(error_reply(400, "no query (send query=...)"))
            endpoint = str(request.url.replace(query=""))
            fmt = negotiate("graph", request.headers.get("accept"), fields.get("format")) or "turtle"
            media, body = service_description(endpoint, fmt)
            return Response(body, media_type=media)
        return await run(request, QueryJob(text=fields["query"], fmt=fields.get("format")))

    async def queries(request: Request) -> Response:
        return JSONResponse(library_json())

    async def prefixes(request: Request) -> Response:
        from .namespaces import PREFIXES

        return JSONResponse(PREFIXES)

    async def library_query(request: Request) -> Response:
        from .sparql import library

        name = request.path_params["name"]
        if name not in library():
            return respond(error_reply(404, f"no library query named {name!r}; GET /queries lists them"))
        fields = dict(request.query_params)
        if request.method == "POST":
            form, problem = await form_fields(request)
            if problem is not None:
                return problem
            fields |= {k: v[0] for k, v in form.items()}
        fmt = fields.pop("format", None)
        return await run(request, QueryJob(name=name, params=fields, fmt=fmt))

    async def page(request: Request) -> Response:
        return Response(_page(), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                                            "script-src 'self' 'unsafe-inline'"})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries, methods=["GET"]),
        Route("/prefixes", prefixes, methods=["GET"]),
        Route("/queries/{name}", library_query, methods=["GET", "POST"]),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                             allow_headers=["Accept", "Content-Type"],
                             expose_headers=[TRUNCATED_HEADER, MAX_ROWS_HEADER, "X-PaperKG-Warning"],
                             max_age=3600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


def serve(directory: str | os.PathLike = "output", host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS,
          workers: int = DEFAULT_WORKERS, log_level: str = "warning", on_ready=None) -> None:
    """Serve the store of ``directory`` until interrupted (blocks)."""
    import uvicorn

    app = create_app(directory, timeout=timeout, max_rows=max_rows, workers=workers)
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on",
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets=None):
            await original(sockets=sockets)
            if server.started:
                on_ready()

        server.startup = startup
    server.run()


__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "QueryJob", "Reply", "WorkerPool",
           "create_app", "negotiate", "serve"]
