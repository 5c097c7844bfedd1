import { SetupLinkError, WeakPasswordError } from "../../errors.js";
import { builder } from "../../graphql/builder.js";
import { LoginPayload } from "../auth/auth.schema.js";
import { completePasswordSetup } from "./setup-link.js";

builder.mutationFields((t) => ({
  completePasswordSetup: t.field({
    type: LoginPayload,
    description:
      "Sets a password with the one-time link an administrator handed out (an invitation or a reset) and signs " +
      "the person in. The link works once and for 24 hours; every other session of the account ends.",
    errors: { types: [SetupLinkError, WeakPasswordError], dataField: { name: "session" } },
    args: {
      token: t.arg.string({ required: true, description: "The token from the link (after #token=)." }),
      password: t.arg.string({
        required: true,
        description:
          "The new password: at least 12 characters, not the demo password, not containing the e-mail address.",
      }),
    },
    resolve: (_root, { token, password }, ctx) =>
      completePasswordSetup(ctx.db, token, password, ctx.staff.knownPasswords),
  }),
}));
