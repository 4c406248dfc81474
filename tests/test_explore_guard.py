"""A fixed sample of the explorer's random reports (``python -m tests.fixturegen.explore``) in every
portable kind and style, each cell-exact — the explorer once caught a PDF regression (reportlab
rows set close read as wrapped numbers: 192/300) that no fixed fixture showed. The seeds are the
explorer's own first ones, so a failure here is reproduced by ``explore -n N KIND/STYLE``."""

from __future__ import annotations

import pytest

from tests.fixturegen import make_figures
from tests.fixturegen.explore import PORTABLE, explore
from tests.fixturegen.figures import ambiguous

# pdf/nolines is where a reading heuristic meets the most layouts: a larger sample.
SAMPLE = {target: 40 if target == "pdf/nolines" else 10 for target in PORTABLE}


@pytest.mark.parametrize("target", sorted(SAMPLE))
def test_every_explored_report_is_exact(target):
    kind, style = target.split("/")
    failures = [(case, diffs) for case, diffs in explore(kind, style, SAMPLE[target])
                if not ambiguous(make_figures(**{k: v for k, v in case.items()
                                                 if k not in ("encoding", "quirks")}))]
    assert not failures, [(case, diffs[:3]) for case, diffs in failures[:3]]
