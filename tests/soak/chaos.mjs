// The chaos proxy of the records soak (records.mjs): it stands between the
// site's `/api/` and the real ledger and, while `calm` is false, answers about
// half of the record POSTs with a fault a real network or backend produces:
//
// - drop: the connection is cut before the ledger sees the request;
// - lost: the ledger stores and answers, and the answer is cut on its way;
// - delay: forwarded after 0.5–3 s;
// - duplicate: forwarded twice (a retrying proxy), the second answer returned;
// - 5xx: 500, 502, 503 (with Retry-After: 1) or 504, the ledger never asked.
//
// The ledger behind it may be down (SIGKILLed by the soak): then 502.
import { request } from "node:http";
import { listen } from "../support/harness.mjs";

/** The faults, by weight, for a misbehaving answer. */
const FAULTS = [
  ["drop", 2],
  ["lost", 2],
  ["delay", 2],
  ["duplicate", 2],
  ["5xx", 2],
];

/**
 * Starts the proxy in front of `ledger` (an object whose `url` is read at each
 * request; null while the ledger is down). `random()` draws the faults;
 * `share` is the part of POSTs that misbehave.
 */
export async function chaosProxy(ledger, random, share = 0.5) {
  const counts = { requests: 0, passed: 0, drop: 0, lost: 0, delay: 0, duplicate: 0, "5xx": 0, down: 0 };
  const proxy = { counts, calm: false };
  const server = await listen(async (req, res) => {
    counts.requests += 1;
    const body = await readBody(req);
    const fate = proxy.calm || req.method !== "POST" || random() >= share ? "passed" : weighted(FAULTS, random);
    counts[fate] += 1;
    if (fate === "drop") return req.socket.destroy();
    if (fate === "5xx") {
      const status = [500, 502, 503, 504][Math.floor(random() * 4)];
      return res.writeHead(status, status === 503 ? { "retry-after": "1" } : {}).end("chaos");
    }
    if (fate === "delay") await new Promise((ok) => setTimeout(ok, 500 + random() * 2500));
    if (fate === "duplicate") await forward(ledger, req, body).catch(() => null);
    const answer = await forward(ledger, req, body).catch(() => null);
    if (!answer) {
      counts.down += 1;
      return res.writeHead(502).end("ledger down");
    }
    if (fate === "lost") return req.socket.destroy();
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  return Object.assign(proxy, { url: server.url, close: server.close });
}

/** One of `options` ([value, weight]) by weight. */
function weighted(options, random) {
  let left = random() * options.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of options) if ((left -= weight) < 0) return value;
  return options[options.length - 1][0];
}

function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => ok(Buffer.concat(chunks)));
    req.on("error", fail);
  });
}

/** `req` with `body` sent to the ledger; its {status, headers, body}. */
function forward(ledger, req, body) {
  return new Promise((ok, fail) => {
    if (!ledger.url) return fail(new Error("ledger down"));
    const target = new URL(req.url, ledger.url);
    const headers = { ...req.headers, host: target.host, "content-length": body.length };
    const out = request(target, { method: req.method, headers, agent: false, timeout: 20000 }, (answer) => {
      const chunks = [];
      answer.on("data", (chunk) => chunks.push(chunk));
      answer.on("end", () => {
        // The body is whole: no hop-by-hop framing goes back with it.
        const { connection, "keep-alive": _, "transfer-encoding": __, ...headers } = answer.headers;
        ok({ status: answer.statusCode, headers, body: Buffer.concat(chunks) });
      });
      answer.on("error", fail);
    });
    out.on("timeout", () => out.destroy(new Error("ledger timeout")));
    out.on("error", fail);
    out.end(body);
  });
}
