/**
 * Where each system parameter sits in the programmer's menu tree (manual ch. 9; the paths are
 * table 5.2's), so a console can show the parameters as the programmer does. In menu order.
 */
export const PARAMETER_MENUS: readonly { readonly path: string; readonly numbers: (n: number) => boolean }[] =
  [
    { path: "Protocol", numbers: (n) => n >= 30000 && n <= 30008 },
    { path: "Protocol / MDB", numbers: (n) => n >= 30010 && n <= 30014 },
    { path: "Programming / Coins", numbers: (n) => n >= 20000 && n <= 20016 },
    { path: "Programming / Coins / MDB changer", numbers: (n) => n >= 20017 && n <= 20068 },
    { path: "Programming / Bills", numbers: (n) => n >= 21000 && n <= 21005 },
    { path: "Programming / Bills / MDB acceptor", numbers: (n) => n >= 21006 && n <= 21053 },
    { path: "Programming / Coins and bills interface", numbers: (n) => n === 59900 },
    { path: "Programming / Codes", numbers: (n) => [0, 1, 2, 9, 10, 15].includes(n) },
    {
      path: "Programming / Other parameters",
      numbers: (n) =>
        [40000, 40001, 40002, 40003, 40005, 40006, 40012, 40013, 40102, 40110, 40111, 40114, 40118].includes(
          n,
        ),
    },
    { path: "Programming / Black list", numbers: (n) => n === 41000 },
    { path: "Programming / Sale prices", numbers: (n) => n === 40117 },
    { path: "Statistics / Collection", numbers: (n) => [40007, 40116].includes(n) },
    {
      path: "Statistics / Collection / Audit mode DDCMP",
      numbers: (n) => [5, 6, 7, 40008, 40009, 40010, 40016, 40017, 40018].includes(n),
    },
    { path: "Key management / Formatting", numbers: (n) => [8, 40100, 40101, 40115].includes(n) },
    { path: "Maxi Box", numbers: (n) => n === 40011 },
    { path: "Euro", numbers: (n) => n >= 40106 && n <= 40108 },
    { path: "Language", numbers: (n) => n === 40105 },
  ];

/** The menu path of a parameter number, e.g. 20017 → "Programming / Coins / MDB changer". */
export function menuOf(number: number): string | undefined {
  return PARAMETER_MENUS.find((m) => m.numbers(number))?.path;
}
