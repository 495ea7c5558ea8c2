"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a
temporary folder, listening only on a Unix socket in that folder (no TCP port,
so parallel sessions never collide). initdb refuses to run as root; as root the
cluster is made and run by an unprivileged system user (``postgres``, created
when missing) who is given the folder."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
CLUSTER_USER = "postgres"
START_TIMEOUT_S = 120  # a cluster this slow to start has hung


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed (scripts/setup.sh installs them)."""


def pg_bin() -> Path:
    for folder in [*(Path(p) for p in os.environ.get("PLANCHECK_PG_BIN", "").split(os.pathsep) if p), *PG_BIN_DIRS]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ClusterUnavailable("PostgreSQL server programs (initdb, pg_ctl) not found; run scripts/setup.sh")


def _runner() -> list[str]:
    """The prefix that runs a command as the cluster's owner: nothing when not root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CLUSTER_USER], check=True)
    return ["runuser", "-u", CLUSTER_USER, "--"]


@dataclass
class Cluster:
    folder: Path
    bin: Path
    runner: list[str]

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def url(self, database: str = "postgres") -> str:
        # libpq reads a host beginning with "/" as a socket folder
        return f"postgresql:///{database}?host={self.socket_dir}&user={CLUSTER_USER if self.runner else pwd.getpwuid(os.geteuid()).pw_name}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.runner, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=START_TIMEOUT_S)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start in a new temporary folder; the caller stops it."""
    binaries = pg_bin()
    runner = _runner()
    folder = Path(tempfile.mkdtemp(prefix="plancheck-pg-"))
    if runner:
        shutil.chown(folder, CLUSTER_USER)
    data = folder / "data"
    try:
        subprocess.run([*runner, str(binaries / "initdb"), "-D", str(data), "--auth=trust", "--encoding=UTF8",
                        "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, timeout=START_TIMEOUT_S)
        options = f"-c listen_addresses='' -k {folder} -c fsync=off -c full_page_writes=off -c max_connections=200"
        subprocess.run([*runner, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                        "-w", "-t", str(START_TIMEOUT_S), "start"], check=True, capture_output=True, timeout=START_TIMEOUT_S)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        stderr = getattr(error, "stderr", b"") or b""
        raise RuntimeError(f"PostgreSQL cluster did not start: {stderr.decode(errors='replace')}{log}") from None
    return Cluster(folder, binaries, runner)
