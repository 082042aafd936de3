"""The embedded sample: every activity the seed chapter names."""

from __future__ import annotations

from importlib import resources

import yaml

from paradiplomacy.activity.records import Record, validate


def chapter_records() -> list[Record]:
    """The chapter's activities as validated records (row = position in the YAML list)."""
    text = (resources.files("paradiplomacy.activity") / "data" / "chapter_activities.yaml"
            ).read_text(encoding="utf-8")
    return [validate(item, row=i + 1) for i, item in enumerate(yaml.safe_load(text))]
