/** A device operation refused for a reason of its own (a key in, a setting out of place...). */
export class DeviceSetupError extends Error {
  readonly code = "DEVICE_SETUP" as const;
  constructor(message: string) {
    super(message);
    this.name = "DeviceSetupError";
  }
}

/**
 * The reader's own acceptor would not take this coin or bill now (manual 4.6.1, 4.7.1, 4.10.2,
 * 4.10.4: disabled, recharge only without a key, the key full, the recharge limit reached...):
 * it goes back to the customer and becomes no credit. `reason` is `PaymentSystem.acceptance`'s.
 */
export class CashRefused extends Error {
  readonly code = "CASH_REFUSED" as const;
  constructor(
    readonly kind: "coin" | "bill",
    readonly reason: string,
  ) {
    super(`the ${kind} is refused and given back: ${reason}`);
    this.name = "CashRefused";
  }
}
