"""Document → the report dict of docs/contract.md (placeholder until the interpreter lands)."""

from __future__ import annotations

from parsers.document import Document


def interpret(doc: Document, page_metadata: dict[str, str] | None = None) -> dict:
    """Interpret a read document as an annual report (or not)."""
    return {"is_annual_report": False, "title": doc.title, "agency": None, "year": None,
            "format": None, "published_date": None, "checks": [], "sections": {},
            "warnings": list(doc.warnings)}
