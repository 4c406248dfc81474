"""``nianbao demo`` end to end: sample web → real crawl → corpus → Datasette, then Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.corpus_env import ROOT


def test_demo_crawls_builds_serves_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "w") as err:  # a file, not a pipe: progress output must never block
        proc = subprocess.Popen([sys.executable, "-m", "nianbao_cli", "demo", "--port", "0"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                env=env, start_new_session=True)
    try:
        match = None
        for line in proc.stdout:  # the crawl's summary line comes first, then the URL
            match = re.search(r"Serving the corpus at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                break
        assert match, err_path.read_text()
        url = match.group(1)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        data = json.loads(opener.open(url + "corpus/reports.json?_shape=objects&_size=max",
                                      timeout=30).read())
        assert len(data["rows"]) >= 10
        assert all(r["source_url"].startswith("http://") for r in data["rows"])
        sha = data["rows"][0]["document_sha256"]
        assert opener.open(url + f"-/raw/{sha}", timeout=30).status == 200
        page = opener.open(url + "-/dashboards/nianbao", timeout=30).read().decode()
        assert "applications-by-year" in page
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
    stderr = err_path.read_text()
    assert "Traceback" not in stderr
    # Progress was shown, and the temporary corpus is gone after Ctrl-C.
    assert "crawling 5 sample sites" in stderr and "corpus built:" in stderr
    built = re.search(r"\((/[^)]+corpus\.db)\)", stderr)
    assert built and not Path(built.group(1)).exists()


def test_demo_on_a_busy_port_is_one_line_exit_1():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "nianbao_cli", "demo", "--port",
                                 str(port)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        sock.close()
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot listen" in result.stderr
