"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

The store's PostgreSQL behaviour (row locks, ``SKIP LOCKED``, ``LISTEN/NOTIFY``, advisory locks)
can only be checked against a real server, so the tests start one: ``initdb`` into a temporary
folder, ``postgres`` on a free loopback port with its unix socket in that folder, durability
switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``: a test server that loses
its data in a power cut loses nothing of value) and room for many connections. No docker, no
network: the machine's own binaries, found with ``pg_config --bindir``, under
``/usr/lib/postgresql/*/bin``, or on ``PATH`` (``LIENTHONG_PG_BINDIR`` overrides).

``initdb`` and ``postgres`` refuse to run as root. When the current user is root, the binaries
run as the ``postgres`` system user (``LIENTHONG_PG_USER`` overrides) and the folder is handed to
it; the folder lives under the system's temporary directory, which that user can traverse.

The API, stable for the tests, the chaos suite and ``bench/``::

    with PostgresServer() as server:           # or server = PostgresServer().start()
        server.url                             # the admin database, postgresql+psycopg://...
        url = server.create_database("t1")     # a fresh, empty database: its URL
        server.drop_database("t1")             # gone, even with connections still open
    # leaving the block (or server.stop()) stops the server and removes its folder

    shared_server()                            # one server per process, started on first use,
                                               # stopped when the process exits

A server that cannot start raises ``PostgresUnavailable`` with the reason and the tail of the
server's log, so a test that needs PostgreSQL fails saying why rather than being skipped.
The server is started with a parent-death signal: if the process that started it is killed
outright, the server shuts down too instead of lingering.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

__all__ = ["PostgresServer", "PostgresUnavailable", "shared_server"]

START_TIMEOUT = 60.0
"""Seconds to wait for a started server to accept connections."""

STOP_TIMEOUT = 30.0
"""Seconds a fast shutdown may take before the server is killed."""

SETTINGS: Mapping[str, str] = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "200",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "128MB",
}
"""Server settings: fast and disposable; ``PostgresServer(settings=...)`` adds or overrides."""

_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_PR_SET_PDEATHSIG = 1


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server could not be found, initialised or started; the message says why."""


def _find_bindir() -> Path:
    candidates: list[Path] = []
    if override := os.environ.get("LIENTHONG_PG_BINDIR"):
        candidates.append(Path(override))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            found = subprocess.run(
                [pg_config, "--bindir"], check=True, capture_output=True, text=True
            )
            candidates.append(Path(found.stdout.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda path: [int(p) for p in re.findall(r"\d+", path)], reverse=True)
    candidates.extend(Path(path) for path in versions)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, postgres) found: looked in "
        f"{', '.join(map(str, candidates)) or 'pg_config, /usr/lib/postgresql/*/bin and PATH'}; "
        "install the PostgreSQL server (e.g. apt-get install postgresql) "
        "or set LIENTHONG_PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _on_main_thread() -> bool:
    """The parent-death signal follows the thread that started the child: only the main one lives
    as long as the process, so a server started from another thread goes without it."""
    return threading.current_thread() is threading.main_thread()


def _die_with_parent() -> None:
    """In the child, after it took its user: be sent SIGTERM when the parent thread ends."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class PostgresServer:
    """One PostgreSQL server in a temporary folder; a context manager (see the module)."""

    def __init__(
        self,
        *,
        settings: Mapping[str, str] | None = None,
        user: str | None = None,
    ) -> None:
        self.settings = {**SETTINGS, **(settings or {})}
        self._user = user or os.environ.get("LIENTHONG_PG_USER", "postgres")
        self._folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.port = 0

    # -- the API ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The admin database (``postgres``), as a SQLAlchemy URL."""
        return self.url_of("postgres")

    @property
    def socket_dir(self) -> Path:
        """The folder holding the server's unix socket (``host=`` for libpq)."""
        return self._running_folder() / "socket"

    def url_of(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (which need not exist yet)."""
        self._running_folder()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database ``name`` (lower-case letters, digits, ``_``); its URL."""
        self._check_name(name)
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 STRATEGY file_copy").format(
                sql.Identifier(name)
            )
        )
        return self.url_of(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, ending any sessions still connected to it."""
        self._check_name(name)
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def start(self) -> PostgresServer:
        """Initialise and start the server (once); returns it, ready for connections."""
        with self._lock:
            if self._process is not None:
                return self
            bindir = _find_bindir()
            folder = Path(tempfile.mkdtemp(prefix="lienthong-pg-"))
            try:
                account = self._account()
                (folder / "socket").mkdir()
                if account is not None:
                    for path in (folder, folder / "socket"):
                        os.chown(path, account.pw_uid, account.pw_gid)
                self._initdb(bindir, folder, account)
                self._folder = folder
                self._launch(bindir, folder, account)
            except BaseException:
                self._kill()
                self._folder = None
                shutil.rmtree(folder, ignore_errors=True)
                raise
            return self

    def stop(self) -> None:
        """Shut the server down (fast: sessions are ended) and remove its folder; idempotent."""
        with self._lock:
            process, folder = self._process, self._folder
            self._process, self._folder = None, None
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- how ----------------------------------------------------------------------------------

    def _account(self) -> pwd.struct_passwd | None:
        """The user to run the binaries as, when running as root; None otherwise."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(self._user)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root, and PostgreSQL refuses root: no system user {self._user!r} "
                "to run it as; create one (useradd --system postgres) or set LIENTHONG_PG_USER"
            ) from None

    @staticmethod
    def _as(account: pwd.struct_passwd | None) -> dict[str, object]:
        if account is None:
            return {}
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    def _initdb(self, bindir: Path, folder: Path, account: pwd.struct_passwd | None) -> None:
        command = [
            str(bindir / "initdb"),
            "--pgdata",
            str(folder / "data"),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        ]
        environment = {**os.environ, "LC_ALL": "C.UTF-8"}
        environment.pop("PGDATA", None)
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=folder,
            env=environment,
            check=False,
            **self._as(account),  # type: ignore[call-overload]
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}"
            )

    def _launch(self, bindir: Path, folder: Path, account: pwd.struct_passwd | None) -> None:
        for _attempt in range(3):  # a free port may be taken between probing and binding
            self.port = _free_port()
            command = [
                str(bindir / "postgres"),
                "-D",
                str(folder / "data"),
                "-p",
                str(self.port),
                "-c",
                f"unix_socket_directories={folder / 'socket'}",
            ]
            for name, value in self.settings.items():
                command += ["-c", f"{name}={value}"]
            log_path = folder / "server.log"
            with log_path.open("ab") as log_file:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    cwd=folder,
                    start_new_session=True,
                    preexec_fn=_die_with_parent if _on_main_thread() else None,
                    **self._as(account),  # type: ignore[call-overload]
                )
            if self._wait_ready(log_path):
                return
            self._kill()
        raise PostgresUnavailable(
            f"PostgreSQL did not start; its log ends with:\n{_tail(folder / 'server.log')}"
        )

    def _wait_ready(self, log_path: Path) -> bool:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                if "could not bind" in _tail(log_path) or "in use" in _tail(log_path):
                    return False
                raise PostgresUnavailable(
                    f"PostgreSQL exited at start ({process.returncode}); "
                    f"its log ends with:\n{_tail(log_path)}"
                )
            try:
                with psycopg.connect(self._conninfo("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        raise PostgresUnavailable(
            f"PostgreSQL did not accept connections within {START_TIMEOUT:.0f} s; "
            f"its log ends with:\n{_tail(log_path)}"
        )

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def _conninfo(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def _running_folder(self) -> Path:
        if self._folder is None or self._process is None:
            raise PostgresUnavailable("the PostgreSQL server is not running: call start() first")
        return self._folder

    def _admin(self, statement: sql.Composed) -> None:
        self._running_folder()
        with psycopg.connect(self._conninfo("postgres"), autocommit=True) as connection:
            connection.execute(statement)

    @staticmethod
    def _check_name(name: str) -> None:
        if not _DATABASE_NAME.fullmatch(name):
            raise ValueError(
                f"database name {name!r}: use lower-case letters, digits and _ (at most 63)"
            )


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


_shared: PostgresServer | None = None
_shared_lock = threading.Lock()


def shared_server() -> PostgresServer:
    """This process's one server, started on first use and stopped when the process exits."""
    global _shared
    with _shared_lock:
        if _shared is None:
            server = PostgresServer().start()
            atexit.register(server.stop)
            _shared = server
        return _shared
