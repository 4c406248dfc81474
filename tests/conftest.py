"""Shared test configuration.

A run in which no test passed must fail (a CI that silently ran nothing is not green).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# Tests never reach the network beyond loopback: make sure no proxy from the environment
# leaks into tests that do not set one themselves.
for _var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_var, None)
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

_passed = 0


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _passed
    if report.when == "call" and report.passed:
        _passed += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Under xdist the controller sees the workers' reports through the same hook.
    if os.environ.get("PYTEST_XDIST_WORKER") or session.config.option.collectonly:
        return
    if exitstatus == 0 and _passed == 0:
        session.exitstatus = 1
        print("\nno test passed: a run that executes no test is a failure")
