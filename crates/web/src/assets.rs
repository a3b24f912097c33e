//! Static assets, embedded in the binary so that a fresh clone runs without Node.
//! Built from govuk-frontend by `npm run build:assets`.

use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::OnceLock;

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "alongside.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/alongside.css"),
    ),
    (
        "govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/govuk-frontend.min.js"),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/init.js"),
    ),
    (
        "app.mjs",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.mjs"),
    ),
    (
        "cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/cytoscape.min.js"),
    ),
    (
        "network.mjs",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/network.mjs"),
    ),
    (
        "favicon.ico",
        "image/x-icon",
        include_bytes!("../assets/favicon.ico"),
    ),
];

/// One embedded file, with its ETag and (for text) its gzip form, made once.
struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
    /// The first 16 hex digits of its SHA-256, quoted as an ETag wants.
    tag: String,
    gzip: Option<Vec<u8>>,
}

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, mime, body)| {
                let digest = Sha256::digest(body);
                let gzip = mime.starts_with("text/").then(|| {
                    let mut e = GzEncoder::new(Vec::new(), Compression::best());
                    // Writing to memory cannot fail.
                    let _ = e.write_all(body);
                    e.finish().unwrap_or_default()
                });
                Asset {
                    name,
                    mime,
                    body,
                    tag: hex::encode(&digest[..8]),
                    gzip,
                }
            })
            .collect()
    })
}

/// The address of an embedded file with its version ("/assets/alongside.css?v=…"), for
/// pages to link: a versioned address may be cached for a year, since a new build gives
/// a new one.
pub fn url(name: &str) -> String {
    match assets().iter().find(|a| a.name == name) {
        Some(a) => format!("/assets/{name}?v={}", a.tag),
        None => format!("/assets/{name}"),
    }
}

/// An embedded file: gzip when the browser takes it, an ETag (304 when it has it), and a
/// year's caching for the versioned address pages link (an hour, then revalidation, for
/// the plain one modules import).
pub async fn serve(
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match assets().iter().find(|a| a.name == file) {
        Some(a) => respond(a, query.as_deref(), &headers),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// `/favicon.ico`, which browsers ask for on every page.
pub async fn favicon(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    match assets().iter().find(|a| a.name == "favicon.ico") {
        Some(a) => respond(a, query.as_deref(), &headers),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(a: &Asset, query: Option<&str>, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", a.tag);
    let versioned = query.is_some_and(|q| q == format!("v={}", a.tag));
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600, must-revalidate"
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_string()),
                (header::VARY, "Accept-Encoding".to_string()),
            ],
        )
            .into_response();
    }
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some("gzip") && !e.contains("q=0"))
        });
    let mut res = match (&a.gzip, gzip_ok) {
        (Some(z), true) => {
            let mut r = z.clone().into_response();
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        _ => a.body.into_response(),
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}
