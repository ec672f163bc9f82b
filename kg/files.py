"""Writing files atomically: the whole new file or the old one, never half of either.

Every file kg writes (exports, pictures, data folders, the cache) goes through
``write_atomically``: the content is written to a temporary file in the same folder,
flushed to disk, then renamed over the target in one step. If anything fails, the
temporary file is removed and any existing target is left untouched.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO, Callable

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike, write: Callable[[IO], None], *, binary: bool = False) -> Path:
    """Call ``write`` with a file open for writing, then put the file in place at ``path``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "hello.txt"
    >>> write_atomically(target, lambda out: out.write("hello")).read_text()
    'hello'
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write into a file that exists; 0o666 lets the umask decide, as for any new file.
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:  # say which file the caller asked for, not the temporary one
        raise OSError(err.errno, err.strerror, str(target)) from None
    try:
        with open(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
