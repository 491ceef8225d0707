#!/usr/bin/env python3
"""Writes messages.jsonl: DDCMP messages and their bytes, computed here independently of the
TypeScript codec so that the tests check it against a second implementation.

Layout (DEC DDCMP Functional Specification 4.1): data SOH 0x81, control ENQ 0x05 (ACK 1, NAK 2,
REP 3, STRT 6, STACK 7), maintenance DLE 0x90; header of six bytes (class, count or type, flags
with the top two bits QSYNC 0x40 / SELECT 0x80, RESP, NUM, ADDR) followed by its CRC, then for
data and maintenance the data and its own CRC. The block check is CRC-16 x^16+x^15+x^2+1,
reflected (0xA001), initial 0, low byte first. EVA-DTS's profile (EVA DTS 6.1.2 3.6.2, p. 75)
puts the baud-rate codes into START (the master's wish, offset 4) and STACK (the slave's
capability at offset 3, the agreed code at offset 4).
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
    ("strt", {"kind": "start", "addr": 1, "flags": QSYNC | SELECT, "mbd": 0}, control("start", 6, 0, 0, 0, 1, QSYNC | SELECT)),
    ("stack", {"kind": "stack", "addr": 1, "flags": SELECT, "sbd": 0, "mbd": 0}, control("stack", 7, 0, 0, 0, 1, SELECT)),
    ("strt-38400", {"kind": "start", "addr": 1, "flags": QSYNC, "mbd": 6}, control("start", 6, 0, 0, 6, 1, QSYNC)),
    ("stack-115200-38400", {"kind": "stack", "addr": 5, "flags": QSYNC, "sbd": 8, "mbd": 6}, control("stack", 7, 0, 8, 6, 5, QSYNC)),
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


# EVA's example session (EVA DTS 6.1.2 chapter 3 points to it; "trace appl. notes.pdf" in the
# EVA-DTS 6.2.2 package, first part: a security read of list 2, 551 bytes in 17 blocks of 34 text
# bytes, at 2400 baud, station address 1, no rate change). Frames marked "trace" are the trace's
# bytes as printed; the trace leaves out the block payloads and the headers of blocks 2-16, so
# those are written here from the same rules ("computed"), with a made-up text of the right
# length. Every CRC of the trace's frames is checked here against the same CRC-16/ARC.
def frame(head, data=None):
    out = with_crc(bytes(head))
    return out if data is None else out + with_crc(bytes(data))


def check(hexstr, rebuilt):
    assert bytes.fromhex(hexstr.replace(" ", "")) == rebuilt, (hexstr, rebuilt.hex())
    return rebuilt


TEXT = bytes((0x41 + (i % 26)) if i % 40 != 39 else 0x0A for i in range(551))
trace = [
    ("master", check("05 06 40 00 00 01 5c 55", frame([5, 6, 0x40, 0, 0, 1])), "trace", "START, rate unchanged"),
    ("slave", check("05 07 40 00 00 01 61 95", frame([5, 7, 0x40, 0, 0, 1])), "trace", "STACK, default slave"),
    ("master", check("81 10 40 00 01 01 0a 42 77 e0 00 00 00 00 00 09 01 98 09 33 03 00 00 0c 31 17",
                     frame([0x81, 16, 0x40, 0, 1, 1], [0x77, 0xE0, 0, 0, 0, 0, 0, 0x09, 0x01, 0x98, 0x09, 0x33, 0x03, 0, 0, 0x0C])),
     "trace", "WHO ARE YOU, msg 1, 9 Jan 98 09:33:03, route person"),
    ("slave", check("05 01 40 01 00 01 b8 55", frame([5, 1, 0x40, 1, 0, 1])), "trace", "ACK 1"),
    ("slave", check("81 15 40 01 01 01 97 82 88 e0 01 00 00 00 00 00 00 00 00 00 00 00 00 46 63 00 00 00 00 77 a4",
                    frame([0x81, 21, 0x40, 1, 1, 1], [0x88, 0xE0, 1] + [0] * 12 + [0x46, 0x63, 0, 0, 0, 0])),
     "trace", "WHO ARE YOU accepted, msg 1"),
    ("master", check("05 01 40 01 00 01 b8 55", frame([5, 1, 0x40, 1, 0, 1])), "trace", "ACK 1"),
    ("master", check("81 09 40 01 02 01 46 b0 77 e2 00 02 01 00 00 00 00 f0 41",
                     frame([0x81, 9, 0x40, 1, 2, 1], [0x77, 0xE2, 0, 2, 1, 0, 0, 0, 0])), "trace", "READ DATA list 2, msg 2"),
    ("slave", check("05 01 40 02 00 01 48 55", frame([5, 1, 0x40, 2, 0, 1])), "trace", "ACK 2"),
    ("slave", check("81 09 40 02 02 01 b6 b0 88 e2 01 02 01 00 00 27 02 3f 44",
                    frame([0x81, 9, 0x40, 2, 2, 1], [0x88, 0xE2, 1, 2, 1, 0, 0, 0x27, 0x02])), "trace", "READ DATA accepted, 551 bytes"),
    ("master", check("05 01 40 02 00 01 48 55", frame([5, 1, 0x40, 2, 0, 1])), "trace", "ACK 2"),
]
known_headers = {0: "81 24 40 02 03 01 1b 26", 1: "81 24 40 02 04 01 19 16"}
for b in range(17):
    text = TEXT[b * 34:(b + 1) * 34]
    num = 3 + b
    head = [0x81, len(text) + 2, 0x40, 2, num, 1]
    if b in known_headers:
        assert frame(head)[:8] == bytes.fromhex(known_headers[b].replace(" ", ""))
    trace.append(("slave", frame(head, [0x99, b] + list(text)), "computed" if b not in known_headers else "trace header",
                  f"block {b}, msg {num}"))
    ack = frame([5, 1, 0x40, num, 0, 1])
    if num in (3, 4, 0x13):
        check({3: "05 01 40 03 00 01 19 95", 4: "05 01 40 04 00 01 a8 54", 0x13: "05 01 40 13 00 01 18 50"}[num], ack)
    trace.append(("master", ack, "trace" if num in (3, 4, 0x13) else "computed", f"ACK {num}"))
trace += [
    ("master", check("81 05 40 13 03 01 f7 24 77 e4 00 02 01 02 5b", frame([0x81, 5, 0x40, 0x13, 3, 1], [0x77, 0xE4, 0, 2, 1])),
     "trace", "DELETE DATA list 2, msg 3"),
    ("slave", check("05 01 40 03 00 01 19 95", frame([5, 1, 0x40, 3, 0, 1])), "trace", "ACK 3"),
    ("slave", check("81 03 40 03 14 01 71 11 88 e4 01 0a ea", frame([0x81, 3, 0x40, 3, 0x14, 1], [0x88, 0xE4, 1])),
     "trace", "DELETE DATA accepted, msg 0x14"),
    ("master", check("05 01 40 14 00 01 a9 91", frame([5, 1, 0x40, 0x14, 0, 1])), "trace", "ACK 0x14"),
    ("master", check("81 02 40 14 04 01 f1 15 77 ff 67 b0", frame([0x81, 2, 0x40, 0x14, 4, 1], [0x77, 0xFF])), "trace", "FINISH, msg 4"),
    ("slave", check("05 01 40 04 00 01 a8 54", frame([5, 1, 0x40, 4, 0, 1])), "trace", "ACK 4: done"),
]
# the standard's worked FINISH (6.2.1, p. 186), and the timed log's last answer
check("81 02 40 05 03 01 a3 20 77 ff 67 b0", frame([0x81, 2, 0x40, 5, 3, 1], [0x77, 0xFF]))

with open("eva-trace-session.jsonl", "w") as f:
    f.write(json.dumps({"text": TEXT.hex(), "finishExample": "810240050301a32077ff67b0"}) + "\n")
    for who, wire, source, note in trace:
        f.write(json.dumps({"from": who, "hex": wire.hex(), "source": source, "note": note}) + "\n")
