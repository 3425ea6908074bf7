"""``python -m budget_audit`` runs the CLI."""

from .entry import main

main()
