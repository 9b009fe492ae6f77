import "server-only";
import { createHmac } from "node:crypto";
import type { ChannelKind } from "@/lib/notifications/schema";

/**
 * Each robot's own format and signature, from one message shape (lib/notifications/message.ts builds it):
 * WeCom `markdown`; DingTalk `markdown`, signed (加签) in the URL; Feishu `post`, signed (签名校验) in the body;
 * a plain `webhook` gets JSON with the same text and, with a secret, an HMAC header of its own.
 */

/** A line of a message: a label (linked when `href` is set) and its details. */
export type MessageLine = { label: string; href?: string; detail: string };
export type Message = {
  title: string;
  lines: MessageLine[];
  /** The closing line: "另有 N 条" when leads were left out, and a link to the view. */
  footer: { text: string | null; linkText: string; href: string };
};

export type RobotRequest = { url: string; headers: Record<string, string>; body: string };

/** WeCom caps a markdown message's content at 4,096 bytes (its group robot page). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/** DingTalk 加签: base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)), timestamp in milliseconds. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/** Feishu 签名校验: base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")), timestamp in seconds. */
export function feishuSign(secret: string, timestampS: number): string {
  return createHmac("sha256", `${timestampS}\n${secret}`).update("").digest("base64");
}

/** A plain webhook's signature: hex HmacSHA256(key = secret, message = timestamp + "." + body), timestamp in seconds. */
export function webhookSign(secret: string, timestampS: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampS}.${body}`, "utf8").digest("hex");
}

/** Markdown's link and emphasis characters in a label become their full-width forms, so a lead's name cannot make a link of its own. */
const markdownSafe = (text: string) =>
  text.replace(/[[\]()*_`<>#]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/\s+/g, " ");

function markdownLines(message: Message): string[] {
  const lines = message.lines.map((line) => {
    const label = markdownSafe(line.label);
    return `${line.href ? `[${label}](${line.href})` : label}${line.detail ? `  ${markdownSafe(line.detail)}` : ""}`;
  });
  const footer = `${message.footer.text ? `${message.footer.text}，` : ""}[${message.footer.linkText}](${message.footer.href})`;
  return [...lines, footer];
}

/** WeCom markdown: a bold title, one quoted line per lead, the footer; lines dropped from the end of the list if it would pass the cap. */
function wecomContent(message: Message): string {
  const [footer, ...reversed] = markdownLines(message).toReversed();
  const lines = reversed.toReversed().map((line) => `> ${line}`);
  const build = () => [`**${markdownSafe(message.title)}**`, ...lines, footer].join("\n");
  while (lines.length > 0 && Buffer.byteLength(build()) > WECOM_MARKDOWN_MAX_BYTES) lines.pop();
  return build();
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** The request one message makes to one robot; `now` signs it. */
export function robotRequest(kind: ChannelKind, url: string, secret: string | null, message: Message, now = Date.now()): RobotRequest {
  switch (kind) {
    case "wecom":
      return { url, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: "markdown", markdown: { content: wecomContent(message) } }) };
    case "dingtalk": {
      const signed = new URL(url);
      if (secret !== null) {
        signed.searchParams.set("timestamp", String(now));
        signed.searchParams.set("sign", dingtalkSign(secret, now));
      }
      const text = [`#### ${markdownSafe(message.title)}`, ...markdownLines(message).map((line) => `- ${line}`)].join("\n\n");
      return { url: signed.toString(), headers: JSON_HEADERS, body: JSON.stringify({ msgtype: "markdown", markdown: { title: message.title, text } }) };
    }
    case "feishu": {
      const seconds = Math.floor(now / 1000);
      const content = [
        ...message.lines.map((line) => [
          line.href ? { tag: "a", text: line.label, href: line.href } : { tag: "text", text: line.label },
          { tag: "text", text: line.detail ? `  ${line.detail}` : "" },
        ]),
        [
          { tag: "text", text: message.footer.text ? `${message.footer.text}，` : "" },
          { tag: "a", text: message.footer.linkText, href: message.footer.href },
        ],
      ];
      const sign = secret === null ? {} : { timestamp: String(seconds), sign: feishuSign(secret, seconds) };
      return { url, headers: JSON_HEADERS, body: JSON.stringify({ ...sign, msg_type: "post", content: { post: { zh_cn: { title: message.title, content } } } }) };
    }
    case "webhook": {
      const body = JSON.stringify({
        title: message.title,
        text: [message.title, ...message.lines.map((l) => `${l.label}  ${l.detail}`), message.footer.text ?? ""].filter(Boolean).join("\n"),
        lines: message.lines,
        link: message.footer.href,
      });
      const seconds = Math.floor(now / 1000);
      const signature: Record<string, string> = secret === null ? {} : { "x-clue-desk-timestamp": String(seconds), "x-clue-desk-signature": webhookSign(secret, seconds, body) };
      return { url, headers: { ...JSON_HEADERS, ...signature }, body };
    }
  }
}

/**
 * Whether a robot took a message, from its answer: a 2xx, and for the vendors a zero code in the body (WeCom
 * and DingTalk `errcode`, Feishu `code`, older Feishu answers `StatusCode`). A failure's text names the code and
 * the vendor's message, never the URL.
 */
export function robotVerdict(kind: ChannelKind, status: number, body: string): { ok: boolean; error: string | null } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  if (kind === "webhook") return { ok: true, error: null };
  let reply: Record<string, unknown>;
  try {
    reply = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { ok: false, error: "the robot's answer is not JSON" };
  }
  const code = kind === "feishu" ? (reply.code ?? reply.StatusCode) : reply.errcode;
  const text = String(kind === "feishu" ? (reply.msg ?? reply.StatusMessage ?? "") : (reply.errmsg ?? "")).slice(0, 200);
  if (code === 0) return { ok: true, error: null };
  return { ok: false, error: `${kind === "feishu" ? "code" : "errcode"} ${String(code)}${text ? `: ${text}` : ""}` };
}
