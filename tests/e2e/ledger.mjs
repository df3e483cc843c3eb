// The reference ledger (crates/assent-ledger) for the end-to-end suite: the real
// binary on 127.0.0.1, on SQLite in a fresh data directory, or on PostgreSQL when
// the run names a server (`ASSENT_E2E_POSTGRES`, a `postgres://` URL of a
// cluster `cargo xtask test` started; each ledger gets a fresh database in it).
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { ROOT, FIXTURES_DIR } from "./support.mjs";

const execFileP = promisify(execFile);
/** Runs a tool; one that has not finished within 30 s is killed and fails. */
const run = (file, args, options = {}) => execFileP(file, args, { timeout: 30000, killSignal: "SIGKILL", ...options });

/** The ledger binary: `ASSENT_LEDGER_BIN`, else the workspace's debug build. */
export const LEDGER_BIN = resolve(process.env.ASSENT_LEDGER_BIN ?? join(ROOT, "target", "debug", "assent-ledger"));

/** The PostgreSQL server of this run, if any. */
export const POSTGRES = process.env.ASSENT_E2E_POSTGRES ?? null;

/** Which storage this run exercises, for test names. */
export const BACKEND = POSTGRES ? "PostgreSQL" : "SQLite";

let databases = 0;

/**
 * A place for one ledger's records: a data directory (keys, and the SQLite file
 * unless PostgreSQL is used) and, with PostgreSQL, a fresh database.
 */
export async function ledgerStore() {
  const data = await mkdtemp(join(tmpdir(), "assent-e2e-ledger-"));
  let database = null;
  if (POSTGRES) {
    const name = `assent_e2e_${process.pid}_${++databases}`;
    await run("psql", [POSTGRES, "-v", "ON_ERROR_STOP=1", "-c", `CREATE DATABASE ${name}`]);
    const url = new URL(POSTGRES);
    url.pathname = "/" + name;
    database = url.href;
  }
  return {
    data,
    database,
    env: database ? { ASSENT_DATABASE_URL: database } : {},
    remove: () => rm(data, { recursive: true, force: true }),
  };
}

/**
 * Starts the ledger on `store` and waits for its `listening on http://…` line.
 * `stop()` ends it with SIGTERM (or the signal given) and waits for the exit;
 * a ledger still running 15 s after SIGTERM (its shutdown grace is 10 s) is
 * killed and `stop()` rejects with its log.
 */
export async function startLedger(store, { policies = join(FIXTURES_DIR, "policies"), args = [] } = {}) {
  const child = spawn(
    LEDGER_BIN,
    ["serve", "--listen", "127.0.0.1:0", "--data", store.data, "--policies", policies, ...args],
    { env: { ...process.env, ...store.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-20000)));
  const exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal })));
  const url = await new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) ok(m[1].replace(/\/$/, ""));
    });
    exited.then(({ code, signal }) => fail(new Error(`ledger exited (${code ?? signal}) before listening:\n${stderr}`)));
    setTimeout(() => fail(new Error(`ledger did not listen within 20 s:\n${stderr}`)), 20000);
  });
  return {
    url,
    logs: () => stderr,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timer;
      const late = new Promise((ok) => (timer = setTimeout(ok, 15000, "late")));
      const end = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (end !== "late") return end;
      child.kill("SIGKILL");
      await exited;
      throw new Error(`the ledger did not exit within 15 s of ${signal}:\n${stderr}`);
    },
  };
}

/** `assent-ledger export` of `store`: {records: [{jws, receipt, received}], …}. */
export async function exportLedger(store) {
  const { stdout } = await run(LEDGER_BIN, ["export", "--data", store.data], {
    env: { ...process.env, ...store.env },
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout);
}

/** The record (JWS payload) of a compact JWS. */
export function payloadOf(jws) {
  return JSON.parse(Buffer.from(jws.split(".")[1], "base64url").toString("utf8"));
}
