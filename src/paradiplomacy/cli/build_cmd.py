"""``paradiplomacy build``: run an index spec and write every stage's data set."""

from __future__ import annotations

from pathlib import Path

import typer


def build(
    spec: Path = typer.Argument(..., help="A spec file (YAML or TOML), e.g. "
                                "examples/asem/example.yaml."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for <Stage>.csv files."),
) -> None:
    """Build an index from a spec and write each stage as OUT/<Stage>.csv."""
    from paradiplomacy.index.spec import load_spec, write_build
    from paradiplomacy.io.export import check_output_folder

    check_output_folder(out)  # before the build
    s = load_spec(spec)
    b = s.build()
    files = write_build(b, out)
    typer.echo(f"{s.name}: {len(b.units)} units, steps {' → '.join(x.name for x in b.log)}")
    for f in files:
        typer.echo(f"  wrote {f}")
    for n in b.notes:
        typer.echo(f"note: {n}", err=True)
