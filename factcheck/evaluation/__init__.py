"""Scoring factcheck's parts on public annotated news in ``../shared/data``.

Each module exposes ``run(data_dir: Path) -> dict`` and goes through the same
code paths ``factcheck check`` uses. Data are read at run time and never
copied into the repository (licences: local evaluation only).
"""
