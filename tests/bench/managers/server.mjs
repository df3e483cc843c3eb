// The bench's web server (docs/bench.md), on 127.0.0.1 only: one origin for
// every candidate, as a site would serve them.
//
// - `/managers/<id>.html`: the candidate's host page (rendered in memory);
// - `/managers/…`: the bench's tags and the candidates' configuration files;
// - `/vendor/<name>/…`: a JavaScript candidate's files from node_modules;
// - `/api/…`: proxied to the reference ledger (Assent's consent records);
// - anything else: Assent's release site (`pkg/site`: the loader, its chunks,
//   the widget).
//
// Files are compressed as a production server would: brotli (quality 11)
// when the browser accepts it, else gzip -9, each computed once. The network
// emulation of the slow-4G profile throttles the compressed bytes.
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { TYPES, proxy } from "../../e2e/support.mjs";
import { listen } from "../../support/harness.mjs";

/** `bytes` compressed as the server sends them, by encoding. */
const encoders = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  gzip: (bytes) => gzipSync(bytes, { level: 9 }),
};

/** The encoding to answer with, given an Accept-Encoding header (null: none). */
function encodingFor(accepted = "") {
  const names = accepted.split(",").map((part) => part.split(";")[0].trim());
  return names.includes("br") ? "br" : names.includes("gzip") ? "gzip" : null;
}

/** The file under `base` that `rel` names, or null when it would leave `base`. */
function within(base, rel) {
  const file = normalize(join(base, rel));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * Starts the server. `pages`: path → HTML; `managersDir`: served at
 * `/managers/`; `mounts`: URL prefix → directory; `siteDir`: the rest;
 * `ledger`: `{ url }` of the ledger `/api/` goes to.
 */
export async function startBenchServer({ pages, managersDir, mounts, siteDir, ledger }) {
  const compressed = new Map();
  const bodyOf = (key, bytes, encoding) => {
    if (!encoding) return bytes;
    const id = `${encoding} ${key}`;
    if (!compressed.has(id)) compressed.set(id, encoders[encoding](bytes));
    return compressed.get(id);
  };

  const resolveFile = (path) => {
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (path.startsWith(prefix)) return within(dir, path.slice(prefix.length));
    }
    if (path.startsWith("/managers/")) return within(managersDir, path.slice("/managers/".length));
    return within(siteDir, path.endsWith("/") ? path + "index.html" : path);
  };

  const server = await listen(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const path = decodeURIComponent(url.pathname);
    if (path.startsWith("/api/")) return proxy(req, res, ledger.url);
    const encoding = encodingFor(req.headers["accept-encoding"]);
    const send = (type, key, bytes) => {
      const body = bodyOf(key, bytes, encoding);
      const headers = { "content-type": type, "cache-control": "no-cache", "content-length": body.length };
      if (encoding) headers["content-encoding"] = encoding;
      res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : body);
    };
    if (pages.has(path)) return send(TYPES[".html"], path, Buffer.from(pages.get(path)));
    const file = resolveFile(path);
    try {
      if (!file || !(await stat(file)).isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
      send(TYPES[extname(file)] ?? "application/octet-stream", file, await readFile(file));
    } catch (e) {
      const missing = e?.code === "ENOENT";
      if (!missing) console.error(`bench server: ${path}: ${e?.stack ?? e}`);
      res.writeHead(missing ? 404 : 500, { "content-type": "text/plain" }).end(missing ? "not found" : String(e));
    }
  });
  return { url: server.url, close: server.close };
}
