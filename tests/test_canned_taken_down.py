"""The journalist's "changed or taken down" list names reports the web no longer serves, not
reports that moved: a URL the nightly marked ``moved to …`` (the same bytes still served at a
URL of the same report) is no take-down."""

from __future__ import annotations

import asyncio
from pathlib import Path

from corpus.serve import make_datasette
from corpus.store import Corpus
from corpus.synthetic import make_report, report_html


async def _canned(db: Path) -> list[dict]:
    response = await make_datasette(db).client.get(
        "/corpus/changed_or_taken_down.json?_shape=array&agency=")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_a_moved_report_is_not_listed_as_taken_down(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    corpus = Corpus(db)
    urls = {}
    for agency in ("甲县民政局", "乙县民政局"):
        report = make_report(agency, 2023, seed=len(urls))
        urls[agency] = f"http://www.{len(urls)}.gov.cn/nb/2023.html"
        corpus.store_document(report_html(report), urls[agency], "text/html; charset=utf-8",
                              parsed=report)
    moved_to = "http://www.0.gov.cn/new/nb/2023.html"
    corpus.db.execute("INSERT INTO document_urls (url, sha256, report_id, role, first_seen, last_seen) "
                      "SELECT ?, sha256, report_id, role, first_seen, last_seen FROM document_urls "
                      "WHERE url = ?", [moved_to, urls["甲县民政局"]])
    for agency, reason in (("甲县民政局", f"moved to {moved_to}"), ("乙县民政局", "no longer listed")):
        corpus.db.execute("UPDATE document_urls SET removed_at = '2025-03-01T00:00:00Z', "
                          "removed_reason = ? WHERE url = ?", [reason, urls[agency]])
    corpus.db.conn.commit()
    corpus.close()

    taken_down = [r for r in asyncio.run(_canned(db)) if r["what"].startswith("taken down")]
    assert [(r["agency"], r["url"], r["reason"]) for r in taken_down] == [
        ("乙县民政局", urls["乙县民政局"], "no longer listed")]


def test_a_report_whose_url_now_serves_another_agencys_report_is_taken_down(tmp_path: Path) -> None:
    """One URL, two nights, two agencies' reports: the first keeps its figures and is listed as
    taken down (it has no URL left), the second is a new report, not a change of the first."""
    db = tmp_path / "corpus.db"
    corpus = Corpus(db)
    url = "http://www.hx.gov.cn/xxgk/nb/latest.html"
    first, second = make_report("横溪县民政局", 2023, seed=1), make_report("横溪县财政局", 2023, seed=2)
    corpus.store_document(report_html(first), url, "text/html; charset=utf-8", parsed=first,
                          fetched_at="2025-02-01T00:00:00Z")
    corpus.store_document(report_html(second), url, "text/html; charset=utf-8", parsed=second,
                          fetched_at="2025-03-01T00:00:00Z")
    corpus.close()

    rows = asyncio.run(_canned(db))
    assert [(r["what"], r["agency"], r["url"], r["noticed_at"]) for r in rows] == [
        ("taken down 撤下", "横溪县民政局", url, "2025-03-01T00:00:00Z")]
    assert rows[0]["reason"]
