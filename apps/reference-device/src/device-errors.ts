/** A device operation refused for a reason of its own (a key in, a setting out of place...). */
export class DeviceSetupError extends Error {
  readonly code = "DEVICE_SETUP" as const;
  constructor(message: string) {
    super(message);
    this.name = "DeviceSetupError";
  }
}
