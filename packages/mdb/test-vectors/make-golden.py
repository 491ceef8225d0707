#!/usr/bin/env python3
"""Writes cashless-session.jsonl: a cashless reader's session on the MDB bus, step by step, with
the 9-bit words each block travels as. Computed here, independently of the TypeScript codecs, from
MDB/ICP 4.3 (§2 blocks: the master's first byte carries the mode bit and its CHK does not; a
peripheral's CHK carries it, and a lone ACK is 0x100; CHK is the sum of the block's bytes mod 256;
§7 cashless device #1 at 0x10: RESET 0x10, SETUP 0x11, POLL 0x12, VEND 0x13, READER 0x14,
EXPANSION 0x17; responses JUST RESET 0x00, READER CONFIG 0x01, BEGIN SESSION 0x03, VEND APPROVED
0x05, END SESSION 0x07, PERIPHERAL ID 0x09; money and item numbers big-endian, 2 bytes at
levels 1-2).
Run: python3 make-golden.py
"""
import json

MODE = 0x100


def master(block):
    return [block[0] | MODE] + block[1:] + [sum(block) & 0xFF]


def peripheral(block):
    if not block:
        return [MODE]
    return block + [(sum(block) & 0xFF) | MODE]


def be(n, width=2):
    return [(n >> (8 * (width - 1 - i))) & 0xFF for i in range(width)]


def text(s, n):
    return [ord(c) for c in s.ljust(n)[:n]]


L1 = {"level": 1, "expanded": False}
L2 = {"level": 2, "expanded": False}
steps = [
    ("vmc", L1, {"type": "reset"}, [0x10]),
    ("reader", L1, None, []),  # ACK
    ("vmc", L1, {"type": "poll"}, [0x12]),
    ("reader", L1, [{"type": "just-reset"}], [0x00]),
    ("vmc", L1, {"type": "setup-config", "vmcLevel": 2, "columns": 16, "rows": 2, "displayInfo": 1},
     [0x11, 0x00, 2, 16, 2, 1]),
    ("reader", L2, [{"type": "reader-config", "level": 2, "currency": 0x1978, "scale": 1, "decimals": 2,
                     "maxResponseTime": 5, "options": 0b0011}], [0x01, 2] + be(0x1978) + [1, 2, 5, 3]),
    ("vmc", L2, {"type": "setup-prices", "max": 650, "min": 5}, [0x11, 0x01] + be(650) + be(5)),
    ("vmc", L2, {"type": "request-id", "manufacturer": "VKT", "serial": "000000000042", "model": "VENDKIT VMC2",
                 "version": 0x0102}, [0x17, 0x00] + text("VKT", 3) + text("000000000042", 12) + text("VENDKIT VMC2", 12) + be(0x0102)),
    ("reader", L2, [{"type": "peripheral-id", "manufacturer": "VKT", "serial": "000000000007", "model": "MIZIP PLUS 1",
                     "version": 0x0210}], [0x09] + text("VKT", 3) + text("000000000007", 12) + text("MIZIP PLUS 1", 12) + be(0x0210)),
    ("vmc", L2, {"type": "reader-enable"}, [0x14, 0x01]),
    ("vmc", L1, {"type": "poll"}, [0x12]),
    ("reader", L1, [{"type": "begin-session", "funds": 1250}], [0x03] + be(1250)),
    ("vmc", L1, {"type": "vend-request", "price": 80, "item": 3}, [0x13, 0x00] + be(80) + be(3)),
    ("reader", L1, [{"type": "vend-approved", "amount": 80}], [0x05] + be(80)),
    ("vmc", L1, {"type": "vend-success", "item": 3}, [0x13, 0x02] + be(3)),
    ("vmc", L1, {"type": "session-complete"}, [0x13, 0x04]),
    ("reader", L1, [{"type": "end-session"}], [0x07]),
]

with open("cashless-session.jsonl", "w") as f:
    for direction, ctx, what, block in steps:
        words = master(block) if direction == "vmc" else peripheral(block)
        key = "command" if direction == "vmc" else "responses"
        f.write(json.dumps({"from": direction, "ctx": ctx, key: what, "words": [f"{w:03x}" for w in words]}) + "\n")

# Short replies (MDB 4.3: unsent bytes are zero, pp. 5-4, 5-5, 5-13, 6-4; manual fill/payout
# reports keep unsent counts unchanged, p. 5-17), as real changers and validators send them.
# Each: the command block, the peripheral's 9-bit reply words, and what a master must read.
short = [
    {"device": "changer", "what": "setup", "command": [0x09],
     "reply": [3] + be(0x1978) + [5, 2] + be(0x0007) + [2, 4, 10],
     "expect": {"level": 3, "currency": 0x1978, "scale": 5, "decimals": 2, "routing": 7,
                "credits": [2, 4, 10] + [0] * 13}},
    {"device": "changer", "what": "tube-status", "command": [0x0A],
     "reply": be(0x0001) + [12, 30, 7],
     "expect": {"full": 1, "counts": [12, 30, 7] + [0] * 13}},
    {"device": "changer", "what": "payout-status", "command": [0x0F, 0x03],
     "reply": [1, 0, 2, 1],
     "expect": {"coins": [1, 0, 2, 1] + [0] * 12}},
    {"device": "changer", "what": "manual-fill-report", "command": [0x0F, 0x06],
     "before": [9] * 16, "reply": [4, 0],
     "expect": {"coins": [4, 0] + [9] * 14}},
    {"device": "validator", "what": "setup", "command": [0x31],
     "reply": [1] + be(0x1978) + be(100) + [2] + be(500) + be(0x0003) + [0xFF, 5, 10],
     "expect": {"level": 1, "currency": 0x1978, "scale": 100, "decimals": 2, "stackerCapacity": 500,
                "security": 3, "escrow": True, "credits": [5, 10] + [0] * 14}},
]

with open("short-replies.jsonl", "w") as f:
    for case in short:
        words = peripheral(case["reply"])
        f.write(json.dumps({**case, "reply": [f"{w:03x}" for w in words]}) + "\n")
