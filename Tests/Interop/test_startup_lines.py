"""What perchd says when it starts (issue 20, items 9 and 11): a port that is
taken ends the run with one clear line naming the address, at every log
level, and a non-zero exit; at `debug` the start-up lines are one short line
per part, never a dump of the configuration, and never a secret."""

import socket
from pathlib import Path

import pytest

from perch_interop.perchd import Perchd

# A line longer than this is a dump, not a line (the item asked for ~200).
LONGEST_LINE = 200


@pytest.fixture
def taken_port():
    """A UDP port on 127.0.0.1 held by this test for its whole run."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    holder.bind(("127.0.0.1", 0))
    yield holder.getsockname()[1]
    holder.close()


def _run_to_exit(instance: Perchd) -> tuple[int, list[str]]:
    # `command()` with no subcommand runs the gateway itself, bounded in time.
    run = instance.command(timeout=30)
    return run.returncode, [line for line in run.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("level", ["error", "info", "debug"])
@pytest.mark.parametrize("part", ["MQTT-SN", "CoAP", "CoAP over DTLS"])
def test_a_taken_port_ends_perchd_with_one_line_naming_the_address(perchd_binary, broker, tmp_path, taken_port,
                                                                   part, level):
    address = f"127.0.0.1:{taken_port}"
    extra: dict = {"log": {"level": level}}
    if part == "MQTT-SN":
        extra["mqttsn"] = {"listen": [address]}
    elif part == "CoAP":
        extra["coap"] = {"listen": [address]}
    else:
        extra["coap"] = {"dtls": {"listen": [address]}}
    instance = Perchd(perchd_binary, broker, tmp_path, extra=extra, coap=part == "CoAP",
                      dtls_keys={"node-1": b"0123456789abcdef"} if part == "CoAP over DTLS" else None)

    status, lines = _run_to_exit(instance)

    expected = f"cannot listen on {address}/udp for {part}: Address already in use"
    text = "\n".join(lines)
    assert status == 1, f"exit status {status}:\n{text}"
    naming = [line for line in lines if f"cannot listen on {address}" in line]
    assert naming == [f"ERROR perchd: {expected}"], text
    assert "ServiceGroupError" not in text and "finished unexpectedly" not in text, text
    assert not any(line.startswith("Error:") for line in lines), text
    if level == "error":
        # Nothing else at this level: the one line is the whole story.
        assert lines == [f"ERROR perchd: {expected}"], text


def test_debug_start_up_is_one_short_line_per_part_without_secrets(start_perchd, tmp_path):
    password = "uplink-password-7f3a"
    psk = b"psk-secret-91c2e5"
    password_file = tmp_path / "uplink.password"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    instance = start_perchd(
        extra={"uplink": {"username": "perch", "password_file": str(password_file)}, "log": {"level": "debug"}},
        coap=True, dtls_keys={"node-1": psk},
    )
    start_up = instance.log.text()
    instance.stop()
    text = instance.log_text()

    # swift-service-lifecycle names every part at start and at stop.
    starting = [line for line in start_up.splitlines() if "Starting service" in line]
    for part in ("Spool", "Uplink(", "MQTTSNServer(udp", "CoAPServer(udp", "StatusReporter(",
                 "DownlinkRouter(", "ReloadService(", "SystemdLifecycle("):
        assert any(part in line for line in starting), f"no start line for {part}:\n{start_up}"
    assert any(f"StatusReporter({instance.status_topic} every 1s)" in line for line in starting), start_up
    assert any(f"dtls 127.0.0.1:{instance.coaps_port}, 1 key" in line for line in starting), start_up

    long_lines = [line for line in text.splitlines() if len(line) > LONGEST_LINE]
    assert long_lines == [], "\n".join(long_lines)
    assert password not in text
    assert psk.decode() not in text and psk.hex() not in text
    assert "PerchConfiguration" not in text and "Logging.Logger" not in text
    assert Path(instance.config_file).exists()
