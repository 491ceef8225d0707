export { type Conversation, type ConverseOptions, converse } from "./converse.js";
export { MachineError, type MachineErrorCode } from "./errors.js";
export {
  type AnyField,
  ascii,
  bytes,
  type Field,
  FieldProblem,
  type FieldSize,
  type FieldValues,
  flag,
  type OptionalFields,
  optionalUint,
  type RequiredFields,
  raw,
  reserved,
  uint,
} from "./fields.js";
export {
  bytesOf,
  deadlineOf,
  earliest,
  IDLE,
  joinBytes,
  type Machine,
  NO_BYTES,
  Outbox,
  type Step,
  type Units,
} from "./machine.js";
export {
  Layout,
  type LayoutOf,
  type MessageDef,
  type MessageOf,
  type MessageProblem,
  type MessageProblemCode,
  MessageTable,
  message,
} from "./message.js";
export { type AnyMachine, Wiring } from "./wiring.js";
