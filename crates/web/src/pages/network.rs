//! The network picture: the hub's (managers, police partners) or one family's (those who
//! hold it) people of concern, phones, vehicles, accounts, places and children, linked
//! through the families they were recorded for. A ranked table works without JavaScript;
//! with it, `network.mjs` draws the same graph with Cytoscape. Exports for analysts:
//! GraphML, Gephi node and edge CSVs, and an i2 Analyst's Notebook link CSV.

use super::{parse_id, render, render_invalid};
use crate::auth::{Chrome, Viewer};
use crate::error::AppError;
use crate::forms::{Choice, FormData, FormView};
use crate::AppState;
use alongside_domain::audit::{AuditAction, AuditRecord};
use alongside_domain::clock::{uk_local, uk_today};
use alongside_domain::ids::*;
use alongside_domain::information::ItemKind;
use alongside_domain::roles::Capability;
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_network::{Graph, Node, Observation};
use alongside_store::AuditEvent;
use alongside_store::PersonMerge;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

/// The filter as typed: a date range and the kinds to show (none ticked: all).
struct Filter {
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    kinds: Vec<ItemKind>,
    data: FormData,
    errors: FieldErrors,
}

fn filter(query: Option<String>) -> Filter {
    let data = FormData::parse(query.unwrap_or_default().as_bytes());
    let mut errors = FieldErrors::new();
    let (from, to) = super::validate::date_range(&mut errors, &data, uk_today(Utc::now()));
    let kinds = data
        .all("kind")
        .into_iter()
        .filter_map(|k| {
            alongside_domain::validate::code::<ItemKind>(&mut errors, "kind", "A kind", k, false)
        })
        .collect();
    Filter {
        from,
        to,
        kinds,
        data,
        errors,
    }
}

/// How a family is named in the picture: by name to those who may see it, otherwise by
/// a reference the hub's manager can resolve.
fn family_label(id: FamilyId, name: &Option<String>) -> String {
    match name {
        Some(n) => n.clone(),
        None => format!("Family ref. F-{id}"),
    }
}

async fn graph_for(
    state: &AppState,
    viewer: &Viewer,
    family: Option<FamilyId>,
    f: &Filter,
) -> Result<Graph, AppError> {
    let rows = state
        .store
        .network_rows(&viewer.actor, family, f.from, f.to)
        .await?;
    let merges: Vec<(String, String)> = state
        .store
        .person_merges(&viewer.actor)
        .await?
        .into_iter()
        .filter(|m| m.active())
        .map(|m| (m.name_a, m.name_b))
        .collect();
    let mut observations: Vec<Observation> = rows
        .iter()
        .filter_map(|r| {
            let day = uk_local(r.recorded_at).date();
            let in_range = f.from.is_none_or(|d| day >= d) && f.to.is_none_or(|d| day <= d);
            let wanted = f.kinds.is_empty() || f.kinds.contains(&r.kind);
            (in_range && wanted).then(|| Observation {
                family_id: r.family_id.get(),
                family_label: family_label(r.family_id, &r.family_name),
                source_type: r.source_type.clone(),
                source_id: r.source_id,
                kind: r.kind.code().to_string(),
                value: r.value.clone(),
                label: r.kind.display(&r.value),
                date: day.format("%Y-%m-%d").to_string(),
                provenance: match (r.recorder_role, r.how_known) {
                    (Some(role), Some(how)) => {
                        format!(
                            "{}: {}",
                            role.label().to_lowercase(),
                            how.label().to_lowercase()
                        )
                    }
                    (Some(role), None) => role.label().to_lowercase(),
                    _ => String::new(),
                },
            })
        })
        .collect();
    if !viewer.actor.role().sees_families() {
        opaque(&mut observations);
    }
    alongside_network::apply_merges(&mut observations, &merges);
    Ok(Graph::build(&observations))
}

/// For police partners: families and records numbered within this picture only, so that
/// nothing in it (nor in its exports) can be tied to a family, a record id or a
/// submission; what links families is kept exactly.
fn opaque(observations: &mut [Observation]) {
    use std::collections::BTreeMap;
    let mut families: BTreeMap<i64, i64> = BTreeMap::new();
    let mut sources: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for o in observations.iter() {
        families.insert(o.family_id, 0);
        sources.insert((o.source_type.clone(), o.source_id), 0);
    }
    for (n, v) in families.values_mut().enumerate() {
        *v = n as i64 + 1;
    }
    for (n, v) in sources.values_mut().enumerate() {
        *v = n as i64 + 1;
    }
    for o in observations.iter_mut() {
        o.family_id = families[&o.family_id];
        o.family_label = format!("Family {}", o.family_id);
        o.source_id = sources[&(o.source_type.clone(), o.source_id)];
    }
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    chrome: Chrome,
    heading: String,
    action: String,
    json_url: String,
    exports: bool,
    query: String,
    form: FormView,
    kinds: Vec<Choice>,
    ranked: Vec<Node>,
    families: usize,
    links: usize,
    /// Every link, for reading without the drawing (and without JavaScript).
    link_rows: Vec<LinkRow>,
    /// Names of the people in the picture, for the merge form (hub view only).
    people: Vec<Choice>,
    merges: Vec<PersonMerge>,
    merge_form: FormView,
}

fn kind_label(kind: &str) -> String {
    if kind == "family" {
        return "Family".into();
    }
    ItemKind::parse(kind)
        .map(|k| k.label().to_string())
        .unwrap_or_else(|| kind.to_string())
}

/// One link of the picture: a family and what was recorded for it.
pub struct LinkRow {
    pub family: String,
    pub kind: String,
    pub item: String,
    pub records: usize,
    pub first_seen: String,
    pub last_seen: String,
}

/// The links of a picture, the most recorded first.
fn link_rows(g: &Graph) -> Vec<LinkRow> {
    let by_id: std::collections::HashMap<&str, &Node> =
        g.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut rows: Vec<LinkRow> = g
        .edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (by_id.get(e.source.as_str())?, by_id.get(e.target.as_str())?);
            let (fam, item) = if a.kind == "family" { (a, b) } else { (b, a) };
            Some(LinkRow {
                family: fam.label.clone(),
                kind: kind_label(&item.kind),
                item: item.label.clone(),
                records: e.weight,
                first_seen: e.first_seen.clone(),
                last_seen: e.last_seen.clone(),
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        y.records
            .cmp(&x.records)
            .then(x.item.cmp(&y.item))
            .then(x.family.cmp(&y.family))
    });
    rows.truncate(500);
    rows
}

/// The merges of the hub and the merge form as typed (hub view only).
struct MergeState {
    merges: Vec<PersonMerge>,
    form: FormView,
}

fn page(
    state: &AppState,
    viewer: &Viewer,
    family: Option<(FamilyId, String)>,
    f: Filter,
    g: Option<Graph>,
    m: MergeState,
) -> Result<Response, AppError> {
    let mut data = f.data.clone();
    data.0
        .retain(|(k, _)| !matches!(k.as_str(), "page" | "a" | "b"));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(data.0.iter())
        .finish();
    let (heading, action, nav) = match &family {
        Some((id, name)) => (
            format!("Network: {name}"),
            format!("/families/{id}/network"),
            "/families",
        ),
        None => (
            "Network picture".to_string(),
            "/network".to_string(),
            "/network",
        ),
    };
    let g = g.unwrap_or_default();
    let mut people: Vec<String> = g
        .nodes
        .iter()
        .filter(|n| n.kind == "person")
        .flat_map(|n| {
            // A merged node's id holds one name; its other names come from the merges.
            let first = n.id.trim_start_matches("person:").to_string();
            std::iter::once(first)
        })
        .chain(
            m.merges
                .iter()
                .filter(|x| x.active())
                .flat_map(|x| [x.name_a.clone(), x.name_b.clone()]),
        )
        .collect();
    people.sort();
    people.dedup();
    let t = NetworkPage {
        chrome: viewer.chrome(nav, state.config.demo),
        json_url: format!("{action}/graph.json?{query}"),
        exports: family.is_none(),
        heading,
        action,
        query,
        kinds: Choice::all::<ItemKind>(),
        families: g.nodes.iter().filter(|n| n.kind == "family").count(),
        links: g.edges.len(),
        link_rows: link_rows(&g),
        ranked: g.ranked().into_iter().take(100).cloned().collect(),
        people: people
            .into_iter()
            .map(|v| Choice {
                label: v.clone(),
                value: v,
            })
            .collect(),
        merges: m.merges,
        merge_form: m.form,
        form: FormView::new(f.data, f.errors),
    };
    if t.form.has_errors() || t.merge_form.has_errors() {
        render_invalid(&t)
    } else {
        render(&t)
    }
}

pub(crate) async fn hub_page(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewNetwork)?;
    let f = filter(q);
    // A similar-name alert links here with the two names, to fill in the merge form.
    let prefill = FormData::from_pairs(&[("a", f.data.get("a")), ("b", f.data.get("b"))]);
    hub_view(
        &state,
        &viewer,
        f,
        FormView::new(prefill, FieldErrors::new()),
    )
    .await
}

async fn hub_view(
    state: &AppState,
    viewer: &Viewer,
    f: Filter,
    merge_form: FormView,
) -> Result<Response, AppError> {
    let g = if f.errors.is_empty() {
        Some(graph_for(state, viewer, None, &f).await?)
    } else {
        None
    };
    let merges = state.store.person_merges(&viewer.actor).await?;
    page(
        state,
        viewer,
        None,
        f,
        g,
        MergeState {
            merges,
            form: merge_form,
        },
    )
}

/// A manager or police partner judges two names to be one person of concern.
pub(crate) async fn merge(
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewNetwork)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let a = data.get("a").trim().to_string();
    let b = data.get("b").trim().to_string();
    if a.is_empty() {
        e.add("a", "Choose the first person");
    }
    if b.is_empty() {
        e.add("b", "Choose the second person");
    }
    if !a.is_empty() && a == b {
        e.add("b", "Choose two different people");
    }
    let reason = alongside_domain::validate::required_text(
        &mut e,
        "reason",
        "Why they are one person",
        data.get("reason"),
        2_000,
    );
    if e.is_empty() {
        match state
            .store
            .merge_people(&viewer.actor, &a, &b, &reason, Utc::now())
            .await
        {
            Ok(_) => return Ok(viewer.after_save("/network", "merged")),
            Err(alongside_store::StoreError::Conflict(m)) => e.add("b", m),
            Err(alongside_store::StoreError::NotFound) => {
                e.add("a", "Choose people recorded in this hub")
            }
            Err(other) => return Err(other.into()),
        }
    }
    hub_view(&state, &viewer, filter(None), FormView::new(data, e)).await
}

/// Undoes a merge, with the reason; the merge stays on record, marked undone.
pub(crate) async fn unmerge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewNetwork)?;
    let id = parse_id(&id)?;
    let data = FormData::parse(&body);
    let mut e = FieldErrors::new();
    let field = format!("unmerge-reason-{id}");
    let reason = alongside_domain::validate::required_text(
        &mut e,
        &field,
        "Why they are not one person",
        data.get("reason"),
        2_000,
    );
    if e.is_empty() {
        state
            .store
            .unmerge_people(&viewer.actor, id, &reason, Utc::now())
            .await?;
        return Ok(viewer.after_save("/network", "unmerged"));
    }
    hub_view(&state, &viewer, filter(None), FormView::new(data, e)).await
}

pub(crate) async fn family_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let name = super::families::family_name(&state, &viewer, id).await?;
    let f = filter(q);
    let g = if f.errors.is_empty() {
        Some(graph_for(&state, &viewer, Some(id), &f).await?)
    } else {
        None
    };
    let none = MergeState {
        merges: Vec::new(),
        form: FormView::default(),
    };
    page(&state, &viewer, Some((id, name)), f, g, none)
}

/// The graph as Cytoscape reads it.
fn graph_json(g: &Graph) -> Response {
    let nodes: Vec<serde_json::Value> = g
        .nodes
        .iter()
        .map(|n| serde_json::json!({"data": {"id": n.id, "label": n.label, "kind": n.kind, "degree": n.degree, "betweenness": n.betweenness}}))
        .collect();
    let edges: Vec<serde_json::Value> = g
        .edges
        .iter()
        .map(|e| serde_json::json!({"data": {"source": e.source, "target": e.target, "weight": e.weight}}))
        .collect();
    axum::Json(serde_json::json!({"nodes": nodes, "edges": edges})).into_response()
}

pub(crate) async fn hub_json(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewNetwork)?;
    let f = filter(q);
    if !f.errors.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(graph_json(&graph_for(&state, &viewer, None, &f).await?))
}

pub(crate) async fn family_json(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require_families()?;
    let id = parse_id(&id)?;
    let f = filter(q);
    if !f.errors.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(graph_json(&graph_for(&state, &viewer, Some(id), &f).await?))
}

pub(crate) async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, AppError> {
    viewer.require(Capability::ViewNetwork)?;
    let f = filter(q);
    if !f.errors.is_empty() {
        return Err(AppError::NotFound);
    }
    let g = graph_for(&state, &viewer, None, &f).await?;
    let (body, mime) = match file.as_str() {
        "network.graphml" => (g.to_graphml(), "application/graphml+xml; charset=utf-8"),
        "gephi-nodes.csv" => (g.to_gephi().0, "text/csv; charset=utf-8"),
        "gephi-edges.csv" => (g.to_gephi().1, "text/csv; charset=utf-8"),
        "i2-links.csv" => (g.to_i2_csv(), "text/csv; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    state
        .store
        .record_audit(
            &viewer.actor,
            &AuditEvent::new(AuditAction::Export, AuditRecord::Network, None, None),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"alongside-{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Words for a node's kind, for the table.
pub fn node_kind(n: &Node) -> String {
    kind_label(&n.kind)
}
