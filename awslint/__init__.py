"""awslint: a static linter for the files that decide whether AWS credentials work."""

__version__ = "0.1.0"
