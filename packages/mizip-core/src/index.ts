export { formatAmount, parseAmount } from "./amounts.js";
export {
  type AuditIdentity,
  type AuditMode,
  AuditModeUnsupported,
  auditFile,
  auditMode,
  type CoinTube,
  type DeviceIdentity,
} from "./audit.js";
export { type AuditPortSettings, auditPortSettings, collectionMode } from "./audit-port.js";
export { BlackList, BlackListFull, type BlackListMode } from "./black-list.js";
export {
  afterBackup,
  formatting,
  type KeptSettings,
  LAST_KEY_NUMBER,
  settingsAfterKey,
} from "./carried-settings.js";
export type { CashAcceptance, CashRefusal } from "./cash-acceptance.js";
export type { ChangerSettings, Tube } from "./change-rules.js";
export {
  type ClockSettings,
  clockProblems,
  DEFAULT_CLOCK,
  formatClock,
  instantOf,
  isTimeZone,
  localTime,
  type WallClock,
  type WallTime,
  wallClock,
  wallTimeProblem,
} from "./clock.js";
export {
  billCount,
  COUNTER_UNITS,
  type CounterUnit,
  changerCoinCount,
  coinCount,
  errorCounter,
  type ListSale,
  lineCount,
  listSaleCounter,
  type ProductElement,
  productCounter,
  S as STATISTICS_COUNTERS,
  userGroupCounter,
  V as VENDKIT_COUNTERS,
} from "./counters.js";
export {
  canSell,
  ERROR_CODES,
  type ErrorCode,
  errorLabel,
  isErrorCode,
  keyLedPattern,
  type LedPattern,
  ledPattern,
  type ReaderCondition,
  type ReaderState,
  readerState,
} from "./diagnostics.js";
export { decodeJson, encodeJson } from "./json-record.js";
export type { PendingWrite } from "./key-journal.js";
export { changedState, type KeyChanges, type KeyReport, keyReport } from "./key-management.js";
export {
  InsufficientCredit,
  OVERPRICE_DELAY,
  type OverpriceMode,
  overpriceMode,
} from "./machine-credit.js";
export {
  formatTransaction,
  type KeyTransactions,
  MaxiBox,
  type MaxiBoxEntry,
  MaxiBoxFull,
  type MaxiBoxMode,
  RECHARGE_SOURCES,
  type RechargeSource,
  SALE_KINDS,
  type SaleKind,
} from "./maxi-box.js";
export {
  PARAMETER_LABELS,
  type ParameterLabel,
  type ParameterUnit,
  parameterLabel,
} from "./parameter-labels.js";
export { menuOf, PARAMETER_MENUS } from "./parameter-menus.js";
export {
  BAUD_RATES,
  BLACK_LIST_FIRST,
  CLOCK,
  defaultParameters,
  initialise,
  MACHINE_CODE,
  NUMERIC_PARAMETERS,
  type NumericName,
  type NumericParameter,
  numericParameter,
  ParameterError,
  READER_CODE,
  resetPassword,
  type SystemParameters,
  setClockTime,
  setParameter,
  setupKeyCopy,
  USER_GROUPS,
  validateParameters,
  withClock,
} from "./parameters.js";
export { checkPassword, PasswordRefused, PROTECTED_OPERATIONS, type ProtectedOperation } from "./password.js";
export { PaymentSystem } from "./payment-system.js";
export {
  type Carried,
  type KeyOutcome,
  NEGATIVE_CREDIT_FLOOR,
  PaymentError,
  type PaymentPorts,
  type PaymentSystemOptions,
  sellingPricing,
  type VendDecision,
  type VendRefusal,
  type VendRequest,
} from "./payment-types.js";
export { checkPricingChanges, type PriceTable, priceNumber, withPrice } from "./price-programming.js";
export { PRICING_MONEY_NUMBERS, setPricingParameter } from "./pricing-parameters.js";
export {
  CHANGER_VALIDATOR,
  PROTOCOL_PARAMETER,
  type Protocol,
  protocolOf,
  withProtocol,
} from "./protocol.js";
export { type PulseInput, type PulseSink, parallelInput } from "./pulse-input.js";
export {
  dataKeyAudit,
  decodeSpecialKey,
  encodeSpecialKey,
  type SpecialKeyContent,
  SpecialKeyRefused,
} from "./special-keys.js";
export {
  type Collection,
  CollectionRefused,
  type Counters,
  MIN_COLLECTION_INTERVAL,
  Statistics,
} from "./statistics.js";
export { MemoryStorage, PowerCut, type Storage } from "./storage.js";
