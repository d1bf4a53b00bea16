#!/usr/bin/env python3
"""A simulated MQTT-SN v1.2 sensor for the Perch demo (standard library only).

It connects to perchd over UDP, registers a topic, and publishes a temperature
reading every second at QoS 1 (waiting for each PUBACK, which perchd sends only
once the broker has the message), plus a humidity reading at QoS -1 on a
predefined topic id, which needs no connection at all.

Usage: mqttsn-sensor.py HOST PORT [SECONDS]
"""
import random
import socket
import struct
import sys
import time

CONNECT, CONNACK, REGISTER, REGACK, PUBLISH, PUBACK, DISCONNECT = 0x04, 0x05, 0x0A, 0x0B, 0x0C, 0x0D, 0x18


def packet(msg_type, body=b""):
    # MQTT-SN v1.2 §5.2.1: one length octet while the message is under 256 octets.
    return bytes([len(body) + 2, msg_type]) + body


def expect(sock, msg_type):
    while True:
        data, _ = sock.recvfrom(2048)
        if len(data) >= 2 and data[1] == msg_type:
            return data


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(10)
    sock.connect((host, port))

    # CONNECT: flags CleanSession, protocol id 1, keep-alive 30 s (§5.4.4).
    sock.send(packet(CONNECT, bytes([0x04, 0x01]) + struct.pack(">H", 30) + b"demo-sensor"))
    print(f"  sensor> CONNACK return code {expect(sock, CONNACK)[2]}", flush=True)

    sock.send(packet(REGISTER, struct.pack(">HH", 0, 1) + b"greenhouse/temperature"))
    regack = expect(sock, REGACK)
    topic_id = struct.unpack(">H", regack[2:4])[0]
    print(f"  sensor> registered greenhouse/temperature as topic id {topic_id}", flush=True)

    message_id = 1
    for _ in range(seconds):
        message_id += 1
        reading = f"{random.uniform(18.0, 24.0):.1f}".encode()
        # PUBLISH QoS 1, normal topic id (flags 0x20).
        sock.send(packet(PUBLISH, bytes([0x20]) + struct.pack(">HH", topic_id, message_id) + reading))
        puback = expect(sock, PUBACK)
        print(f"  sensor> temperature {reading.decode()} acknowledged (return code {puback[6]})", flush=True)
        # PUBLISH QoS -1 on predefined topic id 2 (flags 0x61): no connection needed (§6.8).
        humidity = f"{random.uniform(40, 70):.0f}".encode()
        sock.send(packet(PUBLISH, bytes([0x61]) + struct.pack(">HH", 2, 0) + humidity))
        time.sleep(1)

    sock.send(packet(DISCONNECT))
    print("  sensor> disconnected", flush=True)


if __name__ == "__main__":
    main()
