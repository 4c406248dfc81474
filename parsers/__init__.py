"""Turn any annual report document into exact figures: no network, no global state.

    >>> from parsers import parse_document
    >>> report = parse_document(open("tests/seeds/000_1ff35af37732f7a9.txt", "rb").read(),
    ...                         content_type="text/plain")            # doctest: +SKIP
    >>> report["requests"]["new_received"]["total"]                     # doctest: +SKIP
    0
"""

from parsers.api import PARSER_VERSION, parse_document, parse_file
from parsers.document import Document, ParseError, Table

__all__ = ["PARSER_VERSION", "Document", "ParseError", "Table", "parse_document", "parse_file"]
