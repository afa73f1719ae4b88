/**
 * to-jscodeshift: runs a codemod as a jscodeshift transform, `(fileInfo, api, options) =>
 * string | undefined`. The project seen by the codemod holds only the file being
 * transformed; parts that need other files are reported through `api.report`, not done.
 * Nothing is written here: jscodeshift writes the returned text.
 */
import { dirname, relative, resolve, sep } from "node:path";
import { discoverLayout, findProjectRoot } from "./discover.js";
import { virtualProject } from "./project.js";
import { runOn } from "./run.js";
import type { Codemod } from "./types.js";

export interface JscodeshiftFileInfo {
  path: string;
  source: string;
}

export interface JscodeshiftApi {
  report(message: string): void;
}

export type JscodeshiftTransform = (
  fileInfo: JscodeshiftFileInfo,
  api: JscodeshiftApi,
  options: Record<string, unknown>,
) => string | undefined;

export function toJscodeshift(codemod: Codemod): JscodeshiftTransform {
  return (fileInfo, api) => {
    // The codemod's text prefilter: most files are skipped before anything parses them.
    codemod.prefilter.lastIndex = 0;
    if (!codemod.prefilter.test(fileInfo.source)) return undefined;
    const absolute = resolve(fileInfo.path);
    const layout = discoverLayout(findProjectRoot(dirname(absolute)));
    const file = relative(layout.root, absolute).split(sep).join("/");
    const project = virtualProject(layout.root, { [file]: fileInfo.source }, { layout });
    const result = runOn(codemod, project, { singleFile: true });
    for (const skipped of result.skipped) api.report(`${skipped.file}: ${skipped.reason}`);
    for (const warning of result.warnings) {
      const at = warning.line > 0 ? `:${warning.line}:${warning.column}` : "";
      api.report(`${warning.file}${at}: ${warning.reason}`);
    }
    const change = result.changes.find((c) => c.file === file);
    return change ? change.after : undefined;
  };
}
