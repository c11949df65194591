"""Read a user's input file without trusting what the path points at.

A path can name a FIFO (``open`` blocks forever), ``/dev/zero`` (``read``
never ends), a symlink loop, or a name the OS refuses (NUL byte, over 255
bytes). Every input file sumbench reads goes through :func:`read_limited`:
it opens with ``O_NONBLOCK`` (a FIFO opens at once), checks with ``fstat`` on
the opened descriptor that it is a regular file within the size limit
(checked before reading, on the very file that will be read, so a swap after
the check changes nothing), then reads at most ``limit + 1`` bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_NAME_BYTES = 255
"""The longest file name (one path component) Linux and macOS file systems accept."""


class UnreadableFile(Exception):
    """Why a file was not read, as a short phrase (no path: the caller names the file)."""


def name_problem(name: str) -> str | None:
    """What is wrong with a file name written in an input file, or None when it is usable."""
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        bad = next(c for c in name if ord(c) < 32 or ord(c) == 127)
        return f"contains a control character ({bad!r})"
    for part in Path(name).parts:
        if len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            return f"has a part of {len(part.encode('utf-8', 'surrogateescape'))} bytes, over the {MAX_NAME_BYTES}-byte limit of file names"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop"
    if exc.errno == errno.ENOENT:
        return "not found"
    if exc.errno == errno.ENAMETOOLONG:
        return "has a name too long for the file system"
    return f"cannot be read: {exc.strerror}"


def open_regular(path: str | Path):
    """A binary file object for a regular file (a FIFO or device is refused at once, never blocks):
    for inputs read line by line with their own bound (JSONL)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise UnreadableFile("has a NUL byte in its name") from None
    except OSError as exc:
        raise UnreadableFile(_reason(exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableFile("is a folder, not a file" if stat.S_ISDIR(mode) else f"is {_kind(mode)}, not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; else :class:`UnreadableFile`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:  # an embedded NUL byte
        raise UnreadableFile("has a NUL byte in its name") from None
    except OSError as exc:
        raise UnreadableFile(_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"is {info.st_size / 2**20:.1f} MiB, over the {limit / 2**20:g} MiB limit")
        chunks = []
        left = limit + 1  # a file that grew after fstat is still cut at the limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnreadableFile(f"grew over the {limit / 2**20:g} MiB limit while being read")
        return data
    except OSError as exc:
        raise UnreadableFile(_reason(exc)) from None
    finally:
        os.close(fd)
