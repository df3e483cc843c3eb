// The loader's files as `cargo xtask loader` wrote them into the built site
// (`ASSENT_SITE_DIR`, else `pkg/site`): the loader's tests run exactly what
// ships, the first layer's build-time banner included. `cargo xtask test`
// builds the site before these tests; alone, run `cargo xtask loader` first.
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

const SITE_DIR = resolve(process.env.ASSENT_SITE_DIR ?? new URL("../../pkg/site", import.meta.url).pathname);

/** The text of each of `files` (e.g. "assent-loader.js"), by name. */
export async function builtFiles(files) {
  const built = {};
  for (const file of files) {
    built[file] = await readFile(join(SITE_DIR, file), "utf8").catch((e) => {
      throw new Error(`${file} is not built in ${SITE_DIR}: run \`cargo xtask loader\` (${e.code})`);
    });
  }
  return built;
}

/** The first layer's banner chunks as built (`assent-banner-<lang>.js`), one
 * per UI language but English, which the decision chunk carries. */
export const BANNER_CHUNKS = readdirSync(SITE_DIR).filter((file) => /^assent-banner-[a-z]+\.js$/.test(file));
