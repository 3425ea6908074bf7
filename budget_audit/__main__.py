"""``python -m budget_audit`` runs the CLI."""

from .cli import main

main()
