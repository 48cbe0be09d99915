"""clusterkg: a knowledge graph of the European cluster ecosystem."""

__version__ = "0.1.0"
