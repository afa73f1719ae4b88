/** Is the project's git working tree clean? ("not a git repository" counts as clean.) */
import { execFileSync } from "node:child_process";

export type GitState = { kind: "clean" } | { kind: "not-a-repo" } | { kind: "dirty"; files: string[] };

export function gitState(root: string): GitState {
  let output: string;
  try {
    output = execFileSync("git", ["status", "--porcelain", "--untracked-files=normal", "--", "."], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    // Not a repository, or git is not installed: nothing to protect.
    return { kind: "not-a-repo" };
  }
  const files = output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
  return files.length === 0 ? { kind: "clean" } : { kind: "dirty", files };
}
