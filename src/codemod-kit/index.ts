/** The codemod engine: everything codemods share, so none of them copies a helper. */
export * from "./types.js";
export * from "./discover.js";
export * from "./project.js";
export * from "./style.js";
export * from "./text-edits.js";
export * from "./ensure-import.js";
export * from "./ensure-schema-table.js";
export * from "./diff.js";
export * from "./save.js";
export * from "./git.js";
export * from "./frame.js";
export * from "./run.js";
export * from "./to-jscodeshift.js";
