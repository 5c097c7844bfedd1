import { builder } from "../../graphql/builder.js";
import { OPEN_STATUSES } from "../tickets/status-machine.js";

builder.prismaObjectField("Unit", "staff", (t) =>
  t.relation("users", {
    description:
      "Active staff whose home unit is this one (not the units below), by name: whom a supervisor assigns tickets to.",
    authScopes: { staff: true },
    query: { where: { active: true }, orderBy: { name: "asc" } },
  }),
);

builder.prismaObjectField("User", "openTicketCount", (t) =>
  t.relationCount("assignedTickets", {
    description: "Tickets assigned to this person that are still open: their current workload.",
    where: { status: { in: [...OPEN_STATUSES] } },
  }),
);
