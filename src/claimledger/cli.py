"""The `claimledger` command: a thin shell that parses arguments, calls one library
function and prints. Errors are one line a person understands, with a non-zero exit."""

from __future__ import annotations

import contextlib
import json
import sys
from enum import Enum
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import settings
from .errors import ClaimledgerError


def _without_type_tags(command, ctx) -> None:
    """Help without type tags (`<list[str]>`, `<bool>`): an option shows its metavar
    (PATH, NAME, DATE) or its choices (`text|json`), and its help says the rest."""
    for param in command.get_params(ctx):
        shown = getattr(param, "display_type_rich", None)
        if shown is None:  # a Typer without type tags
            continue
        choices = (shown(ctx) or "").strip("<>")
        plain = choices if "|" in choices else None
        if param.param_type_name == "argument":  # its metavar is its name, shown already
            param.display_type_rich = lambda ctx, plain=plain: plain
        else:
            param.display_type_rich = lambda ctx, param=param, plain=plain: param.metavar or plain


class _Command(typer.core.TyperCommand):
    def format_help(self, ctx, formatter):
        _without_type_tags(self, ctx)
        super().format_help(ctx, formatter)


class _Group(typer.core.TyperGroup):
    def format_help(self, ctx, formatter):
        _without_type_tags(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    help="Keep a ledger of claims in conflict reporting: who claims what, citing whom, "
    "how many independent origins back it, and how far to trust it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Group,
)
eval_app = typer.Typer(help="Measure extraction against annotated data.", no_args_is_help=True, cls=_Group)
app.add_typer(eval_app, name="eval")
command = partial(app.command, cls=_Command)
eval_command = partial(eval_app.command, cls=_Command)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"claimledger {version('claimledger')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Keep a ledger of claims in conflict reporting: who claims what, citing whom, how many
    independent origins back it, and how far to trust it."""


out = Console()
# soft_wrap: an error line stays one line, however narrow the terminal (or 80 columns when
# stderr is a file or a pipe), so that a script can read it.
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="PATH_OR_URL",
                 help="Ledger database: a SQLite path or an SQLAlchemy URL (default: claimledger.db)."),
]
OutletOption = Annotated[str | None, typer.Option("--outlet", metavar="NAME", help="Outlet for inputs that name none.")]
PublishedOption = Annotated[
    str | None, typer.Option("--published", metavar="DATE", help="Publication date (ISO) for inputs that give none.")
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", metavar="N", min=0, max=256,
                                help="Extraction processes (default: one per core; 1: this process only).")
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", metavar="ADDRESS",
                                help="Extract on the Dask cluster of this scheduler (tcp://HOST:8786).")
]


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class IngestFormat(str, Enum):
    text = "text"
    json = "json"


def _fail(exc: ClaimledgerError) -> None:
    err.print(f"[red]error:[/red] {exc}", highlight=False)
    raise typer.Exit(2)


def _check_published(published: str | None) -> None:
    if published is None:
        return
    from datetime import date, datetime

    try:
        (date if len(published) == 10 else datetime).fromisoformat(published)
    except ValueError as exc:
        raise ClaimledgerError(f"--published must be an ISO date such as 2024-11-24, got {published!r}") from exc


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[docs]} docs, {task.fields[claims]} claims, {task.fields[errors]} errors"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _run_ingest(paths: list[str], db: str | None, outlet, published, fmt: IngestFormat, assess: bool = True,
                workers: int | None = None, scheduler: str | None = None) -> int:
    """Ingest, then (with `assess`) leave the ledger assessed: `serve`, `export` and
    `report` show the new claims at once."""
    import time

    from .pipeline import ensure_assessed, ingest_paths, open_extractor
    from .store import open_ledger

    _check_published(published)
    ledger = open_ledger(db)
    extractor = open_extractor(workers, scheduler)
    counts = {"docs": 0, "claims": 0, "errors": 0}
    started = time.monotonic()
    with _progress(err) as bar:
        task = bar.add_task(f"ingest ({_engine_name(extractor)})", total=None, docs=0, claims=0, errors=0, rate="")

        def progress(event: str, claims: int) -> None:
            counts["docs"] += 1
            counts["claims"] += claims
            counts["errors"] += event == "failed"
            rate = counts["docs"] / max(time.monotonic() - started, 1e-6)
            bar.update(task, advance=1, rate=f"{rate:.1f} docs/s", **{k: v for k, v in counts.items()})

        summary = ingest_paths(ledger, paths, outlet=outlet, published=published, extractor=extractor,
                               progress=progress)
    if assess and summary.stored:
        with err.status("assessing the ledger"):
            ensure_assessed(ledger)
    for error in summary.errors:
        where = error["path"] + (f":{error['line']}" if error.get("line") else "")
        err.print(f"[red]failed:[/red] {where}: {error['error']}", highlight=False)
    if fmt == IngestFormat.json:
        out.print_json(json.dumps(summary.as_dict()), indent=None)
    else:
        out.print(
            f"stored {summary.stored} (new versions {summary.new_versions}), unchanged {summary.unchanged}, "
            f"near-copies {summary.near_copies}, failed {summary.failed}; "
            f"{summary.claims} new claim{'s' if summary.claims != 1 else ''}",
            highlight=False, soft_wrap=True,
        )
        if summary.skipped:
            out.print(_skipped_text(summary.skipped), highlight=False, soft_wrap=True)
    return 1 if summary.failed else 0


def _engine_name(extractor) -> str:
    """ "2 workers", "tcp://10.0.0.5:8786", "1 process": where the extraction runs."""
    if hasattr(extractor, "scheduler"):
        return extractor.scheduler
    workers = getattr(extractor, "workers", 1)
    return f"{workers} workers" if workers > 1 else "1 process"


def _skipped_text(paths: list[str], shown: int = 5) -> str:
    """"skipped 1 file that is not a document: index.tsv"."""
    names = [Path(p).name for p in paths[:shown]]
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    many = len(paths) != 1
    return (f"skipped {len(paths)} file{'s' if many else ''} that {'are' if many else 'is'} not "
            f"{'documents' if many else 'a document'}: {', '.join(names)}{more}")


@command()
def ingest(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Files or folders: .txt .md .html .xml/.rss/.atom .jsonl (in a folder, tables, data and code files are skipped).")],
    db: DbOption = None,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    format: Annotated[IngestFormat, typer.Option("--format", help="Summary as text or JSON.")] = IngestFormat.text,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Read documents, extract their claims and store both in the ledger."""
    try:
        code = _run_ingest(paths, db, outlet, published, format, workers=workers, scheduler=scheduler)
    except ClaimledgerError as exc:
        _fail(exc)
    raise typer.Exit(code)


@command()
def extract(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Files or folders to read.")],
    format: Annotated[ExtractFormat, typer.Option("--format", help="JSON Lines or a table.")] = ExtractFormat.jsonl,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Print the claims of documents, one JSON object per line (no database needed)."""
    from .pipeline import extract_paths, open_extractor

    failed = []

    def on_error(exc: ClaimledgerError) -> None:
        failed.append(exc)
        err.print(f"[red]failed:[/red] {exc}", highlight=False)

    try:
        _check_published(published)
        claims = extract_paths(paths, outlet=outlet, published=published, on_error=on_error,
                               extractor=open_extractor(workers, scheduler))
        if format == ExtractFormat.jsonl:
            for claim in claims:
                sys.stdout.write(json.dumps(claim.to_json(), ensure_ascii=False) + "\n")
        else:
            out.print(_claims_table(list(claims)))
    except ClaimledgerError as exc:
        _fail(exc)
    raise typer.Exit(1 if failed else 0)


def _chain_text(chains) -> str:
    if not chains:
        return "(the document)"
    return " | ".join(" <- ".join(hop.name for hop in chain) for chain in chains)


def _claims_table(claims) -> Table:
    table = Table(show_lines=False)
    for column in ("doc", "kind", "event", "figure", "chain (nearest first)", "stance", "text"):
        table.add_column(column, overflow="fold")
    for claim in claims:
        figure = claim.quantity.text if claim.quantity else ""
        table.add_row(
            Path(claim.doc).name, claim.kind, claim.event or "", figure,
            _chain_text(claim.chains), claim.stance, claim.text[:120],
        )
    return table


class LedgerFormat(str, Enum):
    table = "table"
    json = "json"


@command()
def ledger(
    db: DbOption = None,
    format: Annotated[LedgerFormat, typer.Option("--format", help="A readable table or the JSON object.")] = LedgerFormat.table,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="Groups shown in the table (most reported first).")] = 30,
) -> None:
    """Group the claims, count independent origins, grade them; print the ledger."""
    from .extract.workers import cores
    from .pipeline import assess_ledger
    from .store import open_ledger

    try:
        result = assess_ledger(open_ledger(db), workers=int(settings.get("workers")) or cores())
    except ClaimledgerError as exc:
        _fail(exc)
    if format == LedgerFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    out.print(_ledger_text(result, limit), highlight=False, soft_wrap=True)
    if result["unregistered_sources"]:
        out.print(
            f"{len(result['unregistered_sources'])} unregistered source{'s' if len(result['unregistered_sources']) != 1 else ''}"
            " (grade F) to register: "
            + ", ".join(result["unregistered_sources"][:12]),
            highlight=False,
        )


def _ledger_text(result: dict, limit: int) -> str:
    """The groups most reported first, then the contradicted groups among the rest (up
    to `limit` each), a short block each, wrapped at 100 columns."""
    from textwrap import fill

    from .publish.present import is_statements, statement_title

    ranked = sorted(result["clusters"], key=lambda c: (-c["reports"], -c["independent_origins"], c["id"]))
    top = ranked[:limit]
    contested = [c for c in ranked[limit:] if c["contradiction"]][:limit]
    wanted = {c["id"] for c in top + contested if is_statements(c)}
    members: dict[str, list[dict]] = {}
    for claim in result["claims"]:
        if claim.get("cluster") in wanted:
            members.setdefault(claim["cluster"], []).append(claim)

    def block(label: str, text: str) -> str:
        return fill(text, 100, initial_indent=f"      {label}: ", subsequent_indent="      ", break_on_hyphens=False)

    def group_lines(c: dict) -> list[str]:
        if c["id"] in wanted:
            what = statement_title(c, members.get(c["id"], []))
        else:
            what = " ".join(x for x in (c["event"], c["subject"], c["location"] and f"in {c['location']}") if x)
        count = c["independent_origins"]
        origins = "no origin asserts it" if count == 0 else f"{count} independent origin{'s' if count != 1 else ''}"
        flag = "; [red]contradiction[/red]" if c["contradiction"] else ""
        reports = f"{c['reports']} report{'s' if c['reports'] != 1 else ''}"
        lines = [f"[bold]{c['grade']}[/bold]  {escape(what)}  ({reports}, {origins}{flag})"]
        est = c["estimate"]
        if est:
            high = "open" if est["high"] == float("inf") else f"{est['high']:,.0f}"
            lines.append(f"      estimate low / best / high: {est['low']:,.0f} / {est['best']:,.0f} / {high}")
        names = ", ".join(o["name"] for o in c["origins"][:5]) + (" ..." if len(c["origins"]) > 5 else "")
        return [*lines, escape(block("origins", names)), escape(block("why", c["explanation"])), ""]

    lines = [f"{len(result['clusters'])} claim groups from {len(result['claims'])} claims; most reported first:", ""]
    for c in top:
        lines.extend(group_lines(c))
    if contested:
        lines.extend(["Contradicted, among the less reported:", ""])
        for c in contested:
            lines.extend(group_lines(c))
    return "\n".join(lines)


def demo_folder() -> Path:
    return Path(str(resources.files("claimledger") / "data" / "demo"))


@command()
def demo(db: DbOption = None) -> None:
    """Ingest the bundled demo corpus into the ledger and print its summary."""
    target = str(Path(db or settings.get("db")).resolve()) if "://" not in (db or "") else db
    folder = demo_folder()
    try:
        # Ids of demo documents read "demo/<path>", the same on every machine.
        with contextlib.chdir(folder.parent):
            code = _run_ingest(["demo"], target, None, None, IngestFormat.text, assess=False)
        from .pipeline import assess_ledger
        from .store import open_ledger

        result = assess_ledger(open_ledger(target))
    except ClaimledgerError as exc:
        _fail(exc)
    out.print(_ledger_text(result, 8), highlight=False, soft_wrap=True)
    out.print(f"Ledger: {target}\nNext: claimledger serve --db {target}   then open http://127.0.0.1:8000/", highlight=False,
              soft_wrap=True)
    raise typer.Exit(code)


def _print_metrics(metrics: dict) -> None:
    sys.stdout.write(json.dumps(metrics, sort_keys=True) + "\n")


@eval_command("polnear")
def eval_polnear(
    folder: Annotated[str | None, typer.Argument(metavar="FOLDER", help="PolNeAR folder (default: DATA_DIR/polnear).")] = None,
    split: Annotated[str, typer.Option("--split", metavar="SPLIT", help="train or dev (test is kept apart).")] = "dev",
) -> None:
    """Source, cue and content span P/R/F1 (overlap and exact) and relation F1 on PolNeAR."""
    from .evaluate.polnear import evaluate_polnear

    path = folder or str(Path(settings.get("data_dir")) / "polnear")
    try:
        _print_metrics(evaluate_polnear(path, split))
    except ClaimledgerError as exc:
        _fail(exc)


@eval_command("gold")
def eval_gold(
    file: Annotated[str | None, typer.Argument(metavar="FILE", help="A passages YAML file, ours or a real set such as DATA_DIR/realnews/dev_a.yaml (default: the shipped tuning sets).")] = None,
    sets: Annotated[str, typer.Option("--sets", metavar="SETS", help="Comma-separated shipped sets: demo, dev, dev2, dev3, dev4 (the held-out test set is scored only by the quality gate).")] = "demo,dev,dev2,dev3,dev4",
    misses: Annotated[bool, typer.Option("--misses", help="List the gold claims not found, those found with a wrong chain or stance, and extra figures.")] = False,
) -> None:
    """Figure, bound, origin, chain, statement and stance scores on the team's gold."""
    from .evaluate.gold import HELD_OUT, SETS, evaluate_gold

    chosen = [s.strip() for s in sets.split(",") if s.strip()]
    try:
        unknown = [s for s in chosen if s not in SETS]
        if unknown:
            why = "is held out: only the quality gate scores it" if HELD_OUT in unknown else "is not a shipped set"
            raise ClaimledgerError(f"--sets: {', '.join(unknown)} {why} (choose among {', '.join(SETS)})")
        metrics = evaluate_gold(chosen, file=file)
    except ClaimledgerError as exc:
        _fail(exc)
    missed = metrics.pop("misses")
    if misses:
        for where, kind, sentence in missed:
            label = f"wrong {kind}" if kind in ("chain", "stance") else kind if kind.startswith("extra") else f"missed {kind}"
            err.print(f"{label} in {where}: {sentence}", highlight=False, soft_wrap=True)
    _print_metrics(metrics)


@eval_command("groups")
def eval_groups(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A passages YAML file with gold stories, such as DATA_DIR/realnews/dev_a.yaml.")],
) -> None:
    """B-cubed scores of the claim groups, and echo sets held in one group with the right origins."""
    from .evaluate.groups import evaluate_groups

    try:
        _print_metrics(evaluate_groups(file))
    except ClaimledgerError as exc:
        _fail(exc)


@eval_command("newsquant")
def eval_newsquant(
    file: Annotated[str | None, typer.Argument(metavar="FILE", help="NewsQuant JSON (default: DATA_DIR/newsquant/dev.json).")] = None,
) -> None:
    """Value and value+bound F1 of the quantity parser on NewsQuant."""
    from .evaluate.newsquant import evaluate_newsquant

    path = file or str(Path(settings.get("data_dir")) / "newsquant" / "dev.json")
    try:
        _print_metrics(evaluate_newsquant(path))
    except ClaimledgerError as exc:
        _fail(exc)


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    clusters = "clusters"
    claimreview = "claimreview"
    prov = "prov"
    markdown = "markdown"
    html = "html"


class ReportFormat(str, Enum):
    markdown = "markdown"
    html = "html"


BaseUrlOption = Annotated[
    str, typer.Option("--base-url", metavar="URL",
                 help="Address of the web UI (claimledger serve) that the links point to.")
]


@command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", metavar="N", min=1, max=64,
                                         help="Processes answering requests (one per core).")] = 1,
) -> None:
    """Serve the web UI and the JSON API (analyst actions need the api_token setting)."""
    from .pipeline import ensure_assessed
    from .publish.app import serve as serve_app
    from .store import open_ledger

    try:
        ensure_assessed(open_ledger(db))  # never show a stale assessment
        serve_app(db, host, port, workers=workers)
    except ClaimledgerError as exc:
        _fail(exc)


@command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", metavar="FORMAT",
                                                 help="csv, jsonl, clusters, claimreview, prov, markdown or html.")],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH", help="File to write (default: standard output).")] = None,
    db: DbOption = None,
    base_url: BaseUrlOption = "http://127.0.0.1:8000",
) -> None:
    """Export the ledger: csv (UCDP-style), jsonl (claims), clusters, claimreview, prov, markdown, html.

    Links to claim groups (in ClaimReview and the markdown and html report) point under --base-url: give the address where claimledger serve is reachable, e.g. https://ledger.example.org."""
    from .pipeline import ensure_assessed
    from .publish.exports import export as export_ledger
    from .store import open_ledger

    try:
        ensure_assessed(open_ledger(db))  # never export a stale assessment
        count = export_ledger(db, format.value, output, base_url)
    except ClaimledgerError as exc:
        _fail(exc)
    if output and output != "-":
        err.print(f"wrote {count} records to {output}", highlight=False)


@command()
def report(
    format: Annotated[ReportFormat, typer.Option("--format", help="Markdown or a standalone HTML page.")] = ReportFormat.markdown,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH", help="File to write (default: standard output).")] = None,
    stories: Annotated[int, typer.Option("--stories", min=1, metavar="N", help="How many claim groups, most reported first.")] = 30,
    db: DbOption = None,
    base_url: BaseUrlOption = "http://127.0.0.1:8000",
) -> None:
    """Write the ledger as a careful blog post: each story, its figures, who said them citing whom, how far to trust them.

    Each story links to its claim group's page under --base-url: give the address where claimledger serve is reachable, e.g. https://ledger.example.org."""
    from .pipeline import ensure_assessed
    from .publish.exports import export as export_ledger
    from .store import open_ledger

    try:
        ensure_assessed(open_ledger(db))  # never report a stale assessment
        count = export_ledger(db, format.value, output, base_url, stories)
    except ClaimledgerError as exc:
        _fail(exc)
    if output and output != "-":
        err.print(f"wrote {count} stories to {output}", highlight=False)
