export { absoluteMinute, dayNumber, type LocalTime, periodIndex } from "./calendar.js";
export {
  bandsOverlap,
  CATEGORY_NAMES,
  type Category,
  type ConfigFinding,
  defaultConfig,
  inBand,
  type KeyTable,
  type Level,
  type LevelLimits,
  MAX_LINES,
  MAX_OUT_OF_TABLE_LINE,
  type Period,
  type PriceSystem,
  type PricingConfig,
  type TimeBand,
  type Usage,
  validateConfig,
} from "./config.js";
export { lineOfSelection } from "./conversion.js";
export {
  type Expired,
  effectiveLevel,
  type Granted,
  type KeyState,
  type KeyTechnology,
  keyFunds,
  NEW_KEY,
  promotionApplies,
  refreshKey,
} from "./key-state.js";
export { discounted, percentOf } from "./money.js";
export {
  type Charge,
  type Funding,
  type Medium,
  type Quote,
  type QuoteRequest,
  quote,
  type Refusal,
  type RefusalReason,
} from "./quote.js";
export { inWords } from "./words.js";
