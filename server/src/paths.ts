import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root, found upward from this module: the server runs from `src/` through tsx in development
 * and tests, and from the bundle in `dist/` in production, so no fixed number of `../` fits both.
 */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml")) && existsSync(join(dir, "prisma"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No Pantau repository above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const REPO_ROOT = repositoryRoot();
/** Migrations and the reference data files (units, holidays) the server reads at start. */
export const PRISMA_DIR = join(REPO_ROOT, "prisma");
export const referenceDataFile = (name: string) => join(PRISMA_DIR, "data", name);
