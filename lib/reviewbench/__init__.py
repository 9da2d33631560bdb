"""reviewbench: a reproducible, git-native workbench for literature reviews."""

__version__ = "0.1.0"
