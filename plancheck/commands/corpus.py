"""`plancheck index`, `search`, `serve` and `export-bulk`: the corpus commands.

Thin wrappers over the corpus package: they parse options, turn corpus errors
into one line on stderr with the exit codes of docs/cli.md, and render."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from plancheck.commands import command
from plancheck.errors import EXIT_INPUT, EXIT_USAGE
from plancheck.options import EXECUTOR_HELP, MAX_JOBS

if TYPE_CHECKING:
    from rich.console import Console

    from corpus.search import SearchResult

# Declared here, not imported from corpus.export: declaring the command must not
# load the exporter (a test checks the two agree).
DEFAULT_INDEX = "plancheck-measures"

DB_HELP = (
    "The corpus file, or a PostgreSQL database as postgresql://USER@HOST/DBNAME. Default: $PLANCHECK_DB, "
    "else $XDG_DATA_HOME/plancheck/corpus.sqlite (~/.local/share/plancheck/corpus.sqlite)."
)
DEFAULT_WORKERS = 4  # serve against PostgreSQL


@contextmanager
def corpus_errors() -> Iterator[None]:
    """Corpus and query errors as one line: a bad query is a usage error (2), a
    missing corpus or missing data an input error (1)."""
    from corpus import store
    from corpus.query import QueryError

    try:
        yield
    except QueryError as error:
        print(f"plancheck: 查詢有誤：{error}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None
    except store.CorpusError as error:
        print(f"plancheck: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None


@command("index")
def index_command(
    paths: list[Path] = typer.Argument(..., help="Plan files and folders (searched recursively)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0, max=MAX_JOBS,
                             help="Processes that read and check the files (0: one per CPU); this one writes."),
    executor: str | None = typer.Option(None, "--executor", help=EXECUTOR_HELP),
) -> None:
    """Add plans to the searchable corpus. Unchanged files are skipped; a changed
    file replaces its old version; plans are written in batches, each batch one
    transaction (a plan is never half in)."""
    import os

    from rich.console import Console

    from corpus import store
    from library import plans_to_index, skipped_note
    from plancheck.executors import ExecutorError, dask_address, index_reader

    if executor is not None:
        try:
            dask_address(executor)
        except ExecutorError as error:
            print(f"plancheck: {error}", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE) from None
    read_many = index_reader(jobs or os.cpu_count() or 1, executor)
    with corpus_errors():
        conn = store.connect(db, create=True)
    err = Console(stderr=True)
    found = plans_to_index(paths)
    files = found.files
    if note := skipped_note(found.skipped):
        print(note, file=sys.stderr)
    try:
        summary = _index_with_progress(conn, files, read_many, err)
    except ExecutorError as error:  # the cluster could not be reached
        print(f"plancheck: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
    for outcome in summary.failed:
        print(outcome.message, file=sys.stderr)
    for warning in summary.warnings:
        print(f"plancheck: 注意：{warning}", file=sys.stderr)
    totals = store.counts(conn)
    conn.close()
    typer.echo(
        f"收錄完成：新增 {summary.count('added')} 份、更新 {summary.count('replaced')} 份、"
        f"未變更 {summary.count('unchanged')} 份、失敗 {summary.count('failed')} 份；"
        f"語料庫共 {totals['plans']} 份計畫、{totals['measures']} 項措施（{store.shown_db(db)}）"
    )
    raise typer.Exit(EXIT_INPUT if summary.failed else 0)


def _index_with_progress(conn, files, read_many, err: Console):
    """``library.index_files`` with a progress bar on a terminal."""
    from library import index_files

    if not err.is_terminal:
        return index_files(conn, files, read_many=read_many)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("收錄中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        TextColumn("{task.description}"), console=err, transient=True,
    ) as progress:
        task = progress.add_task("", total=len(files))
        return index_files(conn, files, on_done=lambda o: progress.update(task, advance=1, description=o.path.name),
                           read_many=read_many)


def _asked(filters) -> list[str]:
    """The search's filters in words (機關 臺中市, 年度 105–108, 必辦項目 by its title)."""
    from plancheck import names

    low, high = filters.year_from, filters.year_to
    years = (f"{low}" if low == high else f"{low}–{high}") if low and high else (
        f"{low} 年起" if low else f"至 {high} 年" if high else None)
    parts = [("機關", filters.agency), ("年度", years), ("面向", filters.dimension),
             ("必辦項目", names.item_name(filters.item) if filters.item else None), ("承辦單位", filters.unit)]
    return [f"{label} {value}" for label, value in parts if value]


def _heading(result: SearchResult) -> str:
    """The line above the table: what was asked and how many measures answer it."""
    asked = [f"查詢「{result.query}」"] if result.query.strip() else []
    if filters := _asked(result.filters):
        asked.append("篩選：" + "、".join(filters))
    shown = f"，顯示前 {len(result.hits)} 項" if result.total > len(result.hits) else ""
    return f"{'；'.join(asked) or '全部措施'}：共 {result.total} 項措施{shown}"


def _render_table(result: SearchResult, console: Console) -> None:
    """The results as the web page's cards show them: Chinese names for the
    面向, the mandated items and their verdicts, each file by name and format
    (renderings of one plan on one row); no score or internal code (--json has them)."""
    from rich.markup import escape
    from rich.table import Table

    from corpus.search import FACETS
    from plancheck import names
    from plancheck.cards import group_hits

    cards = group_hits(result.hits)
    console.print(escape(_heading(result)))
    if len(cards) < len(result.hits):
        console.print("同一計畫的不同檔案格式中的同一項措施合併為一列。")
    for note in result.notes:
        console.print(f"[yellow]注意：{escape(note)}[/yellow]")
    if not cards:
        return
    table = Table(show_header=True, header_style="bold", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("機關／年度")
    table.add_column("層級與措施")
    for number, card in enumerate(cards, 1):
        hit = card["hit"]
        snippet = hit.snippet.marked("\x00", "\x01", escape=escape).replace("\x00", "[bold reverse]").replace("\x01", "[/bold reverse]")
        lines = [f"[dim]{escape(' › '.join(hit.path))}[/dim]", f"{escape(hit.number)} {snippet}"]
        if hit.dimension:
            lines.append(f"面向：{escape(hit.dimension)}")
        lines += [f"必辦項目：{escape(names.item_name(item))}"
                  + (f"［{names.status_name(hit.item_statuses[item])}］" if item in hit.item_statuses else "")
                  for item in hit.items]
        lines += [f"[dim]{escape(rendering['file'])}（{escape(rendering['format'])}"
                  + (f"，{rendering['location']}" if rendering["location"] else "") + "）[/dim]"
                  for rendering in card["renderings"]]
        where = f"{escape(hit.agency or '（未知機關）')}\n民國 {hit.roc_year or '?'} 年"
        table.add_row(str(number), where, "\n".join(lines))
    console.print(table)
    for name in FACETS:
        values = result.facets.get(name) or []
        if values:
            about = "約 " if name in result.approximate else ""
            shown = "、".join(f"{escape(names.item_name(str(v)) if name == 'item' else str(v))} {about}{c}" for v, c in values[:10])
            console.print(f"[bold]{names.FACET_NAMES[name]}[/bold]：{shown}")
    if result.approximate:
        console.print(f"[dim]約：相符措施較多，{'、'.join(names.FACET_NAMES[n] for n in result.approximate)}的筆數依部分結果估計[/dim]")


@command("search")
def search_command(
    query: str = typer.Argument(..., help='Words, "phrases", prefix*, AND / OR / NOT (or -word), parentheses.'),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    agency: str | None = typer.Option(None, "--agency", help="Agency name, or part of one (台/臺 alike)."),
    year: str | None = typer.Option(None, "--year", help="One year, ROC (112) or Western (2023)."),
    years: str | None = typer.Option(None, "--years", help="A year range, e.g. 102-105."),
    dimension: str | None = typer.Option(None, "--dimension", help="Framework dimension, e.g. 基礎服務."),
    item: str | None = typer.Option(None, "--item", help="Mandated-item ID, e.g. PHONE-TEST-QUARTERLY."),
    unit: str | None = typer.Option(None, "--unit", help="Responsible unit, or part of its name."),
    limit: int = typer.Option(20, "--limit", help="Number of results (0–1000)."),
    offset: int = typer.Option(0, "--offset", help="Skip this many results (paging)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (docs/cli.md)."),
) -> None:
    """Search the measures of every indexed plan."""
    from corpus import store
    from corpus.find import search
    from corpus.search import Filters, year_range

    with corpus_errors():
        year_from, year_to = year_range(year, years)
        filters = Filters(agency=agency, year_from=year_from, year_to=year_to, dimension=dimension, item=item, unit=unit)
        conn = store.connect(db)
        try:
            result = search(conn, query, filters, limit=limit, offset=offset)
        finally:
            conn.close()
    if as_json:
        import json

        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        console = Console()
        _render_table(result, console if console.is_terminal else Console(width=160))


@command("serve")
def serve_command(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; the default serves this machine only."),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    data_dir: Path | None = typer.Option(None, "--data-dir", help="Where uploaded plans are kept. Default: the corpus file's folder."),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64,
                                       help="Worker processes (gunicorn) for a PostgreSQL corpus; default 4. "
                                            "An SQLite corpus is served by one process."),
) -> None:
    """A local web page: search, facets, plan pages with their gap report, and a
    form to check an uploaded plan."""
    from corpus import store
    from corpus.backend import is_postgres_url
    from plancheck.web import create_app, serve, serve_workers

    with corpus_errors():
        db_path = store.resolve_db_path(db)
        store.connect(db_path, create=True).close()
    from plancheck.web import trusted_hosts_for

    shared = is_postgres_url(db_path)
    if workers is not None and not shared:
        print("plancheck: --workers 只適用於 PostgreSQL 語料庫（SQLite 語料庫由單一程序服務）", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    trusted = trusted_hosts_for(host)
    if trusted is None:
        print(f"plancheck: 注意：服務開放給 {host} 上的其他電腦連線", file=sys.stderr)
    uploads = data_dir or (store.data_home() if shared else Path(db_path).parent)
    web = create_app(db_path, uploads, trusted)
    if shared:
        serve_workers(web, host.strip("[]"), port, workers or DEFAULT_WORKERS)
    else:
        serve(web, host.strip("[]"), port)


@command("export-bulk")
def export_bulk_command(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
    url: str | None = typer.Option(None, "--url", help="Send to this OpenSearch/Elasticsearch cluster instead "
                                   "(http://host:9200); the index is created with the mapping when missing."),
    index: str = typer.Option(DEFAULT_INDEX, "--index", help="The target index name."),
    chunk_size: int = typer.Option(500, "--chunk-size", min=1, max=100_000, help="Documents per bulk request (--url)."),
) -> None:
    """Export the corpus as OpenSearch/Elasticsearch bulk NDJSON with pre-segmented
    Chinese fields (mapping: corpus/data/opensearch-mapping.json), or send it to a cluster."""
    import io

    from corpus import store
    from corpus.backend import is_postgres_url
    from corpus.export import write_bulk
    from outputs.files import atomic_file

    if url and out:
        print("plancheck: --url 與 --out 只能擇一", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    with corpus_errors():
        conn = store.connect(db)
    try:
        if url:
            _send(conn, url, index, chunk_size)
            return
        if out is None:
            count = write_bulk(conn, sys.stdout, index)
        else:
            if not is_postgres_url(store.resolve_db_path(db)) and out.resolve() == Path(store.resolve_db_path(db)).resolve():
                print("plancheck: 輸出檔不可覆寫語料庫本身", file=sys.stderr)
                raise typer.Exit(EXIT_USAGE)
            with atomic_file(out) as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8")
                count = write_bulk(conn, text, index)
                text.flush()
                text.detach()  # atomic_file closes the file itself
    finally:
        conn.close()
    print(f"匯出 {count} 項措施" + (f"至 {out}" if out else ""), file=sys.stderr)


def _send(conn, url: str, index: str, chunk_size: int) -> None:
    """Send with a progress bar on a terminal; a refused document or an
    unreachable cluster is one line and exit 1."""
    from opensearchpy.exceptions import OpenSearchException
    from rich.console import Console

    from corpus.export import send_bulk

    total = conn.execute("SELECT count(*) FROM measures").fetchone()[0]
    err = Console(stderr=True)
    with _progress(err, total) as advance:
        try:
            result = send_bulk(conn, url, index, chunk_size=chunk_size, progress=advance)
        except (OpenSearchException, OSError) as error:
            reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
            print(f"plancheck: {url}: 無法送出（{reason}）", file=sys.stderr)
            raise typer.Exit(EXIT_INPUT) from None
    if result.failed:
        print(f"plancheck: {url}: {result.failed} 項措施未被接受（第一筆：{result.errors[0]}）", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    print(f"送出 {result.sent} 項措施至 {url}（索引 {index}）", file=sys.stderr)


@contextmanager
def _progress(console: Console, total: int) -> Iterator:
    """A bar on a terminal; a no-op when stderr is piped."""
    if not console.is_terminal:
        yield lambda done: None
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("送出措施", total=total)
        yield lambda done: bar.update(task, completed=done)
