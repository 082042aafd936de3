"""``paradiplomacy serve``: the local, read-only dashboard."""

from __future__ import annotations

import contextlib

import typer


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: "
                                   "this machine only)."),
          port: int = typer.Option(8765, "--port", help="The port to listen on "
                                   "(1-65535).")) -> None:
    """Start the local, read-only dashboard.

    Pick dataset, normalisation, weights and aggregation; the table, map and chart
    recompute. Stop with Ctrl-C. Bound to an address other machines can reach (e.g.
    --host 0.0.0.0), it warns on stderr: the dashboard has no authentication.
    """
    from paradiplomacy.cli.main import fail
    from paradiplomacy.viz.dashboard import serve as run

    if not 1 <= port <= 65535:
        fail(f"--port must be between 1 and 65535, not {port}")
    server = run(host, port, background=True)  # binds (warning if not loopback), or fails
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"dashboard at http://{shown}:{server.server_port}/ (Ctrl-C to stop)", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_thread.join()
    server.shutdown()
    server.server_close()
