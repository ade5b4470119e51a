"""`python -m oitwatch …` is the `oitwatch` command."""

from oitwatch.cli import main

main()
