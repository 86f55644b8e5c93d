"""File safety for everything jixiao writes or reads back: atomic writes, capped reads, OS errors in Chinese.

tomlio (project files), drafts (draft.json) and cache (the engine's state) all write and read through here,
so a kill mid-write never leaves half a file and a runaway input never fills memory.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

MAX_INPUT_BYTES = 100 << 20  # no budget table comes near; /dev/zero or a runaway file stops here


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file the user named, as bytes: what every command reads its input with.

    A FIFO nobody writes to reads as empty instead of waiting forever (opened without blocking, then read
    as usual, so a pipe with a writer, such as bash's <(…), still works); endless or absurdly large input
    (/dev/zero) is an OSError (EFBIG) with a Chinese reason rather than memory running out.
    """
    too_large = OSError(errno.EFBIG, f"文件太大（超过 {limit >> 20} MB），不像是绩效目标表", str(path))
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | nonblock)
    try:
        if nonblock:
            os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as fh:  # IsADirectoryError for a folder
            size = os.fstat(fd).st_size
            if size > limit:
                raise too_large
            data = fh.read() if size else fh.read(limit + 1)  # size 0: a pipe or device, maybe endless
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large
    return data


_OS_REASONS = {
    errno.ENOENT: "找不到这个文件或文件夹",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ELOOP: "符号链接循环指向自己",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "这是只读的位置",
    errno.EEXIST: "已有同名的文件",
    errno.EFBIG: "文件太大",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese where the reason is a common one."""
    if exc.strerror and not exc.strerror.isascii():
        return exc.strerror  # already ours (read_bytes)
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same existing file (through symlinks and hard links); False when unsure."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes via a temporary file in the same folder and an atomic rename.

    A symlink is followed (the file it names is replaced, the link stays); a device, FIFO or socket is never
    replaced (OSError).
    """
    target = Path(path)
    if os.path.islink(target):
        # Through the link to the file it names, which is replaced; the rename would replace the link itself
        # (-o /dev/stdout would turn the system's link into a plain file).
        target = Path(os.path.realpath(target))
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # A device, FIFO or socket (-o /dev/null): the rename would put a plain file in its place.
        raise OSError(errno.EEXIST, "这是设备或管道等特殊文件，不能用导出的文件替换它", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is clipped: a name near the 255-byte limit must not fail only for its ".….tmp".
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes 0600 files: keep a replaced file's permissions, give a new one the usual umask ones.
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None and stat.S_ISREG(mode) else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text (LF line ends) atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))
