/**
 * Makes Jazzer.js's prebuilt fuzzer addon load on this machine, or says why it cannot.
 *
 * @jazzer.js/fuzzer 4.0.0 ships one Linux x64 binary, built against glibc 2.38 and GCC 13's
 * libstdc++; Debian 12 has glibc 2.36 and GCC 12, so `require` fails with "GLIBC_2.38 not
 * found". It needs three symbols from those versions (see shim.cc). When the addon does not load
 * as shipped, this marks its need for those two versions weak (an ELF version-need flag: the
 * loader then goes on without them) in a copy beside the original, builds shim.cc with g++, and
 * returns the environment that preloads it. A machine with a newer glibc uses the addon as is.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const WEAKEN = ["GLIBC_2.38", "GLIBCXX_3.4.32"];
const VER_FLG_WEAK = 2;
const SHT_GNU_VERNEED = 0x6ffffffe;

/** Whether the addon loads with every symbol bound (a lazily bound one would fail mid-run). */
function loads(env) {
  const r = spawnSync(process.execPath, ["-e", "require('@jazzer.js/fuzzer')"], {
    cwd: here,
    env: { ...process.env, ...env, LD_BIND_NOW: "1" },
    encoding: "utf8",
  });
  return { ok: r.status === 0, why: (r.stderr.match(/Error: .*/) ?? [r.stderr.trim()])[0] };
}

/** Sets the weak flag on the version needs named in WEAKEN; returns which it found. */
export function weakenVersionNeeds(elf) {
  const b = Buffer.from(elf);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1)
    throw new Error("not a 64-bit little-endian ELF file");
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const section = (i) => {
    const o = shoff + i * shentsize;
    return {
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 0x18)),
      link: b.readUInt32LE(o + 0x28),
      info: b.readUInt32LE(o + 0x2c),
    };
  };
  const weakened = [];
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== SHT_GNU_VERNEED) continue;
    const strings = section(s.link).offset;
    let need = s.offset;
    for (let n = 0; n < s.info; n++) {
      let aux = need + b.readUInt32LE(need + 8);
      for (let k = 0; k < b.readUInt16LE(need + 2); k++) {
        const at = strings + b.readUInt32LE(aux + 8);
        const name = b.toString("latin1", at, b.indexOf(0, at));
        if (WEAKEN.includes(name)) {
          b.writeUInt16LE(b.readUInt16LE(aux + 4) | VER_FLG_WEAK, aux + 4);
          weakened.push(name);
        }
        aux += b.readUInt32LE(aux + 12);
      }
      need += b.readUInt32LE(need + 12);
    }
  }
  return { bytes: b, weakened };
}

/** The environment the fuzzer runs in: {} when the addon loads as shipped. Throws why it cannot. */
export function jazzerEnvironment() {
  if (loads({}).ok) return {};
  const addon = join(
    dirname(require.resolve("@jazzer.js/fuzzer/package.json")),
    "prebuilds",
    `fuzzer-${process.platform}-${process.arch}.node`,
  );
  const original = `${addon}.orig`;
  if (!existsSync(original)) copyFileSync(addon, original);
  const { bytes, weakened } = weakenVersionNeeds(readFileSync(original));
  writeFileSync(addon, bytes);
  const out = join(here, "..", ".jazzer");
  mkdirSync(out, { recursive: true });
  const shim = join(out, "shim.so");
  execFileSync("g++", ["-shared", "-fPIC", "-O2", "-o", shim, join(here, "shim.cc")]);
  const env = { LD_PRELOAD: shim };
  const after = loads(env);
  if (!after.ok)
    throw new Error(
      `the Jazzer.js addon does not load even with ${weakened.join(", ")} made weak and the shim: ${after.why}`,
    );
  return env;
}
