import type { Duplex } from "node:stream";
import { Wiring } from "@vendkit/machine";
import {
  BillValidatorMaster,
  BillValidatorSimulator,
  type BlockPeripheral,
  type BusEvent,
  type ChangerEvent,
  CoinChangerMaster,
  CoinChangerSimulator,
  MdbBus,
  PeripheralBus,
  type ValidatorEvent,
} from "@vendkit/mdb";
import { Driver, QIBIXX_TIMING, qibixxMasterCodec } from "@vendkit/mdb/node";
import type { DeviceIdentity, PaymentSystem, Tube } from "@vendkit/mizip-core";

/** What the reader's cash devices need of the device: its payment system and clock. */
export interface CashDeviceHost {
  /** The payment system now (the device rebuilds it when its settings change). */
  pay(): PaymentSystem;
  clock(): number;
  /** Something changed that the VMC should see (credit). */
  changed(): void;
  /**
   * The coin or bill types' values the device reported at its SETUP (money, types 1-16): the
   * reader writes them into 20033-20048 or 21038-21053 (manual 4.8.2, 4.8.9).
   */
  learned(kind: "coin" | "bill", values: readonly number[]): void;
  /** The device identified itself (EXPANSION IDENTIFICATION): for the audit's CA1 or BA1. */
  identified(kind: "coin" | "bill", id: DeviceIdentity): void;
}

/** An MDB identification as the audit carries it: maker and serial, model, BCD version in hex. */
const identityOf = (e: {
  manufacturer: string;
  serial: string;
  model: string;
  version: number;
}): DeviceIdentity => ({
  serial: `${e.manufacturer}${e.serial}`.trim(),
  model: e.model.trim(),
  version: e.version.toString(16).padStart(4, "0"),
});

/** The simulated changer (tubes of 0.05-0.50 holding 20 coins each) and bill validator (5-50 euro). */
export function simulatedCashDevices(): {
  readonly bus: PeripheralBus;
  readonly changer: CoinChangerSimulator;
  readonly validator: BillValidatorSimulator;
} {
  const changer = new CoinChangerSimulator(undefined, undefined, [20, 20, 20, 20]);
  const validator = new BillValidatorSimulator();
  const bus = new PeripheralBus(
    new Map<number, BlockPeripheral>([
      [0x08, changer],
      [0x30, validator],
    ]),
  );
  return { bus, changer, validator };
}

const maskOf = (types: readonly number[] | undefined, on: boolean) =>
  !on ? 0 : (types ?? []).reduce((m, t) => m | (1 << (t - 1)), 0);

/**
 * The reader's own cash devices ("Rendiresto Plus MDB", manual 4.8; kits 10.1.6 and 10.2.3): on a
 * second MDB bus of its own the reader is master of an MDB coin changer and an MDB bill
 * validator, while toward the VMC it stays the cashless peripheral. Coins and bills credit the
 * key or the machine credit by the payment system's acceptance rules (which also set COIN TYPE
 * and BILL TYPE, so a coin or bill it would not take is refused by the device itself); change and
 * the escrow lever's return are paid from the tubes by the change rules (exact change, max
 * change); the tube status keeps those rules informed. The bus master is one machine
 * (`MdbBus` of the two drivers): on the simulated devices it runs in memory, a `Wiring` stepped
 * to bus time `now` by `step(now)` (real time when the device runs, virtual time in tests:
 * `run`); on a Qibixx adapter in master mode (`--changer-serial`) the one `Driver` runs it, and
 * `step` hands the payment system what it reported.
 */
export class ReaderCashDevices {
  readonly changer: CoinChangerMaster;
  readonly validator: BillValidatorMaster;
  private coinMask = -1;
  private told: PaymentSystem | undefined;
  private billMask = -1;
  private t = 0;
  /** What the drivers reported and the payment system has not heard yet. */
  private readonly heard: BusEvent<ChangerEvent | ValidatorEvent>[] = [];
  private readonly wiring: Wiring | undefined;
  private readonly driver: Driver<BusEvent<ChangerEvent | ValidatorEvent>, Uint16Array> | undefined;

  constructor(
    /** The simulated devices' side of the bus, or a stream to a Qibixx adapter in master mode. */
    line: PeripheralBus | Duplex,
    private readonly host: CashDeviceHost,
    /** 21022-21037 as the device starts: bit n high security for bill type n+1 (SECURITY, 4.8.9). */
    security: number,
  ) {
    const timing = line instanceof PeripheralBus ? {} : { timing: QIBIXX_TIMING };
    this.changer = new CoinChangerMaster(timing);
    // a bill held in escrow is stacked only if the reader would take it now (change, 40000...)
    this.validator = new BillValidatorMaster({
      security,
      onEscrow: () => this.host.pay().acceptance.bills === true,
      ...timing,
    });
    const master = new MdbBus<ChangerEvent | ValidatorEvent>([this.changer, this.validator]);
    if (line instanceof PeripheralBus)
      this.wiring = new Wiring([[master, line]]).on(master, (events) => this.heard.push(...events));
    else {
      this.driver = new Driver(master, line, { codec: qibixxMasterCodec() });
      this.driver.on("event", (e) => this.heard.push(e));
    }
  }

  /** A command to the drivers; on a stream what it causes goes out at once. */
  private command(run: () => void): void {
    if (this.driver) this.driver.act(run);
    else run();
  }

  /** Pays change the payment system decided: `coins` of each tube type (1-based, as its tubes). */
  payOut(coins: readonly { readonly type: number; readonly count: number }[]): void {
    for (const { type, count } of coins)
      for (let left = count; left > 0; left -= 15)
        this.command(() => this.changer.dispense(type - 1, Math.min(15, left)));
  }

  /** Runs the bus for `ms`, a round every 5 ms: virtual time in memory, real time on a stream. */
  async run(ms: number): Promise<void> {
    if (this.driver === undefined) {
      for (const end = this.t + ms; this.t < end; ) await this.step(this.t + 5);
      return;
    }
    for (const end = performance.now() + ms; performance.now() < end; ) {
      await this.step(performance.now());
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Stops driving the stream (the simulated bus just stops being stepped). */
  stop(): void {
    this.driver?.stop();
  }

  /** The bus up to `now` (in memory), then what the drivers reported goes to the payment system. */
  async step(now: number): Promise<void> {
    if (this.wiring !== undefined && now > this.t) this.t = this.wiring.run(this.t, now - this.t - 1);
    // a payment system rebuilt on new settings learns the tubes as they are
    const pay = this.host.pay();
    if (pay !== this.told) {
      this.told = pay;
      const tubes = this.tubes();
      if (tubes !== undefined) await pay.tubeStatus(tubes, this.host.clock());
      this.coinMask = -1;
      this.billMask = -1;
    }
    for (let e = this.heard.shift(); e !== undefined; e = this.heard.shift()) {
      // the bus's drivers: the changer first, then the validator
      if (e.device === 0) await this.onChanger(e.event as ChangerEvent);
      else await this.onValidator(e.event as ValidatorEvent);
    }
    this.follow();
  }

  /** COIN TYPE and BILL TYPE follow the payment system's acceptance (sent only when they change). */
  private follow(): void {
    const a = this.host.pay().acceptance;
    const coins = maskOf(a.coinTypes, a.coins === true);
    if (coins !== this.coinMask && this.changer.setup !== undefined) {
      this.coinMask = coins;
      this.command(() => this.changer.enableCoins(coins));
    }
    const bills = maskOf(a.billTypes ?? Array.from({ length: 16 }, (_, i) => i + 1), a.bills === true);
    if (bills !== this.billMask && this.validator.setup !== undefined) {
      this.billMask = bills;
      this.command(() => this.validator.enableBills(bills));
    }
  }

  private async onChanger(e: ChangerEvent): Promise<void> {
    const setup = this.changer.setup;
    const scale = setup?.scale ?? 1;
    const now = this.host.clock();
    if (e.type === "setup") {
      this.host.learned(
        "coin",
        e.setup.credits.map((c) => c * e.setup.scale),
      );
      return;
    }
    if (e.type === "identification") {
      this.host.identified("coin", identityOf(e));
      return;
    }
    const tubes = e.type === "tubes" ? this.tubes() : undefined;
    if (tubes !== undefined) {
      await this.host.pay().tubeStatus(tubes, now);
    } else if (e.type === "deposited" && e.routing !== "reject" && e.value > 0) {
      await this.host.pay().changerCoin(e.value * scale, now, e.coinType + 1, e.routing);
    } else if (e.type === "dispensed-manually" && e.count > 0) {
      await this.host.pay().manualDispense(e.count * (setup?.credits[e.coinType] ?? 0) * scale, now);
    } else if (e.type === "status" && e.code === 1) {
      // the escrow lever: the credit the rules let go back is paid from the tubes (4.8.3)
      await this.host.pay().returnCredit(now);
    } else return;
    this.coinMask = -1; // what the changer may take may have changed
    this.host.changed();
  }

  /** The changer's tubes as the payment system counts them (types 1-16, money), once known. */
  private tubes(): Tube[] | undefined {
    const { setup, tubes } = this.changer;
    if (setup === undefined || tubes === undefined) return undefined;
    const out: Tube[] = [];
    for (let t = 0; t < 16; t++)
      if ((setup.routing >> t) & 1 && (setup.credits[t] ?? 0) > 0)
        out.push({
          type: t + 1,
          value: (setup.credits[t] as number) * setup.scale,
          count: tubes.counts[t] ?? 0,
        });
    return out;
  }

  private async onValidator(e: ValidatorEvent): Promise<void> {
    if (e.type === "setup")
      this.host.learned(
        "bill",
        e.setup.credits.map((c) => c * e.setup.scale),
      );
    if (e.type === "identification") this.host.identified("bill", identityOf(e));
    if (e.type !== "bill" || e.route !== "stacked" || e.value <= 0) return;
    await this.host.pay().bill(e.value * (this.validator.setup?.scale ?? 1), this.host.clock());
    this.billMask = -1;
    this.host.changed();
  }
}
