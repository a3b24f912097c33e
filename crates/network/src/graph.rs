//! The network picture: families, people of concern, phones, vehicles, accounts, places
//! and children as a graph built from the identifiers recorded in entries and incidents;
//! the most connected nodes ranked by degree and betweenness (Brandes' algorithm, as in
//! Cockbain's analysis of grooming networks); and exports for police analysts (GraphML,
//! Gephi node and edge CSVs, and an i2 Analyst's Notebook link CSV). Every node and edge
//! carries its sources and dates.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;

use crate::csv::spreadsheet_csv;

/// One identifier recorded in one record of one family: the graph's raw material.
#[derive(Debug, Clone)]
pub struct Observation {
    pub family_id: i64,
    /// How the family is named in this graph (a name for managers, a reference for police).
    pub family_label: String,
    /// "entry" or "incident".
    pub source_type: String,
    pub source_id: i64,
    /// "vehicle", "phone", "email", "handle", "postcode", "person", "place", "child".
    pub kind: String,
    /// Normalised value (what makes two observations the same node).
    pub value: String,
    /// How it is shown.
    pub label: String,
    /// The day it was recorded (ISO date).
    pub date: String,
    /// Who recorded it and how they know, in words, without naming them ("parent or
    /// carer: I saw it myself").
    pub provenance: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable id: "family:12", "vehicle:AB12CDE".
    pub id: String,
    pub kind: String,
    pub label: String,
    pub degree: usize,
    /// Normalised betweenness in [0, 1].
    pub betweenness: f64,
    pub first_seen: String,
    pub last_seen: String,
    /// "entry 4", "incident 9", in order.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: String,
    pub target: String,
    /// How many records link the two.
    pub weight: usize,
    pub first_seen: String,
    pub last_seen: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Sorted by id.
    pub nodes: Vec<Node>,
    /// Sorted by (source, target).
    pub edges: Vec<Edge>,
}

#[derive(Default)]
struct Acc {
    kind: String,
    label: String,
    dates: BTreeSet<String>,
    sources: BTreeSet<(String, i64, String)>,
}

fn source_words(s: &BTreeSet<(String, i64, String)>) -> Vec<String> {
    s.iter()
        .map(|(t, id, how)| {
            if how.is_empty() {
                format!("{t} {id}")
            } else {
                format!("{t} {id} ({how})")
            }
        })
        .collect()
}

impl Graph {
    /// Builds the graph: a node per family and per distinct identifier, an edge between a
    /// family and each identifier recorded for it. Identifiers shared by two families are
    /// what connect them.
    pub fn build(observations: &[Observation]) -> Graph {
        let mut nodes: BTreeMap<String, Acc> = BTreeMap::new();
        let mut edges: BTreeMap<(String, String), Acc> = BTreeMap::new();
        for o in observations {
            let fam = format!("family:{}", o.family_id);
            let item = format!("{}:{}", o.kind, o.value);
            let src = (o.source_type.clone(), o.source_id, o.provenance.clone());
            for (id, kind, label) in [
                (&fam, "family", &o.family_label),
                (&item, o.kind.as_str(), &o.label),
            ] {
                let n = nodes.entry(id.clone()).or_default();
                n.kind = kind.to_string();
                if n.label.is_empty() {
                    n.label = label.clone();
                }
                n.dates.insert(o.date.clone());
                n.sources.insert(src.clone());
            }
            let key = if fam < item { (fam, item) } else { (item, fam) };
            let e = edges.entry(key).or_default();
            e.dates.insert(o.date.clone());
            e.sources.insert(src);
        }
        let ids: Vec<&String> = nodes.keys().collect();
        let index: HashMap<&String, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut adjacency = vec![Vec::new(); ids.len()];
        for (a, b) in edges.keys() {
            let (i, j) = (index[a], index[b]);
            adjacency[i].push(j);
            adjacency[j].push(i);
        }
        let between = betweenness(&adjacency);
        let nodes_out = nodes
            .iter()
            .enumerate()
            .map(|(i, (id, a))| Node {
                id: id.clone(),
                kind: a.kind.clone(),
                label: a.label.clone(),
                degree: adjacency[i].len(),
                betweenness: between[i],
                first_seen: a.dates.first().cloned().unwrap_or_default(),
                last_seen: a.dates.last().cloned().unwrap_or_default(),
                sources: source_words(&a.sources),
            })
            .collect();
        let edges_out = edges
            .into_iter()
            .map(|((s, t), a)| Edge {
                source: s,
                target: t,
                weight: a.sources.len(),
                first_seen: a.dates.first().cloned().unwrap_or_default(),
                last_seen: a.dates.last().cloned().unwrap_or_default(),
                sources: source_words(&a.sources),
            })
            .collect();
        Graph {
            nodes: nodes_out,
            edges: edges_out,
        }
    }

    /// Nodes other than families, most connected first (degree, then betweenness).
    pub fn ranked(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.nodes.iter().filter(|n| n.kind != "family").collect();
        v.sort_by(|a, b| {
            b.degree
                .cmp(&a.degree)
                .then(b.betweenness.total_cmp(&a.betweenness))
                .then(a.id.cmp(&b.id))
        });
        v
    }

    /// GraphML (graphml.graphdrawing.org), undirected, with every attribute declared.
    pub fn to_graphml(&self) -> String {
        let mut s = String::new();
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
        for (id, on, name, ty) in [
            ("n_identity", "node", "identity", "string"),
            ("n_kind", "node", "kind", "string"),
            ("n_label", "node", "label", "string"),
            ("n_degree", "node", "degree", "int"),
            ("n_betweenness", "node", "betweenness", "double"),
            ("n_first", "node", "first_seen", "string"),
            ("n_last", "node", "last_seen", "string"),
            ("n_sources", "node", "sources", "string"),
            ("e_weight", "edge", "weight", "int"),
            ("e_first", "edge", "first_seen", "string"),
            ("e_last", "edge", "last_seen", "string"),
            ("e_sources", "edge", "sources", "string"),
        ] {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        s.push_str("  <graph id=\"alongside\" edgedefault=\"undirected\">\n");
        // Node ids must be XML names (the GraphML schema says so): numbered, with the
        // identity ("person:danny k") kept as an attribute.
        let number: HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = writeln!(s, "    <node id=\"n{i}\">");
            for (k, v) in [
                ("n_identity", n.id.clone()),
                ("n_kind", n.kind.clone()),
                ("n_label", n.label.clone()),
                ("n_degree", n.degree.to_string()),
                ("n_betweenness", format!("{:.6}", n.betweenness)),
                ("n_first", n.first_seen.clone()),
                ("n_last", n.last_seen.clone()),
                ("n_sources", n.sources.join("; ")),
            ] {
                let _ = writeln!(s, "      <data key=\"{k}\">{}</data>", xml(&v));
            }
            s.push_str("    </node>\n");
        }
        for (i, e) in self.edges.iter().enumerate() {
            let _ = writeln!(
                s,
                "    <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\">",
                number[e.source.as_str()],
                number[e.target.as_str()]
            );
            for (k, v) in [
                ("e_weight", e.weight.to_string()),
                ("e_first", e.first_seen.clone()),
                ("e_last", e.last_seen.clone()),
                ("e_sources", e.sources.join("; ")),
            ] {
                let _ = writeln!(s, "      <data key=\"{k}\">{}</data>", xml(&v));
            }
            s.push_str("    </edge>\n");
        }
        s.push_str("  </graph>\n</graphml>\n");
        s
    }

    /// Gephi's spreadsheet import: (nodes.csv, edges.csv), as [`spreadsheet_csv`] writes.
    pub fn to_gephi(&self) -> (String, String) {
        let nodes = spreadsheet_csv(
            &[
                "Id",
                "Label",
                "Kind",
                "Degree",
                "Betweenness",
                "FirstSeen",
                "LastSeen",
                "Sources",
            ],
            self.nodes.iter().map(|n| {
                vec![
                    n.id.clone(),
                    n.label.clone(),
                    n.kind.clone(),
                    n.degree.to_string(),
                    format!("{:.6}", n.betweenness),
                    n.first_seen.clone(),
                    n.last_seen.clone(),
                    n.sources.join("; "),
                ]
            }),
        );
        let edges = spreadsheet_csv(
            &[
                "Source",
                "Target",
                "Type",
                "Weight",
                "FirstSeen",
                "LastSeen",
                "Sources",
            ],
            self.edges.iter().map(|e| {
                vec![
                    e.source.clone(),
                    e.target.clone(),
                    "Undirected".to_string(),
                    e.weight.to_string(),
                    e.first_seen.clone(),
                    e.last_seen.clone(),
                    e.sources.join("; "),
                ]
            }),
        );
        (nodes, edges)
    }

    /// One row per link, for i2 Analyst's Notebook's tabular import (see
    /// `docs/i2-import-specification.md` for the column mapping).
    pub fn to_i2_csv(&self) -> String {
        let by_id: HashMap<&str, &Node> = self.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
        spreadsheet_csv(
            &[
                "Entity1 Type",
                "Entity1 Identity",
                "Entity1 Label",
                "Link Type",
                "Entity2 Type",
                "Entity2 Identity",
                "Entity2 Label",
                "Link Strength",
                "Date First Seen",
                "Date Last Seen",
                "Sources",
            ],
            self.edges.iter().map(|e| {
                let (a, b) = (by_id[e.source.as_str()], by_id[e.target.as_str()]);
                // The family first, then what was recorded for it.
                let (fam, item) = if a.kind == "family" { (a, b) } else { (b, a) };
                vec![
                    i2_type(&fam.kind),
                    fam.id.clone(),
                    fam.label.clone(),
                    "Recorded with".to_string(),
                    i2_type(&item.kind),
                    item.id.clone(),
                    item.label.clone(),
                    e.weight.to_string(),
                    e.first_seen.clone(),
                    e.last_seen.clone(),
                    e.sources.join("; "),
                ]
            }),
        )
    }
}

/// The i2 entity type a node kind is imported as.
fn i2_type(kind: &str) -> String {
    match kind {
        "family" => "Family",
        "person" => "Person",
        "child" => "Person",
        "phone" => "Telephone",
        "vehicle" => "Vehicle",
        "email" => "Email Address",
        "handle" => "Online Account",
        "postcode" | "place" => "Location",
        _ => "Entity",
    }
    .to_string()
}

fn xml(s: &str) -> String {
    let s = alongside_domain::text::neutralise_bidi(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Joins people of concern that a person has judged to be one (pairs of normalised
/// names): every name in a merged group takes the group's first name (in sort order) as
/// its value, and the group's names, joined with " = ", as its label. Merges are the
/// analyst's decision, never the engine's.
pub fn apply_merges(observations: &mut [Observation], merges: &[(String, String)]) {
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
        let p = parent.get(x).cloned().unwrap_or_else(|| x.to_string());
        if p == x {
            return p;
        }
        let root = find(parent, &p);
        parent.insert(x.to_string(), root.clone());
        root
    }
    for (a, b) in merges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (keep, other) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(other, keep);
        }
    }
    let mut labels: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.kind == "person") {
        let root = find(&mut parent, &o.value);
        labels.entry(root).or_default().insert(o.label.clone());
    }
    for o in observations.iter_mut().filter(|o| o.kind == "person") {
        let root = find(&mut parent, &o.value);
        if let Some(names) = labels.get(&root).filter(|n| n.len() > 1) {
            o.label = names.iter().cloned().collect::<Vec<_>>().join(" = ");
        }
        o.value = root;
    }
}

/// Brandes' betweenness centrality for an unweighted, undirected graph, normalised by
/// (n-1)(n-2)/2 so that values lie in [0, 1].
pub fn betweenness(adjacency: &[Vec<usize>]) -> Vec<f64> {
    let n = adjacency.len();
    let mut cb = vec![0.0f64; n];
    let mut stack = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0.0f64; n];
    let mut queue = VecDeque::new();
    for s in 0..n {
        stack.clear();
        for p in preds.iter_mut() {
            p.clear();
        }
        sigma.iter_mut().for_each(|x| *x = 0.0);
        dist.iter_mut().for_each(|x| *x = -1);
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adjacency[v] {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        delta.iter_mut().for_each(|x| *x = 0.0);
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
    }
    // Each undirected path was counted from both ends.
    let norm = if n > 2 {
        ((n - 1) * (n - 2)) as f64
    } else {
        1.0
    };
    cb.iter().map(|x| x / norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(family: i64, source: i64, kind: &str, value: &str, date: &str) -> Observation {
        Observation {
            family_id: family,
            family_label: format!("Family {family}"),
            source_type: "entry".into(),
            source_id: source,
            kind: kind.into(),
            value: value.into(),
            label: value.into(),
            date: date.into(),
            provenance: String::new(),
        }
    }

    #[test]
    fn a_car_shared_by_two_families_is_the_bridge() {
        let g = Graph::build(&[
            obs(1, 10, "vehicle", "AB12CDE", "2026-11-01"),
            obs(1, 11, "phone", "+447700900123", "2026-11-02"),
            obs(2, 20, "vehicle", "AB12CDE", "2026-11-05"),
            obs(2, 20, "person", "danny k", "2026-11-05"),
        ]);
        assert_eq!(g.nodes.len(), 5);
        assert_eq!(g.edges.len(), 4);
        let top = g.ranked()[0];
        assert_eq!(top.id, "vehicle:AB12CDE");
        assert_eq!(top.degree, 2);
        assert_eq!(top.first_seen, "2026-11-01");
        assert_eq!(top.last_seen, "2026-11-05");
        assert_eq!(top.sources, vec!["entry 10", "entry 20"]);
        // The car lies on every path between the two families' sides.
        let fam1 = g.nodes.iter().find(|n| n.id == "family:1").unwrap();
        assert!(top.betweenness > 0.0 && top.betweenness <= 1.0);
        assert!(fam1.betweenness > 0.0);
        let phone = g.nodes.iter().find(|n| n.kind == "phone").unwrap();
        assert_eq!(
            phone.betweenness, 0.0,
            "a leaf lies on no path between others"
        );
    }

    #[test]
    fn betweenness_of_a_path_matches_the_textbook() {
        // a - b - c: b lies on the one path between a and c; normalised by (n-1)(n-2) = 2
        // over both directions, so 1.0.
        let b = betweenness(&[vec![1], vec![0, 2], vec![1]]);
        assert_eq!(b, vec![0.0, 1.0, 0.0]);
        // A star with 4 leaves: the centre carries all 6 leaf pairs; 12 / 12 = 1.
        let star = betweenness(&[vec![1, 2, 3, 4], vec![0], vec![0], vec![0], vec![0]]);
        assert!((star[0] - 1.0).abs() < 1e-9);
    }

    #[test]
    fn merged_people_become_one_node_and_unmerging_splits_them() {
        let base = vec![
            obs(1, 1, "person", "danny k", "2026-11-01"),
            obs(2, 2, "person", "daniel khan", "2026-11-02"),
        ];
        assert_eq!(Graph::build(&base).nodes.len(), 4);
        let mut merged = base.clone();
        apply_merges(&mut merged, &[("danny k".into(), "daniel khan".into())]);
        let g = Graph::build(&merged);
        assert_eq!(g.nodes.len(), 3, "two families and one person");
        let p = g.nodes.iter().find(|n| n.kind == "person").unwrap();
        assert_eq!(p.label, "daniel khan = danny k");
        assert_eq!(p.degree, 2);
        let mut none = base.clone();
        apply_merges(&mut none, &[]);
        assert_eq!(Graph::build(&none).nodes.len(), 4);
    }

    #[test]
    fn exports_escape_and_neutralise() {
        let g = Graph::build(&[obs(1, 1, "place", "=cmd|' /C calc'!A0 & <b>", "2026-11-01")]);
        let gml = g.to_graphml();
        assert!(gml.contains("&lt;b&gt;") && gml.contains("&amp;") && !gml.contains("<b>"));
        assert!(gml.contains("<node id=\"n0\">") && gml.contains("<data key=\"n_identity\">"));
        let (nodes, edges) = g.to_gephi();
        assert!(nodes.contains("'=cmd"), "{nodes}");
        assert!(
            nodes.starts_with('\u{feff}') && nodes.contains("\r\n"),
            "for Excel"
        );
        assert_eq!(edges.lines().count(), 2);
        let i2 = g.to_i2_csv();
        assert!(i2
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("Family,family:1,Family 1,Recorded with,Location,"));
        // A phone in E.164 is a plain number, not a formula: no apostrophe.
        let g = Graph::build(&[obs(1, 1, "phone", "+447700900123", "2026-11-01")]);
        assert!(
            g.to_i2_csv().contains(",+447700900123,"),
            "{}",
            g.to_i2_csv()
        );
    }
}
