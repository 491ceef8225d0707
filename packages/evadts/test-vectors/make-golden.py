#!/usr/bin/env python3
"""Writes the golden files in this folder: MiZip audits, the forms real machines send, and a DEX
session with a machine that is master of the first handshake.

Independent of the TypeScript code on purpose: the envelope (SE count, G85 CRC-16/ARC over
ST .. the segment before G85, CR LF line ends) is computed here in Python, so the tests check
the TypeScript writer and parser against a second implementation.

Values follow the MiZip Plus manual's table 7.5 (statistic -> EVA-DTS element): prices per
price line in LA1 lists 0 (cash) and 1 (key level 0), list 7 miscellaneous counters,
ID1/ID7/DA1/EA3 identification, EA2 error list NE1..NE16 / NSA..NSF.
Run: python3 make-golden.py
"""


def crc_arc(data: bytes) -> int:
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def build(comm_id, body):
    st = "ST*001*0001"
    crc = crc_arc("".join(s + "\r\n" for s in [st] + body).encode("latin1"))
    segs = ["DXS*%s*VA*V0/6*1" % comm_id, st] + body + [
        "G85*%04X" % crc,
        "SE*%d*0001" % (len(body) + 3),
        "DXE*1*1",
    ]
    return "".join(s + "\r\n" for s in segs).encode("latin1")


PLUS = [
    # 15 - identification: ID101 payment system serial, ID102 model, ID104 customer code,
    # ID106 machine asset number (reader code + machine code)
    "ID1*NIS0012345*MIZIP PLUS**00000042**000123004567",
    "ID4*2*1978*EUR",
    "ID5*20261122*1830",
    "ID7*1*21*NIS*NIS0012345*MIZIP PLUS*2.10",
    "CB1*NIS0012345*MIZIP PLUS*2.10",
    # 3 - general sales data
    "VA1*18560*312*4560*78*450*9*120*2*0*0*0*0",
    "VA2*300*6*50*1",
    "VA3*1200*24*300*6",
    # 1 - coins and bills in
    "CA1*CHG0001234*COINCO 9302*0107",
    "CA2*9800*162*2400*40",
    "CA3*12500*7500*5000*0*52000*31000*21000*0*2000*8000",
    "CA4*2100*300*9400*1200",
    "CA5*0*0",
    "CA6*0*0",
    "CA7*150*3*50*1*0*0*0*0",
    "CA8*40*220",
    "CA9*0*0",
    "CA10*1500*6000",
    "CA11*5*10*2*8*60*12*48",
    "CA11*10*22*4*18*150*30*120",
    "CA11*20*35*10*25*240*80*160",
    "CA11*50*60*30*30*420*210*210",
    "CA11*100*40*40*0*300*300*0",
    "CA11*200*15*15*0*110*110*0",
    "CA12*5*6*0*40*2",
    "CA12*10*14*2*90*10",
    "CA12*20*18*0*120*4",
    "CA12*50*10*0*60*0",
    "CA13*10*20*100",
    "CA13*20*15*80",
    "CA14*500*3*3*12*12",
    "CA14*1000*1*1*5*5",
    "CA15*3450",
    "CA16*0*0",
    "CA17*1*10*45*20*0*0",
    "CA17*2*20*38*15*0*0",
    "CA17*3*50*30*0*0*0",
    "CA17*4*5*25*0*0*0",
    "BA1*BV00098765*NV9 USB*0302",
    # key (cashless) data: DA101 serial, DA102 model, DA103 software version
    "DA1*NIS0012345*MIZIP PLUS*2.10",
    "DA2*8760*150*2160*38",
    "DA3*0*0",
    "DA4*64000*15000*500",
    "DA5*450*9*120*2*0*0*0*0",
    "DA6*0*0*0*0",
    "DA7*0*0*0*0",
    "DA8*0*0*0*0",
    "DA9*60*240",
    "DA10*0*0*0*0",
    "TA2*0*0*0*0",
    # 4 - cash sales (list 0) and key sales (list 1): LA1*list*price line*price*vends init*vends reset
    "LA1*0*1*50*90*20",
    "LA1*0*2*60*50*15",
    "LA1*0*3*80*22*5",
    "LA1*1*1*45*80*18",
    "LA1*1*2*55*50*15",
    "LA1*1*3*75*20*5",
    # 11 - miscellaneous (list 7): n=1 cash failed sales, n=2 overprice, n=3 other recharges
    "LA1*7*1**2*1",
    "LA1*7*2**40*10",
    "LA1*7*3**15000*5000",
    # 13 - selection names and per-line totals
    "PA1*1*50*ESPRESSO",
    "PA2*170*8050*38*1750",
    "PA3*3*150*1*50",
    "PA4*10*500*2*100",
    "PA5*20261120*1415*1",
    "PA6*0*0*0*0",
    "PA7*1*CA*0*50*90*4500*20*1000",
    "PA7*1*DA*1*45*80*3600*18*810",
    "PA8*0*0*0*0",
    "PA1*2*60*CAPPUCCINO",
    "PA2*100*5750*30*1650",
    "PA3*3*150*0*0",
    "PA4*8*480*2*120",
    "PA1*3*80*CIOCCOLATA",
    "PA2*42*3300*10*760",
    "PA3*0*0*0*0",
    "PA4*6*220*2*80",
    # 14 - error list: EA2*ref*period*historic
    "EA1*NE1*20261118*0912*0",
    "EA2*NE1*1*3*0",
    "EA2*NE2*0*1*0",
    "EA2*NSA*0*0*0",
    "EA3*27*20261122*1830*HH0001*20261115*0805*HH0001*31*27",
    "EA4*20240301*0900",
    "EA5*20261001*0730",
    "EA6*20261110*1010*NIS*TUBES FILLED",
    "EA7*1*14",
    "MA5*NIS*AUDIT MODE*DDCMP 6.0 PLUS",
]

DEX = [
    "ID1*NIS0012345*MIZIP PLUS**00000042**000123004567",
    "ID4*2*1978*EUR",
    "ID5*261122*1830",
    "VA1*18560*312*4560*78",
    "CA2*9800*162*2400*40",
    "CA3*12500*7500*5000*0*52000*31000*21000*0",
    "DA1*NIS0012345*MIZIP PLUS*2.10",
    "DA2*8760*150*2160*38",
    "LA1*0*1*50*90*20",
    "LA1*1*1*45*80*18",
    "PA1*1*50",
    "PA2*170*8050*38*1750",
    "EA3*27*261122*1830*HH0001*261115*0805",
]

# The forms real machines send (issue "Talk to real machines"), each built from its rule.

def g85_no_final_line_end(comm_id, body):
    """G85 over ST .. the segment before G85 with CR LF between segments but not after the
    last one, as reads of an N&W telemetry unit carry."""
    st = "ST*001*0001"
    crc = crc_arc("\r\n".join([st] + body).encode("latin1"))
    segs = ["DXS*%s*VA*V0/6*1" % comm_id, st] + body + [
        "G85*%04X" % crc,
        "SE*%d*0001" % (len(body) + 3),
        "DXE*1*1",
    ]
    return "".join(s + "\r\n" for s in segs).encode("latin1")


# placeholders: PA5 with 0 date and time (N&W Kalea), an empty EA101 (Crane), an empty PA101
# (short reads), ID4 FFFF
PLACEHOLDERS = [
    "ID1*NWK0000001*KALEA",
    "ID4*2*FFFF",
    "VA1*7519*41*500*3",
    "PA1*108*100*Ristretto",
    "PA2*0*0*0*0",
    "PA5*0*0*0",
    "PA1**120",
    "EA1******",
]

# transport framing around two audits, with a separator between them
def framed():
    one = build("NWK0000001", ["ID1*NWK0000001*KALEA", "VA1*7519*41*500*3"])
    two = build("CNV0000032", ["ID1*CNV0000032*CRANE", "VA1*2445950*6172*348610*5795"])
    return b"+TELEMETRY v2 seq=17\r\n" + one + b"--next--\r\n" + two + b"#END\r\n"


# A DEX/UCS session (EVA-DTS 6.1.2 4.5, pp. 108-116) with a machine (VMD) that is master of the
# first handshake, as coin mechanisms are. Frames: DLE STX|SOH data DLE ETB|ETX CRC-16/ARC over
# data + ETB/ETX, low byte first. The VMD pauses once with DLE SYN inside its data block and
# makes the collector wait once with WACK.
DLE, SOH, STX, ETX, ETB, EOT, ENQ, SYN = 0x10, 0x01, 0x02, 0x03, 0x17, 0x04, 0x05, 0x16


def block(data, header, last, pause_at=None):
    end = ETX if last else ETB
    crc = crc_arc(data + bytes([end]))
    body = bytearray()
    for i, b in enumerate(data):
        if i == pause_at:
            body += bytes([DLE, SYN])
        if b == DLE:
            body.append(DLE)
        body.append(b)
    return bytes([DLE, SOH if header else STX]) + bytes(body) + bytes([DLE, end, crc & 0xFF, crc >> 8])


def dex_vmd_master_session(audit):
    vmd, dc = "vmd", "dc"
    ack0, ack1, wack = bytes([DLE, 0x30]), bytes([DLE, 0x31]), bytes([DLE, 0x3B])
    half = len(audit) // 2
    return [
        (vmd, bytes([ENQ])),  # crosses the collector's own ENQ: the collector backs off
        (vmd, bytes([ENQ])),  # the second: the collector answers as slave
        (dc, ack0),
        (vmd, block(b"CAM0000007SR01L01", True, True)),
        (dc, ack1),
        (vmd, bytes([EOT])),
        (dc, bytes([ENQ])),  # second handshake: the collector is master
        (vmd, wack),  # wait...
        (dc, bytes([ENQ])),  # ...then ask again, no retry spent
        (vmd, ack0),
        (dc, block(b"00HHT0000042R01L01", True, True)),
        (vmd, ack1),
        (dc, bytes([EOT])),
        (vmd, bytes([ENQ])),  # data: the machine sends
        (dc, ack0),
        (vmd, block(audit[:half], False, False, pause_at=7)),
        (dc, ack1),
        (vmd, block(audit[half:], False, True)),
        (dc, ack0),
        (vmd, bytes([EOT])),
    ]


if __name__ == "__main__":
    import json
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    for name, body in [("mizip-ddcmp60-plus.eva_dts", PLUS), ("mizip-dex60.eva_dts", DEX)]:
        with open(os.path.join(here, name), "wb") as f:
            f.write(build("NIS0012345", body))
    with open(os.path.join(here, "g85-no-final-line-end.eva_dts"), "wb") as f:
        f.write(g85_no_final_line_end("NWK0000001", DEX))
    with open(os.path.join(here, "placeholders.eva_dts"), "wb") as f:
        f.write(build("NWK0000001", PLACEHOLDERS))
    with open(os.path.join(here, "framed-two-audits.txt"), "wb") as f:
        f.write(framed())
    audit = build("CAM0000007", ["ID1*CAM0000007*COIN MECH", "CA2*9800*162*2400*40"])
    with open(os.path.join(here, "dex-vmd-master.jsonl"), "w") as f:
        f.write(json.dumps({"audit": audit.hex()}) + "\n")
        for who, frame in dex_vmd_master_session(audit):
            f.write(json.dumps({"from": who, "hex": frame.hex()}) + "\n")
