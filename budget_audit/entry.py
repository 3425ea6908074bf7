"""The console entry point (``budget-audit``): answers ``--version`` without importing
the CLI (typer, rich and the auditor take most of a second to import), and hands
everything else to :func:`budget_audit.cli.main`."""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"budget-audit {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main(args)


if __name__ == "__main__":
    main()
