import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STATISTICS_COUNTERS as S, VENDKIT_COUNTERS as V } from "@vendkit/mizip-core";
import type { PricingConfig } from "@vendkit/pricing";
import { Device, type DeviceOptions, demoPricing, type Protocol } from "./device.js";
import { CashRefused } from "./device-errors.js";
import { merge } from "./merge.js";

/**
 * A scenario: a day at a machine, as data. Steps run in order; `at` moves the clock (a time of
 * day on the current day, "HH:MM", or a full "YYYY-MM-DDTHH:MM", always UTC).
 */
export interface Scenario {
  readonly title: string;
  /** The manual's kit (ch. 10) the scenario stands for. */
  readonly kit: string;
  readonly protocol?: Protocol;
  /** "YYYY-MM-DDTHH:MM" */
  readonly start: string;
  readonly parameters?: DeviceOptions["parameters"];
  /** Merged into the demo pricing: objects by key, arrays by index. */
  readonly pricing?: unknown;
  readonly changer?: DeviceOptions["changer"];
  readonly steps: readonly Step[];
}

export type Step =
  | { readonly at: string }
  | { readonly insert: number }
  | { readonly remove: true }
  | { readonly coin: number }
  | { readonly bill: number }
  | { readonly select: number }
  | { readonly tubes: readonly number[] }
  | { readonly collect: true }
  /** The data key (manual 7.3.4) goes in, takes the collection, and comes out to be read. */
  | { readonly dataKey: true };

export class ScenarioError extends Error {
  readonly code = "SCENARIO" as const;
  constructor(
    message: string,
    readonly step?: number,
  ) {
    super(step === undefined ? message : `step ${step + 1}: ${message}`);
    this.name = "ScenarioError";
  }
}

const TUBE_VALUES = [5, 10, 20, 50] as const;

function parseStart(text: string): number {
  const t = Date.parse(`${text}:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) || Number.isNaN(t))
    throw new ScenarioError(`start "${text}" is not YYYY-MM-DDTHH:MM`);
  return t;
}

export interface ScenarioResult {
  /** One line per step. */
  readonly log: readonly string[];
  /** Named counters with period and historic values at the end. */
  readonly statistics: readonly {
    readonly name: string;
    readonly counter: string;
    readonly period: number;
    readonly historic: number;
  }[];
  /** The EVA-DTS audits collected, in order (one is taken at the end if the scenario took none). */
  readonly audits: readonly string[];
}

/** Runs a scenario on a fresh device in `dataDir` (a new temporary folder by default). */
/** Runs a coin or bill step: "" when it went in, ": refused (reason)" when the acceptor gave it back. */
async function refusedCash(insert: () => Promise<void>): Promise<string> {
  try {
    await insert();
    return "";
  } catch (e) {
    if (e instanceof CashRefused) return `: refused (${e.reason})`;
    throw e;
  }
}

export async function runScenario(
  scenario: Scenario,
  dataDir = mkdtempSync(join(tmpdir(), "vendkit-scenario-")),
): Promise<ScenarioResult> {
  let now = parseStart(scenario.start);
  const pricing = merge(demoPricing(), scenario.pricing) as PricingConfig;
  const device = await Device.open(dataDir, {
    protocol: scenario.protocol ?? "mdb",
    clock: () => now,
    parameters: scenario.parameters,
    pricing,
    changer: scenario.changer,
  });
  const log: string[] = [];
  const audits: string[] = [];
  const collect = () => {
    const taken = device.audits.collect();
    device.audits.confirm(taken);
    audits.push(new TextDecoder("latin1").decode(taken.bytes));
  };
  try {
    for (const [i, step] of scenario.steps.entries()) {
      if ("at" in step) {
        const day = new Date(now).toISOString().slice(0, 10);
        const next = /^\d{2}:\d{2}$/.test(step.at)
          ? Date.parse(`${day}T${step.at}:00Z`)
          : Date.parse(`${step.at}:00Z`);
        if (Number.isNaN(next) || next < now)
          throw new ScenarioError(`"at" ${step.at} is not a later time`, i);
        now = next;
        await device.tick();
        log.push(`${new Date(now).toISOString().slice(0, 16)}`);
      } else if ("insert" in step) {
        const outcome = await device.insertKey(step.insert - 1);
        log.push(
          `  key ${step.insert} in: ${outcome.ok ? `credit ${outcome.credit}` : `refused (${outcome.detail})`}`,
        );
      } else if ("remove" in step) {
        await device.removeKey();
        log.push("  key out");
      } else if ("coin" in step) {
        log.push(`  coin ${step.coin}${await refusedCash(() => device.cash.coin(step.coin))}`);
      } else if ("bill" in step) {
        log.push(`  bill ${step.bill}${await refusedCash(() => device.cash.bill(step.bill))}`);
      } else if ("select" in step) {
        const amount = await device.select(step.select);
        log.push(`  selection ${step.select}: ${amount === undefined ? "refused" : `paid ${amount}`}`);
      } else if ("tubes" in step) {
        await device.cash.tubes(
          step.tubes.map((count, t) => ({ type: t + 1, value: TUBE_VALUES[t] ?? 0, count })),
        );
        log.push(`  tubes ${step.tubes.join(" ")}`);
      } else if ("collect" in step) {
        collect();
        log.push("  audit collected");
      } else if ("dataKey" in step) {
        const outcome = await device.insertSpecialKey("data");
        await device.removeKey();
        if (!outcome.ok) throw new ScenarioError(`the data key was refused: ${outcome.detail}`, i);
        audits.push(new TextDecoder("latin1").decode(await device.readDataKey()));
        log.push("  audit collected on the data key");
      } else throw new ScenarioError(`unknown step ${JSON.stringify(step)}`, i);
    }
    if (audits.length === 0) collect();
    const names: Record<string, string> = Object.fromEntries([
      ...Object.entries(S).map(([n, c]) => [c, n]),
      ...Object.entries(V).map(([n, c]) => [c, n]),
    ]);
    const statistics = Object.entries(names).map(([counter, name]) => ({
      name,
      counter,
      ...device.pay.statistics.get(counter),
    }));
    return { log, statistics, audits };
  } finally {
    device.close();
  }
}
