//! What a partner's customer downloads before the first stage shows: the `/apply` page in
//! their language and the files it names, each fetched as a browser would (brotli, gzip,
//! or neither) and counted as sent.

use std::path::Path;

use serde_json::{json, Value};

use super::http;
use super::server::Bff;
use crate::process::Result;

/// A page in each of the widget's languages, on a placement whose market offers it
/// (docs/markets.md): English on the in-principle approval in Singapore, Thai, Vietnamese
/// and Indonesian on Lead Capture, the only journey their markets take.
pub const PAGES: [Page; 9] = [
    Page::new("en", "SG", Journey::InPrincipleApproval),
    Page::new("zh-Hant", "HK", Journey::InPrincipleApproval),
    Page::new("th", "TH", Journey::LeadCapture),
    Page::new("vi", "VN", Journey::LeadCapture),
    Page::new("id", "ID", Journey::LeadCapture),
    Page::new("ms", "MY", Journey::InPrincipleApproval),
    Page::new("pl", "PL", Journey::InPrincipleApproval),
    Page::new("ru", "RU", Journey::InPrincipleApproval),
    Page::new("ar", "AE", Journey::InPrincipleApproval),
];

/// One language's page: the language tag and the placement that offers it.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub lang: &'static str,
    pub market: &'static str,
    pub journey: Journey,
}

impl Page {
    const fn new(lang: &'static str, market: &'static str, journey: Journey) -> Self {
        Self {
            lang,
            market,
            journey,
        }
    }
}

/// The journeys a placement offers, each the bench's partner of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    InPrincipleApproval,
    LeadCapture,
}

impl Journey {
    /// The bench partner offering it.
    pub fn partner(self) -> &'static str {
        match self {
            Journey::InPrincipleApproval => "bench-widget",
            Journey::LeadCapture => "bench-widget-leads",
        }
    }

    /// Its name in the partners file (`journey = …`).
    pub fn config_name(self) -> &'static str {
        match self {
            Journey::InPrincipleApproval => "in_principle_approval",
            Journey::LeadCapture => "lead_capture",
        }
    }

    /// Its name in the tables.
    pub fn label(self) -> &'static str {
        match self {
            Journey::InPrincipleApproval => "in-principle approval",
            Journey::LeadCapture => "Lead Capture",
        }
    }
}

/// How a response may be encoded, as a browser asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    const ALL: [Coding; 3] = [Coding::Identity, Coding::Gzip, Coding::Brotli];

    fn accept_encoding(self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
        }
    }
}

/// Bytes on the wire in each coding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Wire {
    fn set(&mut self, coding: Coding, bytes: u64) {
        match coding {
            Coding::Identity => self.raw = bytes,
            Coding::Gzip => self.gzip = bytes,
            Coding::Brotli => self.brotli = bytes,
        }
    }

    fn add(self, other: Wire) -> Wire {
        Wire {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }

    fn to_json(self) -> Value {
        json!({ "raw": self.raw, "gzip": self.gzip, "brotli": self.brotli })
    }
}

/// A file the page names, as served.
#[derive(Debug, Clone)]
pub struct File {
    /// Its path on the BFF, e.g. `/widget/card-widget-<hash>_bg.wasm`.
    pub path: String,
    pub wire: Wire,
    /// `Content-Encoding` of the brotli and gzip answers, for the notes.
    pub codings: (String, String),
}

/// One language's first download.
#[derive(Debug, Clone)]
pub struct Language {
    pub page: Page,
    /// The `/apply` page alone.
    pub html: Wire,
    /// The files the page names.
    pub files: Vec<String>,
    /// The page and its files.
    pub total: Wire,
}

/// Every language's first download and the files they name.
#[derive(Debug)]
pub struct Sizes {
    pub languages: Vec<Language>,
    /// Every file any page names, each counted once.
    pub files: Vec<File>,
    /// The loader script that script-tag partners include (`/embed/v<n>/embed.js`).
    pub loader: File,
}

impl Sizes {
    /// The sizes, for the JSON report.
    pub fn to_json(&self) -> Value {
        let file = |f: &File| {
            json!({
                "path": f.path,
                "bytes": f.wire.to_json(),
                "content_encoding": { "brotli": f.codings.0, "gzip": f.codings.1 },
            })
        };
        json!({
            "languages": self.languages.iter().map(|l| json!({
                "lang": l.page.lang,
                "market": l.page.market,
                "journey": l.page.journey.config_name(),
                "page": l.html.to_json(),
                "files": l.files,
                "first_download": l.total.to_json(),
            })).collect::<Vec<_>>(),
            "files": self.files.iter().map(file).collect::<Vec<_>>(),
            "loader": file(&self.loader),
        })
    }
}

/// Fetches every language's page and what it names, in each coding, and the loader the
/// partners' guide under `root` publishes.
pub fn measure(bff: &Bff, pages: &[Page], root: &Path) -> Result<Sizes> {
    let mut files: Vec<File> = Vec::new();
    let mut languages = Vec::new();
    for &page in pages {
        let url = bff.apply_url(&page);
        let mut html = Wire::default();
        let mut named = Vec::new();
        for coding in Coding::ALL {
            let response = fetch(&url, coding)?;
            html.set(coding, response.body.len() as u64);
            if coding == Coding::Identity {
                let text = response.text();
                let expected = format!("lang=\"{}\"", page.lang);
                if !text.contains(&expected) {
                    return Err(format!(
                        "{url} is not in {}: its page lacks {expected}",
                        page.lang
                    ));
                }
                named = asset_paths(&text);
            }
        }
        for kind in ["js", "wasm", "css"] {
            if !named.iter().any(|path| path.ends_with(&format!(".{kind}"))) {
                return Err(format!("the page at {url} names no .{kind} file"));
            }
        }
        let mut total = html;
        for path in &named {
            let file = match files.iter().find(|f| &f.path == path) {
                Some(file) => file.clone(),
                None => {
                    let file = measure_file(&bff.origin, path)?;
                    files.push(file.clone());
                    file
                }
            };
            total = total.add(file.wire);
        }
        languages.push(Language {
            page,
            html,
            files: named,
            total,
        });
    }
    let loader = measure_file(&bff.origin, &loader_path(root)?)?;
    Ok(Sizes {
        languages,
        files,
        loader,
    })
}

/// The loader's path, as the partners' guide (docs/partners.md) tells partners to include
/// it: the current version, whatever its number.
fn loader_path(root: &Path) -> Result<String> {
    let guide_path = root.join("docs/partners.md");
    let guide = std::fs::read_to_string(&guide_path)
        .map_err(|e| format!("cannot read {}: {e}", guide_path.display()))?;
    let path = files_under(&guide, "/embed/").next().map(str::to_owned);
    path.ok_or_else(|| format!("{} names no /embed/ loader", guide_path.display()))
}

fn measure_file(origin: &str, path: &str) -> Result<File> {
    let url = format!("{origin}{path}");
    let mut wire = Wire::default();
    let mut codings = (String::new(), String::new());
    for coding in Coding::ALL {
        let response = fetch(&url, coding)?;
        wire.set(coding, response.body.len() as u64);
        let served = response
            .header("content-encoding")
            .unwrap_or("identity")
            .to_owned();
        match coding {
            Coding::Brotli => codings.0 = served,
            Coding::Gzip => codings.1 = served,
            Coding::Identity => {}
        }
    }
    Ok(File {
        path: path.to_owned(),
        wire,
        codings,
    })
}

fn fetch(url: &str, coding: Coding) -> Result<http::Response> {
    let response = http::get(url, &[("Accept-Encoding", coding.accept_encoding())])?;
    if response.status != 200 {
        return Err(format!(
            "{url} answered {}: {}",
            response.status,
            response.text()
        ));
    }
    Ok(response)
}

/// The widget's and theme's files a page names (`/widget/…`, `/theme/…`), in order, once
/// each: the stylesheet, the JS it preloads and imports, the wasm.
pub fn asset_paths(html: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for path in files_under(html, "/widget/").chain(files_under(html, "/theme/")) {
        if !paths.iter().any(|p| p == path) {
            paths.push(path.to_owned());
        }
    }
    paths
}

/// The paths of files (a name with a dot) under `folder` that `text` names, in attributes
/// quoted or not, or in script strings.
fn files_under<'a>(text: &'a str, folder: &'a str) -> impl Iterator<Item = &'a str> {
    text.match_indices(folder).filter_map(|(start, _)| {
        let rest = &text[start..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "'\"<>`)".contains(c))
            .unwrap_or(rest.len());
        let path = &rest[..end];
        let name = path.rsplit('/').next().unwrap_or_default();
        name.contains('.').then_some(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_a_page_names_are_found_once_each() {
        // As trunk's minifier writes the page, with the BFF's theme link added.
        let page = "<!doctype html><html lang=en><script type=module>import init, * as b from '/widget/w-1.js';\n\
            const wasm = await init({ module_or_path: '/widget/w-1_bg.wasm' });</script>\
            <link href=/widget/widget-2.css integrity=sha384-x rel=stylesheet>\
            <link crossorigin href=/widget/w-1.js rel=modulepreload>\
            <link as=fetch href=/widget/w-1_bg.wasm rel=preload type=application/wasm>\
            <link rel=\"stylesheet\" href=\"/theme/demo-travel/3.css\"></head>\
            <p>see /widget/ for more</p>";
        assert_eq!(
            files_under(
                "<script src=\"http://h/embed/v2/embed.js\" integrity=x>",
                "/embed/"
            )
            .collect::<Vec<_>>(),
            ["/embed/v2/embed.js"]
        );
        assert_eq!(
            asset_paths(page),
            [
                "/widget/w-1.js",
                "/widget/w-1_bg.wasm",
                "/widget/widget-2.css",
                "/theme/demo-travel/3.css"
            ]
        );
    }

    #[test]
    fn the_loader_is_the_one_the_partners_guide_publishes() {
        let path = loader_path(&crate::repo_root()).unwrap();
        assert!(
            path.starts_with("/embed/v") && path.ends_with("/embed.js"),
            "{path}"
        );
    }

    #[test]
    fn every_page_is_a_different_language() {
        let mut langs: Vec<&str> = PAGES.iter().map(|p| p.lang).collect();
        langs.sort_unstable();
        langs.dedup();
        assert_eq!(langs.len(), PAGES.len());
        assert_eq!(PAGES[0].lang, "en", "English leads: its target is checked");
    }
}
