import { MAX_LINES } from "@vendkit/pricing";
import { type Static, Type } from "typebox";
import { DEMO_KEYS, DEMO_PRICES, SPECIAL_KEYS } from "./demo.js";

/**
 * What each console route takes, declared once: Fastify validates every request against these
 * (a 400 naming the field when it does not match) and the handlers get the typed values.
 * Money is an integer in the smallest unit (cents), as everywhere in vendkit. The schemas hold
 * the shape and sane bounds; the manual's own ranges are checked by the library, which refuses
 * with the parameter number (table 5.2) a technician can look up.
 */

const whole = (minimum: number, maximum: number, description?: string) =>
  Type.Integer({ minimum, maximum, ...(description === undefined ? {} : { description }) });
/** A programmer's password or code as typed: a whole number, 0..99999 (manual 4.9.3). */
const password = Type.Optional(whole(0, 99_999_999, "the programmer password (009)"));
const money = (description: string) => whole(0, 9_999_999, description);
const strict = { additionalProperties: false } as const;

export const Empty = Type.Object({}, strict);

export const Login = Type.Object({ password: whole(0, 99_999_999, "the programmer password (009)") }, strict);

export const SetParameter = Type.Object(
  {
    number: whole(0, 99_999, "the parameter number (manual table 5.2)"),
    value: Type.Integer({ description: "its new value; the range is the parameter's own" }),
    password,
  },
  strict,
);

export const DateTime = Type.Object(
  {
    year: whole(2000, 2099),
    month: whole(1, 12),
    day: whole(1, 31),
    hour: whole(0, 23),
    minute: whole(0, 59),
  },
  strict,
);

export const SetClock = Type.Object(
  {
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    dateFormat: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    hourFormat: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    dateTime: Type.Optional(DateTime),
  },
  strict,
);

export const SetCodes = Type.Object(
  {
    machineCode: Type.Optional(Type.String({ maxLength: 20 })),
    readerCode: Type.Optional(Type.String({ maxLength: 20 })),
    blackList: Type.Optional(Type.Array(whole(1, 99_999_999), { maxItems: 500 })),
  },
  strict,
);

export const SetPrice = Type.Object(
  {
    table: Type.Union([Type.Literal("cash"), whole(0, 3, "a key level")]),
    line: whole(1, MAX_LINES),
    price: money("the price in the smallest unit"),
  },
  strict,
);

// the name's own rule (8 characters, no "*") is pricing's, refused with its parameter number
export const SetName = Type.Object(
  { line: whole(1, MAX_LINES), name: Type.String({ maxLength: 64 }) },
  strict,
);

const keyIndex = whole(0, DEMO_KEYS.length - 1, "which of the reader's demo keys (0 is the first)");
export const KeyIndex = Type.Object({ index: keyIndex }, strict);

export const FormatKey = Type.Object(
  { index: keyIndex, credit: Type.Optional(money("credit written on the key")), password },
  strict,
);

export const ModifyKey = Type.Object(
  {
    bonus1Tokens: Type.Optional(whole(0, 255)),
    bonus2Tokens: Type.Optional(whole(0, 255)),
    loyaltyPoints: Type.Optional(whole(0, 65_535)),
    password,
  },
  strict,
);

export const Recharge = Type.Object(
  { amount: whole(1, 9_999_999, "credit to add, in the smallest unit"), password },
  strict,
);

const specialKind = Type.Union(SPECIAL_KEYS.map((k) => Type.Literal(k.kind)));
export const SpecialKind = Type.Object({ kind: specialKind }, strict);
export const LoadSpecialKey = Type.Object(
  {
    kind: specialKind,
    mode: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(2)], { description: "1: 50 keys, 2: 500" }),
    ),
    keys: Type.Optional(Type.Array(whole(1, 99_999_999), { maxItems: 500 })),
  },
  strict,
);

export const CashType = Type.Object({ type: whole(1, 16, "the coin or bill type") }, strict);
export const Selection = Type.Object(
  { item: whole(1, DEMO_PRICES.length, "a selection of the simulated VMC") },
  strict,
);
/** A query string is text: the key number as digits (bodies, being JSON, carry numbers). */
export const MaxiBoxQuery = Type.Object(
  { key: Type.String({ pattern: "^[0-9]{1,8}$", description: "the key number" }) },
  strict,
);

// The EXTRA functions (manual 4.4-4.5, ch. 8): any part of them, merged into the pricing (objects
// by key, arrays by index), with every shape and range of @vendkit/pricing's PricingConfig.
const period = Type.Union([Type.Literal("daily"), Type.Literal("weekly"), Type.Literal("monthly")]);
const usage = Type.Union([
  Type.Literal("disabled"),
  Type.Literal("sale-only"),
  Type.Literal("recharge-and-sale"),
]);
const percent = whole(0, 100);
const minuteOfDay = whole(0, 1439);
const levelLimits = Type.Partial(
  Type.Object({ enabled: Type.Boolean(), perCategory: Type.Array(whole(0, 15), { maxItems: 8 }) }, strict),
);
const partial = (properties: Parameters<typeof Type.Object>[0]) =>
  Type.Optional(Type.Partial(Type.Object(properties, strict)));

export const SetExtra = Type.Object(
  {
    conversion: partial({
      mode: Type.Union([Type.Literal("off"), Type.Literal("dec"), Type.Literal("hex")]),
      numbers: Type.Array(whole(0, 65_535), { maxItems: MAX_LINES }),
    }),
    limits: partial({ enabled: Type.Boolean(), levels: Type.Array(levelLimits, { maxItems: 4 }) }),
    bonus1: partial({
      usage,
      type: Type.Union([Type.Literal("credit"), Type.Literal("tokens")]),
      period,
      levels: Type.Array(
        Type.Partial(
          Type.Object(
            {
              enabled: Type.Boolean(),
              credit: money("bonus credit"),
              tokens: whole(0, 7),
              discount: percent,
            },
            strict,
          ),
        ),
        { maxItems: 4 },
      ),
    }),
    bonus2: partial({
      usage,
      period,
      levels: Type.Array(
        Type.Partial(Type.Object({ enabled: Type.Boolean(), tokens: whole(0, 127) }, strict)),
        { maxItems: 4 },
      ),
      lineDiscount: Type.Array(percent, { maxItems: MAX_LINES }),
      bonus3: Type.Partial(
        Type.Object({ enabled: Type.Boolean(), levels: Type.Array(levelLimits, { maxItems: 4 }) }, strict),
      ),
    }),
    loyalty: partial({
      mode: Type.Union([Type.Literal("off"), Type.Literal("on"), Type.Literal("expiring")]),
      type: Type.Union([Type.Literal("credit"), Type.Literal("points")]),
      period,
      creditPerLine: Type.Array(money("credit back"), { maxItems: MAX_LINES }),
      pointsPerLine: Type.Array(whole(0, 65_535), { maxItems: MAX_LINES }),
      pricePoints: Type.Array(whole(0, 65_535), { maxItems: MAX_LINES }),
    }),
    promotions: partial({
      enabled: Type.Boolean(),
      machine: Type.Union([Type.Literal("A"), Type.Literal("B")]),
      maxMinutes: whole(1, 999),
      lineDiscount: Type.Array(percent, { maxItems: MAX_LINES }),
    }),
    happyHours: partial({
      enabled: Type.Boolean(),
      bands: Type.Array(
        Type.Partial(
          Type.Object(
            {
              mode: Type.Union([Type.Literal("disabled"), Type.Literal("global"), Type.Literal("per-line")]),
              discount: percent,
              lineDiscount: Type.Array(percent, { maxItems: MAX_LINES }),
              start: minuteOfDay,
              end: minuteOfDay,
            },
            strict,
          ),
        ),
        { maxItems: 3 },
      ),
    }),
    outOfService: partial({
      enabled: Type.Boolean(),
      stopsCash: Type.Boolean(),
      bands: Type.Array(
        Type.Partial(Type.Object({ enabled: Type.Boolean(), start: minuteOfDay, end: minuteOfDay }, strict)),
        { maxItems: 3 },
      ),
    }),
  },
  strict,
);
export type SetExtra = Static<typeof SetExtra>;
