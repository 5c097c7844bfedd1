import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isNonPublicAddress } from "./webhook-url.js";

describe("checkWebhookUrl", () => {
  it.each([
    // url, loopback allowed, accepted
    ["https://hooks.ombudsman.go.id/pantau", false, true],
    ["https://hooks.ombudsman.go.id:8443/pantau?src=imi", false, true],
    ["http://hooks.ombudsman.go.id/pantau", false, false],
    ["ftp://hooks.ombudsman.go.id/pantau", false, false],
    ["https://user:pass@hooks.ombudsman.go.id/", false, false],
    ["https://hooks.ombudsman.go.id/#frag", false, false],
    ["not a url", false, false],
    ["", false, false],
    [`https://example.org/${"a".repeat(2000)}`, false, false],
    ["https://localhost/hook", false, false],
    ["http://127.0.0.1:8080/hook", false, false],
    ["http://127.0.0.1:8080/hook", true, true],
    ["http://localhost:8080/hook", true, true],
    ["http://[::1]:8080/hook", true, true],
    ["https://127.0.0.1/hook", true, true],
    // private and link-local addresses, never, whatever the loopback setting
    ["https://10.1.2.3/hook", true, false],
    ["https://172.16.0.1/hook", false, false],
    ["https://192.168.1.10/hook", false, false],
    ["https://169.254.169.254/latest/meta-data", false, false],
    ["https://100.64.0.1/", false, false],
    ["https://[fd00::1]/", false, false],
    ["https://[::ffff:10.0.0.1]/", false, false],
    ["http://10.1.2.3/hook", true, false],
    ["https://8.8.8.8/hook", false, true],
  ])("%s (loopback %s) → %s", (url, allowLoopbackHttp, accepted) => {
    expect(checkWebhookUrl(url, { allowLoopbackHttp }).ok).toBe(accepted);
  });

  it("says why", () => {
    expect(checkWebhookUrl("http://example.org/", { allowLoopbackHttp: false })).toEqual({
      ok: false,
      reason: "must be an https:// URL",
    });
  });
});

describe("isNonPublicAddress", () => {
  it.each([
    ["172.15.0.1", false],
    ["172.32.0.1", false],
    ["100.128.0.1", false],
    ["0.0.0.0", true],
    ["224.0.0.1", true],
    ["[fe80::1]", true],
    ["[2001:db8::1]", false],
    ["example.org", false],
  ])("%s → %s", (host, expected) => {
    expect(isNonPublicAddress(host)).toBe(expected);
  });
});
