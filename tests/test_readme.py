"""Every command in the README's shell blocks runs, against copies of the
sample plans in a scratch folder, through the real `plancheck` process.

A usage line is run twice: with its required arguments only, and with every
optional group (the first alternative of ``a|b`` and of ``[x | y]``). The
placeholders (PLAN, PATH..., DIR, FILE, QUERY …) are filled with the samples
and files of the scratch folder. `serve` is started, must answer its home
page, and is stopped; it always gets a free port. `export-bulk --url` sends to a local stand-in of the cluster's API
(the stub of tests/test_corpus_export.py). The `make` lines are checked
with `make -n` (running `make test` inside the tests would recurse)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from corpus import samples_folder
from tests.test_corpus_export import Stub

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLE = "samples/001_dc73fa876cd20475.txt"
# Positional placeholders, and option values by option.
POSITIONAL = {"PLAN": SAMPLE, "PATH...": "samples", "QUERY": "電話禮貌測試"}
VALUES = {
    "-o": "out.json", "--out": "out", "--format": None, "--jobs": "1", "--fail-on": None, "--corpus-db": "corpus.sqlite",
    "--profile": "default", "--db": "corpus.sqlite", "--agency": "水利署", "--year": "105", "--years": "102-105",
    "--dimension": "優質便民服務", "--item": "PHONE-TEST-QUARTERLY", "--unit": "秘書室", "--limit": "5",
    "--host": "127.0.0.1", "--out-dir": "schema",
}
# Commands that need the corpus come after `index`.
ORDER = ("--version", "extract", "debug", "items", "schema", "samples", "index", "check", "search", "export-bulk", "serve")


def shell_commands(text: str) -> list[str]:
    """The commands of the ```sh blocks: comments dropped, indented lines joined
    to the command they continue."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            code = line.split("#", 1)[0].rstrip()
            if not code.strip():
                continue
            if line[:1].isspace() and commands:
                commands[-1] += " " + code.strip()
            else:
                commands.append(code.strip())
    return commands


def _first(alternatives: str) -> str:
    return re.split(r"\s+\|\s+", alternatives)[0]


def variants(command: str) -> list[str]:
    """The command with its required arguments only, and with every optional group."""
    required = re.sub(r"\s*\[[^\[\]]*\]", "", command)
    every = re.sub(r"\[([^\[\]]*)\]", lambda m: _first(m.group(1)), command)
    return list(dict.fromkeys((required, every)))


def arguments(usage: str, port: int) -> list[str]:
    """The usage line's words with its placeholders filled."""
    words = shlex.split(usage)[1:]
    result: list[str] = []
    for index, word in enumerate(words):
        option = words[index - 1] if index else ""
        if word.startswith("-"):
            result.append(word)
        elif option in VALUES and option.startswith("-"):
            value = VALUES[option]
            result.append(value if value is not None else word.split("|")[0])
        elif word in POSITIONAL:
            result.append(POSITIONAL[word])
        elif word == "OUT.ndjson":
            result.append("bulk.ndjson")
        else:
            result.append(word)
    if result[:1] == ["serve"]:
        result = [w for i, w in enumerate(result) if w != "--port" and (i == 0 or result[i - 1] != "--port")]
        result += ["--port", str(port)]
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(args: list[str], cwd: Path, env: dict, port: int) -> None:
    process = subprocess.Popen([sys.executable, "-m", "plancheck", *args], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120  # a generous bound only a hang reaches
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    assert response.status == 200
                    return
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(samples_folder(), folder / "samples")
    env = dict(os.environ, HOME=str(folder), XDG_DATA_HOME=str(folder / "data"))
    env.pop("PLANCHECK_DB", None)
    return folder, env


def readme_plancheck_commands() -> list[str]:
    commands = [c for c in shell_commands(README.read_text(encoding="utf-8")) if c.startswith("plancheck ")]
    return sorted((v for c in commands for v in variants(c)), key=lambda v: ORDER.index(v.split()[1]))


def test_the_readme_shows_commands():
    commands = shell_commands(README.read_text(encoding="utf-8"))
    assert {c.split()[1] for c in commands if c.startswith("plancheck ")} == set(ORDER)
    assert {"make samples", "make test"} <= set(commands)


@pytest.mark.parametrize("usage", readme_plancheck_commands())
def test_readme_command_runs(scratch, usage):
    folder, env = scratch
    port = _free_port()
    args = arguments(usage, port)
    if args[0] == "serve":
        _serve(args, folder, env, port)
        return
    if "--url" in args:  # a local stand-in for the OpenSearch/Elasticsearch cluster
        stub = Stub()
        server = ThreadingHTTPServer(("127.0.0.1", 0), stub.handler())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        args[args.index("--url") + 1] = f"http://127.0.0.1:{server.server_port}"
        try:
            result = subprocess.run([sys.executable, "-m", "plancheck", *args], cwd=folder, env=env,
                                    capture_output=True, text=True, timeout=600)
        finally:
            server.shutdown()
        assert result.returncode == 0, result.stderr
        assert stub.documents and not stub.problems
        return
    result = subprocess.run([sys.executable, "-m", "plancheck", *args], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=600)
    allowed = {0, 3} if "--fail-on" in args else {0}
    assert result.returncode in allowed, f"{args}: {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_readme_make_targets_exist():
    for command in shell_commands(README.read_text(encoding="utf-8")):
        if command.startswith("make "):
            result = subprocess.run(["make", "-n", *command.split()[1:]], cwd=ROOT, capture_output=True, text=True,
                                    timeout=60)
            assert result.returncode == 0, result.stderr


def test_placeholders_are_filled():
    assert arguments("plancheck extract PLAN --format json|md -o OUT", 1) == ["extract", SAMPLE, "--format", "json",
                                                                            "-o", "out.json"]
    assert variants("plancheck search QUERY [--year Y | --years Y1-Y2] [--json]") == [
        "plancheck search QUERY", "plancheck search QUERY --year Y --json"]


def test_the_readme_tells_the_truth_about_set_up_samples_and_memory():
    """Issue 15's README points: set-up needs root (or sudo) and apt, python3-venv among the packages; the
    samples are text files; the memory figure is the one benchmarks/README.md records from the benchmark."""
    readme = README.read_text(encoding="utf-8")
    packages = (ROOT / "scripts" / "debian-packages.txt").read_text(encoding="utf-8").split()
    assert "python3-venv" in packages and "python3-venv" in readme
    assert "apt-get" in readme and re.search(r"\broot\b", readme) and "sudo" in readme
    samples = sorted(p.suffix for p in (ROOT / "corpus" / "samples").iterdir() if not p.name.startswith("."))
    assert samples and set(samples) == {".txt"}
    assert "`corpus/samples/` (text files)" in readme.replace("\n", " ")
    assert not re.search(r"sample (plans )?PDFs|samples are PDFs", readme)
    bench = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"long plan peak memory[^|]*\|\s*\*\*(\d+) MiB\*\*", bench).group(1)
    claimed = re.search(r"a 241-page plan: time against plain pdfplumber / peak memory[^|]*\|[^|]*\*\*(\d+) MiB\*\*", readme)
    assert claimed and claimed.group(1) == recorded, (claimed and claimed.group(1), recorded)
