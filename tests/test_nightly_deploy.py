"""The scheduling files in deploy/ stay valid and keep calling a command the CLI accepts."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from nianbao_cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def _nianbao_args(command: str) -> list[str]:
    words = shlex.split(command)
    index = next(i for i, w in enumerate(words) if w.endswith("/nianbao") or w == "nianbao")
    return words[index + 1:]


def test_service_runs_the_nightly_command_the_cli_accepts() -> None:
    service = _unit("nianbao-nightly.service")
    assert service["Service"]["Type"] == "oneshot"
    args = _nianbao_args(service["Service"]["ExecStart"])
    parsed = build_parser().parse_args(args)
    assert parsed.command == "nightly" and parsed.sites and parsed.db
    # Ctrl-C semantics on stop: the night ends cleanly and the next run resumes; the exit
    # status of such a stop (130, docs/nightly.md) is not counted by systemd as a failure.
    assert service["Service"]["KillSignal"] == "SIGINT"
    assert "130" in service["Service"]["SuccessExitStatus"].split()


def test_timer_starts_the_service_every_night() -> None:
    timer = _unit("nianbao-nightly.timer")
    assert timer["Timer"]["Unit"] == "nianbao-nightly.service"
    assert timer["Timer"]["OnCalendar"].startswith("*-*-*")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_crontab_line_runs_the_nightly_command() -> None:
    lines = [ln for ln in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    minute, hour = int(fields[0]), int(fields[1])
    assert 0 <= minute < 60 and 0 <= hour < 24 and fields[2:5] == ["*", "*", "*"]
    command = fields[5].split(">>")[0].split("&&")[-1]
    parsed = build_parser().parse_args(_nianbao_args(command))
    assert parsed.command == "nightly"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    # Point the units at this checkout so that verify can check the executable too.
    for name in ("nianbao-nightly.service", "nianbao-nightly.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8").replace("/opt/nianbao", str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    executable = ROOT / ".venv" / "bin" / "nianbao"
    if not executable.exists():
        pytest.skip("no .venv/bin/nianbao in this checkout")
    proc = subprocess.run(["systemd-analyze", "verify", "--man=no",
                           str(tmp_path / "nianbao-nightly.service"),
                           str(tmp_path / "nianbao-nightly.timer")],
                          check=False, capture_output=True, text=True, timeout=60)
    problems = [ln for ln in (proc.stdout + proc.stderr).splitlines()
                if "nianbao-nightly" in ln]
    assert proc.returncode == 0 and not problems, proc.stdout + proc.stderr
