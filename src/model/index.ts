/**
 * The detection model: pure functions over the ESTree AST that answer the domain questions
 * once, for rules (through ESLint) and codemods (through their own parse) alike.
 */
export * from "./ast.js";
export * from "./convex.js";
export * from "./convex-auth.js";
export * from "./event-switch.js";
export * from "./file.js";
export * from "./parse.js";
export * from "./providers.js";
export * from "./routes.js";
export * from "./scope.js";
export * from "./secrets.js";
export * from "./settings.js";
export * from "./webhook.js";
export * from "./compare.js";
export * from "./verification.js";
export * from "./atomicity.js";
export * from "./dedupe.js";
export * from "./flow.js";
export * from "./identity.js";
export * from "./increments.js";
export * from "./orm.js";
export * from "./ack.js";
export * from "./side-effects.js";
export * from "./codemod-targets.js";
