#!/usr/bin/env python3
"""Writes messages.jsonl: DDCMP messages and their bytes, computed here independently of the
TypeScript codec so that the tests check it against a second implementation.

Layout (DEC DDCMP Functional Specification 4.1): data SOH 0x81, control ENQ 0x05 (ACK 1, NAK 2,
REP 3, STRT 6, STACK 7), maintenance DLE 0x90; header of six bytes (class, count or type, flags
with the top two bits QSYNC 0x40 / SELECT 0x80, RESP, NUM, ADDR) followed by its CRC, then for
data and maintenance the data and its own CRC. The block check is CRC-16 x^16+x^15+x^2+1,
reflected (0xA001), initial 0, low byte first.
Run: python3 make-golden.py
"""
import json


def crc16(data: bytes) -> int:
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def with_crc(data: bytes) -> bytes:
    c = crc16(data)
    return data + bytes([c & 0xFF, c >> 8])


def control(kind, code, third, resp, num, addr, flags):
    return with_crc(bytes([0x05, code, (third & 0x3F) | flags, resp, num, addr]))


def counted(first, data, resp, num, addr, flags):
    n = len(data)
    head = bytes([first, n & 0xFF, ((n >> 8) & 0x3F) | flags, resp, num, addr])
    return with_crc(head) + with_crc(data)


QSYNC, SELECT = 0x40, 0x80
who_are_you = bytes([0x77, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00] + [0] * 6 + [0x00, 0x00, 0x0C])
cases = [
    ("strt", {"kind": "start", "addr": 1, "flags": QSYNC | SELECT}, control("start", 6, 0, 0, 0, 1, QSYNC | SELECT)),
    ("stack", {"kind": "stack", "addr": 1, "flags": SELECT}, control("stack", 7, 0, 0, 0, 1, SELECT)),
    ("ack", {"kind": "ack", "resp": 0, "addr": 1, "flags": SELECT}, control("ack", 1, 0, 0, 0, 1, SELECT)),
    ("ack-255", {"kind": "ack", "resp": 255, "addr": 1, "flags": 0}, control("ack", 1, 0, 255, 0, 1, 0)),
    ("nak-data-crc", {"kind": "nak", "resp": 4, "reason": 2, "addr": 1, "flags": 0}, control("nak", 2, 2, 4, 0, 1, 0)),
    ("rep", {"kind": "rep", "num": 9, "addr": 1, "flags": 0}, control("rep", 3, 0, 0, 9, 1, 0)),
    ("data-who-are-you", {"kind": "data", "resp": 0, "num": 1, "addr": 1, "flags": SELECT, "data": who_are_you.hex()},
     counted(0x81, who_are_you, 0, 1, 1, SELECT)),
    ("data-240", {"kind": "data", "resp": 7, "num": 8, "addr": 1, "flags": 0, "data": bytes(range(240)).hex()},
     counted(0x81, bytes(range(240)), 7, 8, 1, 0)),
    ("data-empty", {"kind": "data", "resp": 1, "num": 2, "addr": 1, "flags": 0, "data": ""}, counted(0x81, b"", 1, 2, 1, 0)),
    ("maintenance", {"kind": "maintenance", "addr": 1, "flags": QSYNC | SELECT, "data": "0102"},
     counted(0x90, bytes([1, 2]), 0, 0, 1, QSYNC | SELECT)),
]

with open("messages.jsonl", "w") as f:
    for name, message, wire in cases:
        f.write(json.dumps({"name": name, "message": message, "hex": wire.hex()}) + "\n")
