import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { dingtalkSign, feishuSign, type Message, robotRequest, robotVerdict, WECOM_MARKDOWN_MAX_BYTES } from "@/lib/notifications/channels";
import { leadsMessage, withoutPhoneNumbers } from "@/lib/notifications/message";
import type { LeadSummary } from "@/lib/notifications/schema";

/** The robots' formats, signatures and answers, and the allowed-hosts rule, without a store. */

beforeAll(() => {
  vi.stubEnv("NOTIFY_ALLOWED_HOSTS", "oapi.dingtalk.com, localhost:9, 10.1.2.3:8080");
});

const lead = (i: number, name = `线索 ${i}`): LeadSummary => ({
  customerId: String(100 + i),
  name,
  type: "企业",
  status: "线索",
  source: "官网",
  createTime: "2026-12-06 10:00:00",
});
const subscription = { name: "高意向企业", query: "type=2" };

describe("signatures, by the vendors' documented algorithms", () => {
  it("DingTalk 加签: base64(HmacSHA256(secret, timestamp + \\n + secret)), appended to the URL with the timestamp in ms", () => {
    const expected = createHmac("sha256", "SECabc").update("1700000000000\nSECabc").digest("base64");
    expect(dingtalkSign("SECabc", 1_700_000_000_000)).toBe(expected);
    const request = robotRequest("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", "SECabc", leadsMessage(subscription, [lead(1)], "https://d.example"), 1_700_000_000_000);
    const url = new URL(request.url);
    expect(url.searchParams.get("access_token")).toBe("T");
    expect(url.searchParams.get("timestamp")).toBe("1700000000000");
    expect(url.searchParams.get("sign")).toBe(expected);
  });

  it("Feishu 签名校验: base64(HmacSHA256(key = timestamp + \\n + secret, message = \"\")), in the body with the timestamp in seconds", () => {
    const expected = createHmac("sha256", "1700000000\nfs").update("").digest("base64");
    expect(feishuSign("fs", 1_700_000_000)).toBe(expected);
    const body = JSON.parse(robotRequest("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/T", "fs", leadsMessage(subscription, [lead(1)], "https://d.example"), 1_700_000_000_123).body);
    expect(body).toMatchObject({ timestamp: "1700000000", sign: expected, msg_type: "post" });
    expect(body.content.post.zh_cn.content[0][0]).toEqual({ tag: "a", text: "线索 1", href: "https://d.example/clues/101" });
  });

  it("a robot without a secret gets no signature", () => {
    const request = robotRequest("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", null, leadsMessage(subscription, [lead(1)], "https://d.example"));
    expect(new URL(request.url).searchParams.has("sign")).toBe(false);
  });
});

describe("messages", () => {
  it("lists 10 leads, then 另有 N 条 with a link to the view", () => {
    const message: Message = leadsMessage(subscription, Array.from({ length: 50 }, (_, i) => lead(i)), "https://d.example");
    expect(message.title).toBe("新线索 · 高意向企业（50 条）");
    expect(message.lines).toHaveLength(10);
    expect(message.footer).toEqual({ text: "另有 40 条", linkText: "在线索台查看", href: "https://d.example/clues?type=2" });
  });

  it("keeps WeCom's markdown within 4,096 bytes and a lead's name from making links", () => {
    const long = Array.from({ length: 10 }, (_, i) => lead(i, `[点我](https://evil.example) ${"很长的名字".repeat(100)}`));
    const content = JSON.parse(robotRequest("wecom", "https://qyapi.weixin.qq.com/x", null, leadsMessage(subscription, long, "https://d.example")).body).markdown.content as string;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(content).not.toContain("](https://evil.example)");
  });

  it("masks anything shaped like a phone number", () => {
    expect(withoutPhoneNumbers("王 13812345678 / +86 139-1234-5678 / 02112345678")).toBe("王 138****5678 / 861****5678 / 021****5678");
  });
});

describe("the robots' answers", () => {
  it("takes a zero code in a 2xx as delivered, anything else as a failure naming the code", () => {
    expect(robotVerdict("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true, error: null });
    expect(robotVerdict("wecom", 200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toEqual({ ok: false, error: "errcode 45009: api freq out of limit" });
    expect(robotVerdict("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}')).toEqual({ ok: true, error: null });
    expect(robotVerdict("feishu", 200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(robotVerdict("dingtalk", 500, "oops")).toEqual({ ok: false, error: "HTTP 500" });
    expect(robotVerdict("webhook", 302, "")).toEqual({ ok: false, error: "HTTP 302" });
  });
});

describe("NOTIFY_ALLOWED_HOSTS and private addresses", () => {
  it("refuses a host not listed, plain http to a name, a listed name resolving to a loopback address, and accepts a listed address", async () => {
    const { checkRobotUrl, postToRobot } = await import("@/lib/notifications/robot-url");
    await expect(checkRobotUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1")).rejects.toThrow(/not in NOTIFY_ALLOWED_HOSTS/);
    await expect(checkRobotUrl("https://oapi.dingtalk.com:8443/robot/send")).rejects.toThrow(/not in NOTIFY_ALLOWED_HOSTS/);
    await expect(checkRobotUrl("http://oapi.dingtalk.com/robot/send")).rejects.toThrow(/must be https/);
    await expect(checkRobotUrl("https://u:p@oapi.dingtalk.com/robot/send")).rejects.toThrow(/user name or password/);
    await expect(checkRobotUrl("https://localhost:9/hook")).rejects.toThrow(/private or loopback/);
    await expect(checkRobotUrl("http://10.1.2.3:8080/hook")).resolves.toBeUndefined();
    // At send time too, as the connection resolves the name (a name that changes its answer later).
    await expect(postToRobot({ url: "https://localhost:9/hook", headers: {}, body: "{}" }, 1000)).rejects.toThrow(/private or loopback/);
  });
});
