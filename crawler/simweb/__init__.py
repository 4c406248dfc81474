"""The simulated government web: CMS-family sites served on loopback, with their ground truth.

Used by the end-to-end tests, the crawl benchmark, ``nianbao demo`` and the nightly tests::

    from crawler.simweb import SimWeb, sample_web
    with sample_web() as web:                       # started; stopped on exit
        web.sites_csv("sites.csv")                  # seed list with the virtual host names
        env = {"http_proxy": web.proxy_url}         # crawl through the proxy …
        web.sites_csv("direct.csv", mode="direct")  # … or per host on 127.0.0.N:PORT
        web.expected("proxy")                       # report URL -> agency, year, figures
        web.robots_violations(); web.request_log

Specs are plain dicts (``crawler.simweb.spec``): ``sample_spec()`` is the bundled web,
``random_spec(seed)`` gives unseen variants.
"""

from __future__ import annotations

from crawler.simweb.server import SimWeb
from crawler.simweb.spec import random_spec, sample_spec


def sample_web(with_doc: bool = True) -> SimWeb:
    """The bundled sample web (not started: call ``.start()`` or use it as a context manager)."""
    return SimWeb(sample_spec(with_doc=with_doc))


__all__ = ["SimWeb", "random_spec", "sample_spec", "sample_web"]
