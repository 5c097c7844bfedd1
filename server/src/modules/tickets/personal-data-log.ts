import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Database } from "../../db/database.js";
import { databaseUnavailableError, isDatabaseUnavailable } from "../../db/unavailable.js";
import type { AccessTransport } from "../../generated/prisma/enums.js";
import type { Context } from "../../graphql/context.js";
import type { Logger } from "../../logger.js";
import type { Viewer } from "../auth/viewer.js";

export type PersonalField = "name" | "email" | "phone";

/**
 * The unmasked personal data one request (or one subscription item) has read, kept until the response
 * is about to leave and then written as one statement: one row per ticket, listing its fields.
 */
export class PersonalDataReads {
  private readonly reads = new Map<string, Set<PersonalField>>();

  constructor(
    private readonly viewer: Viewer,
    private readonly transport: AccessTransport,
  ) {}

  record(ticketId: string, field: PersonalField): void {
    let fields = this.reads.get(ticketId);
    if (!fields) {
      fields = new Set();
      this.reads.set(ticketId, fields);
    }
    fields.add(field);
  }

  get pending(): number {
    return this.reads.size;
  }

  /** Writes what was read since the last flush; throws when it cannot, so the data is not sent unlogged. */
  async flush(db: Database, operationName: string | null): Promise<void> {
    if (this.reads.size === 0 || this.viewer.kind === "anonymous") return;
    const rows = [...this.reads];
    this.reads.clear();
    const userId = this.viewer.kind === "user" ? this.viewer.userId : null;
    const apiKeyId = this.viewer.kind === "apiKey" ? this.viewer.keyId : null;
    await db.sql.query(
      `INSERT INTO personal_data_access (user_id, api_key_id, ticket_id, fields, transport, operation_name)
       SELECT $1::uuid, $2::uuid, r.ticket_id, string_to_array(r.fields, ','), $3::"AccessTransport", $4
       FROM unnest($5::uuid[], $6::text[]) AS r(ticket_id, fields)`,
      [
        userId,
        apiKeyId,
        this.transport,
        operationName?.slice(0, 120) ?? null,
        rows.map(([ticketId]) => ticketId),
        rows.map(([, fields]) => [...fields].sort().join(",")),
      ],
    );
  }
}

/**
 * Writes the personal data an operation read to the access log before its result is sent: once per
 * query or mutation, once per subscription item. If the log cannot be written the result is withheld.
 */
export function personalDataAccessLog(db: Database, logger: Logger): Plugin<Context> {
  const withheld = (): ExecutionResult => ({
    errors: [
      new GraphQLError("Personal data was read but could not be logged, so the result is withheld.", {
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      }),
    ],
  });
  const flush = async (
    args: { contextValue: unknown; document: DocumentNode; operationName?: string | null },
    setResult: (result: ExecutionResult) => void,
  ) => {
    const context = args.contextValue as Context;
    if (!context.personalData?.pending) return;
    try {
      const operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
      await context.personalData.flush(db, operationName);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        logger.warn({ err: error }, "database unreachable: the personal-data access log was not written");
        setResult({ errors: [databaseUnavailableError()] });
        return;
      }
      logger.error({ err: error }, "writing the personal-data access log failed");
      setResult(withheld());
    }
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in Object(result)) {
          return { onNext: ({ setResult: setNext }) => flush(args, setNext) };
        }
        return flush(args, setResult);
      },
    }),
    onSubscribe: ({ args }) => ({
      onSubscribeResult: () => ({
        onNext: ({ setResult }) => flush(args, setResult),
      }),
    }),
  };
}
