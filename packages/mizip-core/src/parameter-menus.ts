/**
 * Where each system parameter sits in the programmer's menu tree (manual ch. 9; the paths are
 * table 5.2's), so a console can show the parameters as the programmer does. In menu order.
 */
export const PARAMETER_MENUS: readonly {
  readonly path: string;
  /** The programmer's own (Italian) names of the same menus. */
  readonly it: string;
  readonly numbers: (n: number) => boolean;
}[] = [
  { path: "Protocol", it: "Protocollo", numbers: (n) => n >= 30000 && n <= 30008 },
  { path: "Protocol / MDB", it: "Protocollo / MDB", numbers: (n) => n >= 30010 && n <= 30014 },
  { path: "Programming / Coins", it: "Programmazione / Monete", numbers: (n) => n >= 20000 && n <= 20016 },
  {
    path: "Programming / Coins / MDB changer",
    it: "Programmazione / Monete / Rendiresto MDB",
    numbers: (n) => n >= 20017 && n <= 20068,
  },
  { path: "Programming / Bills", it: "Programmazione / Banconote", numbers: (n) => n >= 21000 && n <= 21005 },
  {
    path: "Programming / Bills / MDB acceptor",
    it: "Programmazione / Banconote / Accettatore MDB",
    numbers: (n) => n >= 21006 && n <= 21053,
  },
  {
    path: "Programming / Coins and bills interface",
    it: "Programmazione / Interfaccia monete - banconote",
    numbers: (n) => n === 59900,
  },
  {
    path: "Programming / Codes",
    it: "Programmazione / Codici",
    numbers: (n) => [0, 1, 2, 9, 10, 15].includes(n),
  },
  {
    path: "Programming / Other parameters",
    it: "Programmazione / Altri parametri",
    numbers: (n) =>
      [40000, 40001, 40002, 40003, 40005, 40006, 40012, 40013, 40102, 40110, 40111, 40114, 40118].includes(n),
  },
  { path: "Programming / Black list", it: "Programmazione / Black List", numbers: (n) => n === 41000 },
  { path: "Programming / Sale prices", it: "Programmazione / Prezzi vendita", numbers: (n) => n === 40117 },
  {
    path: "Statistics / Collection",
    it: "Statistiche / Raccolta statistiche",
    numbers: (n) => [40007, 40116].includes(n),
  },
  {
    path: "Statistics / Collection / Audit mode DDCMP",
    it: "Statistiche / Raccolta statistiche / Audit mode DDCMP",
    numbers: (n) => [5, 6, 7, 40008, 40009, 40010, 40016, 40017, 40018].includes(n),
  },
  {
    path: "Key management / Formatting",
    it: "Gestione chiavi / Formattazione chiavi",
    numbers: (n) => [8, 40100, 40101, 40115].includes(n),
  },
  { path: "Maxi Box", it: "Maxi Box", numbers: (n) => n === 40011 },
  { path: "Euro", it: "Euro", numbers: (n) => n >= 40106 && n <= 40108 },
  { path: "Language", it: "Lingua", numbers: (n) => n === 40105 },
];

/**
 * The menu path of a parameter number, e.g. 20017 → "Programming / Coins / MDB changer", or in
 * the programmer's Italian ("Programmazione / Monete / Rendiresto MDB").
 */
export function menuOf(number: number, language: "en" | "it" = "en"): string | undefined {
  const menu = PARAMETER_MENUS.find((m) => m.numbers(number));
  return language === "it" ? menu?.it : menu?.path;
}
