export {
  type Bill,
  type BillLine,
  billFromReadings,
  billPeriod,
  overageCharge,
  periodOf,
} from "./billing.js";
export { type ConsumableCheck, checkConsumables } from "./consumables.js";
export { readingFromAudit } from "./evadts-import.js";
export {
  type Contract,
  type CounterTerms,
  type Device,
  type Installation,
  MONTHS,
  type PeriodLength,
  type Rate,
  type Reading,
  type ReadingSource,
  type Tier,
} from "./model.js";
export { daysBetween, isCalendarDate, usageBetween, usageOver } from "./usage.js";
export {
  type ReadingFinding,
  type ReadingFindingCode,
  type ValidationOptions,
  validateReading,
} from "./validate.js";
