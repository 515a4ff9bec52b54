"""Writing report files the way the command-line contract asks: all or nothing.

The bytes go to a temporary file in the target's directory and are renamed over the target at the end, so
a failure never leaves a partial file behind (and a reader never sees one being written).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from giamngheo.errors import InputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(path: str | Path, data: bytes) -> Path:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError.single(
            f"thư mục {directory} không tồn tại",
            f"the folder {directory} does not exist",
            file=str(target),
            column="--output",
            fix_vi="tạo thư mục trước hoặc chọn đường dẫn khác",
            fix_en="create the folder first or choose another path",
        )
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
