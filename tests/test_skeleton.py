"""The command line keeps the contract's shape: --help everywhere, exit 2 on usage errors."""

import subprocess
import sys

import pytest

COMMANDS = ["parse", "crawl", "export", "serve", "nightly", "demo", "reparse", "merge"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao_cli", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: nianbao " + command in result.stdout


def test_usage_error_exits_2():
    result = run("export", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_missing_file_is_one_line_exit_1(tmp_path):
    result = run("parse", str(tmp_path / "nope.pdf"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
