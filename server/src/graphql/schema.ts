import { isObjectType, lexicographicSortSchema, printSchema } from "graphql";
import { builder, nodeTypeNames } from "./builder.js";
import "./errors.js";
import "../modules/auth/auth.schema.js";
import "../modules/auth/api-key.schema.js";
import "../modules/units/unit.schema.js";
import "../modules/units/staff.schema.js";
import "../modules/units/unit-admin.schema.js";
import "../modules/tickets/ticket.schema.js";
import "../modules/outbound/outbound.schema.js";
import "../modules/tickets/ticket-mutations.schema.js";
import "../modules/tickets/personal-data-access.schema.js";
import "../modules/sla/sla.schema.js";
import "../modules/sla/sla-admin.schema.js";
import "../modules/categories/category-admin.schema.js";
import "../modules/sla/complaint-file.schema.js";
import "../modules/realtime/realtime.schema.js";
import "../modules/metrics/metrics.schema.js";
import "../modules/team/team.schema.js";
import "../modules/audit/audit.schema.js";
import "../modules/staff/staff.schema.js";
import "../modules/public-intake/public-intake.schema.js";
import "../modules/public-stats/public-stats.schema.js";
import "../modules/webhooks/webhook.schema.js";

export const schema = builder.toSchema({ sortSchema: false });

for (const type of Object.values(schema.getTypeMap())) {
  if (isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node")) nodeTypeNames.add(type.name);
}

export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema));
}
