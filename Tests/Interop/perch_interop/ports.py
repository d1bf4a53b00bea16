"""Free loopback ports, asked of the kernel rather than guessed."""

import socket


def free_port(kind: int = socket.SOCK_STREAM, host: str = "127.0.0.1", avoid: tuple[int, ...] = ()) -> int:
    """A port that was free on `host` a moment ago (the kernel picks it).

    The socket is closed before the caller binds, so another process could take
    the port in between; on a test machine that window is harmless.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The kernel may hand out a port it just handed out (its probe is closed):
    # `avoid` keeps one process's listeners apart (MQTT-SN and CoAP both use UDP).
    for _ in range(100):
        with socket.socket(family, kind) as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
        if port not in avoid:
            return port
    raise AssertionError(f"no free port on {host} outside {avoid} in 100 tries")
