"""`export-bulk --url`: the corpus sent to an OpenSearch/Elasticsearch `_bulk`
endpoint. No cluster runs here, so a local stub of the endpoint (127.0.0.1, a
free port) checks every request: the index is created with the mapping file,
each bulk body is NDJSON of action/document pairs whose fields the mapping
declares, a 429 answer is retried, and a refused document is one line and exit 1."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corpus.export import DEFAULT_INDEX, MAPPING
from tests import MEASURES_PER_SEED

FIELDS = set(json.loads(MAPPING.read_text(encoding="utf-8"))["mappings"]["properties"])


class Stub:
    """A `_bulk` endpoint that records what it was sent and answers as a cluster would."""

    def __init__(self, throttle_first: bool = False, refuse_id: str | None = None):
        self.indices: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.bulk_requests = 0
        self.problems: list[str] = []
        self.throttle_first = throttle_first
        self.refuse_id = refuse_id

    def handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict | None = None):
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def do_HEAD(self):
                self._answer(200 if self.path.strip("/") in stub.indices else 404)

            def do_PUT(self):
                stub.indices[self.path.strip("/")] = json.loads(self._body())
                self._answer(200, {"acknowledged": True, "index": self.path.strip("/")})

            def do_POST(self):
                if not self.path.startswith("/_bulk"):
                    return self._answer(404)
                lines = self._body().decode("utf-8").splitlines()
                stub.bulk_requests += 1
                if len(lines) % 2:
                    stub.problems.append("odd number of NDJSON lines")
                items = []
                throttle = stub.throttle_first and stub.bulk_requests == 1
                for action_line, doc_line in zip(lines[::2], lines[1::2]):
                    action, doc = json.loads(action_line)["index"], json.loads(doc_line)
                    if action.get("_index") not in stub.indices:
                        stub.problems.append(f"document for an index never created: {action}")
                    if set(doc) - FIELDS:
                        stub.problems.append(f"fields the mapping does not declare: {set(doc) - FIELDS}")
                    status = 429 if throttle else 400 if action["_id"] == stub.refuse_id else 201
                    if status == 201:
                        stub.documents[action["_id"]] = doc
                    error = None if status == 201 else {"type": "es_rejected_execution_exception" if status == 429
                                                        else "mapper_parsing_exception", "reason": "stub"}
                    items.append({"index": {"_index": action["_index"], "_id": action["_id"], "status": status,
                                            **({"error": error} if error else {})}})
                self._answer(200, {"took": 1, "errors": any("error" in i["index"] for i in items), "items": items})

        return Handler


@pytest.fixture
def serve():
    servers = []

    def start(stub: Stub) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), stub.handler())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def test_the_whole_corpus_arrives_in_chunks_with_the_mapping(cli, sample_db, serve):
    stub = Stub(throttle_first=True)
    result = cli("export-bulk", "--db", str(sample_db), "--url", serve(stub), "--chunk-size", "100")
    assert result.returncode == 0, result.stderr
    total = sum(MEASURES_PER_SEED.values())
    assert stub.problems == []
    assert stub.indices[DEFAULT_INDEX] == json.loads(MAPPING.read_text(encoding="utf-8"))
    assert len(stub.documents) == total
    assert stub.bulk_requests >= -(-total // 100) + 1  # every chunk, and the throttled one again
    assert f"送出 {total} 項措施" in result.stderr
    one = next(iter(stub.documents.values()))
    assert one["text_segmented"] and one["agency"] and one["source"]["sha256"]


def test_same_documents_as_the_ndjson_export(cli, sample_db, serve, tmp_path):
    stub = Stub()
    assert cli("export-bulk", "--db", str(sample_db), "--url", serve(stub)).returncode == 0
    assert cli("export-bulk", "--db", str(sample_db), "-o", str(tmp_path / "bulk.ndjson")).returncode == 0
    lines = (tmp_path / "bulk.ndjson").read_text(encoding="utf-8").splitlines()
    exported = {json.loads(a)["index"]["_id"]: json.loads(d) for a, d in zip(lines[::2], lines[1::2])}
    assert exported == stub.documents


def test_a_refused_document_is_one_line_and_exit_1(cli, sample_db, serve, tmp_path):
    lines = []
    assert cli("export-bulk", "--db", str(sample_db), "-o", str(tmp_path / "b.ndjson")).returncode == 0
    lines = (tmp_path / "b.ndjson").read_text(encoding="utf-8").splitlines()
    refused = json.loads(lines[4])["index"]["_id"]
    stub = Stub(refuse_id=refused)
    result = cli("export-bulk", "--db", str(sample_db), "--url", serve(stub))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "1 項措施未被接受" in line and "mapper_parsing_exception" in line
    assert len(stub.documents) == sum(MEASURES_PER_SEED.values()) - 1


def test_an_unreachable_cluster_is_one_line(cli, sample_db):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cli("export-bulk", "--db", str(sample_db), "--url", f"http://127.0.0.1:{port}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"plancheck: http://127.0.0.1:{port}: 無法送出")


def test_url_and_out_together_are_a_usage_error(cli, sample_db, tmp_path):
    result = cli("export-bulk", "--db", str(sample_db), "--url", "http://127.0.0.1:9", "-o", str(tmp_path / "x"))
    assert result.returncode == 2
