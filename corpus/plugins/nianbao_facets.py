"""Datasette plugin hook of nianbao: a table's facets, counted once instead of on every page.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.

Datasette counts each facet of a table page with ``GROUP BY`` over every row the page matches:
on the whole table that is one index scan per facet, linear in the corpus — at a million
reports about a second for the reports page on a slow machine, and the checks table holds ~50
rows per report, so its facets timed out. The corpus keeps the whole-table counts in
``facet_counts``, exact in every writer's transaction (triggers of migration 010,
``corpus.schema.COUNTED_FACETS``). ``corpus.serve`` hands those facets of data/metadata.yaml
to Datasette with the type ``counted``; :class:`CountedFacet` answers them from ``facet_counts``
when the page shows the whole table, and exactly as Datasette's column facet does once the
page is filtered (then the counts are over the matching rows, which an index narrows). Either
way the page and its JSON look as with Datasette's own facets (``"type": "column"``)::

    /corpus/reports.json                       → facet_results from facet_counts
    /corpus/reports.json?province=四川省        → GROUP BY over the matching reports
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from corpus.schema import COUNTED_FACET_TYPE, COUNTED_FACETS

DB_NAME = "corpus"
_COUNTS_SQL = ("SELECT value, n AS count FROM facet_counts WHERE table_name = ? "
               "AND column_name = ? ORDER BY n DESC, value LIMIT ?")


class CountedFacet(ColumnFacet):
    """Datasette's column facet, read from ``facet_counts`` for an unfiltered table page."""

    type = COUNTED_FACET_TYPE

    async def suggest(self) -> list[dict[str, Any]]:
        return []  # Datasette's column facet already suggests these columns

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        if self._whole_table():
            results, timed_out = await self._counted_results(), []
        else:
            results, timed_out = await super().facet_results()
        for result in results:
            result["type"] = "column"  # the same facet to a reader and to the JSON API
        return results, timed_out

    def _columns(self) -> list[tuple[str, str]]:
        return [(c["source"], c["config"].get("column") or c["config"]["simple"])
                for c in self.get_configs()]

    def _whole_table(self) -> bool:
        """Is the page the table itself: no filter, search or page cursor (a ``WHERE``)?"""
        if self.database != DB_NAME or not self.table or self.params:
            return False
        if any(column not in COUNTED_FACETS.get(self.table, ()) for _, column in self._columns()):
            return False
        table = re.escape(escape_sqlite(self.table))
        return re.fullmatch(rf"select .+ from {table}\s*", self.sql, re.S) is not None

    async def _counted_results(self) -> list[dict[str, Any]]:
        size = self.get_facet_size()
        results = []
        for source, column in self._columns():
            rows = (await self.ds.execute(self.database, _COUNTS_SQL,
                                          [self.table, column, size + 1])).rows
            labels = await self.ds.expand_foreign_keys(
                self.database, self.table, column, [row["value"] for row in rows[:size]])
            arg = f"{column}__exact" if column.startswith("_") else column
            results.append({
                "name": column,
                "type": self.type,
                "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {"_facet": column})),
                "results": [{
                    "value": row["value"],
                    "label": labels.get((column, row["value"]), row["value"]),
                    "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(
                        path_with_added_args(self.request, {arg: row["value"]}))),
                    "selected": False,  # a selected value is a filter: not the whole table
                } for row in rows[:size]],
                "truncated": len(rows) > size,
            })
        return results


@hookimpl
def register_facet_classes() -> list[type]:
    return [CountedFacet]
