"""``python -m stance`` runs the command-line interface."""

from stance.cli import main

main()
