"""伯乐 Bole: records, workflows, scores and reports for a county's horse-race mechanisms."""

__version__ = "0.1.0"
