/**
 * SARIF 2.1.0 output for code-scanning uploads (GitHub, GitLab, Azure DevOps). Written here
 * rather than depending on a SARIF formatter package: the format is a small JSON shape and
 * the available packages pull in large dependency trees.
 */
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { ESLint, Linter } from "eslint";
import { packageInfo } from "../util/package-info.js";
import { REPO_URL } from "../util/create-rule.js";

interface RuleLike {
  meta?: { docs?: { description?: string; url?: string }; type?: string };
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { uri: string }>;
  results: SarifResult[];
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  helpUri?: string;
  properties: { category?: string };
}

interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level: "error" | "warning";
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number };
    };
  }[];
}

const PREFIX = "webhook/";

export function toSarif(results: ESLint.LintResult[], cwd: string, rules: Record<string, RuleLike>): SarifLog {
  const { name, version } = packageInfo();
  const ruleIds = Object.keys(rules).sort();
  const sarifRules: SarifRule[] = ruleIds.map((id) => ({
    id: `${PREFIX}${id}`,
    shortDescription: { text: rules[id]!.meta?.docs?.description ?? id },
    helpUri: rules[id]!.meta?.docs?.url,
    properties: { category: rules[id]!.meta?.type },
  }));
  const index = new Map(sarifRules.map((rule, i) => [rule.id, i]));
  const sarifResults: SarifResult[] = [];
  for (const result of results) {
    const uri = relative(cwd, result.filePath).split("\\").join("/");
    for (const message of result.messages) {
      sarifResults.push(toResult(message, uri, index));
    }
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name, version, informationUri: REPO_URL, rules: sarifRules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(cwd).href}/` } },
        results: sarifResults,
      },
    ],
  };
}

function toResult(message: Linter.LintMessage, uri: string, index: Map<string, number>): SarifResult {
  const region: SarifResult["locations"][number]["physicalLocation"]["region"] = {
    startLine: Math.max(1, message.line),
    startColumn: Math.max(1, message.column),
  };
  if (message.endLine !== undefined) region.endLine = message.endLine;
  if (message.endColumn !== undefined) region.endColumn = message.endColumn;
  const result: SarifResult = {
    level: message.severity === 2 ? "error" : "warning",
    message: { text: message.message },
    locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region } }],
  };
  if (message.ruleId) {
    result.ruleId = message.ruleId;
    const ruleIndex = index.get(message.ruleId);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  }
  return result;
}
