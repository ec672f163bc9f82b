"""Writing files atomically: the whole new file or the old one, never half of either.

Every file kg reads goes through ``read_regular_file``: regular files only (a FIFO, a
device or a folder is refused at once, never read or waited on), up to a size limit the
user can raise with ``KG_MAX_FILE_SIZE``.

Every file kg writes (exports, pictures, data folders, the cache) goes through
``write_atomically``: the content is written to a temporary file in the same folder,
flushed to disk, then renamed over the target in one step. If anything fails, the
temporary file is removed and any existing target is left untouched.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import IO, Callable

__all__ = ["MAX_FILE_SIZE", "max_file_size", "read_regular_file", "write_atomically"]

#: The largest file kg reads unless ``KG_MAX_FILE_SIZE`` (in bytes) says otherwise.
MAX_FILE_SIZE = 2 * 1024**3
_KINDS = {stat.S_ISDIR: "a folder", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
          stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket"}


def max_file_size() -> int:
    """The largest file kg reads: ``KG_MAX_FILE_SIZE`` bytes if set to a number, else ``MAX_FILE_SIZE``.

    >>> max_file_size() > 0
    True
    """
    value = os.environ.get("KG_MAX_FILE_SIZE", "").strip().replace("_", "")
    return int(value) if value.isdigit() and value.isascii() else MAX_FILE_SIZE


def read_regular_file(path: str | os.PathLike, *, follow: bool = True, limit: int | None = None) -> bytes:
    """The bytes of a regular file (through symlinks unless ``follow`` is False).

    Raises ``OSError`` naming the file for anything else (a folder, a device such as
    /dev/zero, a FIFO: refused without reading or waiting) and for a file larger than
    ``limit`` (by default ``max_file_size()``).

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = target.write_bytes(b"- id: a")
    >>> read_regular_file(target)
    b'- id: a'
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        handle = os.open(path, flags)
    except OSError as err:
        if not follow and err.errno == errno.ELOOP:
            raise OSError(err.errno, "is a symbolic link", str(path)) from None
        raise
    with open(handle, "rb") as file:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"is {kind}, not a regular file", str(path))
        limit = max_file_size() if limit is None else limit
        data = file.read(limit + 1)
        if len(data) > limit:
            raise OSError(errno.EFBIG, f"is larger than {limit:,} bytes, the most kg reads "
                                       "(set KG_MAX_FILE_SIZE to raise it)", str(path))
        return data


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
