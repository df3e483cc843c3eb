// End-to-end: the "GDPR & my data" panel (crates/assent-panel) in the demo
// app (www/app/), mounted by the loader's <assent-my-data>, against the
// reference server (the ledger binary with the rights API, the demo account
// and an adjustable clock), in English and in French, on SQLite (and on
// PostgreSQL when the run names a server: `cargo xtask test` runs this file
// again with ASSENT_E2E_POSTGRES). Every section's states are checked with
// axe-core. A fresh server per test: the deletion test erases the account.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { axeViolations } from "./support.mjs";
import { BACKEND } from "./ledger.mjs";
import {
  WORDS,
  goToPanel,
  launchBrowser,
  openSection,
  panel,
  panelButton,
  panelText,
  withPanel as withPanelOn,
} from "./panel.mjs";

const execFileP = promisify(execFile);
let browser;
before(async () => (browser = await launchBrowser()));
after(() => browser?.close());

/** No axe violation in the page's current state (`what` names it). */
async function accessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
}

/** Runs `body(page, words, rights, session)` on the panel in `lang` (panel.mjs); no page error may happen. */
function withPanel(lang, body) {
  return withPanelOn(browser, lang, async (session, rights) => {
    await body(session.page, WORDS[lang], rights, session);
    // A refused call (423, 403) is logged by the browser; exceptions are not allowed.
    const errors = session.errors.filter((e) => !e.startsWith("Failed to load resource"));
    assert.deepEqual(errors, [], "no page error");
  });
}

/** The names in a ZIP, read by Python's zipfile (which also checks every CRC). */
async function zipNames(path) {
  const script =
    "import json, sys, zipfile\n" +
    "z = zipfile.ZipFile(sys.argv[1])\n" +
    "assert z.testzip() is None, 'a damaged entry'\n" +
    "data = json.loads(z.read('data.json'))\n" +
    "print(json.dumps({'names': z.namelist(), 'keys': sorted(data)}))\n";
  const { stdout } = await execFileP("python3", ["-c", script, path]);
  return JSON.parse(stdout);
}

for (const lang of ["en", "fr"]) {
  test(`${lang}, ${BACKEND}: my data with the account's counts; export requested, downloaded (zipfile), revoked`, async () => {
    await withPanel(lang, async (page, w, rights) => {
      await panel(page).getByText(new RegExp(`^\\d{2,} ${w.items}$`)).first().waitFor();
      const text = await panelText(page);
      assert.match(text, /MiniMax/, "sub-processors listed");
      await accessible(page, "my data");

      await openSection(page, w.export);
      await accessible(page, "export, none yet");
      await panelButton(page, w.exportRequest).click();
      const link = panel(page).getByRole("link", { name: new RegExp("^" + w.download) });
      await link.waitFor({ timeout: 30000 });
      assert.equal(await panelButton(page, w.exportRequest).isDisabled(), false, "another export may be asked");
      await accessible(page, "export ready");

      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const dir = await mkdtemp(join(tmpdir(), "assent-panel-export-"));
      try {
        const file = join(dir, "export.zip");
        await download.saveAs(file);
        const { names, keys } = await zipNames(file);
        for (const name of ["README.txt", "data.json", "consent-records/special-consents.json"]) {
          assert.ok(names.includes(name), `${name} in ${names}`);
        }
        assert.ok(names.some((n) => n.startsWith("files/")), `the user's files in ${names}`);
        assert.ok(keys.length > 0, "data.json holds the account's data");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }

      const href = await link.getAttribute("href");
      await panelButton(page, w.revoke).click();
      await link.waitFor({ state: "detached" });
      await panel(page).getByText(w.revoked, { exact: true }).waitFor();
      const gone = await page.evaluate((u) => fetch(u).then((r) => r.status), href);
      assert.equal(gone, 410, "a revoked link is gone");
      await accessible(page, "export revoked");
    });
  });

  test(`${lang}, ${BACKEND}: read-only mode blocks a write in the demo app, and is lifted after its warning`, async () => {
    await withPanel(lang, async (page, w) => {
      const events = [];
      await page.exposeFunction("panelEvent", (e) => events.push(e));
      await page.evaluate(() =>
        document.addEventListener("assent:restriction", (e) => window.panelEvent({ type: e.type, ...e.detail })),
      );
      await openSection(page, w.restriction);
      await accessible(page, "restriction off");
      await panelButton(page, w.restrictOn).click();
      await panel(page).getByText(w.restrictIsOn).waitFor();
      await accessible(page, "restriction on");
      assert.deepEqual(events, [{ type: "assent:restriction", restricted: true }]);

      await page.evaluate(() => window.p2cApp.navigate("create"));
      await page.locator("#image-prompt").fill("a lighthouse at dawn");
      await page.getByRole("button", { name: w.appGenerateImage, exact: true }).click();
      await page.getByText(w.appReadOnly).first().waitFor();

      await goToPanel(page, lang);
      await openSection(page, w.restriction);
      await panelButton(page, w.restrictOff).click();
      const warning = panel(page).getByRole("alertdialog");
      await warning.waitFor();
      assert.ok((await warning.innerText()).length > 20, "the server's warning is shown before lifting");
      await accessible(page, "lift warning");
      await panelButton(page, w.resume).click();
      await panelButton(page, w.restrictOn).waitFor();
      assert.deepEqual(events.at(-1), { type: "assent:restriction", restricted: false });

      await page.evaluate(() => window.p2cApp.navigate("create"));
      await page.locator("#image-prompt").fill("a lighthouse at dusk");
      await page.getByRole("button", { name: w.appGenerateImage, exact: true }).click();
      await page.getByRole("link", { name: /library|bibliothèque/i }).last().waitFor();
    });
  });

  test(`${lang}, ${BACKEND}: deletion scheduled, cancelled, scheduled again, carried out when the clock passes 30 days`, async () => {
    await withPanel(lang, async (page, w, rights) => {
      const events = [];
      await page.exposeFunction("deletionEvent", (e) => events.push(e));
      await page.evaluate(() =>
        document.addEventListener("assent:deletion", (e) => window.deletionEvent(e.detail)),
      );
      await openSection(page, w.deletion);
      const confirm = panel(page).getByLabel(w.confirmLabel);
      assert.equal(await panelButton(page, w.deleteAccount).isDisabled(), true, "nothing before the confirmation");
      await accessible(page, "deletion, not scheduled");
      await confirm.fill(w.confirmWord);
      await panelButton(page, w.deleteAccount).click();
      await panel(page).getByText(w.scheduled).waitFor();
      const first = await panelText(page);
      assert.match(first, /\d+ (d|j) \d+ h \d+ min/, "a countdown");
      await accessible(page, "deletion scheduled");

      await panelButton(page, w.cancelDeletion).click();
      await panel(page).getByText(w.cancelled).waitFor();
      await accessible(page, "deletion cancelled");
      // The host app heard both: scheduled with its date, then cancelled.
      assert.equal(events.length, 2, JSON.stringify(events));
      assert.equal(events[0].scheduled, true);
      assert.match(events[0].erasureAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(events[1], { scheduled: false, erasureAt: null });

      await confirm.fill(w.confirmWord);
      await panelButton(page, w.deleteAccount).click();
      await panel(page).getByText(w.scheduled).waitFor();

      await rights.advanceDays(30.01);
      // The scheduler erases the account and its sessions: the panel, mounted
      // again, finds the person signed out, and the account is gone.
      await page.evaluate(() => window.p2cApp.navigate("settings"));
      await page.evaluate(() => window.p2cApp.navigate("settings/privacy"));
      await panel(page).getByText(w.signedOut).waitFor({ timeout: 30000 });
      const status = await page.evaluate(() =>
        fetch("/api/app/v1/session", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "demo@pix2clip.example" }),
        }).then((r) => r.status),
      );
      assert.equal(status, 401, "no account to sign in to any more");
    });
  });

  test(`${lang}, ${BACKEND}: voice consent: the feature works, withdrawn it is refused and the voice deleted, given again`, async () => {
    await withPanel(lang, async (page, w) => {
      const speak = async () => {
        await page.evaluate(() => window.p2cApp.navigate("voice"));
        await page.locator("#voice-text").fill("Bonjour");
        await page.getByRole("button", { name: w.appSynthesize, exact: true }).click();
      };
      await speak();
      await page.getByText(w.appSpeechReady).waitFor();

      await goToPanel(page, lang);
      await openSection(page, w.voice);
      await panel(page).getByText(w.givenOn).waitFor();
      await accessible(page, "voice consent given");
      await panelButton(page, w.withdraw).click();
      await panel(page).getByText(w.voiceDeleted).waitFor({ timeout: 30000 });
      const box = panel(page).getByRole("checkbox", { name: w.affirm });
      assert.equal(await box.isChecked(), false, "nothing pre-ticked");
      assert.equal(await panelButton(page, w.give).isDisabled(), true, "consent needs the statement affirmed");
      await accessible(page, "voice consent withdrawn");

      await speak();
      await page.getByText(w.appVoiceConsent).first().waitFor();

      await goToPanel(page, lang);
      await openSection(page, w.voice);
      await panel(page).getByRole("checkbox", { name: w.affirm }).check();
      await panelButton(page, w.give).click();
      await panel(page).getByText(w.givenOn).waitFor();
    });
  });

  test(`${lang}, ${BACKEND}: consents open the banner's own preferences; an objection and a rectification are recorded with their date`, async () => {
    await withPanel(lang, async (page, w) => {
      await openSection(page, w.consents);
      assert.match(await panelText(page), new RegExp(w.refused), "the visitor rejected all in the banner");
      await accessible(page, "consents");
      assert.doesNotMatch(await panelText(page), new RegExp(w.allowed));
      await panelButton(page, w.manage).click();
      const dialog = page.locator("assent-widget").getByRole("dialog");
      await dialog.getByRole("button", { name: w.acceptAll, exact: true }).click();
      await dialog.waitFor({ state: "hidden" });
      // The panel follows the decision made in the banner's own dialog.
      await panel(page).getByText(w.allowed, { exact: true }).first().waitFor();

      await panelButton(page, w.object).first().click();
      await panel(page).getByText(w.objectionSent).waitFor();
      await accessible(page, "objection sent");

      await openSection(page, w.other);
      await panel(page).getByLabel(w.rectifyLabel).fill("My last name is misspelt.");
      await panelButton(page, w.rectifySend).click();
      await panel(page).getByText(w.requestSent).waitFor();
      assert.match(await panelText(page), new RegExp(w.complaint + ".*CNIL"));
      await accessible(page, "other rights");
    });
  });
}
