"""The composite-indicator engine: frameworks, recorded builds, methods, specs and analysis.

    from paradiplomacy.index import load_spec
    build = load_spec("examples/asem/example.yaml").build()
    build.data["Normalised"]                          # any stage, as a DataFrame
    alt = build.regenerate({"normalise": {"method": "zscore"}})
"""

from paradiplomacy.index.build import BuildError, IndexBuild, Step
from paradiplomacy.index.framework import Element, Framework
from paradiplomacy.index.spec import Spec, load_spec, save_spec, write_build

__all__ = [
    "BuildError",
    "Element",
    "Framework",
    "IndexBuild",
    "Spec",
    "Step",
    "load_spec",
    "save_spec",
    "write_build",
]
