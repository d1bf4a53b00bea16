"""mqtt-sn-12's `MqttSnClient` (a client library nobody here wrote), with every
call bounded in time.

Why the bound is ours: mqtt-sn-12 1.0.9 sets a socket timeout and then calls
`setblocking(True)` before each receive, which in Python clears the timeout, so
a gateway that does not answer blocks the caller forever (README.md). Each call
runs on a worker thread; when it overruns, the socket is shut down (that wakes
the blocked `recvfrom`) and the test fails with what was asked."""

import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout

from mqttsn12.client.MqttSnClient import MqttSnClient, MqttSnListener, MqttSnMessage


class Collector(MqttSnListener):
    """Keeps the messages the library hands to its callback."""

    def __init__(self):
        self.messages: list[MqttSnMessage] = []
        self._lock = threading.Lock()

    def message_arrived(self, msg: MqttSnMessage) -> None:
        with self._lock:
            self.messages.append(msg)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


class LibraryClient:
    """One `MqttSnClient` talking to perchd over IPv4."""

    def __init__(self, gateway: tuple[str, int], client_id: str, keep_alive: int = 30, timeout: float = 5.0):
        self.timeout = timeout
        self.client = MqttSnClient()
        self.client.set_client_id(client_id)
        self.client.set_keep_alive(keep_alive)
        self.client.set_timeout(int(timeout))
        self.client.open_inet(gateway[0], gateway[1])
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mqtt-sn-12")

    def call(self, method: str, *arguments):
        """`self.client.method(*arguments)`, failing after `timeout` seconds."""
        future = self._worker.submit(getattr(self.client, method), *arguments)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            self._unblock()
            raise AssertionError(f"mqtt-sn-12 {method}{arguments} did not finish within {self.timeout}s") from None

    def poll(self, until, timeout: float) -> None:
        """Calls the library's `polling()` (one non-blocking receive and dispatch)
        whenever its socket is readable, until `until()` holds; bounded in time."""
        deadline = time.monotonic() + timeout
        while not until():
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"mqtt-sn-12 polling: condition not met within {timeout}s"
            readable, _, _ = select.select([self.client.datagram_socket], [], [], remaining)
            if readable:
                self.call("polling")

    def _unblock(self) -> None:
        sock = self.client.datagram_socket
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        """Closes the library's socket and both worker threads."""
        self._unblock()
        self._worker.shutdown(wait=False, cancel_futures=True)
        self.client.close()

    def __enter__(self) -> "LibraryClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
