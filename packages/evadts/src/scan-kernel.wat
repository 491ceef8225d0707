;; The two loops of an EVA-DTS parse that touch every byte, in WebAssembly: finding the line ends
;; and the G85 CRC (CRC-16/ARC), both sixteen bytes at a time with SIMD.
;; scan-kernel.ts loads the file into the memory and runs the rest of the parse in JavaScript.
;; Build: `npm run build:wasm -w @vendkit/evadts` writes scan-kernel-wasm.ts from this file; a test
;; checks that the two agree.
;;
;; Memory layout (addresses in bytes), set by scan-kernel.ts:
;;   0 .. 8192      the sixteen CRC slicing tables, 256 little-endian u16 each (table k at k * 512)
;;   8192 .. 8320   the CRC's nibble tables: a register followed by 16 zero bytes, by each of its
;;                  four nibbles, each table as 16 low bytes then 16 high bytes
;;   8320 .. 8352   the CRC's sixteen lanes, low bytes then high bytes
;;   out ..         a batch of lines found: `cap` u32 starts, `cap` u32 identifiers (packed,
;;                  first character highest; 0 when the line has none), then `cap` u8
;;                  line-end lengths and `cap` u8 kinds
;;   base ..        the file, followed by 16 zero bytes
(module
  (import "env" "memory" (memory 1))

  ;; where the next call to `scan` starts: a line start, or n when the file is done
  (global $next (mut i32) (i32.const 0))
  (func (export "resumeAt") (result i32) (global.get $next))

  ;; whether the file `count` last saw has a byte of 0x80 or more (1) or is all ASCII (0)
  (global $wide (mut i32) (i32.const 0))
  (func (export "wide") (result i32) (global.get $wide))

  ;; How many lines the file of `n` bytes at `base` has: its line ends (as `scan` finds them),
  ;; and one more when the last line has none. Sets `wide` on the way.
  (func (export "count") (param $base i32) (param $n i32) (result i32)
    (local $p i32) (local $lines i32) (local $m i32) (local $v v128) (local $any v128)
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $v (v128.load (i32.add (local.get $base) (local.get $p))))
        (local.set $any (v128.or (local.get $any) (local.get $v)))
        (local.set $m
          (i32.or
            (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
            (i32.and
              (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13)))
              (i32.xor
                (i32.const 0xffff)
                (i8x16.bitmask
                  (i8x16.eq
                    (v128.load offset=1 (i32.add (local.get $base) (local.get $p)))
                    (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))))))
        ;; the last block may reach past the file, into zeros: no line end there
        (local.set $lines (i32.add (local.get $lines) (i32.popcnt (local.get $m))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    ;; the padding after the file is zeros: it sets no high bit
    (global.set $wide (i32.ne (i8x16.bitmask (local.get $any)) (i32.const 0)))
    (if (i32.gt_u (local.get $n) (i32.const 0))
      (then
        (if (i32.eqz
              (i32.or
                (i32.eq (i32.load8_u (i32.sub (i32.add (local.get $base) (local.get $n)) (i32.const 1))) (i32.const 10))
                (i32.eq (i32.load8_u (i32.sub (i32.add (local.get $base) (local.get $n)) (i32.const 1))) (i32.const 13))))
          (then (local.set $lines (i32.add (local.get $lines) (i32.const 1)))))))
    (local.get $lines))

  ;; Finds lines in the file of `n` bytes at `base`, from the line starting at `from`, and writes
  ;; up to `cap` of them at `out`. A line ends at CR LF, LF or a lone CR; the last one may have no
  ;; end. Returns how many were written; `resumeAt` then tells where to go on (n: done).
  ;; Each line's kind, as envelope.ts numbers them: 0 not an identifier (2-4 upper-case letters
  ;; and digits, a letter first, then `*` or the end), 1 any other, 2 DXS, 3 DXE, 4 ST, 5 SE,
  ;; 6 G85; bit 3 is set when the line ends with a blank.
  (func (export "scan") (param $base i32) (param $n i32) (param $from i32) (param $out i32) (param $cap i32) (result i32)
    (local $ls i32) (local $p i32) (local $m i32) (local $q i32) (local $count i32)
    (local $end i32) (local $eol i32) (local $keys i32) (local $eols i32) (local $kinds i32)
    (local $s i32) (local $e i32) (local $t i32) (local $c i32) (local $key i32) (local $kind i32)
    (local $v v128)
    (local.set $keys (i32.add (local.get $out) (i32.shl (local.get $cap) (i32.const 2))))
    (local.set $eols (i32.add (local.get $keys) (i32.shl (local.get $cap) (i32.const 2))))
    (local.set $kinds (i32.add (local.get $eols) (local.get $cap)))
    (local.set $ls (local.get $from))
    ;; the block before the first: its mask is empty, so the seek loads the first block
    (local.set $p (i32.sub (local.get $from) (i32.const 16)))
    (block $done
      (loop $line
        ;; the next line end at or after $ls, in $q; $n when the file ends without one
        (block $found
          (loop $seek
            (if (local.get $m)
              (then
                (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (br_if $found (i32.lt_u (local.get $q) (local.get $n)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (if (i32.ge_s (local.get $p) (local.get $n))
              (then
                (br_if $done (i32.ge_u (local.get $ls) (local.get $n)))
                (local.set $q (local.get $n))
                (br $found)))
            ;; the line ends in this block: every LF, and every CR that no LF follows (a CR LF
            ;; is found once, at its LF)
            (local.set $v (v128.load (i32.add (local.get $base) (local.get $p))))
            (local.set $m
              (i32.or
                (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
                (i32.and
                  (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13)))
                  (i32.xor
                    (i32.const 0xffff)
                    (i8x16.bitmask
                      (i8x16.eq
                        (v128.load offset=1 (i32.add (local.get $base) (local.get $p)))
                        (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))))))
            (br $seek)))
        (br_if $done (i32.eq (local.get $count) (local.get $cap)))
        ;; how the line ends: 0 at the end of the file, 2 a LF with a CR before it, else 1
        (local.set $end (local.get $q))
        (local.set $eol (i32.lt_u (local.get $q) (local.get $n)))
        (if (i32.and
              (i32.and (local.get $eol) (i32.gt_u (local.get $q) (local.get $ls)))
              (i32.and
                (i32.eq (i32.load8_u (i32.add (local.get $base) (local.get $q))) (i32.const 10))
                (i32.eq (i32.load8_u (i32.sub (i32.add (local.get $base) (local.get $q)) (i32.const 1))) (i32.const 13))))
          (then
            (local.set $end (i32.sub (local.get $q) (i32.const 1)))
            (local.set $eol (i32.const 2))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $ls))
        (i32.store8 (i32.add (local.get $eols) (local.get $count)) (local.get $eol))
        ;; the kind of the line's identifier, unrolled: it has 2-4 characters, so at most five
        ;; are read
        (local.set $s (i32.add (local.get $base) (local.get $ls)))
        (local.set $e (i32.add (local.get $base) (local.get $end)))
        (local.set $kind (i32.const 0))
        (block $classified
          (br_if $classified (i32.lt_u (i32.sub (local.get $e) (local.get $s)) (i32.const 2)))
          (local.set $c (i32.load8_u (local.get $s)))
          (br_if $classified (i32.ge_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 26)))
          (local.set $key (local.get $c))
          (local.set $t (i32.add (local.get $s) (i32.const 1)))
          (block $tagEnd
            (loop $char
              (local.set $c (i32.load8_u (local.get $t)))
              (br_if $classified
                (i32.and
                  (i32.ge_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 26))
                  (i32.ge_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
              (br_if $classified (i32.eq (i32.sub (local.get $t) (local.get $s)) (i32.const 4)))
              (local.set $key (i32.or (i32.shl (local.get $key) (i32.const 8)) (local.get $c)))
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              ;; the identifier ends at the end of the line or at a `*`
              (br_if $tagEnd (i32.eq (local.get $t) (local.get $e)))
              (br_if $tagEnd (i32.eq (i32.load8_u (local.get $t)) (i32.const 42)))
              (br $char)))
          (local.set $kind (i32.const 1))
          (if (i32.eq (local.get $key) (i32.const 0x445853)) (then (local.set $kind (i32.const 2))))
          (if (i32.eq (local.get $key) (i32.const 0x445845)) (then (local.set $kind (i32.const 3))))
          (if (i32.eq (local.get $key) (i32.const 0x5354)) (then (local.set $kind (i32.const 4))))
          (if (i32.eq (local.get $key) (i32.const 0x5345)) (then (local.set $kind (i32.const 5))))
          (if (i32.eq (local.get $key) (i32.const 0x473835)) (then (local.set $kind (i32.const 6)))))
        (if (i32.gt_u (local.get $e) (local.get $s))
          (then
            (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 32))
              (then (local.set $kind (i32.or (local.get $kind) (i32.const 8)))))))
        (i32.store8 (i32.add (local.get $kinds) (local.get $count)) (local.get $kind))
        (i32.store
          (i32.add (local.get $keys) (i32.shl (local.get $count) (i32.const 2)))
          (select (local.get $key) (i32.const 0) (i32.and (local.get $kind) (i32.const 7))))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $ls (i32.add (local.get $q) (i32.const 1)))
        (br $line)))
    ;; where the next call goes on: a line start, or past the end
    (global.set $next (local.get $ls))
    (local.get $count))

  ;; Folds the bytes at addresses p .. e into `crc` (CRC-16/ARC, reflected 0xA001). Whole 16-byte
  ;; blocks go through sixteen lanes at once: lane j is the register of the bytes at j, j + 16,
  ;; j + 32, ... alone (the CRC is linear: the register of all the bytes is the XOR of the
  ;; lanes, each moved to the end). A block XORs its byte j into lane j's low byte, then every
  ;; lane goes 16 bytes on, a 16-bit map read as four nibble lookups (`swizzle`) into 16-entry
  ;; tables, low and high byte apart. The last block's lanes are moved to the end (lane j by 16 -
  ;; j bytes) with the slicing tables, and the rest of the bytes go one at a time.
  (func (export "crc") (param $c i32) (param $p i32) (param $e i32) (result i32)
    (local $lo v128) (local $hi v128) (local $m v128)
    (local $n0 v128) (local $n1 v128) (local $n2 v128) (local $n3 v128)
    (local $z0l v128) (local $z1l v128) (local $z2l v128) (local $z3l v128)
    (local $z0h v128) (local $z1h v128) (local $z2h v128) (local $z3h v128)
    (local $j i32) (local $k i32)
    (if (i32.le_u (i32.add (local.get $p) (i32.const 16)) (local.get $e))
      (then
        (local.set $z0l (v128.load offset=8192 (i32.const 0)))
        (local.set $z0h (v128.load offset=8208 (i32.const 0)))
        (local.set $z1l (v128.load offset=8224 (i32.const 0)))
        (local.set $z1h (v128.load offset=8240 (i32.const 0)))
        (local.set $z2l (v128.load offset=8256 (i32.const 0)))
        (local.set $z2h (v128.load offset=8272 (i32.const 0)))
        (local.set $z3l (v128.load offset=8288 (i32.const 0)))
        (local.set $z3h (v128.load offset=8304 (i32.const 0)))
        (local.set $m (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
        ;; the register before the first byte is lane 0's
        (local.set $lo (i8x16.replace_lane 0 (v128.const i32x4 0 0 0 0) (local.get $c)))
        (local.set $hi (i8x16.replace_lane 0 (v128.const i32x4 0 0 0 0) (i32.shr_u (local.get $c) (i32.const 8))))
        (local.set $lo (v128.xor (local.get $lo) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (block $last
          (loop $block
            (br_if $last (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $e)))
            (local.set $n0 (v128.and (local.get $lo) (local.get $m)))
            (local.set $n1 (i8x16.shr_u (local.get $lo) (i32.const 4)))
            (local.set $n2 (v128.and (local.get $hi) (local.get $m)))
            (local.set $n3 (i8x16.shr_u (local.get $hi) (i32.const 4)))
            (local.set $lo
              (v128.xor
                (v128.xor
                  (v128.xor (i8x16.swizzle (local.get $z0l) (local.get $n0)) (i8x16.swizzle (local.get $z1l) (local.get $n1)))
                  (v128.xor (i8x16.swizzle (local.get $z2l) (local.get $n2)) (i8x16.swizzle (local.get $z3l) (local.get $n3))))
                (v128.load (local.get $p))))
            (local.set $hi
              (v128.xor
                (v128.xor (i8x16.swizzle (local.get $z0h) (local.get $n0)) (i8x16.swizzle (local.get $z1h) (local.get $n1)))
                (v128.xor (i8x16.swizzle (local.get $z2h) (local.get $n2)) (i8x16.swizzle (local.get $z3h) (local.get $n3)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $block)))
        ;; lane j of the last block holds its byte and must go k = 16 - j bytes on: its low byte
        ;; is a byte followed by k - 1 more, its high byte one followed by k - 2 (slicing table k:
        ;; a byte followed by k zero bytes); lane 15 (k = 1) by hand
        (v128.store offset=8320 (i32.const 0) (local.get $lo))
        (v128.store offset=8336 (i32.const 0) (local.get $hi))
        (local.set $c
          (i32.xor (i32.load8_u offset=8351 (i32.const 0)) (i32.load16_u (i32.shl (i32.load8_u offset=8335 (i32.const 0)) (i32.const 1)))))
        (local.set $j (i32.const 0))
        (loop $lane
          (local.set $k (i32.sub (i32.const 16) (local.get $j)))
          (local.set $c (i32.xor (local.get $c)
            (i32.xor
              (i32.load16_u (i32.add (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 9)) (i32.shl (i32.load8_u offset=8320 (local.get $j)) (i32.const 1))))
              (i32.load16_u (i32.add (i32.shl (i32.sub (local.get $k) (i32.const 2)) (i32.const 9)) (i32.shl (i32.load8_u offset=8336 (local.get $j)) (i32.const 1)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $lane (i32.lt_u (local.get $j) (i32.const 15))))))
    (block $done1
      (loop $one
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $c
          (i32.xor
            (i32.shr_u (local.get $c) (i32.const 8))
            (i32.load16_u
              (i32.shl (i32.and (i32.xor (local.get $c) (i32.load8_u (local.get $p))) (i32.const 255)) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $one)))
    (local.get $c)))
