export { type Conversation, type ConverseOptions, converse } from "./converse.js";
export { MachineError, type MachineErrorCode } from "./errors.js";
export {
  deadlineOf,
  earliest,
  IDLE,
  joinBytes,
  type Machine,
  Outbox,
  type Step,
  type Units,
} from "./machine.js";
