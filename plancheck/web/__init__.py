"""`plancheck serve`: a small server-rendered web app over the corpus.

Flask with Jinja2 templates (autoescaped). Pages: a home page to browse by
agency, year and dimension, search with facets and highlighted results (one
card per measure, the plan's other renderings beside it), a plan page at a
lasting address (its content hash) with its measures and gap report, and a
form that checks an uploaded plan. Uploads are size-limited, written only into
``<data dir>/uploads/`` under a generated name with a plan suffix, never
overwrite anything and are only ever read, never executed or served back.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import re
import secrets
import sqlite3
import uuid
from pathlib import Path

from flask import Flask, abort, g, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from corpus import store
from corpus.exemplars import exemplars
from corpus.find import search
from corpus.ingest import PLAN_SUFFIXES
from corpus.query import QueryError, QueryLimitError
from corpus.search import (
    FACETS, MAX_OFFSET, Filters, distinct_keys, matching_keys, plan_by_key, plan_key, year_range,
)
from library import analyse, error_line
from models import CheckReport, Plan
from plancheck import names
from plancheck.cards import family_of, group_hits

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The upload form's accept list: the registry's single-plan extensions.
UPLOAD_ACCEPT = ",".join(sorted(PLAN_SUFFIXES))
PAGE_SIZE = 20
FILTER_KEYS = ("agency", "year", "years", "dimension", "item", "unit")
BROWSE_AGENCIES = 200


def _db() -> sqlite3.Connection:
    if "conn" not in g:
        g.conn = store.connect(g.db_path, create=True)
    return g.conn


def _args_with(**changes: object) -> dict[str, str]:
    """The current query string with some keys changed (None removes one)."""
    args = {k: v for k, v in request.args.items() if v}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return args


def _exemplars_for(conn: sqlite3.Connection, report: CheckReport, exclude_sha256: str | None) -> tuple[dict[str, list], str | None]:
    """Exemplars for the report's missing and partial items, or a note why none."""
    wanted = [item.id for item in report.items if item.status in ("missing", "partial")]
    out: dict[str, list] = {}
    try:
        for item_id in wanted:
            out[item_id] = exemplars(conn, item_id, exclude_source_sha256=exclude_sha256, limit=3)
    except store.DataUnavailable as error:
        return {}, str(error)
    return out, None


# Served on a loopback address, the app answers only requests addressed to it by
# such a name: a page elsewhere cannot reach it through DNS rebinding.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::\d{1,5})?$")


def is_loopback(host: str) -> bool:
    """Whether a --host value serves this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def trusted_hosts_for(host: str) -> tuple[str, ...] | None:
    """The Host header names to accept when listening on ``host``: the loopback
    names and the address itself when it is a loopback one, else any (None)."""
    if not is_loopback(host):
        return None
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, shown.lower())))


def host_allowed(header: str | None, trusted: tuple[str, ...]) -> bool:
    """The Host header's name (port dropped, IPv6 kept in brackets) is trusted.
    Werkzeug's own check cannot match a bracketed IPv6 name, so it is done here."""
    match = _HOST.match((header or "").strip())
    return bool(match) and match.group(1).lower() in trusted


def create_app(db_path: str | Path, data_dir: str | Path, trusted_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS) -> Flask:
    """The web app over the corpus at ``db_path``; uploads go under ``data_dir``.
    ``trusted_hosts=None`` accepts any Host header (when serving a network)."""
    app = Flask(__name__)
    app.config.update(
        LOOPBACK_ONLY=tuple(trusted_hosts) if trusted_hosts else None,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        DB_PATH=store.resolve_db_path(db_path),
        UPLOAD_DIR=Path(data_dir) / "uploads",
        CSRF_TOKEN=secrets.token_urlsafe(32),
        JSON_AS_ASCII=False,
    )
    app.jinja_env.globals.update(STATUS_NAMES=names.STATUS_NAMES, FACET_NAMES=names.FACET_NAMES, FACETS=FACETS, names=names,
                                 plan_key=plan_key, UPLOAD_ACCEPT=UPLOAD_ACCEPT)
    def _max_mb() -> str:
        return f"{app.config['MAX_CONTENT_LENGTH'] / (1024 * 1024):g}"

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.before_request
    def _open() -> None:
        trusted = app.config["LOOPBACK_ONLY"]
        if trusted and not host_allowed(request.headers.get("Host"), trusted):
            abort(400)
        g.db_path = app.config["DB_PATH"]

    @app.teardown_appcontext
    def _close(_error: BaseException | None) -> None:
        conn = g.pop("conn", None)
        if conn is not None:
            conn.close()

    @app.after_request
    def _headers(response):
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.get("/")
    def index():
        q = request.args.get("q", "").strip()
        page = max(1, request.args.get("page", 1, type=int) or 1)
        active = {k: request.args.get(k, "").strip() for k in FILTER_KEYS}
        conn = _db()
        plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
        result = error = None
        status = 200
        cards: list[dict] = []
        listed: list[dict] = []
        if q or any(active.values()):
            try:
                if page > MAX_OFFSET // PAGE_SIZE:
                    raise QueryLimitError(f"頁數超出範圍（最多第 {MAX_OFFSET // PAGE_SIZE:,} 頁）")
                year_from, year_to = year_range(active["year"], active["years"])
                filters = Filters(
                    agency=active["agency"] or None, year_from=year_from, year_to=year_to,
                    dimension=active["dimension"] or None, item=active["item"] or None, unit=active["unit"] or None,
                )
                result = search(conn, q, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
                cards = group_hits(result.hits)
                if not q and (filters.agency or year_from is not None):
                    listed = plan_families(conn, filters)
            except QueryLimitError as exc:
                error, status = str(exc), 400
            except (QueryError, store.DataUnavailable) as exc:
                error = str(exc)
        browse = browse_lists(conn) if not (q or any(active.values())) else None
        return render_template(
            "search.html", q=q, active=active, result=result, cards=cards, listed=listed, browse=browse, error=error,
            plans=plans, page=page, page_size=PAGE_SIZE, args_with=_args_with,
        ), status

    @app.get("/plan/<key>")
    def plan_page(key: str):
        conn = _db()
        row = plan_by_key(conn, key)
        if row is None:
            abort(404)
        measures = conn.execute(
            """SELECT m.*, (SELECT group_concat(item_id, ' ') FROM item_matches i WHERE i.measure_rowid = m.id) AS items
               FROM measures m WHERE m.plan_id = ? ORDER BY m.ord""",
            (row["id"],),
        ).fetchall()
        plan = Plan.model_validate_json(row["plan_json"])
        report = CheckReport.model_validate_json(row["report_json"]) if row["report_json"] else None
        examples, examples_note = _exemplars_for(conn, report, row["sha256"]) if report else ({}, None)
        return render_template(
            "plan.html", row=row, plan=plan, measures=[_measure_view(m) for m in measures], report=report,
            examples=examples, examples_note=examples_note, focus=request.args.get("m"),
            measure_anchor={m["measure_id"]: f"m-{m['measure_id']}" for m in measures},
            renderings=[r for r in renderings(conn, row) if r["key"] != plan_key(row["sha256"])],
        )

    @app.get("/check")
    def check_form():
        return render_template("check.html", csrf=app.config["CSRF_TOKEN"], error=None, max_mb=_max_mb())

    @app.post("/check")
    def check_upload():
        def fail(message: str, status: int = 400):
            page = render_template("check.html", csrf=app.config["CSRF_TOKEN"], error=message, max_mb=_max_mb())
            return page, status

        if not hmac.compare_digest(request.form.get("csrf", ""), app.config["CSRF_TOKEN"]):
            return fail("表單已過期，請重新整理頁面後再上傳", 403)
        upload = request.files.get("plan")
        if upload is None or not upload.filename:
            return fail("請選擇要檢查的計畫檔案")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in PLAN_SUFFIXES:
            return fail(f"不支援的檔案類型「{suffix or '（無副檔名）'}」；可上傳 {' '.join(UPLOAD_ACCEPT.split(','))}", 415)
        saved = save_upload(upload.stream, app.config["UPLOAD_DIR"], suffix, app.config["MAX_CONTENT_LENGTH"])
        try:
            analysed = analyse(saved)
        except Exception as exc:  # noqa: BLE001 - any unreadable upload gets a sentence, not a 500
            return fail("無法讀取此檔案：" + error_line(upload.filename, exc).removeprefix("plancheck: ").replace(str(saved), upload.filename), 422)
        report = analysed.report
        examples, examples_note = _exemplars_for(_db(), report, analysed.plan.source.sha256) if report else ({}, None)
        measures = [
            {"measure_id": m.id, "path": m.path, "number": m.number, "text": m.text, "departments": m.departments,
             "deadline": m.deadline, "dimension": m.dimension, "items": [], "location": m.location.model_dump()}
            for m in analysed.plan.measures
        ]
        return render_template(
            "plan.html", row=None, plan=analysed.plan, measures=measures, report=report, upload_name=upload.filename,
            examples=examples, examples_note=examples_note, focus=None,
            measure_anchor={m["measure_id"]: f"m-{m['measure_id']}" for m in measures},
            renderings=[],
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        message = f"檔案超過上限 {_max_mb()} MB"
        return render_template("check.html", csrf=app.config["CSRF_TOKEN"], error=message, max_mb=_max_mb()), 413

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("message.html", title="找不到頁面", message="找不到這個頁面或計畫。"), 404

    @app.errorhandler(store.CorpusError)
    def corpus_error(error):
        return render_template("message.html", title="語料庫錯誤", message=str(error)), 500

    return app


def _rendering(row: sqlite3.Row) -> dict:
    return {"key": plan_key(row["sha256"]), "file": names.file_name(row["source_path"]),
            "format": names.format_name(row["format"])}


def renderings(conn: sqlite3.Connection, row: sqlite3.Row) -> list[dict]:
    """Every stored rendering of the plan in ``row`` (itself included), PDF first."""
    if not row["title"]:
        return [_rendering(row)]
    rows = conn.execute(
        "SELECT sha256, source_path, format, agency, roc_year, title FROM plans WHERE agency_key IS ? AND roc_year IS ? AND title = ?",
        (row["agency_key"], row["roc_year"], row["title"]),
    ).fetchall()
    return sorted((_rendering(r) for r in rows), key=lambda r: (r["format"] != "PDF", r["file"]))


def plan_families(conn: sqlite3.Connection, filters: Filters, limit: int = 50) -> list[dict]:
    """The plans an agency or year filter selects, renderings grouped, newest first."""
    clauses, params = [], []
    if filters.agency:
        keys = matching_keys(conn, "plans", "agency_key", filters.agency)
        if not keys:
            return []
        clauses.append(f"agency_key IN ({','.join('?' * len(keys))})")
        params += keys
    if filters.year_from is not None:
        clauses.append("roc_year BETWEEN ? AND ?")
        params += [filters.year_from, filters.year_to]
    rows = conn.execute(
        f"SELECT * FROM plans WHERE {' AND '.join(clauses) or '1 = 1'} ORDER BY roc_year DESC, agency, title LIMIT ?",
        [*params, limit * 4],
    ).fetchall()
    families: dict[tuple, dict] = {}
    for row in rows:
        family = families.setdefault(
            family_of(row["agency"], row["roc_year"], row["title"]),
            {"agency": row["agency"], "roc_year": row["roc_year"], "title": row["title"], "renderings": []},
        )
        family["renderings"].append(_rendering(row))
    return list(families.values())[:limit]


def browse_lists(conn: sqlite3.Connection) -> dict:
    """The home page's ways in without a query: agencies and years with their
    plan counts, and the dimensions measures were mapped to."""
    agencies = conn.execute(
        "SELECT agency, count(*) n FROM plans WHERE agency IS NOT NULL GROUP BY agency ORDER BY n DESC, agency LIMIT ?",
        (BROWSE_AGENCIES,),
    ).fetchall()
    years = conn.execute(
        "SELECT roc_year, count(*) n FROM plans WHERE roc_year IS NOT NULL GROUP BY roc_year ORDER BY roc_year DESC"
    ).fetchall()
    dimensions = [
        conn.execute("SELECT dimension FROM measure_keys WHERE dimension_key = ? LIMIT 1", (key,)).fetchone()[0]
        for key in distinct_keys(conn, "measure_keys", "dimension_key")
    ]
    agency_total = conn.execute("SELECT count(DISTINCT agency) FROM plans").fetchone()[0]
    return {"agencies": agencies, "agency_total": agency_total, "years": years, "dimensions": sorted(dimensions)}


def _measure_view(row: sqlite3.Row) -> dict:
    return {
        "measure_id": row["measure_id"],
        "path": json.loads(row["path_json"]),
        "number": row["number"],
        "text": row["text"],
        "departments": json.loads(row["departments_json"]),
        "deadline": row["deadline"],
        "dimension": row["dimension"],
        "items": (row["items"] or "").split(),
        "location": {"page": row["page"], "line": row["line"], "row": row["row"]},
    }


def save_upload(stream, folder: Path, suffix: str, limit: int = MAX_UPLOAD_BYTES, chunk: int = 1 << 16) -> Path:
    """Write an upload under a fresh random name in ``folder``; O_EXCL makes sure
    nothing existing is ever replaced, and the suffix comes from a fixed list."""
    if suffix not in PLAN_SUFFIXES:
        raise ValueError(f"unsupported suffix {suffix!r}")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written = 0
    with os.fdopen(fd, "wb") as handle:
        while block := stream.read(chunk):
            written += len(block)
            if written > limit:
                handle.close()
                path.unlink()
                raise RequestEntityTooLarge()
            handle.write(block)
    return path


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000) -> None:
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"plancheck 網頁：http://{shown}:{server.server_port}/ （按 Ctrl+C 結束）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_workers(app: Flask, host: str = "127.0.0.1", port: int = 8000, workers: int = 4) -> None:
    """Serve with gunicorn's ``workers`` processes (a PostgreSQL corpus, which
    many processes can read and write at once). The app is made before the
    workers fork (one CSRF secret for all); each request opens its own
    connection, so no connection crosses a fork."""
    from gunicorn.app.base import BaseApplication

    shown = f"[{host}]" if ":" in host else host

    def when_ready(server) -> None:
        bound = server.LISTENERS[0].sock.getsockname()[1] if server.LISTENERS else port
        print(f"plancheck 網頁：http://{shown}:{bound}/ （{workers} 個工作程序，按 Ctrl+C 結束）", flush=True)

    def post_worker_init(worker) -> None:
        # Each worker keeps this machine's search index of the corpus current
        # (started after the fork: no thread crosses one).
        import threading

        from corpus.tantivy_index import keep_current

        keep_current(str(app.config["DB_PATH"]), threading.Event())

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{shown}:{port}", "workers": workers, "preload_app": True,
                               "when_ready": when_ready, "post_worker_init": post_worker_init,
                               "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    _Server().run()
