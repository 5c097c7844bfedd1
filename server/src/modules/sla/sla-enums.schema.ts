import { ClockKind, ClockState, TargetBasis } from "../../generated/prisma/enums.js";
import { builder } from "../../graphql/builder.js";

export const ClockKindEnum = builder.enumType(ClockKind, {
  name: "ClockKind",
  description:
    "Which clock: FIRST_RESPONSE (the first reply to the citizen), RESOLUTION, or a complaint's stage under UU 25/2009: FILE_ANSWER (the written answer saying whether the file is complete, from receipt), FILE_LAPSE (the citizen's time to complete the file, from the answer that it is incomplete; when it runs out the complaint lapses), EXAMINATION (the examination result, from the file declared complete).",
});
export const SlaStateEnum = builder.enumType(ClockState, {
  name: "SlaState",
  description:
    "State of a clock: RUNNING, PAUSED (waiting on the citizen), AT_RISK (past the policy's at-risk share of its target), BREACHED (target passed), MET (goal reached in time), REJECTED (stopped before the deadline by an outcome that is neither met nor breached: the ticket rejected as not immigration's authority, or a complaint lapsed because the citizen did not complete the file).",
});
export const TargetBasisEnum = builder.enumType(TargetBasis, {
  name: "TargetBasis",
  description:
    "What a target rests on: LEGAL, set by a statute or regulation (its source names the article); INTERNAL, Pantau's own target (its source says where the number comes from).",
});
