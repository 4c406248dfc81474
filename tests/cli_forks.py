"""``nianbao`` commands as forks of one process that has imported them once.

Each ``python -m nianbao_cli crawl …`` spends ≈ 3.5 CPU-seconds importing Scrapy, Twisted, the
readers the pipeline preloads and sqlite-utils before it does anything; the red-team tests of
the command line start a dozen of them. A *fork server* imports all that once; each command is
then a fork of it that runs ``nianbao_cli.main()`` as the real command does (``sys.argv``, its
own session and process group, its own environment, working directory, stdout and stderr
files, a normal interpreter exit). What differs from a fresh ``python``: modules are imported
before the environment is set — ``crawler.settings``, the one module reading the environment at
import, is imported afresh in each fork — and stdio's encoding is the server's (tests of the
locale, of ``env -i``, of pipes use real processes).

    forks = ForkServer()
    proc = forks.start(["crawl", "--sites", "s.csv", "--db", "c.db"], env=crawl_env())
    out, err = proc.communicate(timeout=60)
    forks.close()
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SERVER = r"""
import json, os, select, signal, sys

import nianbao_cli

nianbao_cli._sqlite_utils_without_pandas()  # as the real command does
import crawler.run, crawler.nightly, crawler.pipelines, crawler.middlewares, crawler.progress
import crawler.spiders.reports, corpus.export, corpus.serve, corpus.preflight, corpus.store
import corpus.runclaim, scrapy.crawler, scrapy.core.engine, tqdm, parsers.cli
from parsers.limits import preload

preload()
# Scrapy loads its components by name as each crawl starts (the TLS context factory alone is
# ≈ 0.4 s of inspect.stack()): import every one the settings name, once, here.
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
settings = Settings()
settings.setmodule("crawler.settings", priority="project")
for _, value in settings.items():
    names = value.copy_to_dict() if hasattr(value, "copy_to_dict") else value
    for name in (names if isinstance(names, (dict, list, tuple)) else [names]):
        if isinstance(name, str) and name.startswith(("scrapy.", "crawler.")) and name.count("."):
            try:
                load_object(name)
            except Exception:
                pass
assert "twisted.internet.reactor" not in sys.modules  # each fork installs its own
sys.modules.pop("crawler.settings", None)  # read the fork's environment at its import
out = os.fdopen(os.dup(1), "w")
out.write("ready\n")
out.flush()
request = None
while request is None:
    readable, _, _ = select.select([0], [], [], 0.05)
    while True:  # report the forks that ended
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        cpu = usage.ru_utime + usage.ru_stime
        out.write(f"exit {pid} {os.waitstatus_to_exitcode(status)} {cpu:.2f}\n")
        out.flush()
    if not readable:
        continue
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    job = json.loads(line)
    pid = os.fork()
    if pid:
        out.write(f"started {pid}\n")
        out.flush()
        continue
    request = job
# The fork: become the command.
out.close()
os.setsid()
os.chdir(request["cwd"])
os.environ.clear()
os.environ.update(request["env"])
if request.get("stdin") is not None:  # a pipe holding this text, closed by its writer
    reader, writer = os.pipe()
    os.write(writer, request["stdin"].encode("utf-8"))
    os.close(writer)
    os.dup2(reader, 0)
    os.close(reader)
else:
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
    if path == "|closed":  # a pipe whose reader is gone before the first byte (`| head`)
        reader, target = os.pipe()
        os.close(reader)
    else:
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(target, fd)
    os.close(target)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
    signal.signal(sig, signal.SIG_DFL)
signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as Python sets it at start
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.argv = ["nianbao", *request["argv"]]
exec(request.get("hook") or "", {"__name__": "__hook__"})
sys.exit(nianbao_cli.main())
"""


class Forked:
    """A command started by :class:`ForkServer`: the part of ``subprocess.Popen`` tests use."""

    def __init__(self, server: ForkServer, pid: int, stdout: Path, stderr: Path):
        self.server, self.pid, self.stdout_path, self.stderr_path = server, pid, stdout, stderr
        self.returncode: int | None = None
        self.args = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.statuses.get(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.server.changed:
            while self.poll() is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(self.args or ["nianbao"], timeout or 0)
                self.server.changed.wait(left if left is not None else 1.0)
        return self.returncode  # type: ignore[return-value]

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        self.wait(timeout)
        return (self.stdout_path.read_text(encoding="utf-8", errors="replace"),
                self.stderr_path.read_text(encoding="utf-8", errors="replace"))

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """One process that imported the commands; :meth:`start` forks a command from it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="nianbao-forks-"))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("NIANBAO_CRAWL_DELAY", None)
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVER], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)
        for line in self.proc.stdout:  # (a module printing on import comes first)
            if line.strip() == "ready":
                break
        else:
            raise AssertionError("the fork server did not start (its error is above)")
        self.statuses: dict[int, int] = {}
        self.cpu: dict[int, float] = {}  # CPU-seconds of each fork that ended (with its children)
        self.changed = threading.Condition()
        self._started: list[int] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._count = 0

    def _read(self) -> None:
        for line in self.proc.stdout:
            kind, pid, *rest = line.split()
            with self.changed:
                if kind == "exit":
                    self.statuses[int(pid)] = int(rest[0])
                    self.cpu[int(pid)] = float(rest[1])
                else:
                    self._started.append(int(pid))
                self.changed.notify_all()

    def start(self, argv: list[str], env: dict[str, str], cwd: Path | str = ROOT,
              hook: str = "", reader_gone: bool = False, stdin: str | None = None) -> Forked:
        """Fork ``nianbao ARGV`` with this environment (``hook``: Python run in the fork first,
        as a ``sitecustomize`` would; ``reader_gone``: stdout a pipe nobody reads any more;
        ``stdin``: a pipe holding this text, else /dev/null)."""
        self._count += 1
        stdout, stderr = (self.folder / f"{self._count}.{n}" for n in ("out", "err"))
        stdout.touch()
        with self.changed:
            known = len(self._started)
            self.proc.stdin.write(json.dumps({"argv": [str(a) for a in argv], "env": env,
                                              "cwd": str(cwd),
                                              "stdout": "|closed" if reader_gone else str(stdout),
                                              "stderr": str(stderr), "hook": hook,
                                              "stdin": stdin}) + "\n")
            self.proc.stdin.flush()
            while len(self._started) == known:
                assert self.changed.wait(30), "the fork server did not fork"
            pid = self._started[known]
        forked = Forked(self, pid, stdout, stderr)
        forked.args = ["nianbao", *argv]
        return forked

    def close(self) -> None:
        import shutil

        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
