/**
 * The EVA-DTS 6.x segments vendkit knows by name, with each element's identifier (segment tag +
 * two-digit position: `PA102`), meaning, type and whether it is mandatory.
 *
 * Element meanings come from public EVA-DTS material and from the MiZip Plus manual's table 7.5
 * (which maps every statistic to its element). Where no public source states an element's
 * meaning, the element is listed with a neutral name ("element n"), `known: false` and type AN:
 * it is kept and never judged, and never given a guessed meaning. Segments not listed here are kept
 * verbatim and never judged.
 */
export type ElementType = "N" | "AN" | "DT" | "TM";

export interface ElementDef {
  readonly id: string;
  readonly name: string;
  readonly type: ElementType;
  readonly required: boolean;
  /** Longest value EVA-DTS allows, where public material states it. */
  readonly maxLength?: number;
  /** False where no public source states the meaning. */
  readonly known: boolean;
}

export interface SegmentDef {
  readonly tag: string;
  readonly name: string;
  readonly elements: readonly ElementDef[];
}

type Spec = [name: string, type: ElementType, required?: boolean, maxLength?: number];

function def(tag: string, name: string, specs: readonly (Spec | null)[]): SegmentDef {
  return {
    tag,
    name,
    elements: specs.map((s, i) => {
      const id = `${tag}${String(i + 1).padStart(2, "0")}`;
      if (s === null) return { id, name: `element ${i + 1}`, type: "AN", required: false, known: false };
      const [elementName, type, required = false, maxLength] = s;
      return maxLength === undefined
        ? { id, name: elementName, type, required, known: true }
        : { id, name: elementName, type, required, maxLength, known: true };
    }),
  };
}

/** Four counters in the usual EVA-DTS order: value/number since initialisation, then since reset. */
const valueNumber = (what: string): Spec[] => [
  [`value of ${what} since initialisation`, "N"],
  [`number of ${what} since initialisation`, "N"],
  [`value of ${what} since last reset`, "N"],
  [`number of ${what} since last reset`, "N"],
];
const numberValue = (what: string): Spec[] => [
  [`number of ${what} since initialisation`, "N"],
  [`value of ${what} since initialisation`, "N"],
  [`number of ${what} since last reset`, "N"],
  [`value of ${what} since last reset`, "N"],
];
const unknown = (n: number): null[] => Array.from({ length: n }, () => null);
const identity = (what: string): Spec[] => [
  [`${what} serial number`, "AN", false, 20],
  [`${what} model number`, "AN", false, 20],
  [`${what} software revision`, "AN", false, 20],
];

const DEFS: readonly SegmentDef[] = [
  def("DXS", "transmission header", [
    ["communication ID of sender", "AN", true, 10],
    ["functional identifier", "AN", true, 2],
    ["version", "AN", true, 8],
    ["transmission control number", "N", true],
    ["communication ID of recipient", "AN", false, 10],
  ]),
  def("ST", "transaction set header", [
    ["transaction set identifier", "AN", true, 3],
    ["transaction set control number", "AN", true, 9],
  ]),
  def("ID1", "machine identification", [
    ["machine serial number", "AN", false, 20],
    ["machine model number", "AN", false, 20],
    ["machine build standard", "AN", false],
    ["machine location", "AN", false, 30],
    ["user defined", "AN", false],
    ["machine asset number", "AN", false, 20],
    ["DTS level", "AN", false],
    ["DTS revision", "AN", false],
  ]),
  def("ID4", "currency", [
    ["decimal point position", "N", false, 1],
    ["currency numeric code (ISO 4217 number as sent, e.g. 1978 for EUR)", "N"],
    ["currency alphabetic code (ISO 4217)", "AN", false, 3],
  ]),
  def("ID5", "date and time of the reading", [
    ["date", "DT"],
    ["time", "TM"],
    ["user defined number", "AN"],
    ["time zone or daylight saving", "AN"],
  ]),
  def("ID7", "payment system identification", [
    ["payment system index", "N"],
    ["payment system category", "N"],
    ["manufacturer code", "AN"],
    ["payment system serial number", "AN"],
    ["payment system model", "AN"],
    ["payment system software version", "AN"],
  ]),
  def("CB1", "control board identification", [...identity("control board"), null]),
  def("VA1", "paid vends", [
    ...valueNumber("paid vends"),
    ...valueNumber("discounts on paid vends"),
    ...valueNumber("surcharges on paid vends"),
  ]),
  def("VA2", "test vends", [...valueNumber("test vends"), ...unknown(2)]),
  def("VA3", "free vends", valueNumber("free vends")),
  def("CA1", "coin mechanism identification", [...identity("coin mechanism"), null]),
  def("CA2", "cash sales", valueNumber("cash sales")),
  def("CA3", "cash in", [
    ["value of cash in since last reset", "N"],
    ["value of cash to cash box since last reset", "N"],
    ["value of cash to tubes since last reset", "N"],
    ["value of bills in since last reset (before 6.0)", "N"],
    ["value of cash in since initialisation", "N"],
    ["value of cash to cash box since initialisation", "N"],
    ["value of cash to tubes since initialisation", "N"],
    ["value of bills in since initialisation (before 6.0)", "N"],
    ["value of bills in since last reset", "N"],
    ["value of bills in since initialisation", "N"],
    ["value of bills to recycler since last reset", "N"],
    ["value of bills to recycler since initialisation", "N"],
  ]),
  def("CA4", "cash dispensed", [
    ["value of cash dispensed since last reset", "N"],
    ["value of cash manually dispensed since last reset", "N"],
    ["value of cash dispensed since initialisation", "N"],
    ["value of cash manually dispensed since initialisation", "N"],
    ...unknown(6),
  ]),
  def("CA5", "coin mechanism element group 5", unknown(2)),
  def("CA6", "coin mechanism element group 6", unknown(2)),
  def("CA7", "cash discounts", [...valueNumber("cash discounts"), ...valueNumber("cash surcharges")]),
  def("CA8", "cash overpay", [
    ["value of overpay since last reset", "N"],
    ["value of overpay since initialisation", "N"],
  ]),
  def("CA9", "pay vend exact change", [
    ["value of exact-change vends since last reset", "N"],
    ["value of exact-change vends since initialisation", "N"],
  ]),
  def("CA10", "coins manually filled", [
    ["value of coins manually filled since last reset", "N"],
    ["value of coins manually filled since initialisation", "N"],
    ...unknown(2),
  ]),
  def("CA11", "coins accepted", [
    ["coin value", "N", true],
    ["number of coins in since last reset", "N"],
    ["number of coins to cash box since last reset", "N"],
    ["number of coins to tubes since last reset", "N"],
    ["number of coins in since initialisation", "N"],
    ["number of coins to cash box since initialisation", "N"],
    ["number of coins to tubes since initialisation", "N"],
  ]),
  def("CA12", "coins dispensed", [
    ["coin value", "N", true],
    ["number of coins dispensed since last reset", "N"],
    ["number of coins manually dispensed since last reset", "N"],
    ["number of coins dispensed since initialisation", "N"],
    ["number of coins manually dispensed since initialisation", "N"],
  ]),
  def("CA13", "coins manually filled", [
    ["coin value", "N", true],
    ["number of coins filled since last reset", "N"],
    ["number of coins filled since initialisation", "N"],
  ]),
  def("CA14", "bills accepted", [
    ["bill value", "N", true],
    ["number of bills accepted since last reset", "N"],
    ["number of bills to stacker since last reset", "N"],
    ["number of bills accepted since initialisation", "N"],
    ["number of bills to stacker since initialisation", "N"],
  ]),
  def("CA15", "tube contents", [["value of coins in tubes", "N"], ...unknown(9)]),
  def("CA16", "coin mechanism element group 16", unknown(2)),
  def("CA17", "coin tube", [
    ["tube number", "N", true],
    ["coin value", "N"],
    ["number of coins in tube", "N"],
    ["number of coins manually filled", "N"],
    ["number of coins manually dispensed", "N"],
    ["tube full status", "N"],
  ]),
  def("BA1", "bill validator identification", [...identity("bill validator"), null]),
  def("DA1", "cashless device 1 identification", [
    ...identity("cashless device"),
    ["cashless device user defined", "AN"],
  ]),
  def("DA2", "cashless device 1 sales", valueNumber("cashless sales")),
  def("DA3", "cashless device 1 debits", [
    ["value debited since last reset", "N"],
    ["value debited since initialisation", "N"],
  ]),
  def("DA4", "cashless device 1 credits (revalues)", [
    ["value credited since initialisation", "N"],
    ["value credited since last reset", "N"],
    ["value of deposits", "N"],
  ]),
  def("DA5", "cashless device 1 discounts", [
    ...valueNumber("cashless discounts"),
    ...valueNumber("cashless surcharges"),
  ]),
  def("DA6", "cashless device 1 element group 6", unknown(4)),
  def("DA7", "cashless device 1 element group 7", unknown(4)),
  def("DA8", "cashless device 1 element group 8", unknown(4)),
  def("DA9", "cashless device 1 failed vends", [
    ["value of failed cashless vends since last reset", "N"],
    ["value of failed cashless vends since initialisation", "N"],
  ]),
  def("DA10", "cashless device 1 element group 10", unknown(4)),
  def("TA2", "token sales", [...valueNumber("token sales"), ...unknown(4)]),
  def("LA1", "price list", [
    ["price list number", "N", true],
    ["product identifier (price line)", "AN", true],
    ["price", "N"],
    ["number of vends since initialisation", "N"],
    ["number of vends since last reset", "N"],
  ]),
  def("PA1", "product identification", [
    ["product identifier", "AN", true, 8],
    ["price", "N"],
    ["product name", "AN", false],
    ["maximum product capacity", "N"],
    ["standard filling level", "N"],
    ["standard dispensed quantity", "N"],
    ["selection status", "N"],
    ["current product level", "N"],
  ]),
  def("PA2", "product paid sales", [
    ...numberValue("paid products vended"),
    ...numberValue("discounts"),
    ...numberValue("surcharges"),
  ]),
  def("PA3", "product test vends", numberValue("test vends")),
  def("PA4", "product free vends", numberValue("free vends")),
  def("PA5", "product sold out", [
    ["date of sold out", "DT"],
    ["time of sold out", "TM"],
    ["number of sold out occurrences", "N"],
  ]),
  def("PA6", "product element group 6", unknown(4)),
  def("PA7", "product sales per payment device and price list", [
    ["product identifier", "AN", true],
    ["payment device (CA, DA, DB, TA...)", "AN", true],
    ["price list number", "N"],
    ["applied price", "N"],
    ...numberValue("products sold"),
  ]),
  def("PA8", "product element group 8", unknown(4)),
  def("EA1", "event", [
    ["event identification", "AN", true],
    ["date of event", "DT"],
    ["time of event", "TM"],
    ["event duration", "N"],
    ["event duration in milliseconds", "N"],
    ["user defined", "AN"],
    ["event activity", "N"],
  ]),
  def("EA2", "event counters", [
    ["event identification", "AN", true],
    ["number of events since last reset", "N"],
    ["number of events since initialisation", "N"],
    // Real files carry codes such as "8Q" here, so it is kept as text.
    ["current event activity", "AN"],
    ["user defined", "AN"],
  ]),
  def("EA3", "audit readings", [
    ["number of readings with reset since initialisation", "N"],
    ["date of this reading", "DT"],
    ["time of this reading", "TM"],
    ["terminal interrogation number", "AN"],
    ["date of last reading", "DT"],
    ["time of last reading", "TM"],
    ["last terminal interrogation number", "AN"],
    ["user defined", "AN"],
    // MiZip Plus manual 7.5 list 15: EA309 all readings, EA310 those followed by a reset; an N&W
    // Kalea writes EA3*3702*…*0001***3702 (the shared corpus), EA310 equal to EA301
    ["number of readings since initialisation, with or without reset", "N"],
    ["number of readings with reset since initialisation", "N"],
  ]),
  def("EA4", "initialisation", [
    ["date of last initialisation", "DT"],
    ["time of last initialisation", "TM"],
    ["initialisation reason or count", "AN"],
  ]),
  def("EA5", "last price change", [
    ["date of last price change", "DT"],
    ["time of last price change", "TM"],
  ]),
  def("EA6", "maintenance event", [
    ["date", "DT"],
    ["time", "TM"],
    ["operator or machine identification", "AN"],
    ["description", "AN"],
  ]),
  def("EA7", "power outages", [
    ["number of power outages since last reset", "N"],
    ["number of power outages since initialisation", "N"],
  ]),
  def("MA5", "vendor-specific data", [
    ["vendor data identifier", "AN", true],
    ...Array.from({ length: 30 }, (_, i): Spec => [`vendor data ${i + 1}`, "AN"]),
  ]),
  def("G85", "transaction set CRC", [["CRC-16 of the transaction set, 4 hex digits", "AN", true, 4]]),
  def("SE", "transaction set trailer", [
    ["number of included segments", "N", true],
    ["transaction set control number", "AN", true, 9],
  ]),
  def("DXE", "transmission trailer", [
    ["transmission control number", "N", true],
    ["number of included transaction sets", "N", true],
  ]),
];

const BY_TAG: ReadonlyMap<string, SegmentDef> = new Map(DEFS.map((d) => [d.tag, d]));

/** The definition of a segment, or undefined for one EVA-DTS vendkit does not know. */
export function segmentDef(tag: string): SegmentDef | undefined {
  return BY_TAG.get(tag);
}

export const KNOWN_SEGMENTS: readonly string[] = DEFS.map((d) => d.tag);
