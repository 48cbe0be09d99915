"""`python -m clusterkg.cli`: the same as the `clusterkg` command."""

from clusterkg.cli import main

main()
