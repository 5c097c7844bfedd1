/** The shipped policy data, for tools and tests outside the server that check it. */
export { DEFAULT_POLICIES, type PolicyDefinition, type TargetDefinition } from "./default-policies.js";
export { RETIRED_DEFAULTS_2026_11, type RetiredPolicyDefinition } from "./retired-default-policies.js";
export { RETIRED_DEFAULTS_2026_12 } from "./retired-defaults-2026-12.js";
