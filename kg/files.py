"""Writing files atomically: the whole new file or the old one, never half of either.

Every file kg reads goes through ``read_regular_file``: regular files only (a FIFO, a
device or a folder is refused at once, never read or waited on), up to a size limit the
user can raise with ``KG_MAX_FILE_SIZE``.

Every file kg writes for its user (exports, pictures, data folders, the shipped ontology)
goes through ``write_atomically``: the content is written to a temporary file in the same
folder, flushed to disk, then renamed over the target in one step. If anything fails, the
temporary file is removed and any existing target is left untouched. The cache writes its
entries the same way but does not flush them (an entry cut short by a crash fails its keyed
hash and is read again from the data).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from pathlib import Path
from typing import IO, Callable

__all__ = ["MAX_FILE_SIZE", "max_file_size", "read_regular_file", "remove_leftovers", "replace_folder",
           "temporary_name", "write_atomically"]

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
        info = os.fstat(handle)
        mode = info.st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"is {kind}, not a regular file", str(path))
        limit = max_file_size() if limit is None else limit
        data = file.read(min(limit, info.st_size) + 1)  # a buffer of the limit's size costs more than the read
        if info.st_size < len(data) <= limit:  # the file grew meanwhile
            data += file.read(limit + 1 - len(data))
        if len(data) > limit:
            raise OSError(errno.EFBIG, f"is larger than {limit:,} bytes, the most kg reads "
                                       "(set KG_MAX_FILE_SIZE to raise it)", str(path))
        return data


def write_atomically(path: str | os.PathLike, write: Callable[[IO], None], *, binary: bool = False) -> Path:
    """Call ``write`` with a file open for writing, then put the file in place at ``path``.

    A file already at ``path`` keeps its permissions; one that is not a regular file (a
    symlink, a device, a FIFO), that has other hard links, or that is read-only is refused
    with an ``OSError`` that says so, before anything is written.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "hello.txt"
    >>> write_atomically(target, lambda out: out.write("hello")).read_text()
    'hello'
    """
    target = Path(path)
    mode = _replaceable(target)
    remove_leftovers(target)
    temporary = temporary_name(target)
    # O_EXCL: never write into a file that exists; 0o666 lets the umask decide, as for any new file.
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:  # say which file the caller asked for, not the temporary one
        raise OSError(err.errno, err.strerror, str(target)) from None
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with open(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _replaceable(target: Path) -> int | None:
    """The permissions of the file at ``target`` (None if there is none); raises OSError
    for a target kg must not replace."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(target)) from None
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.EEXIST, "is a symbolic link; kg replaces only regular files, so give the file it "
                                    "points to", str(target))
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS.items() if test(info.st_mode)), "not a regular file")
        raise OSError(errno.EEXIST, f"is {kind}; kg replaces only regular files", str(target))
    if info.st_nlink > 1:
        raise OSError(errno.EMLINK, f"has {info.st_nlink} hard links; replacing it would separate them, so kg "
                                    "leaves it alone", str(target))
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OSError(errno.EACCES, "is read-only; kg leaves it alone", str(target))
    return stat.S_IMODE(info.st_mode)


def temporary_name(target: Path) -> Path:
    """A new name beside ``target`` for a file or folder being made in its place:
    ``.NAME.PID-RANDOM.tmp``, so that one left by a killed process can be recognised."""
    import secrets  # to write, not to read

    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def remove_leftovers(target: Path) -> None:
    """Remove what killed processes left while making ``target`` (temporary files and
    folders whose process is gone); what cannot be removed stays."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.([0-9]+)-[0-9a-f]+\.tmp")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _running(int(match.group(1))):
            leftover = target.parent / name
            try:
                shutil.rmtree(leftover) if leftover.is_dir() and not leftover.is_symlink() else leftover.unlink()
            except OSError:
                pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place at ``target``, then remove what ``target`` held.

    Where the system can exchange two names in one step (Linux), ``target`` is never
    missing; elsewhere the old folder is moved aside first.
    """
    if not target.exists():
        os.rename(new, target)
    elif _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old folder
    else:
        aside = temporary_name(target)
        os.rename(target, aside)
        os.rename(new, target)
        shutil.rmtree(aside, ignore_errors=True)
    _sync_folder(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        import ctypes  # only to exchange two folders

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (ImportError, AttributeError, OSError):
        return False
    at_current_folder, exchange = -100, 2
    return renameat2(at_current_folder, os.fsencode(first), at_current_folder, os.fsencode(second), exchange) == 0


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename survives a crash."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
