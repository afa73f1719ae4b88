/** Codemod registry: name -> metadata and a loader (the codemod itself is imported on demand). */
import type { Codemod } from "../src/codemod-kit/types.js";

export interface CodemodEntry {
  name: string;
  title: string;
  description: string;
  /** Rewrites more than one file; the jscodeshift adapter then does only the single-file part. */
  crossFile: boolean;
  load(): Promise<Codemod>;
}

export const codemods: readonly CodemodEntry[] = [
  {
    name: "atomic-mutation",
    title: "Move the webhook's duplicate check into the Convex mutation",
    description:
      "Replaces a route's separate \"already processed?\" query and \"mark processed\" mutation with a dedupe read and insert inside each Convex mutation the webhook calls, keyed by the event id, so retries and concurrent deliveries change state once.",
    crossFile: true,
    load: async () => (await import("./atomic-mutation/index.js")).default,
  },
];

export function findCodemod(name: string): CodemodEntry | undefined {
  return codemods.find((c) => c.name === name);
}
