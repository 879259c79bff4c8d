"""Append-only JSONL records that survive ``kill -9``, and atomic JSON files.

A :class:`RecordLog` is a JSONL file of complete records, one per line, each with a
unique ``id``. Every append is one write of whole lines, flushed and fsynced before it
returns, so a record that was reported written is on disk. A kill during a write can
leave a torn last line (no newline, or not JSON): :meth:`RecordLog.load` drops it, and
truncates the file back to its last complete record, before anything is appended. A
torn or duplicated record anywhere else is corruption and is reported, never repaired.

:func:`write_json` writes a file whole or not at all (a temporary file, fsynced, renamed
into place, the folder fsynced).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from cwmkit.core.errors import CwmkitError

__all__ = ["CorruptRecords", "RecordLog", "read_json", "write_json"]


class CorruptRecords(CwmkitError):
    """A record file damaged other than at its end (not something a kill can do)."""


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json(path: str | Path, value) -> None:
    """Write ``value`` as JSON to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with staging.open("w", encoding="utf-8") as out:
        out.write(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(staging, path)
    _fsync_dir(path.parent)


def read_json(path: str | Path, default=None):
    """The JSON in ``path``, or ``default`` when there is none."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        return default
    except ValueError as exc:
        raise CorruptRecords(f"{path}: not JSON ({exc})",
                             hint="delete the file to redo what wrote it") from None


class RecordLog:
    """An append-only JSONL file of records with unique ``id`` s."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._records: dict[str, dict] | None = None
        self.dropped = 0  # bytes of a torn last line dropped by load()

    def load(self) -> dict[str, dict]:
        """The complete records by id, in file order; a torn last line is cut off."""
        if self._records is not None:
            return self._records
        records: dict[str, dict] = {}
        if not self.path.is_file():
            self._records = records
            return records
        data = self.path.read_bytes()
        *complete, tail = data.split(b"\n")  # tail: what follows the last newline
        good = 0  # end of the last complete record
        for number, raw in enumerate(complete, 1):
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            if not isinstance(record, dict) or "id" not in record:
                raise CorruptRecords(f"{self.path}:{number}: not a complete record",
                                     hint="only the last line can be torn by a kill; this "
                                          "file was changed by hand or by another program")
            if record["id"] in records:
                raise CorruptRecords(f"{self.path}:{number}: record '{record['id']}' "
                                     "appears twice", hint="the file was changed outside "
                                                           "cwmkit")
            records[record["id"]] = record
            good += len(raw) + 1
        del tail  # a torn last line: cut off below
        if good < len(data):
            self.dropped = len(data) - good
            with self.path.open("r+b") as out:
                out.truncate(good)
                out.flush()
                os.fsync(out.fileno())
        self._records = records
        return records

    def __contains__(self, record_id: str) -> bool:
        return record_id in self.load()

    def __len__(self) -> int:
        return len(self.load())

    def append(self, records: Iterable[dict]) -> int:
        """Append records (each with a new ``id``) in one fsynced write; returns how many."""
        known = self.load()
        batch = []
        for record in records:
            if record.get("id") is None or record["id"] in known:
                raise CorruptRecords(f"{self.path}: record id {record.get('id')!r} is "
                                     "missing or already written")
            batch.append(record)
        if not batch:
            return 0
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        with self.path.open("a", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if new:
            _fsync_dir(self.path.parent)
        for record in batch:
            known[record["id"]] = record
        return len(batch)

    def records(self) -> list[dict]:
        return list(self.load().values())
