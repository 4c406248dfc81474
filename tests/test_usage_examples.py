"""The usage examples in the corpus's and crawler's docstrings stay true (the interpreter's
are tests/test_interpret_doctests.py). Examples that need a network, a crawl or a big database
are marked ``+SKIP``; every module here has at least one that runs."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["corpus.codebook", "corpus.crosschecks", "corpus.rawstore", "corpus.regions",
           "corpus.preflight", "corpus.progress", "corpus.runclaim", "corpus.schema", "corpus.serve", "corpus.store", "corpus.synthetic",
           "crawler.challenge", "crawler.encoding", "crawler.lock", "crawler.run", "crawler.seeds",
           "crawler.discovery.apps", "crawler.discovery.aspnet", "crawler.discovery.jseval", "crawler.discovery.links",
           "crawler.discovery.lists", "crawler.discovery.scoring", "crawler.discovery.scriptvalues",
           "crawler.simweb.render", "crawler.simweb.spec"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no example that runs"
    assert result.failed == 0
