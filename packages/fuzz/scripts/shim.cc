// What Jazzer.js 4's prebuilt fuzzer addon asks of glibc 2.38 and GCC 13's libstdc++ that
// Debian 12 (glibc 2.36, GCC 12) lacks: three symbols, here in terms of the older libraries.
// scripts/jazzer-compat.mjs builds this and loads it ahead of the addon (LD_PRELOAD).
#include <cstdlib>
#include <ios>

// glibc 2.38's C23 strtol/strtoul (the same but for "0b" binary prefixes, which the addon's
// option parsing never sees).
extern "C" long __isoc23_strtol(const char* s, char** end, int base) { return std::strtol(s, end, base); }
extern "C" unsigned long __isoc23_strtoul(const char* s, char** end, int base) {
  return std::strtoul(s, end, base);
}

// GCC 13 initialises the standard streams through this call; older libstdc++ through an
// ios_base::Init object in each unit, which is what it does here.
namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}  // namespace std
