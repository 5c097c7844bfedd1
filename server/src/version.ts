/**
 * The running build: the commit `pnpm build` compiled (esbuild writes it in place of the expression
 * below), or "dev" when the server runs from its TypeScript sources.
 */
export const SERVER_VERSION = process.env.PANTAU_BUILT_VERSION ?? "dev";
