"""Real SPARQL servers for the tests, each on 127.0.0.1, a free port and a temporary folder.

``oxigraph_server(folder)`` and ``virtuoso_server(folder)`` are context managers yielding a
``Server`` (its query, update and graph-store addresses, the credentials it accepts, and
its process) and stopping the process on exit. ``missing_server(name)`` says why a server
cannot run here, or None.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: The password the tests give Virtuoso's dba account (never a real one).
VIRTUOSO_PASSWORD = "kg-test-dba"


@dataclass
class Server:
    name: str
    query: str
    update: str
    store: str
    process: subprocess.Popen
    user: str | None = None
    password: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_server(name: str) -> str | None:
    """Why the server called ``name`` cannot run here, or None when it can."""
    binaries = {"oxigraph": ("oxigraph",), "virtuoso": ("virtuoso-t", "isql-vt")}[name]
    absent = [binary for binary in binaries if shutil.which(binary) is None]
    return f"{', '.join(absent)} not found (install: see .ci/run)" if absent else None


def _wait_for(url: str, process: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {process.returncode}: {text}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def oxigraph_server(folder: Path, timeout_s: int = 30) -> Iterator[Server]:
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        ["oxigraph", "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(root + "/query?query=ASK%7B%7D", process, 30)
        yield Server("oxigraph", root + "/query", root + "/update", root + "/store", process)
    finally:
        stop(process)


#: TransactionAfterImageLimit: a push onto a graph name that holds S ends in a MOVE whose
#: transaction writes hundreds of MB to the log; at the default 50 MB Virtuoso refuses it (SR325).
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
TransactionAfterImageLimit = 2000000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


def isql(sql_port: int, statement: str) -> str:
    """Run SQL in a new Virtuoso as dba through isql-vt (which logs in with the initial password)."""
    done = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba"], input=f"{statement}\n",
                          capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.lck").unlink(missing_ok=True)  # left by a server that was killed
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for(root + "/sparql?query=ASK%7B%7D", process, 120, folder / "virtuoso.log")
        isql(sql_port, f"USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}');")
        yield Server("virtuoso", root + "/sparql-auth", root + "/sparql-auth", root + "/sparql-graph-crud-auth",
                     process, "dba", VIRTUOSO_PASSWORD)
    finally:
        stop(process)


def environment(server: Server) -> dict[str, str]:
    """The environment variables that give kg the server's credentials."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_ENDPOINT")}
    if server.user is not None:
        env |= {"KG_ENDPOINT_USER": server.user, "KG_ENDPOINT_PASSWORD": server.password}
    return env
