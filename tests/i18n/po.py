"""A reader for the catalogue's .po files, enough for the catalogue tests (the standard library
has none). Entries are the blocks between blank lines, as makemessages writes them."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def read(path: Path) -> list[Entry]:
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, current = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                value = _unquote(line)
            else:
                keyword, _, rest = line.partition(" ")
                value = _unquote(rest.strip())
                current = keyword
                if keyword.startswith("msgstr"):
                    entry.msgstr.append("")
                elif keyword == "msgctxt":
                    entry.msgctxt = ""
            if current == "msgid":
                entry.msgid += value
            elif current == "msgid_plural":
                entry.msgid_plural += value
            elif current == "msgctxt":
                entry.msgctxt += value
            elif current and current.startswith("msgstr"):
                entry.msgstr[-1] += value
        if current is not None and entry.msgid:  # not the header
            entries.append(entry)
    return entries
