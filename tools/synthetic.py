"""Synthetic data folders N times larger than the shipped data, for the benchmark.

The copies keep the schema and every rule of the checker: the rows of the growing tables
(events, claims, indicators, UN votes) are repeated with new ids (``<id>_x2``, ``<id>_x3``
...), so references stay valid and the checker accepts the folder.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from cambodia_russia.paths import data_dir as _data_dir

__all__ = ["GROWING_TABLES", "scaled_copy"]

#: The tables a bigger collection would grow; the others (sources, people, periods,
#: topics, glossary, quiz, exercises) are copied unchanged.
GROWING_TABLES = ("events", "claims", "indicators", "un_votes")


def scaled_copy(factor: int, target: str | Path, source: str | Path | None = None) -> Path:
    """Write a copy of the data folder ``source`` (default: the shipped data) to
    ``target`` with every growing table ``factor`` times as long. Returns ``target``."""
    if factor < 1:
        raise ValueError("factor must be 1 or more")
    source = Path(source) if source is not None else _data_dir()
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.suffix not in {".csv", ".json"}:
            continue
        name = path.stem
        if name not in GROWING_TABLES:
            shutil.copyfile(path, target / path.name)
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        with (target / path.name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            for copy in range(1, factor + 1):
                for row in rows:
                    if copy > 1:
                        row = {**row, "id": f"{row['id']}_x{copy}"}
                    writer.writerow(row)
    return target
