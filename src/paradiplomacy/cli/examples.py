"""An example line for every command's --help, and where the documentation explains each
command's options (an error that names an option points there).

The command reference (docs/cli.md) is generated from the commands themselves, one section per
command; ``docs_anchor`` gives the section's anchor.
"""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    "index": "paradiplomacy index --dataset russia --year 2016 -o index.xlsx",
    "audit": "paradiplomacy audit --against russia",
    "regions": "paradiplomacy regions --district far_eastern --on 2013-01-01",
    "tables": 'paradiplomacy tables "Раздел 21 - Внешняя торговля.xlsx"',
    "build": "paradiplomacy build examples/asem/example.yaml --out asem-build",
    "import": 'paradiplomacy import "Раздел 10 - Инвестиции.xlsx#10.4.2" --to fdi',
    "leagues": "paradiplomacy leagues --index index.csv",
    "map": "paradiplomacy map --dataset russia --year 2016 -o map.png",
    "report": "paradiplomacy report -o report.html",
    "serve": "paradiplomacy serve --port 8765",
    "datasets": "paradiplomacy datasets",
    "datasets export": "paradiplomacy datasets export fdi -o fdi.dta",
    "uncertainty run": "paradiplomacy uncertainty run examples/asem/example.yaml -n 10000 "
                       "--out ua",
    "uncertainty replay": "paradiplomacy uncertainty replay examples/asem/example.yaml "
                          "--parameters ua_parameters.csv --weight-sets ua_weight_sets.csv "
                          "--out replay",
    "uncertainty": "paradiplomacy uncertainty run examples/asem/example.yaml -n 1000 "
                   "--out ua",
    "activity init": "paradiplomacy activity init --db registry.sqlite",
    "activity upgrade": "paradiplomacy activity upgrade --db registry.sqlite",
    "activity add": 'paradiplomacy activity add --region "Primorsky Krai" --kind agreement '
                    '--partner "Jilin" --partner-kind foreign_region --partner-country CN '
                    '--title "Agreement on cooperation" --date 2013-05-01 --source "press"',
    "activity import": "paradiplomacy activity import activities.csv --db registry.sqlite",
    "activity list": 'paradiplomacy activity list --region "Primorsky Krai" --json',
    "activity export": "paradiplomacy activity export -o activities.csv",
    "activity stats": "paradiplomacy activity stats --year 2013",
    "activity classify": "paradiplomacy activity classify 12 --model network --reason "
                         '"a forum of regions"',
    "activity correct": 'paradiplomacy activity correct 12 --set date_signed=2013-06-01 '
                        '--reason '
                        '"the agreement is dated June"',
    "activity history": "paradiplomacy activity history 12",
    "activity import-twins": "paradiplomacy activity import-twins --db twins.sqlite",
    "activity map": "paradiplomacy activity map --indicator n_twin_city -o twins.png",
    "activity": "paradiplomacy activity init && paradiplomacy activity stats",
    "coding validate": "paradiplomacy coding validate interviews.csv",
    "coding summary": "paradiplomacy coding summary --by region",
    "coding agreement": "paradiplomacy coding agreement coder_a.csv coder_b.csv",
    "coding profile": "paradiplomacy coding profile",
    "coding": "paradiplomacy coding summary",
}


def docs_anchor(command: str) -> str:
    """The anchor of a command's section in docs/cli.md (``index`` → ``paradiplomacy-index``,
    as MkDocs makes heading ids)."""
    return "-".join(["paradiplomacy", *command.split()])


def docs_pointer(command: str) -> str:
    """Where an option of ``command`` is explained, for the end of an error line."""
    return f"see docs/cli.md#{docs_anchor(command)}" if command else "see docs/cli.md"


def epilog(command: str) -> str | None:
    """The --help epilog of a command: its example (kept on one line by Click's ``\\b``)."""
    ex = EXAMPLES.get(command)
    return f"\b\nExample:\n  {ex}" if ex else None
