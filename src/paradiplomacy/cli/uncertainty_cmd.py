"""``paradiplomacy uncertainty``: run an uncertainty/sensitivity analysis, or replay COINr's."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

app = typer.Typer(
    rich_markup_mode=None, help="Uncertainty and sensitivity analysis of an index.",
    no_args_is_help=True)


def _config(spec: Path, config: Path | None) -> dict:
    import yaml

    from paradiplomacy.cli.main import fail
    from paradiplomacy.uncertainty.schema import check_config

    path = config or spec.with_name("ua.yaml")
    if not path.is_file():
        fail(f"{path}: no uncertainty config (give --config FILE)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        fail(f"{path}: not a text file (an uncertainty config is YAML)")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        fail(f"{path}: YAML syntax error{line}: {getattr(exc, 'problem', None) or exc}")
    return check_config(data, str(path))


def _problem(spec: Path, config: Path | None):
    from paradiplomacy.index.spec import load_spec
    from paradiplomacy.uncertainty.run import config_to_problem

    try:
        return config_to_problem(load_spec(spec).build(), _config(spec, config))
    except (ValueError, TypeError, KeyError) as exc:
        from paradiplomacy.cli.main import fail

        fail(f"uncertainty config: {exc}")


@app.command("run")
def run_cmd(
    spec: Path = typer.Argument(..., help="The index spec (the nominal build)."),
    config: Path = typer.Option(None, "--config", "-c", help="Uncertain inputs (YAML); "
                                "default: ua.yaml beside the spec."),
    n: int = typer.Option(1000, "-n", help="Replications (random) or base rows (sobol)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    design: str = typer.Option("random", "--design", help="random | sobol (adds Sobol "
                               "indices)."),
    out: Path = typer.Option(None, "--out", "-o", help="Folder for rankstats.csv, sobol.csv "
                             "and plots."),
    parquet: Path = typer.Option(None, "--parquet", help="Stream every replication's scores "
                                 "and ranks to Parquet files in this folder."),
    chunk: int = typer.Option(20_000, "--chunk", help="Replications per chunk."),
    backend: str = typer.Option("local", "--backend", help="local | dask"),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (default: "
                                  "a local cluster)."),
    plots: bool = typer.Option(False, "--plots", help="Also write PNG plots to --out."),
) -> None:
    """Monte Carlo over the uncertain inputs: rank intervals per unit, and Sobol indices with
    --design sobol."""
    from paradiplomacy.cli.main import fail
    from paradiplomacy.io.export import atomic_write_all, output_folder
    from paradiplomacy.uncertainty.run import run

    if n < 1:
        fail(f"-n must be at least 1, not {n}")
    if chunk < 1:
        fail(f"--chunk must be at least 1, not {chunk}")
    if design not in ("random", "sobol"):
        fail(f"--design must be random or sobol, not {design!r}")
    if backend not in ("local", "dask"):
        fail(f"--backend must be local or dask, not {backend!r}")
    if plots and not out:
        fail("--plots writes into --out DIR: give --out")
    from paradiplomacy.io.export import check_output_folder

    for folder in (out, parquet):
        if folder is not None:
            check_output_folder(folder)  # before the work, not after it
    problem = _problem(spec, config)
    res = run(problem, n, seed, design, chunk, keep=False, parquet=parquet, backend=backend,
              scheduler=scheduler, progress=sys.stderr.isatty())
    stats = res.rank_stats.sort_values("Nominal")
    typer.echo(f"{res.n:,} replications in {res.seconds:.2f} s "
               f"({res.seconds / res.n * 1e3:.4f} ms each); mean absolute rank shift "
               f"{res.mean_abs_rank_shift:.3f}")
    typer.echo(stats.to_string(float_format=lambda v: f"{v:.2f}"))
    if res.sobol is not None:
        typer.echo(f"\nSobol indices (target: {problem.target}):")
        typer.echo(res.sobol.to_string(float_format=lambda v: f"{v:.3f}"))
    if out:
        items = [(out / "rankstats.csv", lambda t: stats.to_csv(t))]
        if res.sobol is not None:
            items.append((out / "sobol.csv", lambda t: res.sobol.to_csv(t)))
        if plots:
            from paradiplomacy.uncertainty.plots import rank_interval_plot, sobol_plot

            items.append((out / "rank_intervals.png", lambda t: rank_interval_plot(
                res.rank_stats).savefig(t, dpi=150, format="png")))
            if res.sobol is not None:
                items.append((out / "sobol.png", lambda t: sobol_plot(res.sobol).savefig(
                    t, dpi=150, format="png")))
        with output_folder(out):
            atomic_write_all(items)
        for path, _ in items:
            typer.echo(f"wrote {path}")


@app.command("replay")
def replay_cmd(
    spec: Path = typer.Argument(..., help="The index spec (the nominal build)."),
    parameters: Path = typer.Option(..., "--parameters", help="COINr's ua_parameters.csv."),
    weight_sets: Path = typer.Option(..., "--weight-sets", help="COINr's ua_weight_sets.csv."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for scores.csv and ranks.csv."),
    config: Path = typer.Option(None, "--config", "-c", help="Inputs whose labels match the "
                                "table's values; default: ua.yaml beside the spec."),
) -> None:
    """Replay a recorded design (COINr's) and write scores.csv and ranks.csv in its layout."""
    from paradiplomacy.io.export import check_output_folder, output_folder
    from paradiplomacy.uncertainty.replay import replay, write_coinr_layout

    check_output_folder(out)
    problem = _problem(spec, config)
    res = replay(problem, parameters, weight_sets)
    with output_folder(out):
        written = write_coinr_layout(res, out)
    for f in written:
        typer.echo(f"wrote {f}")
