"""The composite-indicator engine: frameworks, recorded builds, methods, specs and analysis.

    from paradiplomacy.index import load_spec
    build = load_spec("examples/asem/example.yaml").build()
    build.data["Normalised"]                          # any stage, as a DataFrame
    alt = build.regenerate({"normalise": {"method": "zscore"}})
"""

from importlib import import_module

# Names are loaded on first use (PEP 562): a command that needs only the build does not pay
# for the spec reader and its schema (benchmarks/cli_start.py).
_HOME = {"BuildError": "build", "IndexBuild": "build", "Step": "build", "Element": "framework",
         "Framework": "framework", "Spec": "spec", "load_spec": "spec", "save_spec": "spec",
         "write_build": "spec"}

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


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(f"paradiplomacy.index.{_HOME[name]}"), name)
    raise AttributeError(f"module 'paradiplomacy.index' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
