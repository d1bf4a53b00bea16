"""aiocoap (PyPI) as a second CoAP client, driven from synchronous tests: its
asyncio loop runs on a thread of its own, and every call is bounded twice —
`asyncio.wait_for` inside the loop and a timeout on the waiting thread.

Plain CoAP only: aiocoap's DTLS needs DTLSSocket, which is not pinned here
(coap-client covers DTLS-PSK)."""

import asyncio
import queue
import threading
from dataclasses import dataclass

import aiocoap
from aiocoap import Code, Message


@dataclass(frozen=True)
class Response:
    """A CoAP response as aiocoap assembled it (block-wise transfers joined)."""

    code: str
    payload: bytes
    content_format: int | None
    observe: int | None


def _response(message: Message) -> Response:
    content_format = message.opt.content_format
    return Response(message.code.dotted, bytes(message.payload), None if content_format is None else int(content_format),
                    message.opt.observe)


class Observation:
    """An Observe registration: its first answer, then notifications in a queue."""

    def __init__(self, client: "AioCoap", request, first: Response):
        self._client = client
        self._request = request
        self.first = first
        self.notifications: "queue.Queue[Response]" = queue.Queue()

    async def _pump(self) -> None:
        try:
            async for notification in self._request.observation:
                self.notifications.put(_response(notification))
        except aiocoap.error.Error:
            return  # the observation ended (cancelled, or the server said so)

    def next(self, timeout: float = 10.0) -> Response:
        """The next notification, waiting at most `timeout` seconds."""
        try:
            return self.notifications.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"aiocoap got no notification within {timeout}s") from None

    def cancel(self) -> None:
        """aiocoap's own cancellation (it sends nothing now: it answers the next notification with RST)."""
        async def cancel() -> None:
            if not self._request.observation.cancelled:
                self._request.observation.cancel()
        self._client.call(cancel(), timeout=5)


class AioCoap:
    """One aiocoap client context on a private event loop thread."""

    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="aiocoap", daemon=True)
        self._thread.start()
        self._context = self.call(aiocoap.Context.create_client_context(), timeout=10)
        self._pumps: list[asyncio.Task] = []
        self._requests: list = []

    def call(self, coroutine, timeout: float):
        """Runs `coroutine` on the loop, bounded by `timeout` seconds, and returns its result."""
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, timeout), self._loop)
        return future.result(timeout + 2)

    def request(self, method: str, uri: str, payload: bytes = b"", *, content_format: int | None = None,
                confirmable: bool = True, timeout: float = 15.0) -> Response:
        """One request to its final response (aiocoap does block-wise both ways by itself)."""
        message = Message(code=getattr(Code, method.upper()), uri=uri, payload=payload,
                          transport_tuning=aiocoap.Reliable if confirmable else aiocoap.Unreliable)
        if content_format is not None:
            message.opt.content_format = content_format

        async def run() -> Response:
            return _response(await self._context.request(message).response)

        return self.call(run(), timeout)

    def observe(self, uri: str, timeout: float = 10.0) -> Observation:
        """Registers (GET with Observe=0) and returns once the first answer is in."""
        message = Message(code=Code.GET, uri=uri, observe=0)

        async def register() -> Observation:
            request = self._context.request(message)
            self._requests.append(request)
            observation = Observation(self, request, _response(await request.response))
            self._pumps.append(asyncio.get_running_loop().create_task(observation._pump()))
            return observation

        return self.call(register(), timeout)

    def close(self) -> None:
        """Shuts the context down and stops the loop thread (bounded)."""
        async def shutdown() -> None:
            # Ended before the context is: otherwise aiocoap leaves a
            # LibraryShutdown in a future nobody reads, printed at exit.
            for request in self._requests:
                if not request.observation.cancelled:
                    request.observation.cancel()
            for pump in self._pumps:
                pump.cancel()
            await asyncio.gather(*self._pumps, return_exceptions=True)
            await self._context.shutdown()

        try:
            self.call(shutdown(), timeout=5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
