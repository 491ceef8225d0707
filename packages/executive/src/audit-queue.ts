import { ExecutiveError } from "./wire.js";

/** One audit pair a peripheral hands its master (address, value); their meaning is the peripheral's own. */
export interface AuditPair {
  readonly address: number;
  readonly value: number;
}

/**
 * The audit pairs a peripheral (a VMC, a card reader) holds for its master to read with AUDIT,
 * SEND AUDIT ADDRESS and SEND AUDIT DATA (F25). A pair leaves the queue once its data byte went
 * out and the master moved on to another command, so a repeated SEND AUDIT DATA (after a lost
 * answer) gets the same value.
 */
export class AuditQueue {
  private readonly pairs: AuditPair[] = [];
  private dataSent = false;

  /** Each byte 0..253 (0xFE and 0xFF are taken). */
  add(...pairs: AuditPair[]): void {
    for (const p of pairs) {
      if (![p.address, p.value].every((v) => Number.isInteger(v) && v >= 0 && v <= 0xfd))
        throw new ExecutiveError("OUT_OF_RANGE", `audit pair ${p.address}/${p.value}: each byte 0..253`);
      this.pairs.push(p);
    }
  }

  get length(): number {
    return this.pairs.length;
  }

  /** Call with every command before answering it. */
  command(isSendAuditData: boolean): void {
    if (this.dataSent && !isSendAuditData) {
      this.pairs.shift();
      this.dataSent = false;
    }
  }

  /** The address of the pair being read, or undefined when none waits. */
  address(): number | undefined {
    return this.pairs[0]?.address;
  }

  /** The value of the pair being read, or undefined when none waits. */
  value(): number | undefined {
    const pair = this.pairs[0];
    if (pair !== undefined) this.dataSent = true;
    return pair?.value;
  }
}
