/**
 * The single-file part of `atomic-mutation` as a jscodeshift transform:
 *
 *   npx jscodeshift -t node_modules/webhook-lint/dist/codemods/atomic-mutation/jscodeshift.js --extensions=ts,tsx,js convex/
 *
 * Each file is rewritten on its own: mutations that already receive an event id argument get
 * the dedupe check and record. Parts that need other files (the schema table, the route's
 * check and "mark processed" calls, passing the id from callers) are reported, not done; run
 * `webhook-lint codemod atomic-mutation` for the whole rewrite.
 */
import { toJscodeshift } from "../../src/codemod-kit/to-jscodeshift.js";
import codemod from "./index.js";

const transform = toJscodeshift(codemod);

export default transform;
/** jscodeshift reads this to pick its parser; the transform itself parses with typescript-estree. */
export const parser = "tsx";
