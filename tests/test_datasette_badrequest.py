"""Hand-edited URLs: a malformed argument is a 400 naming it, never a 500 (nianbao_badrequest).

Datasette 0.65 answers each URL below with a 500 page; a journalist who edits a link (or a
script of a researcher) must be told which argument is wrong, and the operator's log must not
fill with tracebacks of readers' typing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from corpus.serve import make_datasette
from corpus.store import Corpus
from tests.corpus_env import get, store_synthetic

# (path, a word the message must hold)
MALFORMED = [
    ("/corpus/reports?_sort=nosuchcolumn", "nosuchcolumn"),
    ("/corpus/reports?_sort_desc=%E7%94%B3", "申"),
    ("/corpus/agencies?_facet=%00", "NUL"),
    ("/corpus/reports?province=%00", "NUL"),
    ("/corpus/search_texts?q=%E4%BE%9D%00", "NUL"),
    ("/corpus/checks?_timelimit=abc", "_timelimit"),
    ("/corpus/reports?_through=%5B1%5D", "_through"),
    ("/corpus/reports?_through=notjson", "_through"),
    ("/corpus/reports_wide?_next=abc", "_next"),
    ("/corpus/cells?_next=99999999999999999999", "_next"),
    ("/corpus/reports?_through=%7B%22table%22%3A%22agencies%22%2C%22column%22%3A%22id%22%2C"
     "%22value%22%3A%221%22%7D", "_through"),
    ("/corpus/reports?year__gt=99999999999999999999", "too large"),
]


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    path = tmp_path_factory.mktemp("badrequest") / "corpus.db"
    corpus = Corpus(path)
    site = "http://www.example.gov.cn/"
    corpus.ensure_site(name="示例", url=site, region_code="110101", level="county")
    store_synthetic(corpus, "北京市东城区教育委员会", [2022, 2023], site)
    corpus.close()
    return make_datasette(path, immutable=True)


@pytest.mark.parametrize("path,word", MALFORMED)
def test_a_malformed_argument_is_a_400_that_names_it(ds, path, word):
    page = get(ds, path)
    assert page.status_code == 400, (path, page.status_code)
    assert word in page.text
    as_json = get(ds, path.replace("?", ".json?", 1))
    assert as_json.status_code == 400
    assert as_json.json()["ok"] is False and word in as_json.json()["error"]


def test_well_formed_arguments_still_answer(ds):
    for path in ("/corpus/reports.json?_sort=year&_timelimit=500",
                 "/corpus/agencies.json?_through=%7B%22table%22%3A%22reports%22%2C%22column%22"
                 "%3A%22year%22%2C%22value%22%3A%222023%22%7D",
                 "/corpus/reports.json?year__gt=2022", "/corpus/reports.json?_size=1"):
        page = get(ds, path)
        assert page.status_code == 200, (path, page.text[:300])
    first = get(ds, "/corpus/reports.json?_size=1").json()
    after = urlsplit(first["next_url"])
    following = get(ds, f"{after.path}?{after.query}")
    assert following.status_code == 200 and following.json()["rows"] != first["rows"]
