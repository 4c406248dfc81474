"""The usage examples in the interpreter's docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["catalogue", "labels", "values", "cells", "tables", "checks", "sections", "metadata",
           "classify", "layout", "report"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"parsers.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"parsers.{name} has no example"
    assert result.failed == 0
