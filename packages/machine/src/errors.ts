export type MachineErrorCode =
  /** A machine asked again and again to be ticked at an instant it had been ticked at. */
  | "DEADLINE_STUCK"
  /** The stream ended or failed before a session machine finished. */
  | "STREAM_CLOSED"
  /** A serial path was given but the optional `serialport` package is not installed. */
  | "SERIALPORT_MISSING"
  /** A link address that is neither `tcp://host:port` nor a device path. */
  | "BAD_LINK";

/** What the machine helpers and the Node driver throw: a stable code and a sentence. */
export class MachineError extends Error {
  override readonly name = "MachineError";
  constructor(
    readonly code: MachineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
