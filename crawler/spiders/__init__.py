"""Spiders: ``reports`` (the focused crawl) and ``naive_bfs`` (the benchmark baseline)."""
