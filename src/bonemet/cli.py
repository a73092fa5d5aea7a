"""The ``bonemet`` command: a thin layer over the library, and the only code that prints or exits.

Exit codes: 0 success (or the data conforms), 1 the data does not conform or
an answer differs from its expected result, 2 a usage or input error.
"""

from __future__ import annotations

import contextlib
import sys
import time

from bonemet.errors import BonemetError, UsageError, one_line

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import NoReturn, TextIO

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class _Progress:
    """Shows on standard error what a command is doing, once it has run for a while."""

    AFTER = 2.0  # seconds of silence before the first line
    EVERY = 5.0  # seconds between repeated lines for one long step

    def __init__(self, err: TextIO) -> None:
        import threading

        self.err = err
        self.current = "starting"
        self.started = time.monotonic()
        self.shown: tuple[str, float] | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _Progress:
        from bonemet import progress

        self.listening = progress.listening(self._step)
        self.listening.__enter__()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()
        self.listening.__exit__(*exc)
        if self.shown is not None:
            self.err.write(f"bonemet: done in {time.monotonic() - self.started:.1f} s\n")

    def _step(self, what: str) -> None:
        from bonemet import progress

        if what == progress.SETTLED:  # nothing more to report: a server is up and waits
            self.done.set()
            return
        self.current = what

    def _watch(self) -> None:
        while not self.done.wait(0.25):
            now = time.monotonic()
            if now - self.started < self.AFTER:
                continue
            if self.shown is None or self.shown[0] != self.current or now - self.shown[1] >= self.EVERY:
                self.err.write(f"bonemet: {self.current}... ({now - self.started:.0f} s)\n")
                self.err.flush()
                self.shown = (self.current, now)


def _query_defaults() -> dict:
    """What ``query`` takes for an option not given, whether argparse or
    :func:`_named_question` reads the command line (a fresh ``bind`` list each time)."""
    return {
        "name": None, "sparql": None, "list": False, "bind": [], "format": None, "endpoint": None,
        "engine": "oxigraph", "timeout": 60.0, "allow_service": False, "no_cache": False,
    }


def _named_question(arguments: list[str]):
    """The arguments of the everyday ``query NAME [--format F] [--bind VAR=VALUE]... [--no-cache]``,
    read without argparse: importing it and building the parser of every command would cost
    a named question a tenth of its time. None for any other command line, which argparse
    reads (and a test holds this reading to argparse's)."""
    if len(arguments) < 2 or arguments[0] != "query" or arguments[1].startswith("-"):
        return None
    from types import SimpleNamespace

    from bonemet.sparql.results import GRAPH_FORMATS, SELECT_FORMATS

    found = {**_query_defaults(), "command": "query", "name": arguments[1]}
    rest = iter(arguments[2:])
    for option in rest:
        if option == "--no-cache":
            found["no_cache"] = True
            continue
        value = next(rest, None)
        if value is None or value.startswith("-"):
            return None
        if option == "--format" and value in SELECT_FORMATS + GRAPH_FORMATS:
            found["format"] = value
        elif option == "--bind":
            found["bind"].append(value)
        else:
            return None
    return SimpleNamespace(**found)


def _parser() -> argparse.ArgumentParser:
    import argparse

    from bonemet.exports.formats import ALL_FORMATS, PARTS
    from bonemet.checks.report import REPORT_FORMATS
    from bonemet.sparql.results import GRAPH_FORMATS, SELECT_FORMATS

    class _Parser(argparse.ArgumentParser):
        """argparse, with its errors in the project's one-line form."""

        def error(self, message: str) -> NoReturn:
            raise BonemetError(f"{message} ({self.prog})", f"run '{self.prog} --help' for the usage and an example")

    class _Version(argparse.Action):
        """--version, with the version looked up only when asked for."""

        def __call__(self, parser, namespace, values, option_string=None):
            import bonemet

            sys.stdout.write(f"bonemet {bonemet.__version__}\n")
            parser.exit()

    formatter = argparse.RawDescriptionHelpFormatter
    top = _Parser(
        prog="bonemet",
        description="A knowledge graph of bone metastasis: validate it, ask it questions, export it.",
        epilog="Example:\n  bonemet query signs-and-symptoms\n\nExit codes: 0 ok, 1 does not conform or answer differs, 2 usage or input error.",
        formatter_class=formatter,
    )
    top.add_argument("--version", action=_Version, nargs=0, help="show the installed version and exit")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check the data against the SHACL shapes",
        description="Validate the shipped data, or exactly the named files, against the shipped vocabulary and shapes.",
        epilog="Examples:\n  bonemet validate\n  bonemet validate my-facts.ttl --format json\n\n"
        "Exit codes: 0 conforms, 1 does not conform (warnings too, with --strict), 2 usage or input error.",
        formatter_class=formatter,
    )
    validate.add_argument("files", nargs="*", metavar="DATA_FILE", help="RDF files to validate instead of the shipped data")
    validate.add_argument("--strict", action="store_true", help="let warnings fail the run too")
    validate.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format (default: text)")
    validate.add_argument("--no-cache", action="store_true", help="validate the whole graph at once, neither reading nor writing the results kept per document in the cache folder ($XDG_CACHE_HOME/bonemet, by default ~/.cache/bonemet)")
    validate.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                          help="with --no-cache: oxigraph (default) checks Turtle and N-Triples on Oxigraph; pyshacl checks one rdflib graph with pySHACL, the reference engine")

    query = commands.add_parser(
        "query",
        help="answer a named question, a .rq file or SPARQL text",
        description="Answer a named question, a SPARQL file, or SPARQL text given with --sparql. "
        "SELECT and ASK answers follow the W3C SPARQL 1.1 result formats; CONSTRUCT and DESCRIBE give RDF.",
        epilog="Examples:\n  bonemet query --list\n  bonemet query signs-and-symptoms --format csv\n"
        "  bonemet query evidence-for --bind entity=bmr:bone-pain\n"
        "  bonemet query --sparql 'SELECT ?s WHERE { ?s a bm:CancerType } ORDER BY ?s'\n"
        "  bonemet query signs-and-symptoms --endpoint http://127.0.0.1:7878/query\n\n"
        "Exit codes: 0 answered, 2 usage, query or input error.",
        formatter_class=formatter,
    )
    source = query.add_mutually_exclusive_group()
    source.add_argument("name", nargs="?", metavar="NAME|FILE.rq", help="a named question, or a SPARQL file")
    source.add_argument("--sparql", metavar="TEXT", help="SPARQL text to run (the project's prefixes are known)")
    source.add_argument("--list", action="store_true", help="list the named questions")
    query.add_argument("--bind", action="append", metavar="VAR=VALUE", help="bind a variable: an <IRI>, a CURIE, a \"literal\" or bare text")
    query.add_argument("--format", choices=SELECT_FORMATS + GRAPH_FORMATS, help="answer format (default: table, or turtle for graphs)")
    query.add_argument("--endpoint", metavar="URL", help="ask a remote SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878/query) instead of the local graph")
    query.add_argument("--engine", choices=("oxigraph", "rdflib"), help="local SPARQL engine (default: oxigraph, the fast one)")
    query.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="stop the question after this long, the whole exchange with --endpoint included (default: 60)")
    query.add_argument("--allow-service", action="store_true", help="let a local query call other endpoints with SERVICE (refused by default: a local query stays off the network)")
    query.add_argument("--no-cache", action="store_true", help="load the graph from its files, neither reading nor writing the copy kept in the cache folder ($XDG_CACHE_HOME/bonemet, by default ~/.cache/bonemet)")
    query.set_defaults(**_query_defaults())

    exporter = commands.add_parser(
        "export",
        help="write the graph in an RDF format, schema.org, KGX or VoID",
        description="Write the graph, deterministically. RDF formats hold the vocabulary and the data "
        "(or one part, with --only); schemaorg is JSON-LD for health web pages; kgx and kgx-jsonl "
        "write a nodes file and an edges file into the folder -o names; void describes the dataset "
        "and every other export.",
        epilog="Examples:\n  bonemet export --format turtle -o build/bonemet.ttl\n  bonemet export --format jsonld --only data | head\n"
        "  bonemet export --format kgx -o build/\n\n"
        "Exit codes: 0 written, 2 usage, input or output error.",
        formatter_class=formatter,
    )
    exporter.add_argument("--format", choices=ALL_FORMATS, default="turtle", help="format (default: turtle)")
    exporter.add_argument("--only", choices=PARTS, help="RDF formats only: export just the data, the ontology, the shapes or the derived layer")
    exporter.add_argument("-o", "--output", metavar="PATH", help="file to write (a folder for kgx; default: standard output)")

    commands.add_parser(
        "stats",
        help="count triples, entities per class and facts per section",
        description="Count the triples, the entities of each class, and the facts each section of the source yields.",
        epilog="Example:\n  bonemet stats\n\nExit codes: 0 ok, 2 input error.",
        formatter_class=formatter,
    )

    server = commands.add_parser(
        "serve",
        help="serve the graph read-only over the SPARQL 1.1 Protocol (Oxigraph server), and the site",
        description="Load the graph into an Oxigraph server and serve it read-only over the SPARQL 1.1 "
        "Protocol at /query until Ctrl-C, with the static site beside it: the project's IRIs (/id/NAME, "
        "/vocab) answer a browser with HTML and an RDF client with Turtle or JSON-LD, by its Accept header. "
        "It binds to the loopback address unless told otherwise.",
        epilog="Example:\n  bonemet serve --port 7878\n  bonemet query signs-and-symptoms --endpoint http://127.0.0.1:7878/query\n\n"
        "Exit codes: 0 stopped with Ctrl-C, 1 the server stopped by itself, 2 usage or start-up error.",
        formatter_class=formatter,
    )
    server.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    server.add_argument("--port", type=int, help="port to listen on (default: a free one)")
    server.add_argument("--cors", action="store_true", help="answer cross-origin requests (and their preflight), so that a browser client on another origin, such as YASGUI, can query")
    server.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="stop a query that runs longer than this (default: 30), so that an abandoned heavy query does not keep the CPU busy")

    publisher = commands.add_parser(
        "publish",
        help="upload the graph to a SPARQL 1.1 Graph Store Protocol endpoint",
        description="Replace a graph of a remote store (Oxigraph, Fuseki, GraphDB, Virtuoso) with the "
        "vocabulary and the data, through the SPARQL 1.1 Graph Store HTTP Protocol (HTTP PUT).",
        epilog="Examples:\n  bonemet publish --endpoint http://127.0.0.1:7878/store\n"
        "  bonemet publish --endpoint http://localhost:3030/ds/data --graph https://w3id.org/bonemet/graph\n\n"
        "Exit codes: 0 published, 2 usage, input or endpoint error.",
        formatter_class=formatter,
    )
    publisher.add_argument("--endpoint", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    publisher.add_argument("--graph", metavar="IRI", help="the named graph to replace (default: the default graph)")
    publisher.add_argument("--user", metavar="NAME", help="answer the store's HTTP Basic or Digest challenge as NAME; the password comes from $BONEMET_PASSWORD or a prompt, never from the command line")
    publisher.add_argument("--timeout", type=_seconds, default=120.0, metavar="SECONDS", help="give up after this long for the whole upload (default: 120)")

    site = commands.add_parser(
        "site",
        help="write the static site: a page per entity, fact and sentence, the questions, the vocabulary",
        description="Write the graph as a static site into a folder (replaced whole): the home page, a page "
        "per resource of the graph (with its Turtle and JSON-LD beside it), the source page with every cited "
        "sentence marked, the questions with their answers, the vocabulary (pyLODE), a picture, the downloads. "
        "It works from file:// and from any static host, and requests nothing from another host.",
        epilog="Example:\n  bonemet site -o build/site\n  xdg-open build/site/index.html\n\n"
        "Exit codes: 0 written, 2 input or output error.",
        formatter_class=formatter,
    )
    site.add_argument("-o", "--output", default="site", metavar="DIR", help="the site's folder (default: site)")

    builder = commands.add_parser(
        "build",
        help="validate, check every question, write every export (what 'make run' does)",
        description="Validate the graph, answer every named question and compare it with its expected answer, "
        "and write every export into a folder.",
        epilog="Example:\n  bonemet build --output build\n\nExit codes: 0 all passed, 1 a check failed, 2 input or output error.",
        formatter_class=formatter,
    )
    builder.add_argument("-o", "--output", default="build", metavar="DIR", help="folder for the exports (default: build)")
    builder.add_argument("--strict", action="store_true", help="let validation warnings fail the build too")
    return top


def _seconds(text: str) -> float:
    """A positive number of seconds, for argparse."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


class _QuietRdflib:
    """rdflib logs what it doubts (an IRI it would not serialize, a literal it cannot
    convert) as warnings with tracebacks; bonemet reports each case itself, in one line.
    Its logger is quieted as rdflib is first imported, not before: a named question on
    Oxigraph loads neither rdflib nor the logging module."""

    def find_spec(self, name, path=None, target=None):
        if name == "rdflib":
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            import logging

            logging.getLogger("rdflib").setLevel(logging.ERROR)
        return None  # the usual finders import it


def _quiet_rdflib_when_loaded() -> None:
    if "rdflib" in sys.modules:
        import logging

        logging.getLogger("rdflib").setLevel(logging.ERROR)
    elif not any(isinstance(finder, _QuietRdflib) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietRdflib())


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    _quiet_rdflib_when_loaded()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _named_question(arguments)
        if args is None:
            with contextlib.redirect_stdout(out):  # where argparse writes --help and --version
                args = _parser().parse_args(arguments)
        if args.command is None:
            raise BonemetError("no command given", "run 'bonemet --help' to see the commands")
        with _Progress(err):
            return _COMMANDS[args.command](args, out, err)
    except BonemetError as error:
        err.write(f"bonemet: error: {one_line(str(error))}\n")
        return EXIT_ERROR
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        err.write("bonemet: interrupted\n")
        return 130
    except BrokenPipeError:
        raise  # the reader went away: run() exits quietly
    except OSError as error:
        if out is sys.stdout or getattr(error, "filename", None) is None:
            # standard output could not take the answer (a full disk, a closed file)
            err.write(f"bonemet: error: cannot write the output ({error.strerror or error}). Write to a file with room, or to another stream.\n")
            return EXIT_ERROR
        raise


def _validate(args, out: TextIO, err: TextIO) -> int:
    from bonemet.checks.incremental import validate
    from bonemet.checks.report import render_report

    if args.engine != "oxigraph" and not args.no_cache:
        raise UsageError("--engine chooses the engine of the whole validation", "add --no-cache")
    if args.no_cache:
        from bonemet.checks.validation import validate as validate_whole

        report = validate_whole(args.files or None, strict=args.strict, engine=args.engine, keep=_KEPT)
    else:
        report = validate(args.files or None, strict=args.strict)
    out.write(render_report(report, args.format))
    return EXIT_OK if report.conforms else EXIT_FAIL


def _query(args, out: TextIO, err: TextIO) -> int:
    from bonemet.sparql import catalogue
    from bonemet.sparql.questions import ask, inline
    from bonemet.sparql.results import render

    if args.list:
        for question in catalogue.questions():
            out.write(f"{question.name}\t{question.question}\n")
        return EXIT_OK
    if args.sparql is None and args.name is None:
        raise BonemetError("no question given", "name one (see 'bonemet query --list'), give a .rq file, or use --sparql TEXT")
    if args.name in catalogue.ALIASES:
        err.write(f"bonemet: note: the question {args.name} is now called {catalogue.ALIASES[args.name]}; the old name still works\n")
    question = inline(args.sparql) if args.sparql is not None else catalogue.resolve(args.name)
    if args.endpoint:
        from bonemet.serving.remote import ask_remote

        answer = ask_remote(question, args.endpoint, bind=args.bind, timeout=args.timeout)
    elif args.engine == "rdflib":
        from bonemet.graph import load_graph

        answer = ask(question, graph=load_graph(), bind=args.bind, allow_service=args.allow_service, timeout=args.timeout)
    else:
        answer = ask(question, bind=args.bind, allow_service=args.allow_service, timeout=args.timeout, cache=not args.no_cache)
    for note in answer.notes:
        err.write(f"bonemet: warning: {one_line(note)}\n")
    out.write(render(answer, args.format))
    return EXIT_OK


def _export(args, out: TextIO, err: TextIO) -> int:
    from pathlib import Path

    from bonemet.exports import formats as exports

    exports.check_only(args.format, args.only)
    files = exports.render(exports.load_part(args.only), args.format)
    if len(files) > 1:
        if not args.output:
            raise BonemetError(f"--format {args.format} writes {len(files)} files ({', '.join(files)})", "give the folder to write them in with -o FOLDER")
        folder = Path(args.output)
        if not folder.is_dir():
            raise BonemetError(f"cannot write into {folder}: it is not an existing folder", "create it first, or name another folder with -o")
        for path in exports.write(files, folder):
            err.write(f"bonemet: wrote {path}\n")
    elif args.output:
        from bonemet.files import write_atomic

        ((name, text),) = files.items()
        target = Path(args.output)
        if args.output.endswith(("/", "\\")):
            # a trailing slash names a folder: the file goes inside it, under its usual name
            if not target.is_dir():
                raise BonemetError(f"cannot write into {target}: it is not an existing folder", "create it first, or name a file with -o")
            target = target / name
        write_atomic(target, text)
        err.write(f"bonemet: wrote {target}\n")
    else:
        out.write(next(iter(files.values())))
    return EXIT_OK


#: How many times 'serve' starts the Oxigraph server again after it stops by itself.
MAX_RESTARTS = 3


def _serve(args, out: TextIO, err: TextIO) -> int:
    import shutil
    import signal
    import threading

    from bonemet import paths
    from bonemet.serving.server import serve

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # 'kill' stops as cleanly as Ctrl-C
    folder, stopping, writing = None, threading.Event(), threading.Lock()
    try:
        from bonemet import progress
        from bonemet.serving.guard import Guard
        from bonemet.serving.server import check_host_port, stores_folder
        from bonemet.serving.static import new_site_folder

        if args.port is not None:
            check_host_port(args.host, args.port)  # before the slow part: a port in use fails at once
        # the Oxigraph server listens on loopback only; the guard in front of it takes the
        # public address, refuses queries that would crash the server, forwards the rest
        # and serves the site
        with serve([paths.vocabulary_file(), *paths.data_files()], host="127.0.0.1", timeout_s=args.timeout, cors=args.cors, named_graphs=True) as server:
            try:
                guard = Guard(args.host, args.port or 0, ("127.0.0.1", server.port), timeout=args.timeout + 10, cors=args.cors)
            except OSError as error:
                raise BonemetError(f"cannot listen on {args.host}:{args.port} ({error.strerror or error})", "give another --port (or none to pick a free one)") from None
            guard.expect_site()
            folder = new_site_folder(stores_folder())
            with guard:
                authority = f"[{args.host}]:{guard.port}" if ":" in args.host else f"{args.host}:{guard.port}"
                url = f"http://{authority}/query"
                from bonemet.exports.void import WELL_KNOWN_PATH, served

                guard.publish(WELL_KNOWN_PATH, "text/turtle; charset=utf-8", served(url).encode("utf-8"))

                def build_site() -> None:
                    # the site is built once the endpoint answers (some ten seconds): /query
                    # need not wait for it, and the site's paths answer 503 until it is written
                    from bonemet.graph import load_graph
                    from bonemet.serving.static import write_files
                    from bonemet.show.site import render_site

                    try:
                        files = render_site(load_graph())
                        with writing:  # the folder is removed only once no file is being written
                            if stopping.is_set():
                                return
                            write_files(files, folder / "site")
                    except Exception as error:  # the endpoint serves on without the site
                        if not stopping.is_set():
                            guard.no_site()
                            err.write(f"bonemet: the site could not be built ({one_line(str(error))}); the endpoint answers all the same\n")
                            err.flush()
                        return
                    if not stopping.is_set():
                        guard.serve_site(folder / "site")
                        err.write(f"bonemet: the site is at http://{authority}/\n")
                        err.flush()

                threading.Thread(target=build_site, daemon=True).start()
                progress.settled()  # up: no more progress lines
                out.write(f"{url}\n")
                out.flush()
                err.write(f"bonemet: serving the graph read-only at {url} (SPARQL 1.1 Protocol); Ctrl-C stops it\n")
                err.flush()
                restarts = 0
                while True:
                    try:
                        code = server.wait()
                    except KeyboardInterrupt:
                        stopping.set()
                        err.write("bonemet: stopped\n")
                        return EXIT_OK
                    if restarts == MAX_RESTARTS:
                        err.write(f"bonemet: error: the Oxigraph server stopped by itself (exit code {code}) {MAX_RESTARTS + 1} times. Run 'bonemet serve' again.\n")
                        return EXIT_FAIL
                    restarts += 1
                    err.write(f"bonemet: the Oxigraph server stopped by itself (exit code {code}); restarting it on the same port and store ({restarts} of {MAX_RESTARTS})\n")
                    err.flush()
                    server.restart()
    finally:
        stopping.set()
        if folder is not None:
            writing.acquire(timeout=30)  # a site being written is finished first (a few seconds)
            shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _publish(args, out: TextIO, err: TextIO) -> int:
    from bonemet.graph import load_graph
    from bonemet.serving.remote import publish

    password = None
    if args.user is not None:
        import os

        password = os.environ.get("BONEMET_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise BonemetError(f"--user {args.user} needs a password, and there is no terminal to ask for it", "set it in the environment variable BONEMET_PASSWORD")
            import getpass

            password = getpass.getpass(f"password for {args.user} at {args.endpoint}: ")
    sent = publish(load_graph(), args.endpoint, args.graph, timeout=args.timeout, user=args.user, password=password)
    target = f"graph <{args.graph}>" if args.graph else "the default graph"
    err.write(f"bonemet: published {sent} triples to {target} of {args.endpoint}\n")
    return EXIT_OK


def _stats(args, out: TextIO, err: TextIO) -> int:
    from bonemet.graph import load_graph
    from bonemet.stats import compute, render_stats

    out.write(render_stats(compute(load_graph())))
    return EXIT_OK


def _site(args, out: TextIO, err: TextIO) -> int:
    from bonemet.files import write_folder
    from bonemet.graph import load_graph
    from bonemet.show.site import render_site

    written = write_folder(render_site(load_graph()), args.output)
    out.write(f"{len(written)} files written into {args.output}/ (open {args.output}/index.html)\n")
    return EXIT_OK


def _build(args, out: TextIO, err: TextIO) -> int:
    from bonemet.build import build, render_summary

    result = build(args.output, strict=args.strict)
    out.write(render_summary(result))
    return EXIT_OK if result.ok else EXIT_FAIL


_COMMANDS = {
    "validate": _validate,
    "query": _query,
    "export": _export,
    "stats": _stats,
    "serve": _serve,
    "publish": _publish,
    "site": _site,
    "build": _build,
}


#: What a command keeps to the end of the process rather than free (None: free it): the
#: installed script sets it, and then ends without freeing what it holds (see :func:`run`).
_KEPT: list | None = None


def run() -> NoReturn:
    """Entry point of the installed ``bonemet`` script."""
    global _KEPT

    _KEPT = []
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. 'bonemet export | head'
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    except OSError as error:  # the last flush of standard output failed (a full disk)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write(f"bonemet: error: cannot write the output ({error.strerror or error}). Write to a file with room, or to another stream.\n")
        code = EXIT_ERROR
    if _KEPT:
        # a large store is kept: the process ends here, with its output written and flushed,
        # without the half second the interpreter's clean-up would spend freeing it
        import os

        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
