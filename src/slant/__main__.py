"""`python -m slant`: the same command line as `slant`."""

from slant.cli import main

main()
