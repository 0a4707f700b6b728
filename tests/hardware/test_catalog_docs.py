"""docs/hardware.md carries the bundled catalog's table as the catalog generates it."""

from __future__ import annotations

from pathlib import Path

from stationsim.cli.catalog import DOCS_BEGIN, DOCS_END, catalog_markdown

DOCS = Path(__file__).parents[2] / "docs" / "hardware.md"


def test_the_docs_table_is_the_catalog_as_it_is():
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.index(DOCS_BEGIN), text.index(DOCS_END) + len(DOCS_END)
    assert text[start:end] == catalog_markdown(), (
        "docs/hardware.md is behind the catalog: replace its table with "
        "stationsim.cli.catalog.catalog_markdown()")
