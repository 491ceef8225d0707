import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from "@microsoft/api-extractor";
import type { Entry, Published } from "./workspace.js";

export interface ReportResult {
  /** The report in the package's api/ folder matches the entry's declarations. */
  readonly unchanged: boolean;
  /** Problems API Extractor could not put in the report (an error in the declarations). */
  readonly errors: readonly string[];
}

/**
 * API Extractor over one entry point's built declarations, its report in `<package>/api/`. With
 * `update`, the report is rewritten (`npm run api`); without, it is compared: an API change that
 * nobody reviewed makes `unchanged` false. Release tags and doc comments are not required; a type
 * the entry uses without exporting it is written into the report as a warning, for review.
 */
export function apiReport(pkg: Published, entry: Entry, update: boolean): ReportResult {
  const temp = mkdtempSync(join(tmpdir(), "vendkit-api-"));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: pkg.dir,
        mainEntryPointFilePath: entry.types,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: "ES2022",
              lib: ["ES2022", "DOM"],
              module: "NodeNext",
              moduleResolution: "NodeNext",
              strict: true,
              skipLibCheck: true,
              types: ["node"],
            },
            files: [entry.types],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: entry.report,
          reportFolder: join(pkg.dir, "api"),
          reportTempFolder: temp,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.Error },
            "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
            "ae-undocumented": { logLevel: ExtractorLogLevel.None },
            "ae-internal-missing-underscore": { logLevel: ExtractorLogLevel.None },
            "ae-forgotten-export": { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(pkg.dir, "package.json"),
    });
    const errors: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: update,
      messageCallback: (m: ExtractorMessage) => {
        if (m.logLevel === ExtractorLogLevel.Error) errors.push(m.formatMessageWithoutLocation());
        m.handled = true;
      },
    });
    return {
      unchanged: !result.apiReportChanged,
      errors: result.succeeded || errors.length > 0 ? errors : ["failed"],
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
