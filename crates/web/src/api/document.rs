//! The OpenAPI document: its base (title, security), completed from the route table's
//! paths (tags, summaries, every error status as an RFC 9457 problem), the constraints a
//! schema can state of the API's rules, and what Redocly's recommended rules ask.

use super::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Alongside API", version = "1", description = "Families, referrals, contacts and chronologies of a hub. Every call acts as a person, with that person's role and hub; another hub's records answer 404 like records that do not exist."),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// Completes the document the route table built: every operation gets a tag (its part of
/// the API) and a summary, and every status it can answer with is described (401 without
/// a token or session, 403 for a role that may not, 404 for a record that is not there or
/// not the caller's, 409 and 422 for writes), each an RFC 9457 problem; and signing in
/// with the browser's session cookie is described beside the bearer token.
pub(crate) fn complete_document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::Content;
    use utoipa::openapi::{RefOr, ResponseBuilder};
    let problem = |what: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/problem+json",
                    Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        "ApiErrorBody",
                    )))),
                )
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let part = path
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".json")
            .to_string();
        let tag = match part.as_str() {
            "openapi" => "Document".to_string(),
            "me" => "Caller".to_string(),
            p => {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        };
        let public = path == "/api/v1/openapi.json";
        let has_id = path.contains('{');
        for (method, op) in [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
        ] {
            let Some(op) = op else { continue };
            if op
                .tags
                .as_ref()
                .is_none_or(|t| t.is_empty() || t == &["crate".to_string()])
            {
                op.tags = Some(vec![tag.clone()]);
            }
            if op.summary.as_deref().is_none_or(str::is_empty) {
                let from_id = op
                    .operation_id
                    .clone()
                    .unwrap_or_default()
                    .replace('_', " ");
                let mut c = from_id.chars();
                op.summary = Some(
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default(),
                );
            }
            let r = &mut op.responses.responses;
            // Errors are problems (RFC 9457), whatever the handler's annotation says.
            for (status, resp) in r.iter_mut() {
                if status.as_str() >= "400" {
                    if let RefOr::T(resp) = resp {
                        if let Some(c) = resp.content.shift_remove("application/json") {
                            resp.content.insert("application/problem+json".into(), c);
                        }
                    }
                }
            }
            if !public {
                r.entry("401".into()).or_insert_with(|| problem("Not signed in: send a bearer token, or the session cookie with X-CSRF-Token"));
                r.entry("403".into())
                    .or_insert_with(|| problem("The caller's role may not do this"));
            }
            if has_id {
                r.entry("404".into()).or_insert_with(|| {
                    problem("No such record, or not the caller's (another hub's answers the same)")
                });
            }
            // A query that does not read (a page out of range, a date that is not one).
            let has_query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
            });
            let r = &mut op.responses.responses;
            if has_query {
                r.entry("400".into())
                    .or_insert_with(|| problem("The query is not valid"));
                r.entry("422".into())
                    .or_insert_with(|| problem("A value in the query needs correcting"));
            }
            if matches!(method, "post" | "put") {
                r.entry("400".into())
                    .or_insert_with(|| problem("The body is not valid JSON for this call"));
                r.entry("409".into())
                    .or_insert_with(|| problem("The record's state refuses this"));
                r.entry("422".into())
                    .or_insert_with(|| problem("Some fields need correcting; nothing was saved"));
            }
        }
    }
    constrain_strings(doc);
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "alongside_session",
            "The browser's session after signing in at /login; writes also need the X-CSRF-Token header.",
        ))),
    );
    if let Some(sec) = doc.security.as_mut() {
        sec.push(SecurityRequirement::new("session", Vec::<String>::new()));
    }
}

/// What the API refuses in every string, and reads of every date, said in the schemas
/// (issue 11: "a schema-valid request is accepted"): no control character other than tab
/// and line breaks (`validate::control_characters`), and a date is `YYYY-MM-DD` in the
/// years the API reads, 1900 to 2200 (`validate::iso_date`, and `api_date`: never
/// empty); a time is `HH:MM` (`api_time`). Written once here rather than beside every field, so that no field is missed.
fn constrain_strings(doc: &mut utoipa::openapi::OpenApi) {
    const NO_CONTROLS: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
    const DATE: &str = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
    const TIME: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    fn walk(v: &mut serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                let is_string = match m.get("type") {
                    Some(Value::String(t)) => t == "string",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                    _ => false,
                };
                let is_time = m
                    .get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| d.starts_with("HH:MM"));
                if is_string && !m.contains_key("enum") && !m.contains_key("pattern") {
                    match m.get("format").and_then(Value::as_str) {
                        None if is_time => {
                            m.insert("pattern".into(), TIME.into());
                        }
                        Some("date") => {
                            m.insert("pattern".into(), DATE.into());
                        }
                        Some(_) => {}
                        None => {
                            m.insert("pattern".into(), NO_CONTROLS.into());
                        }
                    }
                }
                m.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut v) = serde_json::to_value(&*doc) else {
        return;
    };
    // Only what callers send: parameters and request bodies, and the schemas they refer
    // to (answers may quote what was sent, an unknown field's name say, escaped).
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.push(name.to_string());
                    }
                }
                m.values().for_each(|c| refs(c, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    if let Some(paths) = v["paths"].as_object_mut() {
        for op in paths
            .values_mut()
            .filter_map(|i| i.as_object_mut())
            .flat_map(|i| i.values_mut())
        {
            for part in ["parameters", "requestBody"] {
                if let Some(p) = op.get_mut(part) {
                    walk(p);
                    refs(p, &mut todo);
                }
            }
        }
    }
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = v["components"]["schemas"].get_mut(&name) {
            walk(schema);
            refs(schema, &mut todo);
        }
    }
    lint_clean(&mut v);
    if let Ok(constrained) = serde_json::from_value(v) {
        *doc = constrained;
    }
}

/// What Redocly's recommended rules ask of the document beside its operations: a server
/// (this one: the paths are absolute), a licence with its SPDX identifier, and no schema
/// left in the components that nothing refers to (utoipa writes a generic page's items
/// inline, leaving their named schemas unused).
fn lint_clean(v: &mut serde_json::Value) {
    use serde_json::{json, Value};
    v["servers"] = json!([{ "url": "/", "description": "This Alongside" }]);
    v["info"]["license"] =
        json!({ "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" });
    fn refs(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.insert(name.to_string());
                    }
                }
                m.values().for_each(|c| refs(c, out));
            }
            Value::Array(items) => items.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    // Used: referred to from outside the schemas, or from a schema that is used.
    let schemas = v["components"]["schemas"].take();
    let mut used = std::collections::BTreeSet::new();
    refs(v, &mut used);
    let mut todo: Vec<String> = used.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        let mut more = std::collections::BTreeSet::new();
        refs(&schemas[&name], &mut more);
        for m in more {
            if used.insert(m.clone()) {
                todo.push(m);
            }
        }
    }
    let kept: serde_json::Map<String, Value> = schemas
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| used.contains(*k))
        .map(|(k, s)| (k.clone(), s.clone()))
        .collect();
    v["components"]["schemas"] = Value::Object(kept);
}

/// The document's title, description and security; its paths are added from the route
/// table (`crate::routes`), from each handler's `#[utoipa::path]`.
pub(crate) fn document_base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document, as the route table built it.
pub(crate) async fn openapi(
    Extension(doc): Extension<std::sync::Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(doc.as_ref().clone())
}
