"""The nianbao crawler: a Scrapy project (spiders/, settings, items, pipelines, middlewares) that
finds 政府信息公开工作年度报告 and stores them in the corpus; see docs/crawler.md."""
