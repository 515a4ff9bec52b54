"""Fill empty msgstr entries of the Vietnamese catalogue from JSON files {msgid: msgstr}.

`make translations` runs it over `giamngheo/locale/vi/pending/*.json` (translations written beside new code)
after extracting messages, then compiles. Entries already
translated are left alone; the header loses its fuzzy mark.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "giamngheo" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: giamngheo\\n"\n"PO-Revision-Date: 2026-11-28 00:00+0700\\n"\n'
    '"Last-Translator: giamngheo developers\\n"\n"Language-Team: Vietnamese\\n"\n"Language: vi\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
)


def unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(*paths: str) -> None:
    table: dict[str, str] = {}
    for path in paths:
        if Path(path).exists():
            table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    blocks = PO.read_text(encoding="utf-8").strip().split("\n\n")
    out = [HEADER.rstrip("\n")]
    missing = []
    for block in blocks[1:]:
        lines = block.split("\n")
        flags = [ln for ln in lines if ln.startswith("#")]
        body = [ln for ln in lines if not ln.startswith("#")]
        text = "\n".join(body)
        m = re.match(r'msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)$', text + "\n")
        if not m:  # plural or context forms: keep as they are
            out.append(block)
            continue
        msgid = unquote(m.group(1).strip().split("\n"))
        msgstr = unquote(m.group(2).strip().split("\n"))
        # The JSON files are the translators' source of truth and replace what the catalogue had; makemessages
        # "guesses" new ids from similar old ones (fuzzy), and such guesses are dropped, never kept.
        guessed = any("fuzzy" in f for f in flags)
        if msgid in table:
            msgstr = table[msgid]
        elif guessed or not msgstr:
            msgstr = ""
            missing.append(msgid)
        flags = [f for f in flags if "fuzzy" not in f and not f.startswith("#|")]
        out.append("\n".join([*flags, f"msgid {quote(msgid)}", f"msgstr {quote(msgstr)}"]))
    PO.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    for msgid in missing:
        print(f"still untranslated: {msgid!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
