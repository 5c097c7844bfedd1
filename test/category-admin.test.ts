import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets } from "./support/databases.js";
import { CREATE, newTicketInput, TRIAGE } from "./support/documents.js";
import { startServer, type TestServer } from "./support/server.js";

const RESULT = (field: string) => `
  __typename
  ... on ${field}Success { category { code name nameEn retiredAt parent { code } } }
  ... on Error { code message }
  ... on ValidationError { field }`;
const CREATE_CATEGORY = `mutation($input: CreateCategoryInput!) { createCategory(input: $input) { ${RESULT("CreateCategory")} } }`;
const RENAME_CATEGORY = `mutation($input: RenameCategoryInput!) { renameCategory(input: $input) { ${RESULT("RenameCategory")} } }`;
const RETIRE_CATEGORY = `mutation($code: String!) { retireCategory(code: $code) { ${RESULT("RetireCategory")} } }`;
const TREE = `query($all: Boolean) { categories(includeRetired: $all) { code children(includeRetired: $all) { code } } }`;

describe.each(await targets())("category administration on %s", (target) => {
  let server: TestServer;
  let directorate: string;
  let regionalHead: string;
  let agent: string;

  beforeAll(async () => {
    server = await startServer(target);
    [directorate, regionalHead, agent] = await Promise.all([
      server.login("direktorat@pantau.demo"),
      server.login("kanwil.jatim@pantau.demo"),
      server.login("agen.malang@pantau.demo"),
    ]);
  });
  afterAll(() => server?.stop());

  const codesIn = (tree: { code: string; children: { code: string }[] }[]) =>
    tree.flatMap((top) => [top.code, ...top.children.map((child) => child.code)]);
  const auditOf = async (code: string) => {
    const [row] = await server.app.db.sql.query<{ id: number }>("SELECT id FROM category WHERE code = $1", [code]);
    const answer = await server.gql(
      `{ auditLog(first: 100, filter: { entityType: "Category" }) {
         edges { node { entityId action actorName before after } } } }`,
      {},
      directorate,
    );
    return (answer.data?.auditLog.edges ?? [])
      .map((edge: any) => edge.node)
      .filter((node: any) => node.entityId === String(row?.id));
  };

  it("adds a category under a parent, renames it in both languages and lists it, each change audited", async () => {
    const created = await server.gql(
      CREATE_CATEGORY,
      {
        input: {
          code: "PASSPORT_ELEKTRONIK_POLIKARBONAT",
          name: "Paspor polikarbonat",
          nameEn: "Polycarbonate passport",
          parentCode: "PASSPORT",
        },
      },
      directorate,
    );
    expect(created.data?.createCategory).toMatchObject({
      __typename: "CreateCategorySuccess",
      category: { code: "PASSPORT_ELEKTRONIK_POLIKARBONAT", parent: { code: "PASSPORT" }, retiredAt: null },
    });
    const renamed = await server.gql(
      RENAME_CATEGORY,
      { input: { code: "PASSPORT_ELEKTRONIK_POLIKARBONAT", nameEn: "Polycarbonate e-passport" } },
      directorate,
    );
    expect(renamed.data?.renameCategory.category).toMatchObject({
      name: "Paspor polikarbonat",
      nameEn: "Polycarbonate e-passport",
    });
    const tree = await server.gql(TREE, {}, agent);
    expect(codesIn(tree.data?.categories)).toContain("PASSPORT_ELEKTRONIK_POLIKARBONAT");
    const audit = await auditOf("PASSPORT_ELEKTRONIK_POLIKARBONAT");
    expect(audit.map((record: any) => record.action).sort()).toEqual(["create", "rename"]);
    const rename = audit.find((record: any) => record.action === "rename");
    expect(rename).toMatchObject({
      actorName: "direktorat@pantau.demo",
      before: { nameEn: "Polycarbonate passport" },
      after: { nameEn: "Polycarbonate e-passport" },
    });
  });

  it("retires a category with those below it: old tickets keep it, new tickets and triage cannot choose it", async () => {
    await server.gql(
      CREATE_CATEGORY,
      { input: { code: "VISA_UJI_LAMA", name: "Visa uji lama", nameEn: "Old test visa", parentCode: "VISA" } },
      directorate,
    );
    await server.gql(
      CREATE_CATEGORY,
      { input: { code: "VISA_UJI_LAMA_ANAK", name: "Anak", nameEn: "Child", parentCode: "VISA_UJI_LAMA" } },
      directorate,
    );
    const filed = await server.gql(CREATE, { input: newTicketInput({ category: "VISA_UJI_LAMA_ANAK" }) }, agent);
    const ticketId = filed.data?.createTicket.ticket.id as string;
    expect(ticketId).toBeTruthy();

    const retired = await server.gql(RETIRE_CATEGORY, { code: "VISA_UJI_LAMA" }, directorate);
    expect(retired.data?.retireCategory.category.retiredAt).toBeTruthy();

    const kept = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Ticket { category { code retiredAt } } } }`,
      { id: ticketId },
      agent,
    );
    expect(kept.data?.node.category).toMatchObject({ code: "VISA_UJI_LAMA_ANAK" });
    expect(kept.data?.node.category.retiredAt).toBeTruthy();

    for (const code of ["VISA_UJI_LAMA", "VISA_UJI_LAMA_ANAK"]) {
      const refused = await server.gql(CREATE, { input: newTicketInput({ category: code }) }, agent);
      expect(refused.data?.createTicket).toMatchObject({
        __typename: "UnknownCategoryError",
        code: "UNKNOWN_CATEGORY",
      });
    }
    const fresh = (await server.gql(CREATE, { input: newTicketInput() }, agent)).data?.createTicket.ticket.id;
    const triage = await server.gql(TRIAGE, { input: { ticketId: fresh, category: "VISA_UJI_LAMA_ANAK" } }, agent);
    expect(triage.data?.triageTicket.code).toBe("UNKNOWN_CATEGORY");
    const child = await server.gql(
      CREATE_CATEGORY,
      { input: { code: "VISA_UJI_LAMA_CUCU", name: "Cucu", nameEn: "Grandchild", parentCode: "VISA_UJI_LAMA" } },
      directorate,
    );
    expect(child.data?.createCategory.code).toBe("UNKNOWN_CATEGORY");

    const visible = codesIn((await server.gql(TREE, {}, agent)).data?.categories);
    expect(visible).not.toContain("VISA_UJI_LAMA");
    const nested = await server.gql(`{ categories { code children { code children { code } } } }`, {}, agent);
    const visa = (nested.data?.categories ?? []).find((c: any) => c.code === "VISA");
    expect(JSON.stringify(visa ?? {})).not.toContain("VISA_UJI_LAMA");
    const all = codesIn((await server.gql(TREE, { all: true }, agent)).data?.categories);
    expect(all).toContain("VISA_UJI_LAMA");
    const publicList = JSON.stringify((await server.gql(`{ publicCategories { code children { code } } }`)).data);
    expect(publicList).toContain("VISA");
    expect(publicList).not.toContain("VISA_UJI_LAMA");

    const again = await server.gql(RETIRE_CATEGORY, { code: "VISA_UJI_LAMA" }, directorate);
    expect(again.data?.retireCategory).toMatchObject({ code: "VALIDATION_FAILED", field: "code" });
    expect((await auditOf("VISA_UJI_LAMA")).map((record: any) => record.action).sort()).toEqual(["create", "retire"]);
  });

  it("refuses bad input with typed errors and writes nothing", async () => {
    const before = await server.app.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM category");
    const audits = await server.app.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'Category'",
    );
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ code: "passport lower", name: "x", nameEn: "x" }, "VALIDATION_FAILED", "code"],
      [{ code: "PASSPORT", name: "Lagi", nameEn: "Again" }, "VALIDATION_FAILED", "code"],
      [{ code: "NEW_ONE", name: "  ", nameEn: "x" }, "VALIDATION_FAILED", "name"],
      [{ code: "NEW_ONE", name: "x", nameEn: "y".repeat(121) }, "VALIDATION_FAILED", "nameEn"],
      [{ code: "NEW_ONE", name: "x", nameEn: "x", parentCode: "NO_SUCH_PARENT" }, "UNKNOWN_CATEGORY", null],
      [{ code: "NEW_ONE", name: "x", nameEn: "x", position: -1 }, "VALIDATION_FAILED", "position"],
    ];
    for (const [input, code, field] of cases) {
      const answer = await server.gql(CREATE_CATEGORY, { input }, directorate);
      expect(answer.data?.createCategory, JSON.stringify(input)).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    const rename = await server.gql(RENAME_CATEGORY, { input: { code: "PASSPORT" } }, directorate);
    expect(rename.data?.renameCategory).toMatchObject({ code: "VALIDATION_FAILED" });
    const unknown = await server.gql(RETIRE_CATEGORY, { code: "NO_SUCH_CATEGORY" }, directorate);
    expect(unknown.data?.retireCategory.code).toBe("UNKNOWN_CATEGORY");
    for (const token of [regionalHead, agent]) {
      const refused = await server.gql(
        CREATE_CATEGORY,
        { input: { code: "REGIONAL_TRY", name: "x", nameEn: "x" } },
        token,
      );
      expect(refused.errors?.[0]?.extensions?.code ?? refused.data?.createCategory.code).toBe("FORBIDDEN");
    }
    expect(await server.app.db.sql.query("SELECT count(*)::int AS n FROM category")).toEqual(before);
    expect(
      await server.app.db.sql.query("SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'Category'"),
    ).toEqual(audits);
  });
});
