import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the three vendors' group robots and a plain webhook, on 127.0.0.1: it answers as each vendor
 * does (success, its rate-limit code, an HTTP 500, or no answer at all), checks DingTalk's and Feishu's
 * signatures by the vendors' documented algorithms (written out here, not taken from the app), and records
 * every request it receives.
 *
 * Paths as the vendors' URLs have them: WeCom `/cgi-bin/webhook/send?key=<robot>`, DingTalk
 * `/robot/send?access_token=<robot>`, Feishu `/open-apis/bot/v2/hook/<robot>`, webhook `/hook/<robot>`.
 */

export type Vendor = "wecom" | "dingtalk" | "feishu" | "webhook";
/** `redirect` answers 302 to another robot of this server: a sender that followed it would be recorded there. */
export type RobotMode = "ok" | "rateLimited" | "error500" | "silent" | "redirect";

export type Received = {
  vendor: Vendor;
  robot: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  raw: string;
  /** Null when the robot has no secret; else whether the signature matched the vendor's algorithm. */
  signatureValid: boolean | null;
  at: number;
};

/** DingTalk's page: sign = base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)), URL-encoded in the query. */
const dingtalkExpected = (secret: string, timestamp: string) => createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
/** Feishu's page: sign = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")). */
const feishuExpected = (secret: string, timestamp: string) => createHmac("sha256", `${timestamp}\n${secret}`).update("").digest("base64");

function route(url: URL): { vendor: Vendor; robot: string } | null {
  if (url.pathname === "/cgi-bin/webhook/send") return { vendor: "wecom", robot: url.searchParams.get("key") ?? "" };
  if (url.pathname === "/robot/send") return { vendor: "dingtalk", robot: url.searchParams.get("access_token") ?? "" };
  const feishu = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(url.pathname);
  if (feishu) return { vendor: "feishu", robot: feishu[1]! };
  const hook = /^\/hook\/([^/]+)$/.exec(url.pathname);
  return hook ? { vendor: "webhook", robot: hook[1]! } : null;
}

const SUCCESS: Record<Vendor, object> = {
  wecom: { errcode: 0, errmsg: "ok" },
  dingtalk: { errcode: 0, errmsg: "ok" },
  feishu: { code: 0, msg: "success", data: {} },
  webhook: { ok: true },
};
const RATE_LIMITED: Record<Vendor, { status: number; body: object }> = {
  wecom: { status: 200, body: { errcode: 45009, errmsg: "api freq out of limit" } },
  dingtalk: { status: 200, body: { errcode: 130101, errmsg: "send too fast, exceed 20 times per minute" } },
  feishu: { status: 200, body: { code: 11232, msg: "frequency limited" } },
  webhook: { status: 429, body: { error: "slow down" } },
};
const BAD_SIGNATURE: Record<"dingtalk" | "feishu", object> = {
  dingtalk: { errcode: 310000, errmsg: "sign not match" },
  feishu: { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" },
};

/** `port`: a fixed one (the e2e app lists it in NOTIFY_ALLOWED_HOSTS before the robot starts); any free one by default. */
export async function startRobotServer(port = 0) {
  const modes = new Map<string, RobotMode>();
  const secrets = new Map<string, string>();
  const received: Received[] = [];
  const held = new Set<ServerResponse>();
  let base = "";

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://robot.invalid");
      const target = route(url);
      if (target === null || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const secret = secrets.get(target.robot);
      let signatureValid: boolean | null = null;
      if (secret !== undefined && target.vendor === "dingtalk") {
        const timestamp = url.searchParams.get("timestamp") ?? "";
        signatureValid = url.searchParams.get("sign") === dingtalkExpected(secret, timestamp) && Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
      } else if (secret !== undefined && target.vendor === "feishu") {
        const timestamp = String(body.timestamp ?? "");
        signatureValid = body.sign === feishuExpected(secret, timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 3600;
      }
      received.push({ ...target, query: url.searchParams, headers: req.headers, body, raw, signatureValid, at: Date.now() });
      const mode = modes.get(target.robot) ?? "ok";
      const answer = (status: number, reply: object) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
      if (mode === "silent") {
        held.add(res);
        return;
      }
      if (mode === "redirect") return void res.writeHead(302, { location: `${base}/hook/redirected` }).end();
      if (mode === "error500") return void res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      if (mode === "rateLimited") return answer(RATE_LIMITED[target.vendor].status, RATE_LIMITED[target.vendor].body);
      if (signatureValid === false && (target.vendor === "dingtalk" || target.vendor === "feishu")) return answer(200, BAD_SIGNATURE[target.vendor]);
      answer(200, SUCCESS[target.vendor]);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** `127.0.0.1:<port>`, as NOTIFY_ALLOWED_HOSTS lists it. */
    host: base.slice("http://".length),
    url(vendor: Vendor, robot: string): string {
      switch (vendor) {
        case "wecom":
          return `${base}/cgi-bin/webhook/send?key=${robot}`;
        case "dingtalk":
          return `${base}/robot/send?access_token=${robot}`;
        case "feishu":
          return `${base}/open-apis/bot/v2/hook/${robot}`;
        case "webhook":
          return `${base}/hook/${robot}`;
      }
    },
    setMode(robot: string, mode: RobotMode): void {
      modes.set(robot, mode);
    },
    /** The robot signs: its requests must carry the vendor's signature made with this secret. */
    setSecret(robot: string, secret: string): void {
      secrets.set(robot, secret);
    },
    received,
    for(robot: string): Received[] {
      return received.filter((r) => r.robot === robot);
    },
    async close(): Promise<void> {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type RobotServer = Awaited<ReturnType<typeof startRobotServer>>;
