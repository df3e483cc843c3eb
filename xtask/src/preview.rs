//! `cargo xtask preview`: the policy preview pages of the site.
//!
//! For every file in `www/policies/` it writes, into the site being built
//! (`$TRUNK_STAGING_DIR` when trunk runs it as a hook, else `pkg/site`):
//!
//! - `policies/index.html`: every policy, with its languages, or its problems;
//! - `policies/<name>.<lang>.html`: the notice (purposes and legal bases,
//!   cookies, data, retention, sub-processors and transfers, rights, complaint
//!   authority), with the consent banner. It renders core's notice model
//!   (`assent_core::policy::notice`, the one the rights API and the "GDPR & my
//!   data" panel use) with its labels; no word of the notice is written here;
//! - `policies/<name>.html`: the default language, or the lint errors of a
//!   broken file (with file, line and column) instead of a blank page;
//! - `policies/<name>.json`: the parsed policy (canonical JSON), for tools;
//!
//! and, in every page of the site, fills its `{"policy-file":"<name>"}`
//! configuration marker from `www/policies/<name>.toml` (and its history),
//! bundles the loader (`assent-loader.js`), builds the "GDPR & my data" panel
//! and, in release builds, minifies the widget's glue (`xtask/src/glue.rs`).
//!
//! Adding a policy is dropping a file into `www/policies/`. Every text from a
//! policy is HTML-escaped: a `<script>` in a description shows as characters.

use std::fs;
use std::path::{Path, PathBuf};

use assent_core::policy::hash::{canonical_json, content_hash};
use assent_core::policy::notice::{NoticeBasis, NoticeDataRef, NoticeSubProcessor};
use assent_core::policy::parse::{check, Syntax};
use assent_core::policy::{labels, notice, Finding, LegalBasis, Notice, NoticeLabels, Policy};

use crate::root;

/// Runs `preview [--policies DIR] [--out DIR]`.
pub fn preview(args: &[String]) -> Result<(), String> {
    let mut policies = root().join("www/policies");
    let mut out = match std::env::var_os("TRUNK_STAGING_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("pkg/site"),
    }
    .join("policies");
    let mut rest = args;
    while let [flag, value, tail @ ..] = rest {
        match flag.as_str() {
            "--policies" => policies = PathBuf::from(value),
            "--out" => out = PathBuf::from(value),
            other => return Err(format!("preview: unknown option {other}")),
        }
        rest = tail;
    }
    let live_reload = std::env::var("TRUNK_PROFILE").as_deref() == Ok("debug");
    let earlier = history(&policies);
    let written = write_site(&policies, &earlier, &out, live_reload)?;
    println!("preview: {written} policy page(s) in {}", out.display());
    if let Some(site) = out.parent() {
        let configured = configure_site_pages(site, &policies, &earlier)?;
        println!("preview: configured {configured} site page(s) from their policy");
        crate::loader::build(site)?;
        crate::panel::build(site)?;
        crate::glue::trust(site)?;
        if !live_reload {
            crate::glue::minify(site)?;
        }
    }
    Ok(())
}

/// The marker a site page puts where its configuration goes:
/// `<script type="application/json" id="assent-config">{"policy-file":"pix2clip"}</script>`
/// is filled from `www/policies/pix2clip.toml` (and its history).
const POLICY_MARKER: &str = "{\"policy-file\":\"";

/// The environment variable naming the consent records endpoint of the site
/// pages' configuration (unset: no records).
pub const RECORDS_ENV: &str = "ASSENT_RECORDS";

/// Fills the configuration marker of every HTML page of `site`, those of its
/// directories included (the demo app's `app/index.html`).
fn configure_site_pages(site: &Path, policies: &Path, earlier: &[Policy]) -> Result<usize, String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let mut configured = 0;
    let mut pages = Vec::new();
    let mut dirs = vec![site.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| io(&dir, e))?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                pages.push(path);
            }
        }
    }
    for path in pages {
        let html = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let Some(start) = html.find(POLICY_MARKER) else {
            continue;
        };
        let rest = &html[start + POLICY_MARKER.len()..];
        let Some(stem_len) = rest.find("\"}") else {
            return Err(format!("{}: unterminated policy marker", path.display()));
        };
        let stem = &rest[..stem_len];
        let file = policies.join(format!("{stem}.toml"));
        let policy = crate::policy::read_policy(&file.to_string_lossy())?;
        let mut config = assent_core::policy::config::widget_config(&policy, earlier, None);
        // `cargo xtask serve` runs the ledger beside the preview and names its
        // endpoint: only then do the pages make consent records.
        if let Ok(url) = std::env::var(RECORDS_ENV) {
            config["records"] = serde_json::Value::String(url);
        }
        let json = config.to_string().replace('<', "\\u003c");
        let end = start + POLICY_MARKER.len() + stem_len + 2;
        let filled = format!("{}{json}{}", &html[..start], &html[end..]);
        fs::write(&path, filled).map_err(|e| io(&path, e))?;
        configured += 1;
    }
    Ok(configured)
}

/// One policy file and what became of it.
struct Entry {
    stem: String,
    file: String,
    result: Result<Policy, Vec<Finding>>,
}

fn write_site(
    policies: &Path,
    earlier: &[Policy],
    out: &Path,
    live_reload: bool,
) -> Result<usize, String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let mut files: Vec<PathBuf> = fs::read_dir(policies)
        .map_err(|e| io(policies, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml" || x == "json"))
        .collect();
    files.sort();
    fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let mut entries = Vec::new();
    let mut pages = 0;
    for path in files {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let file = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let source = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let result = check(&source, Syntax::of_file(&file));
        let mut write = |name: String, html: String| -> Result<(), String> {
            let target = out.join(name);
            pages += 1;
            fs::write(&target, html).map_err(|e| io(&target, e))
        };
        match &result {
            Ok(policy) => {
                for lang in &policy.languages {
                    write(
                        format!("{stem}.{lang}.html"),
                        notice_page(&stem, policy, earlier, lang, live_reload),
                    )?;
                    // A processor's DPA annex, beside its notice.
                    if let Some(html) =
                        crate::dpa_page::dpa_page(policy, earlier, lang, live_reload)
                    {
                        write(format!("{stem}.dpa.{lang}.html"), html)?;
                    }
                    // Its sub-processors and their changes, with a feed.
                    let subprocessors = crate::subprocessor_page::subprocessor_page(
                        &stem,
                        policy,
                        earlier,
                        lang,
                        live_reload,
                    );
                    if let Some(html) = subprocessors {
                        write(format!("{stem}.subprocessors.{lang}.html"), html)?;
                    }
                    let feed =
                        crate::subprocessor_page::subprocessor_feed(&stem, policy, earlier, lang);
                    if let Some(atom) = feed {
                        write(format!("{stem}.subprocessors.{lang}.atom"), atom)?;
                    }
                }
                let default = policy.languages.first().map(String::as_str).unwrap_or("en");
                write(
                    format!("{stem}.html"),
                    notice_page(&stem, policy, earlier, default, live_reload),
                )?;
                write(format!("{stem}.json"), canonical_json(policy))?;
            }
            Err(findings) => write(
                format!("{stem}.html"),
                error_page(&file, findings, live_reload),
            )?,
        }
        entries.push(Entry { stem, file, result });
    }
    let index = out.join("index.html");
    fs::write(&index, index_page(&entries, live_reload)).map_err(|e| io(&index, e))?;
    Ok(pages)
}

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `#assent-config` element of a page: the policy's widget configuration
/// (core's `policy::config`), the language forced when given. `<` is escaped so
/// no policy text can close the script element.
pub fn widget_config(policy: &Policy, earlier: &[Policy], lang: Option<&str>) -> String {
    let json = assent_core::policy::config::widget_config(policy, earlier, lang).to_string();
    format!(
        "<script type=\"application/json\" id=\"assent-config\">{}</script>\n",
        json.replace('<', "\\u003c")
    )
}

/// The loader tag a page with a consent manager carries, after its configuration.
const LOADER: &str = "<script src=\"/assent-loader.js\"></script>\n";

/// Whether a page runs the consent manager, and with which configuration.
pub(crate) enum Consent {
    /// The loader with the site's defaults (the preview's own pages).
    Site,
    /// The loader with a policy's `#assent-config` element.
    Policy(String),
    /// No consent manager: a policy with no cookie categories (a data
    /// processing agreement) has nothing to ask a visitor.
    None,
}

/// The consent manager of `policy`'s pages in `lang`.
pub(crate) fn consent_of(policy: &Policy, earlier: &[Policy], lang: &str) -> Consent {
    if policy.categories.is_empty() {
        return Consent::None;
    }
    Consent::Policy(widget_config(policy, earlier, Some(lang)))
}

/// Earlier revisions of the policies, from `<policies>/history/` (see
/// `docs/policy.md`): they tell a material change from a cosmetic one. Broken
/// files there are reported and skipped.
pub fn history(policies: &Path) -> Vec<Policy> {
    let dir = policies.join("history");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "toml" || x == "json"))
        .filter_map(|p| {
            crate::policy::read_earlier(&p.to_string_lossy())
                .map_err(|findings| eprintln!("{findings}"))
                .ok()
        })
        .collect()
}

/// A preview page; without the consent manager it has no loader and no
/// "Privacy settings" link.
pub(crate) fn page(
    lang: &str,
    title: &str,
    consent: Consent,
    body: &str,
    live_reload: bool,
) -> String {
    // In `trunk serve`, pages reload when trunk rebuilds (a policy file changed).
    let reload = if live_reload {
        "<script>new WebSocket((location.protocol==='https:'?'wss':'ws')+'://'+location.host+'/.well-known/trunk/ws').onmessage=(e)=>{if(JSON.parse(e.data).type==='reload')location.reload()};</script>\n"
    } else {
        ""
    };
    let words = labels(lang);
    let link = format!(
        "<li><a href=\"#\" data-assent-open>{}</a></li>",
        escape(words.privacy_settings)
    );
    let (config, loader, settings) = match consent {
        Consent::Site => (String::new(), LOADER, link),
        Consent::Policy(config) => (config, LOADER, link),
        Consent::None => (String::new(), "", String::new()),
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <link rel=\"stylesheet\" href=\"/site.css\">\n\
         {reload}{config}{loader}</head>\n\
         <body>\n<header class=\"site-header\"><a class=\"brand\" href=\"/policies/\">{site}</a></header>\n\
         <main id=\"main\" class=\"policy\">\n{body}</main>\n\
         <footer class=\"site-footer\"><ul><li><a href=\"/policies/\">{all}</a></li>\
         {settings}</ul></footer>\n</body>\n</html>\n",
        lang = escape(lang),
        title = escape(title),
        site = escape(words.preview_site),
        all = escape(words.all_policies),
    )
}

fn index_page(entries: &[Entry], live_reload: bool) -> String {
    let mut rows = String::new();
    for e in entries {
        let (status, links) = match &e.result {
            Ok(p) => (
                format!(
                    "revision {} of {}, {}",
                    p.revision,
                    escape(&p.effective),
                    escape(&content_hash(p)[..19])
                ),
                p.languages
                    .iter()
                    .map(|l| {
                        format!(
                            "<a href=\"{0}.{1}.html\" hreflang=\"{1}\">{1}</a>",
                            escape(&e.stem),
                            escape(l)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
                    + &dpa_links(&e.stem, p),
            ),
            Err(f) => (
                format!("<strong>{} problem(s)</strong>", f.len()),
                format!("<a href=\"{}.html\">see the errors</a>", escape(&e.stem)),
            ),
        };
        let controller = e
            .result
            .as_ref()
            .map(|p| p.controller.legal_name.as_str())
            .unwrap_or("");
        rows.push_str(&format!(
            "<tr data-policy=\"{stem}\"><td><code>{file}</code></td><td>{controller}</td><td>{status}</td><td>{links}</td></tr>\n",
            stem = escape(&e.stem),
            file = escape(&e.file),
            controller = escape(controller),
        ));
    }
    let body = format!(
        "<h1>Policies</h1>\n<p>Every file in <code>www/policies/</code>. Drop a file there to add a policy.</p>\n\
         <table data-table=\"policies\">\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Controller</th>\
         <th scope=\"col\">Status</th><th scope=\"col\">Notice</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    );
    page(
        "en",
        "Policies — Assent preview",
        Consent::Site,
        &body,
        live_reload,
    )
}

/// The links to a processor's DPA annex and sub-processor pages, after its
/// notice's; none for a controller.
fn dpa_links(stem: &str, policy: &Policy) -> String {
    if policy.processor.is_none() {
        return String::new();
    }
    let links = |page: &str| -> String {
        let links: Vec<String> = policy
            .languages
            .iter()
            .map(|l| {
                format!(
                    "<a href=\"{0}.{page}.{1}.html\" hreflang=\"{1}\">{1}</a>",
                    escape(stem),
                    escape(l)
                )
            })
            .collect();
        links.join(" · ")
    };
    format!(
        "<br>DPA annex: {}<br>Sub-processors: {}",
        links("dpa"),
        links("subprocessors")
    )
}

fn error_page(file: &str, findings: &[Finding], live_reload: bool) -> String {
    let items: String = findings
        .iter()
        .map(|f| format!("<li><code>{}</code></li>\n", escape(&f.render(file))))
        .collect();
    let body = format!(
        "<h1>{file} has problems</h1>\n<p>The policy cannot be previewed until these are fixed \
         (<code>cargo xtask policy lint {file}</code> prints the same):</p>\n<ul data-findings>\n{items}</ul>\n",
        file = escape(file)
    );
    page(
        "en",
        &format!("Problems in {file}"),
        Consent::Site,
        &body,
        live_reload,
    )
}

pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) head: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn html(&self) -> String {
        let head: String = self
            .head
            .iter()
            .map(|h| format!("<th scope=\"col\">{}</th>", escape(h)))
            .collect();
        let rows: String = self
            .rows
            .iter()
            .map(|r| {
                let cells: String = r
                    .iter()
                    .map(|c| format!("<td>{}</td>", escape(c)))
                    .collect();
                format!("<tr>{cells}</tr>\n")
            })
            .collect();
        format!(
            "<table data-table=\"{}\">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n",
            self.name
        )
    }
}

/// The notice page of `policy` in `lang`: core's notice model in that
/// language, with its labels, and the widget configured for the page.
fn notice_page(
    stem: &str,
    policy: &Policy,
    earlier: &[Policy],
    lang: &str,
    live_reload: bool,
) -> String {
    let n = notice(policy, lang);
    let l = labels(lang);
    page(
        lang,
        &format!("{} — {}", l.notice, n.controller.legal_name),
        consent_of(policy, earlier, lang),
        &notice_body(stem, &n, l),
        live_reload,
    )
}

/// The names of data categories, comma-separated.
fn data_names(refs: &[NoticeDataRef]) -> String {
    refs.iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `contract (GDPR Art. 6(1)(b))`.
fn basis_text(b: &NoticeBasis) -> String {
    format!("{} ({})", b.name, b.article)
}

/// The body of a notice page: one `data-section` per part of the notice, its
/// lists as `data-table`s.
fn notice_body(stem: &str, n: &Notice, l: &NoticeLabels) -> String {
    let c = &n.controller;
    let mut body = String::new();

    let switcher: String = n
        .languages
        .iter()
        .map(|other| {
            let current = if *other == n.lang {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a href=\"{0}.{1}.html\" hreflang=\"{1}\" lang=\"{1}\"{current}>{1}</a> ",
                escape(stem),
                escape(other)
            )
        })
        .collect();
    body.push_str(&format!(
        "<nav aria-label=\"{}\" class=\"languages\">{switcher}</nav>\n<h1>{} — {}</h1>\n",
        escape(l.languages),
        escape(l.notice),
        escape(&c.legal_name)
    ));

    let identity = [
        Some(c.legal_name.as_str()),
        // The form once: `Mailvej ApS`, not `Mailvej ApS, ApS`.
        c.form
            .as_deref()
            .filter(|form| !c.legal_name.ends_with(form)),
        c.registration.as_deref(),
        Some(c.address.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(escape)
    .collect::<Vec<_>>()
    .join(", ");
    let dpo = match &c.dpo {
        Some(dpo) => format!(
            "{}{}{name}{email}{note}",
            escape(if dpo.appointed {
                l.dpo
            } else {
                l.contact_point
            }),
            escape(l.colon),
            name = dpo
                .name
                .as_ref()
                .map(|n| format!("{}, ", escape(n)))
                .unwrap_or_default(),
            email = mailto(&dpo.email),
            note = dpo
                .note
                .as_ref()
                .map(|n| format!(" — {}", escape(n)))
                .unwrap_or_default(),
        ),
        None => format!(
            "{}{}{}",
            escape(l.dpo),
            escape(l.colon),
            escape(l.not_stated)
        ),
    };
    let email = c.email.as_deref().map_or_else(
        || {
            format!(
                "{}{}{}",
                escape(l.email),
                escape(l.colon),
                escape(l.not_stated)
            )
        },
        mailto,
    );
    body.push_str(&format!(
        "<section data-section=\"controller\"><h2>{}</h2>\n<p>{identity}. {email}</p>\n<p>{dpo}</p></section>\n",
        escape(l.role_heading(n.role)),
    ));

    let purposes = Table {
        name: "purposes",
        head: vec![l.purpose, l.basis, l.data, l.description],
        rows: n
            .purposes
            .iter()
            .map(|pu| {
                let bases = if pu.for_customers {
                    l.basis_by_customer.to_owned()
                } else {
                    pu.bases
                        .iter()
                        .map(|b| match &pu.legitimate_interest {
                            Some(interest) if b.basis == LegalBasis::LegitimateInterest => {
                                format!("{}{}{interest}", basis_text(b), l.colon)
                            }
                            _ => basis_text(b),
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                let description = pu.description.clone().unwrap_or_default();
                vec![pu.name.clone(), bases, data_names(&pu.data), description]
            })
            .collect(),
    };
    section(&mut body, "purposes", l.purposes, &purposes.html());

    let cookies = Table {
        name: "cookies",
        head: vec![l.category, l.service, l.provider, l.items],
        rows: n
            .cookies
            .iter()
            .flat_map(|cat| {
                cat.services.iter().map(|s| {
                    let items = s
                        .cookies
                        .iter()
                        .map(|k| format!("{} ({})", k.name, l.periods.name(&k.lifetime)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let name = s.name.clone().unwrap_or_else(|| s.id.clone());
                    vec![cat.name.clone(), name, s.provider.clone(), items]
                })
            })
            .collect(),
    };
    if !n.cookies.is_empty() {
        section(&mut body, "cookies", l.cookies, &cookies.html());
    }

    let data = Table {
        name: "data",
        head: vec![l.data, l.special, l.description, l.subjects, l.source],
        rows: n
            .data
            .iter()
            .map(|d| {
                vec![
                    d.name.clone(),
                    d.special_name.clone().unwrap_or_default(),
                    d.description.clone().unwrap_or_default(),
                    d.subjects.join(", "),
                    d.source.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    section(&mut body, "data", l.data_categories, &data.html());

    let retention = Table {
        name: "retention",
        head: vec![l.data, l.period, l.after, l.reference],
        rows: n
            .retention
            .iter()
            .map(|r| {
                vec![
                    data_names(&r.data),
                    r.period_phrase(l),
                    r.counted_from.clone(),
                    r.reference.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    section(&mut body, "retention", l.retention, &retention.html());

    let subprocessors = subprocessors_table(&n.subprocessors, l);
    section(
        &mut body,
        "subprocessors",
        l.subprocessors,
        &subprocessors.html(),
    );
    if !n.recipients.is_empty() {
        let recipients = Table {
            name: "recipients",
            head: vec![l.name, l.kind, l.role, l.country, l.transfer],
            rows: n
                .recipients
                .iter()
                .map(|r| {
                    let role = match &r.arrangement {
                        Some(a) => format!("{}. {}{}{a}", r.role, l.arrangement, l.colon),
                        None => r.role.clone(),
                    };
                    let name = match &r.notice_url {
                        Some(url) => format!("{} <{url}>", r.name),
                        None => r.name.clone(),
                    };
                    vec![name, r.kind_name.clone(), role, r.places(), r.safeguards(l)]
                })
                .collect(),
        };
        section(
            &mut body,
            "recipients",
            l.other_recipients,
            &recipients.html(),
        );
    }

    let rights = Table {
        name: "rights",
        head: vec![l.right, l.how, l.note],
        rows: n
            .rights
            .offered
            .iter()
            .map(|r| {
                let how = r
                    .channels
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    format!("{} ({})", r.name, r.article),
                    how,
                    r.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let extension = n
        .rights
        .extension
        .as_ref()
        .map(|e| format!(", {} {}", escape(l.extension), escape(e)))
        .unwrap_or_default();
    let rights_html = format!(
        "{}<p>{}{}{}{extension}.</p>\n",
        rights.html(),
        escape(l.response),
        escape(l.colon),
        escape(l.or_not_stated(n.rights.response_time.as_deref()))
    );
    section(&mut body, "rights", l.rights, &rights_html);

    if !n.special.is_empty() {
        let mut html = String::new();
        for s in &n.special {
            html.push_str(&format!(
                "<h3>{}</h3>\n<p>{}</p>\n<p>{}{}{} ({} {})</p>\n",
                escape(&s.name),
                escape(&s.description),
                escape(l.withdrawal),
                escape(l.colon),
                escape(&s.withdrawal),
                escape(l.deletion),
                escape(&s.deletion_deadline)
            ));
        }
        section(&mut body, "special", l.special_processing, &html);
    }

    let authority = n.authority.as_ref().map_or_else(
        || escape(l.not_stated),
        |a| {
            let url = a
                .url
                .as_ref()
                .map(|u| format!(", <a href=\"{0}\">{0}</a>", escape(u)))
                .unwrap_or_default();
            format!("{}, {}{url}", escape(&a.name), escape(&a.address))
        },
    );
    section(
        &mut body,
        "complaint",
        l.complaint,
        &format!(
            "<p>{}{}{authority}</p>\n",
            escape(l.complaint_body),
            escape(l.colon),
        ),
    );
    body
}

/// The sub-processors with their country and transfer safeguard, as the
/// notice and a processor's DPA annex list them.
pub(crate) fn subprocessors_table(subprocessors: &[NoticeSubProcessor], l: &NoticeLabels) -> Table {
    Table {
        name: "subprocessors",
        head: vec![l.name, l.role, l.country, l.transfer, l.data],
        rows: subprocessors
            .iter()
            .map(|s| {
                let data = data_names(&s.data);
                vec![
                    s.name.clone(),
                    s.role.clone(),
                    s.places(),
                    s.safeguards(l),
                    data,
                ]
            })
            .collect(),
    }
}

/// A `mailto:` link to `address`.
fn mailto(address: &str) -> String {
    format!("<a href=\"mailto:{0}\">{0}</a>", escape(address))
}

pub(crate) fn section(body: &mut String, name: &str, heading: &str, inner: &str) {
    body.push_str(&format!(
        "<section data-section=\"{name}\"><h2>{}</h2>\n{inner}</section>\n",
        escape(heading)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn policy_text_is_rendered_as_text() {
        let source = fs::read_to_string(root().join("tests/policies/minimal.toml")).unwrap();
        let mut policy = check(&source, Syntax::Toml).unwrap();
        policy.purposes[0]
            .name
            .0
            .insert("en".into(), "<script>alert(1)</script>".into());
        policy.categories[1]
            .name
            .0
            .insert("en".into(), "</script><script>alert(2)</script>".into());
        let html = notice_page("minimal", &policy, &[], "en", false);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert(1)"));
        assert!(
            !html.contains("<script>alert(2)"),
            "the widget config is escaped too"
        );
        assert!(html.contains("\\u003c/script>\\u003cscript>alert(2)"));
    }

    #[test]
    fn a_processor_notice_says_processor_and_leaves_the_basis_to_the_customer() {
        let source = fs::read_to_string(root().join("tests/policies/processor.toml")).unwrap();
        let policy = check(&source, Syntax::Toml).unwrap();
        let html = notice_page("processor", &policy, &[], "en", false);
        assert!(html.contains("<section data-section=\"controller\"><h2>Processor</h2>"));
        assert!(html
            .contains("<td>Determined by the customer, who is the controller (GDPR Art. 28)</td>"));
        assert!(html.contains("<td>contract (GDPR Art. 6(1)(b))</td>"));
    }

    #[test]
    fn a_french_notice_has_every_section_and_table_in_french() {
        let source = fs::read_to_string(root().join("www/policies/pix2clip.toml")).unwrap();
        let policy = check(&source, Syntax::Toml).unwrap();
        let html = notice_page("pix2clip", &policy, &[], "fr", false);
        for section in [
            "controller",
            "purposes",
            "cookies",
            "data",
            "retention",
            "subprocessors",
            "rights",
            "special",
            "complaint",
        ] {
            assert!(
                html.contains(&format!("<section data-section=\"{section}\">")),
                "{section}"
            );
        }
        for table in [
            "purposes",
            "cookies",
            "data",
            "retention",
            "subprocessors",
            "rights",
        ] {
            assert!(
                html.contains(&format!("<table data-table=\"{table}\">")),
                "{table}"
            );
        }
        assert!(html.contains("<h1>Politique de confidentialité — QR Communication</h1>"));
        assert!(html.contains("<th scope=\"col\">Précisions</th>"));
        assert!(html.contains("<td>exécution du contrat (RGPD, art. 6(1)(b))</td>"));
        assert!(html.contains("clauses contractuelles types 2021/914, module 2 — "));
        assert!(html.contains("<td>données biométriques</td>"));
        assert!(
            html.contains("<td>Session de connexion</td>"),
            "a service's own name"
        );
        assert!(
            html.contains("assent_consent (182 jours)"),
            "lifetimes in French"
        );
        assert!(
            !html.contains("<th scope=\"col\"></th>"),
            "no empty heading"
        );
    }

    #[test]
    fn a_processor_gets_a_dpa_annex_page_per_language_and_a_controller_none() {
        let out = std::env::temp_dir().join(format!("assent-preview-dpa-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        write_site(&root().join("tests/policies"), &[], &out, false).unwrap();
        let annex = fs::read_to_string(out.join("processor.dpa.en.html")).unwrap();
        for section in ["description", "commitments", "security", "subprocessors"] {
            assert!(
                annex.contains(&format!("<section data-section=\"{section}\">")),
                "{section}"
            );
        }
        assert!(
            annex.contains("<h1>Data processing agreement: annex — Example Analytics s.r.o.</h1>")
        );
        assert!(annex.contains("<dt>The controller is told within</dt><dd>48 hours</dd>"));
        assert!(annex.contains("<dt>Objection within</dt><dd>14 days</dd>"));
        assert!(annex.contains("<li>AES-256 encryption at rest</li>"));
        assert!(annex.contains("<td>Hoster GmbH</td>"));
        assert!(
            !annex.contains("id=\"assent-config\"") && !annex.contains("assent-loader.js"),
            "a policy with no cookie categories runs no consent manager"
        );
        assert!(!out.join("minimal.dpa.en.html").exists());
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(index.contains("<a href=\"processor.dpa.en.html\" hreflang=\"en\">en</a>"));
        let _ = fs::remove_dir_all(&out);
    }

    #[test]
    fn broken_files_get_an_error_page_and_good_ones_a_notice_per_language() {
        let out = std::env::temp_dir().join(format!("assent-preview-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        let dir = root().join("tests/policies/lint");
        write_site(&dir, &[], &out, false).unwrap();
        let syntax = fs::read_to_string(out.join("syntax.html")).unwrap();
        assert!(
            syntax.contains("tests/policies/lint/syntax.toml:4:12: syntax:"),
            "{syntax}"
        );
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(index.contains("data-policy=\"syntax\""));
        assert!(out.join("revision-not-increased.en.html").exists());
        let _ = fs::remove_dir_all(&out);
    }
}
