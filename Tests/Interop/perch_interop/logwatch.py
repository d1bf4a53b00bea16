"""Reads a child process's output line by line on a thread, keeps every line,
and lets the test wait (bounded) for a line that matches."""

import re
import subprocess
import threading
import time


class LogWatch:
    """Collects the lines of `process.stdout` (text mode) as they arrive."""

    def __init__(self, process: subprocess.Popen, name: str):
        self.name = name
        self._process = process
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._pump, name=f"log-{name}", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            with self._changed:
                self._lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def lines(self) -> list[str]:
        """Every line so far."""
        with self._changed:
            return list(self._lines)

    def text(self) -> str:
        """Every line so far, as one string."""
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float, start: int = 0) -> str:
        """The first line from index `start` on that matches `pattern` (a regular
        expression), waiting at most `timeout` seconds. Fails early when the
        process closes its output (it exited) without such a line."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        index = start
        with self._changed:
            while True:
                while index < len(self._lines):
                    if regex.search(self._lines[index]):
                        return self._lines[index]
                    index += 1
                if self._closed:
                    raise AssertionError(
                        f"{self.name} exited without logging /{pattern}/; its output:\n{self.text_locked()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"{self.name} did not log /{pattern}/ within {timeout}s; its output:\n{self.text_locked()}")
                self._changed.wait(remaining)

    def text_locked(self) -> str:
        """The output so far; for callers already holding the lock."""
        return "\n".join(self._lines)

    def count(self) -> int:
        """How many lines there are so far (a start index for `wait_for`)."""
        with self._changed:
            return len(self._lines)

    def join(self, timeout: float) -> None:
        """Waits (bounded) for the output to be read to its end."""
        self._thread.join(timeout)
