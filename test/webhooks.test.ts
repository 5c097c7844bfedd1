import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { ... on CreateApiKeySuccess { key apiKey { id } } ... on Error { code message } }
}`;
const SUBSCRIBE = `mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    __typename
    ... on CreateWebhookSubscriptionSuccess { secret subscription { id url eventTypes active } }
    ... on Error { code message }
    ... on ValidationError { field }
  }
}`;
const REMOVE = `mutation($id: ID!) {
  removeWebhookSubscription(id: $id) {
    __typename
    ... on RemoveWebhookSubscriptionSuccess { subscription { id active removedAt } }
    ... on Error { code message }
  }
}`;
const LOG = `query($all: Boolean) {
  webhookSubscriptions(includeRemoved: $all) {
    id url active
    deliveries(first: 10) {
      edges { node { id eventType eventSequence status attempts responseCode lastError deliveredAt nextAttemptAt } }
    }
  }
}`;

interface Delivery {
  id: string;
  eventType: string;
  eventSequence: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fails a delivery's first calls, then takes it. */
const FAILURES_BEFORE_SUCCESS = 2;

describe.each(await targets())("outbound webhooks on %s", (target) => {
  const receiver = new WebhookReceiver();
  let server: TestServer;
  let directorate: string;
  let regionalKey: string;
  let otherRegionalKey: string;
  let readOnlyKey: string;

  const key = async (scopes: string[], unitCode: string, name: string) => {
    const response = await server.gql(
      CREATE_KEY,
      { input: { name, scopes, unitCode, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      directorate,
    );
    const key = response.data?.createApiKey.key as string | undefined;
    if (!key) throw new Error(JSON.stringify(response));
    return key;
  };
  const subscribe = (token: string, input: Record<string, unknown>) => server.gql(SUBSCRIBE, { input }, token);
  const subscribed = async (token: string, path: string, eventTypes: string[], answer?: (n: number) => number) => {
    const response = await subscribe(token, { url: `${receiver.url}${path}`, eventTypes });
    const result = response.data?.createWebhookSubscription;
    expect(result?.__typename, JSON.stringify(response)).toBe("CreateWebhookSubscriptionSuccess");
    receiver.endpoint(path, result.secret, answer);
    return result.subscription as { id: string };
  };
  const open = async (unitCode: string) => {
    const response = await server.gql(CREATE, { input: newTicketInput({ unitCode }) }, directorate);
    return response.data?.createTicket.ticket as { id: string; number: string };
  };
  const log = async (token: string, all = false) => {
    const response = await server.gql(LOG, { all }, token);
    if (!response.data?.webhookSubscriptions) throw new Error(JSON.stringify(response));
    return response.data.webhookSubscriptions as {
      id: string;
      deliveries: { edges: { node: Delivery }[] };
    }[];
  };
  const deliveriesOf = async (token: string, subscriptionId: string) =>
    (await log(token, true)).find((s) => s.id === subscriptionId)?.deliveries.edges.map((e) => e.node) ?? [];
  const bodies = (path: string) => receiver.accepted(path).map((call) => JSON.parse(call.body));

  beforeAll(async () => {
    await receiver.start();
    server = await startServer(target, {
      env: {
        PANTAU_WEBHOOKS_ALLOW_LOOPBACK: "on",
        PANTAU_OUTBOUND_MAX_ATTEMPTS: "6",
        PANTAU_OUTBOUND_RETRY_BASE_MS: "50",
        PANTAU_OUTBOUND_RETRY_MAX_MS: "200",
        PANTAU_OUTBOUND_POLL_MS: "50",
        // The test polls the log: budgets are not what it is about.
        PANTAU_BUDGET_STANDARD_CAPACITY: "1000000",
        PANTAU_BUDGET_STANDARD_REFILL_PER_SECOND: "100000",
      },
    });
    directorate = await server.login("direktorat@pantau.demo");
    [regionalKey, otherRegionalKey, readOnlyKey] = await Promise.all([
      key(["WEBHOOKS_MANAGE"], "KANWIL-JI", "Ombudsman Jawa Timur"),
      key(["WEBHOOKS_MANAGE"], "KANWIL-JI", "Pers Jawa Timur"),
      key(["TICKETS_READ"], "KANWIL-JI", "Riset"),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  it("signs each event of the key's region, retries refusals, and the endpoint takes each exactly once", async () => {
    const subscription = await subscribed(regionalKey, "/jatim", ["CREATED", "TRIAGED"], (n) =>
      n <= FAILURES_BEFORE_SUCCESS ? 500 : 200,
    );
    const outside = await open("KANIM-DENPASAR");
    const inside = await open("KANIM-MALANG");
    await server.gql(TRIAGE, { input: { ticketId: inside.id } }, directorate);
    await server.gql(TRIAGE, { input: { ticketId: outside.id } }, directorate);
    const later = await open("KANIM-MALANG");

    const taken = (
      await until(
        () => bodies("/jatim"),
        (list) => list.filter((body) => body.ticket.id === later.id).length > 0 && list.length >= 3,
        "the region's three events taken",
      )
    ).sort((a, b) => Number(a.event.sequence) - Number(b.event.sequence));
    expect(taken.map((body) => [body.ticket.number, body.event.type])).toEqual([
      [inside.number, "CREATED"],
      [inside.number, "TRIAGED"],
      [later.number, "CREATED"],
    ]);
    expect(taken[0]).toMatchObject({
      subscriptionId: subscription.id,
      event: { unitCode: "KANIM-MALANG", data: { status: "NEW" } },
      ticket: { id: inside.id, kind: expect.any(String), channel: expect.any(String) },
    });
    // No personal data travels: the reporter is not in the body.
    for (const body of taken) expect(JSON.stringify(body)).not.toMatch(/reporter|@|Budi/);

    const calls = receiver.calls.filter((call) => call.path === "/jatim");
    expect(calls.every((call) => call.signature === "valid")).toBe(true);
    // Every delivery: two refusals, then taken once; the same body on each attempt, numbered.
    const byDelivery = new Map<string, typeof calls>();
    for (const call of calls) byDelivery.set(call.deliveryId, [...(byDelivery.get(call.deliveryId) ?? []), call]);
    expect(byDelivery.size).toBe(3);
    for (const [deliveryId, attempts] of byDelivery) {
      expect(attempts.map((call) => [call.attempt, call.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      expect(new Set(attempts.map((call) => call.body)).size).toBe(1);
      expect(JSON.parse(attempts[0]?.body ?? "{}").deliveryId).toBe(deliveryId);
    }

    // The Bali ticket's events were never queued for the region's key, let alone sent.
    expect(JSON.stringify(calls)).not.toContain(outside.number);
    const [queued] = await server.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_message
       WHERE channel = 'WEBHOOK' AND ticket_id = (SELECT id FROM ticket WHERE number = $1)`,
      [outside.number],
    );
    expect(queued?.n).toBe(0);

    const deliveries = await until(
      () => deliveriesOf(regionalKey, subscription.id),
      (list) => list.length === 3 && list.every((d) => d.status === "DELIVERED"),
      "the log to show three deliveries",
    );
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ attempts: 3, responseCode: 200, lastError: null });
      expect(delivery.deliveredAt).not.toBeNull();
    }
    expect(deliveries.map((d) => d.eventType).sort()).toEqual(["CREATED", "CREATED", "TRIAGED"]);
    expect(new Set(deliveries.map((d) => d.id))).toEqual(new Set(byDelivery.keys()));
  });

  it("shows a failing endpoint's answers in the log and dead-letters on 410 Gone", async () => {
    const flaky = await subscribed(otherRegionalKey, "/flaky", ["CREATED"], () => 503);
    const gone = await subscribed(otherRegionalKey, "/gone", ["CREATED"], () => 410);
    await open("KANIM-MALANG");
    const [dead] = await until(
      () => deliveriesOf(otherRegionalKey, gone.id),
      (list) => list[0]?.status === "DEAD",
      "the 410 dead-lettered",
    );
    expect(dead).toMatchObject({ attempts: 1, responseCode: 410, lastError: "HTTP 410" });
    const [retrying] = await until(
      () => deliveriesOf(otherRegionalKey, flaky.id),
      (list) => (list[0]?.attempts ?? 0) >= 2,
      "the 503 retried",
    );
    expect(retrying).toMatchObject({ responseCode: 503, lastError: "HTTP 503", deliveredAt: null });
    expect(["FAILED", "SENDING", "DEAD"]).toContain(retrying?.status);
    await server.gql(REMOVE, { id: flaky.id }, otherRegionalKey);
    await server.gql(REMOVE, { id: gone.id }, otherRegionalKey);
  });

  it("stops sending to a removed subscription", async () => {
    const kept = await subscribed(regionalKey, "/kept", ["CREATED"]);
    const dropped = await subscribed(otherRegionalKey, "/dropped", ["CREATED"]);
    const removed = await server.gql(REMOVE, { id: dropped.id }, otherRegionalKey);
    expect(removed.data?.removeWebhookSubscription).toMatchObject({
      __typename: "RemoveWebhookSubscriptionSuccess",
      subscription: { active: false },
    });
    const ticket = await open("KANIM-MALANG");
    // Fanned out in the same batch: once the kept one has it, the removed one would have been queued too.
    await until(
      () => bodies("/kept"),
      (list) => list.some((body) => body.ticket.id === ticket.id),
      "the kept subscription's call",
    );
    expect(receiver.calls.filter((call) => call.path === "/dropped")).toEqual([]);
    expect(await deliveriesOf(otherRegionalKey, dropped.id)).toEqual([]);
    await server.gql(REMOVE, { id: kept.id }, regionalKey);
  });

  it("refuses bad endpoints and event types with typed errors, and writes nothing", async () => {
    const before = await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_subscription");
    const refused = async (input: Record<string, unknown>, field: string) => {
      const result = (await subscribe(regionalKey, { eventTypes: ["CREATED"], ...input })).data
        ?.createWebhookSubscription;
      expect(result, JSON.stringify(input)).toMatchObject({
        __typename: "ValidationError",
        code: "VALIDATION_FAILED",
        field,
      });
      return result.message as string;
    };
    expect(await refused({ url: "http://hooks.ombudsman.go.id/pantau" }, "url")).toMatch(/https/);
    await refused({ url: "https://169.254.169.254/latest/meta-data" }, "url");
    await refused({ url: "https://10.0.0.5/hook" }, "url");
    await refused({ url: "https://user:rahasia@hooks.ombudsman.go.id/" }, "url");
    await refused({ url: "bukan url" }, "url");
    await refused({ url: `${receiver.url}/x`, eventTypes: [] }, "eventTypes");
    await refused({ url: `${receiver.url}/x`, description: "x".repeat(201) }, "description");
    // An event type the API does not know is refused by the schema itself.
    const unknown = await subscribe(regionalKey, { url: `${receiver.url}/x`, eventTypes: ["TICKET_EXPLODED"] });
    expect(unknown.data?.createWebhookSubscription ?? null).toBeNull();
    expect(unknown.errors?.[0]?.message).toMatch(/TICKET_EXPLODED/);
    const after = await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_subscription");
    expect(after).toEqual(before);
  });

  it("refuses keys without the scope and staff, and hides another key's subscriptions", async () => {
    for (const token of [readOnlyKey, directorate, undefined]) {
      const created = await server.gql(
        SUBSCRIBE,
        { input: { url: `${receiver.url}/x`, eventTypes: ["CREATED"] } },
        token,
      );
      expect(created.data?.createWebhookSubscription ?? null).toBeNull();
      expect(created.errors?.[0]?.extensions?.code).toBe(token ? "FORBIDDEN" : "UNAUTHENTICATED");
      const listed = await server.gql(LOG, {}, token);
      expect(listed.errors?.[0]?.extensions?.code).toBe(token ? "FORBIDDEN" : "UNAUTHENTICATED");
    }
    const mine = await subscribed(regionalKey, "/mine", ["RESOLVED"]);
    // Another key of the same region: the subscription is not there for it.
    const removed = await server.gql(REMOVE, { id: mine.id }, otherRegionalKey);
    expect(removed.data?.removeWebhookSubscription).toMatchObject({ code: "NOT_FOUND" });
    const node = await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: mine.id }, otherRegionalKey);
    expect(node.data?.node ?? null).toBeNull();
    expect((await log(otherRegionalKey, true)).map((s) => s.id)).not.toContain(mine.id);
    expect((await log(regionalKey)).map((s) => s.id)).toContain(mine.id);
    const own = await server.gql(
      `query($id: ID!) { node(id: $id) { id ... on WebhookSubscription { url } } }`,
      { id: mine.id },
      regionalKey,
    );
    expect(own.data?.node).toMatchObject({ id: mine.id, url: `${receiver.url}/mine` });
    // A ticket's id is no subscription's.
    const ticket = await open("KANIM-MALANG");
    const wrong = await server.gql(REMOVE, { id: ticket.id }, regionalKey);
    expect(wrong.data?.removeWebhookSubscription).toMatchObject({ code: "NOT_FOUND" });
    await server.gql(REMOVE, { id: mine.id }, regionalKey);
  });
});
