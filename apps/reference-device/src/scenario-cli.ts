import { readFileSync } from "node:fs";
import { runScenario, type Scenario } from "./scenario.js";

/** `npm run scenario -- <file.json>`: runs a scenario and prints the day, the counters and the audit. */
const file = process.argv[2];
if (file === undefined) {
  console.error("usage: npm run scenario -- <scenario.json>   (see apps/reference-device/scenarios/)");
  process.exit(2);
}
try {
  const scenario = JSON.parse(readFileSync(file, "utf8")) as Scenario;
  const result = await runScenario(scenario);
  console.log(`# ${scenario.title} (kit ${scenario.kit})`);
  for (const line of result.log) console.log(line);
  console.log("\n# statistics (historic / period after the last collection)");
  for (const s of result.statistics)
    if (s.historic > 0) console.log(`${s.counter.padEnd(5)} ${s.name.padEnd(18)} ${s.historic}`);
  console.log("\n# EVA-DTS audit");
  for (const audit of result.audits) console.log(audit);
} catch (e) {
  console.error(`scenario: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
