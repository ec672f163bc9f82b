"""``python -m kg.cli`` runs the command line, as ``kg`` and ``python -m kg`` do."""

from kg.cli import main

main()
