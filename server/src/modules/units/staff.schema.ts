import { builder } from "../../graphql/builder.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";
import { unitInScope } from "./unit.schema.js";

builder.prismaObjectField("Unit", "staff", (t) =>
  t.relation("users", {
    description:
      "Active staff whose home unit is this one (not the units below), by name: whom a supervisor assigns tickets to. Refused (FORBIDDEN) for a unit outside your scope.",
    authScopes: (unit, _args, ctx) => ctx.viewer.kind === "user" && unitInScope(unit.id, ctx),
    query: { where: { active: true }, orderBy: { name: "asc" } },
  }),
);

builder.prismaObjectField("User", "openTicketCount", (t) =>
  t.relationCount("assignedTickets", {
    description:
      "Tickets assigned to this person that are still open: their current workload. Refused (FORBIDDEN) for staff outside your scope.",
    authScopes: (user, _args, ctx) => unitInScope(user.unitId, ctx),
    where: { status: { in: [...OPEN_STATUSES] } },
  }),
);
