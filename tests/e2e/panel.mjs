// The "GDPR & my data" panel's end-to-end helpers: the reference server with
// the rights API (the ledger binary with `--rights-policy`, the demo app and
// an adjustable clock) on SQLite or PostgreSQL, the site server in front of it,
// the demo app signed in as the demo account, and the panel's words in each
// language the tests speak (the oracle, written here from the product's texts).
import { join } from "node:path";
import { pageUntil } from "../support/harness.mjs";
import { ROOT, launchBrowser, openPage, startServer } from "./support.mjs";
import { ledgerStore, startLedger } from "./ledger.mjs";

/** What the tests click and read, per language. */
export const WORDS = {
  en: {
    signIn: "Sign in",
    rejectAll: "Reject all",
    acceptAll: "Accept all",
    title: "GDPR & my data",
    myData: "My data",
    export: "Export",
    consents: "Consents",
    restriction: "Read-only mode",
    deletion: "Account deletion",
    voice: "Voice cloning",
    other: "Other rights",
    items: "items",
    exportRequest: "Request a copy of my data",
    download: "Download the archive",
    revoke: "Revoke the link",
    revoked: "Revoked",
    restrictOn: "Turn on read-only mode",
    restrictIsOn: "Read-only mode is on.",
    restrictOff: "Turn off read-only mode",
    resume: "Resume processing",
    confirmLabel: "To confirm, type DELETE",
    confirmWord: "DELETE",
    deleteAccount: "Delete my account",
    scheduled: "Your account will be deleted on",
    cancelDeletion: "Cancel the deletion",
    cancelled: "The deletion is cancelled. Your account stays.",
    signedOut: "Your session has ended. Sign in again to continue.",
    givenOn: "Consent given on",
    withdraw: "Withdraw my consent",
    affirm: "I have read the statement above and I give my explicit consent.",
    give: "Give my explicit consent",
    voiceDeleted: "Your voice data was deleted on",
    manage: "Manage cookie consents",
    refused: "refused",
    allowed: "allowed",
    object: "Object",
    objectionSent: "Objection sent",
    rectifyLabel: "What should be corrected",
    rectifySend: "Send the request",
    requestSent: "Request sent. Answer by",
    complaint: "You can lodge a complaint with",
    appCreate: "Create",
    appGenerateImage: "Generate image",
    appReadOnly: "Your account is in read-only mode.",
    appVoice: "Voice",
    appSynthesize: "Synthesize speech",
    appSpeechReady: "Your speech is ready.",
    appVoiceConsent: "Voice cloning needs your explicit consent.",
  },
  fr: {
    signIn: "Se connecter",
    rejectAll: "Tout refuser",
    acceptAll: "Tout accepter",
    title: "RGPD & mes données",
    myData: "Mes données",
    export: "Export",
    consents: "Consentements",
    restriction: "Mode lecture seule",
    deletion: "Suppression du compte",
    voice: "Clonage vocal",
    other: "Autres droits",
    items: "éléments",
    exportRequest: "Demander une copie de mes données",
    download: "Télécharger l'archive",
    revoke: "Révoquer le lien",
    revoked: "Révoquée",
    restrictOn: "Activer le mode lecture seule",
    restrictIsOn: "Le mode lecture seule est actif.",
    restrictOff: "Désactiver le mode lecture seule",
    resume: "Reprendre le traitement",
    confirmLabel: "Pour confirmer, saisissez SUPPRIMER",
    confirmWord: "SUPPRIMER",
    deleteAccount: "Supprimer mon compte",
    scheduled: "Votre compte sera supprimé le",
    cancelDeletion: "Annuler la suppression",
    cancelled: "La suppression est annulée. Votre compte est conservé.",
    signedOut: "Votre session a expiré. Reconnectez-vous pour continuer.",
    givenOn: "Consentement donné le",
    withdraw: "Retirer mon consentement",
    affirm: "J'ai lu la déclaration ci-dessus et je donne mon consentement explicite.",
    give: "Donner mon consentement explicite",
    voiceDeleted: "Vos données vocales ont été supprimées le",
    manage: "Gérer les consentements aux cookies",
    refused: "refusé",
    allowed: "autorisé",
    object: "M'opposer",
    objectionSent: "Opposition envoyée",
    rectifyLabel: "Ce qui doit être corrigé",
    rectifySend: "Envoyer la demande",
    requestSent: "Demande envoyée. Réponse au plus tard le",
    complaint: "Vous pouvez introduire une réclamation auprès de",
    appCreate: "Créer",
    appGenerateImage: "Générer l’image",
    appReadOnly: "Votre compte est en mode lecture seule.",
    appVoice: "Voix",
    appSynthesize: "Synthétiser la parole",
    appSpeechReady: "Votre enregistrement est prêt.",
    appVoiceConsent: "Le clonage vocal exige votre consentement explicite.",
  },
};

/**
 * The reference server for one test: a fresh store, the ledger with the
 * rights API over Pix2Clip's policy, the demo account and an adjustable
 * clock, and the site server proxying `/api/` to it. `restart()` starts the
 * ledger again on the same store (the proxy follows); `stopLedger()` stops it.
 */
export async function startRightsServer() {
  const store = await ledgerStore();
  const args = ["--rights-policy", join(ROOT, "www/policies/pix2clip.toml"), "--clock", "adjustable", "--demo"];
  const start = () => startLedger(store, { policies: join(ROOT, "www/policies"), args });
  const holder = { ledger: await start() };
  const proxied = {
    get url() {
      return holder.ledger?.url;
    },
  };
  const server = await startServer({ ledger: proxied });
  return {
    server,
    url: server.url,
    stopLedger: async () => {
      await holder.ledger.stop();
      holder.ledger = null;
    },
    restart: async () => {
      holder.ledger = await start();
    },
    logs: () => holder.ledger?.logs() ?? "",
    /** Moves the server's clock `days` forward and lets its scheduler run. */
    advanceDays: async (days) => {
      const answer = await fetch(server.url + "/api/dev/clock", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ advance_ms: Math.round(days * 86_400_000) }),
      });
      if (!answer.ok) throw new Error(`dev clock: ${answer.status} ${await answer.text()}`);
    },
    stop: async () => {
      await server.close();
      await holder.ledger?.stop();
      await store.remove();
    },
  };
}

/** The demo app's language for a new visitor, before any script runs. */
const appLanguage = (lang) => localStorage.setItem("p2c.lang", lang);

/**
 * A new visitor of the demo app in `lang`, signed in as the demo account,
 * on the "GDPR & my data" route with the panel loaded. The cookie banner is
 * answered first (Reject all) so it covers nothing.
 */
export async function openPanel(browser, url, lang) {
  const session = await openPage(browser, { acceptDownloads: true });
  await session.context.addInitScript(appLanguage, lang);
  const { page } = session;
  const w = WORDS[lang];
  await page.goto(url + "/app/");
  await pageUntil(page, "the demo app", () => window.p2cApp?.ready);
  const reject = page.locator("assent-widget").getByRole("button", { name: w.rejectAll, exact: true });
  await reject.click({ timeout: 30000 });
  await page.getByRole("button", { name: w.signIn, exact: true }).click();
  await pageUntil(page, "the sign-in to finish", () => !location.pathname.endsWith("/sign-in"));
  await goToPanel(page, lang);
  return session;
}

/**
 * Runs `body(session, rights)` with a fresh server and a signed-in visitor
 * in `lang` on the panel; a failure carries the page's text and the server's
 * log. Everything is stopped afterwards.
 */
export async function withPanel(browser, lang, body) {
  const rights = await startRightsServer();
  const session = await openPanel(browser, rights.url, lang);
  try {
    await body(session, rights);
  } catch (e) {
    const shown = await session.page.evaluate(() => document.body.innerText).catch(() => "");
    e.message += `\n--- page ---\n${shown.slice(0, 3000)}\n--- server log ---\n${rights.logs().slice(-4000)}`;
    throw e;
  } finally {
    await session.context.close();
    await rights.stop();
  }
}

/**
 * Navigates the app to its privacy route and waits for the panel's data: the
 * account (and so the events the panel sends at mount), then the notice's
 * tables of its first section.
 */
export async function goToPanel(page, lang) {
  await page.evaluate(() => window.p2cApp.navigate("settings/privacy"));
  await panelHeading(page, lang).waitFor({ timeout: 30000 });
  await pageUntil(page, "the panel's table", () =>
    !!document.querySelector("assent-my-data")?.shadowRoot?.querySelector(".panel table"),
  );
}

/** The panel's element. */
export const panel = (page) => page.locator("assent-my-data");

/** The panel's heading. */
export const panelHeading = (page, lang) =>
  panel(page).getByRole("heading", { name: WORDS[lang].title, exact: true, level: 2 });

/** Opens a section from the panel's list. */
export async function openSection(page, name) {
  await panel(page).getByRole("navigation").getByRole("button", { name, exact: true }).click();
  await panel(page).getByRole("heading", { name, exact: true, level: 3 }).waitFor();
}

/** A button of the panel by its exact name. */
export const panelButton = (page, name) => panel(page).getByRole("button", { name, exact: true });

/** The panel's visible text. */
export const panelText = (page) =>
  page.evaluate(() => document.querySelector("assent-my-data").shadowRoot.querySelector(".panel")?.innerText ?? "");

/** The browser for a test file. */
export { launchBrowser };
