import { ClockKind, ClockState, TargetBasis } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";

export const ClockKindEnum = builder.enumType(ClockKind, {
  name: "ClockKind",
  description: "Which legal clock: the first response to the citizen, or the resolution.",
});
export const SlaStateEnum = builder.enumType(ClockState, {
  name: "SlaState",
  description:
    "State of a clock: RUNNING, PAUSED (waiting on the citizen), AT_RISK (past the policy's at-risk share of its target), BREACHED (target passed), MET (goal reached in time), REJECTED (the ticket was rejected as not immigration's authority before the deadline: neither met nor breached).",
});
export const TargetBasisEnum = builder.enumType(TargetBasis, {
  name: "TargetBasis",
  description:
    "What a target rests on: LEGAL, set by a statute or regulation (its source names the article); INTERNAL, Pantau's own target (its source says where the number comes from).",
});
