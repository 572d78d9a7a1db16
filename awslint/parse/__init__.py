"""Parsers: one module per file kind, each ``parse(Document) -> FileModel``.

Parsers know nothing of rules. A parser reports what the file's consumer would reject as
:class:`~awslint.model.ParseProblem`s and keeps whatever it could read. The engine maps kinds to
parsers (``awslint.engine.PARSERS``).
"""
