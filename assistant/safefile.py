"""File safety for everything jixiao writes or reads back: atomic writes, capped reads, OS errors in Chinese.

tomlio (project files), drafts (draft.json) and cache (the engine's state) all write and read through here,
so a kill mid-write never leaves half a file and a runaway input never fills memory.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
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
    errno.EIO: "读写出错（磁盘或网络驱动器故障）",
    errno.EBUSY: "文件或设备正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EAGAIN: "资源暂时不可用，请稍后再试",
    errno.EXDEV: "不能在不同的磁盘之间移动",
    errno.EINVAL: "路径或文件名不被支持",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.ETIMEDOUT: "网络驱动器响应超时",
    errno.EPIPE: "管道已关闭",
    errno.ENOMEM: "内存不足",
    errno.EINTR: "操作被中断",
    errno.ENOEXEC: "不是可执行文件",
    errno.ESPIPE: "这是管道，不能定位读写",
    errno.EMLINK: "链接太多",
    errno.ECONNRESET: "网络连接被重置",
    errno.ECONNREFUSED: "网络连接被拒绝",
    errno.EHOSTUNREACH: "网络不可达",
    errno.ENETUNREACH: "网络不可达",
    **{code: text for name, text in (("EDQUOT", "磁盘配额已用完"), ("ESTALE", "网络驱动器上的文件已失效，请重新连接"))
       if (code := getattr(errno, name, None)) is not None},
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese where the reason is a common one."""
    if exc.strerror and not exc.strerror.isascii():
        return exc.strerror  # already ours (read_bytes)
    known = _OS_REASONS.get(exc.errno or 0)
    if known:
        return known
    name = errno.errorcode.get(exc.errno or 0)
    return f"操作系统报告错误（{name}）" if name else "操作系统报告错误"  # never the system's English alone


_CJK = re.compile(r"[\u3400-\u9fff]")


def failure_reason(exc: BaseException) -> str:
    """Why a background task failed, for a Chinese message: the OS reason, our own (Chinese) message, or a
    plain "internal error" naming only the kind of exception (a user cannot act on an English traceback)."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    message = str(exc).strip()
    if _CJK.search(message):
        return message
    return f"程序内部错误（{type(exc).__name__}），请把此信息告诉维护人员"


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same existing file (through symlinks and hard links); False when unsure."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file the user named via a temporary file in the same folder and an atomic rename.

    A symlink is followed (the file it names is replaced, the link stays: `-o` may name a link on purpose);
    a device, FIFO or socket is never replaced (OSError). A replaced file keeps its permissions; a new one
    gets the usual ones (0666 less the umask, applied by the kernel when the file is created).
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
    keep = stat.S_IMODE(mode) if mode is not None and stat.S_ISREG(mode) else None
    _replace(target, data, 0o666, keep)


def write_private_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write one of jixiao's own files (a draft, a cache) readable by the user alone, never through a link.

    A symlink or anything else put where the file goes is replaced by the new file, never written through:
    a link planted in the cache folder cannot make jixiao overwrite the file it points to.
    """
    _replace(Path(path), data, 0o600, None)


def _replace(target: Path, data: bytes, create_mode: int, keep_mode: int | None) -> None:
    """Write `data` to a fresh temporary file beside `target`, then rename it over `target` (the rename itself
    never follows a link in the last component). The temporary file is created exclusively and without
    following links, with `create_mode` less the umask (no process-wide umask change: threads are safe)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        # The temporary name is clipped: a name near the 255-byte limit must not fail only for its ".….tmp".
        tmp = target.parent / f".{target.name[:40]}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, create_mode)
            break
        except FileExistsError:
            continue
    try:
        if keep_mode is not None:
            os.chmod(fd if os.chmod in os.supports_fd else tmp, keep_mode)
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


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text (LF line ends) atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def read_private(path: str | os.PathLike[str], limit: int) -> bytes:
    """One of jixiao's own files read back, never through a symlink (ELOOP) and never past `limit` (EFBIG)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "不是普通文件", str(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"文件太大（超过 {limit >> 20} MB）", str(path))
        with open(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"文件太大（超过 {limit >> 20} MB）", str(path))
    return data
