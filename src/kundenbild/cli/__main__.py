"""`python -m kundenbild.cli`: the command, as the installed script runs it."""

from kundenbild.cli import main

main()
