"""MkDocs hook: fill docs/cli.md with the command reference written from the commands."""

from __future__ import annotations

MARK = "<!-- commands -->"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri != "cli.md" or MARK not in markdown:
        return markdown
    from paradiplomacy.cli.reference import markdown as reference

    return markdown.replace(MARK, reference())
