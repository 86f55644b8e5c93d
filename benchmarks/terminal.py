"""Run jixiao in a real pseudo-terminal and read its screen (pyte), for the pty test and the startup benchmark."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pyte
from wcwidth import wcwidth  # pyte's own dependency: the same width rule as its screen


class Terminal:
    """`python -m assistant ARGS` in a pty of the given size; `wait_for(text)` polls the rendered screen."""

    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        cols, rows = size
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # everything the app wrote, escapes included (pyte keeps no alternate screen)
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, **env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
        )
        os.close(slave)

    def pump(self, timeout: float = 0.05) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            self.raw += data
            self.stream.feed(data)

    def text(self) -> str:
        # Not `screen.display`: pyte 0.8 asserts on a cell left empty when a wide character's stub is
        # overwritten (IndexError), which a redraw in mid-flight can produce; an empty cell reads as nothing.
        lines = []
        for y in range(self.screen.lines):
            row, out, stub = self.screen.buffer[y], [], False
            for x in range(self.screen.columns):
                if stub:
                    stub = False
                    continue
                data = row[x].data
                out.append(data)
                stub = bool(data) and wcwidth(data[0]) == 2
            lines.append("".join(out))
        return "\n".join(lines)

    def wait_for(self, needle: str | tuple[str, ...], timeout: float = 60.0) -> float:
        """Seconds since start when `needle` (or any of several) is on screen; raises TimeoutError with the screen."""
        needles = (needle,) if isinstance(needle, str) else needle
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.pump()
            shown = self.text().replace(" ", "")
            if any(n in shown for n in needles):
                return time.perf_counter() - self.started
            if self.proc.poll() is not None:
                self.pump()
                break
        raise TimeoutError(f"{needle!r} not on screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def signal(self, sig: int, timeout: float = 20.0) -> int:
        """Send `sig` to the app alone (not its process group) and read its output until it exits; its exit status."""
        self.proc.send_signal(sig)
        deadline = time.perf_counter() + timeout
        while self.proc.poll() is None and time.perf_counter() < deadline:
            self.pump()
        for _ in range(5):
            self.pump(0.02)
        return self.proc.wait(1)

    def termios_lflag(self) -> int:
        """The terminal's local modes now (ICANON and ECHO are set in cooked mode)."""
        import termios

        return termios.tcgetattr(self.master)[3]

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        os.close(self.master)
