"""Finding annual reports on a portal: link scoring (``scoring``), link extraction (``links``) and
the list/pagination mechanisms of CMS families (``lists``). Pure functions, no network: the
spider (``crawler.spiders.reports``) calls them, tests feed them frozen pages (tests/pages/).
"""
