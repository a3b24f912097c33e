//! Where batch linking goes wrong on the generator's records: links N synthetic records
//! (in memory; nothing real) and sorts its mistakes by what the two records had in common.
//!
//!   cargo run --release -p alongside-network --example link_errors -- 100000 [family]
//!
//! A missed pair is scored as in a list of just those two records (`compare_records`):
//! one shown with a high score was refused in the whole list because its name, date of
//! birth or identifier is common there, or because the two never shared a block.
use std::collections::{BTreeMap, HashMap};

use alongside_network::link::compare_records;
use alongside_network::{generate_as, link, pairwise_scores, PersonRecord, Profile, Reason};

/// The kinds of evidence in a pair's reasons, in a fixed order ("names, dob-agree, phone").
fn shape(reasons: &[Reason]) -> String {
    let mut parts: Vec<String> = reasons
        .iter()
        .filter(|r| !matches!(r, Reason::Prior { .. }))
        .map(|r| match r {
            Reason::Names(c) => format!("names {:.2}", (c.score * 20.0).floor() / 20.0),
            Reason::SameIdentifier { kind, .. } => (*kind).to_string(),
            Reason::DatesOfBirth { agree, .. } => {
                if *agree {
                    "dob agree".into()
                } else {
                    "dob differ".into()
                }
            }
            Reason::SameNickname(_) => "nickname".into(),
            Reason::SamePostcode(_) => "postcode".into(),
            Reason::SameAddress(_) => "address".into(),
            Reason::NotClustered => "not clustered".into(),
            Reason::NameAlone => "name alone".into(),
            Reason::DateOfBirthAlone => "dob alone".into(),
            Reason::RareName { .. } => "rare name".into(),
            Reason::RareDateOfBirth { .. } => "rare dob".into(),
            Reason::Evidence { field, level, .. } => field.levels()[*level as usize].into(),
            Reason::Prior { .. } => String::new(),
        })
        .collect();
    parts.sort();
    parts.join(", ")
}

fn print_top(title: &str, counts: BTreeMap<String, (usize, String)>) {
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1 .0));
    println!("\n{title}");
    for (shape, (n, example)) in v.into_iter().take(15) {
        println!("{n:>9}  {shape}\n           e.g. {example}");
    }
}

fn brief(r: &PersonRecord) -> String {
    let parts = [
        &r.full_name,
        &r.given_name,
        &r.surname,
        &r.nickname,
        &r.date_of_birth,
        &r.phone,
        &r.vehicle,
        &r.email,
        &r.handle,
        &r.postcode,
    ];
    parts
        .iter()
        .filter_map(|p| p.as_deref())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let profile = match std::env::args().nth(2).as_deref() {
        Some("family") => Profile::FamilyLogs,
        _ => Profile::OperationList,
    };
    let (records, truth) = generate_as(n, 42, profile);
    let linkage = link(&records, |_, _| {}).expect("unique ids");
    let s = pairwise_scores(&linkage.clusters, &truth);
    println!(
        "{n} records: precision {:.3}, recall {:.3}, F1 {:.3}; true pairs {}, predicted {}, correct {}",
        s.precision, s.recall, s.f1, s.true_pairs, s.predicted_pairs, s.correct_pairs
    );
    let by_id: HashMap<&str, &PersonRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let entity: HashMap<&str, &str> = truth
        .iter()
        .map(|(id, e)| (id.as_str(), e.as_str()))
        .collect();
    let cluster: HashMap<&str, &str> = linkage
        .clusters
        .iter()
        .map(|(id, c)| (id.as_str(), c.as_str()))
        .collect();

    // Missed: records of one entity left in different clusters.
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, e) in &truth {
        members.entry(e).or_default().push(id);
    }
    let mut missed: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for ids in members.values() {
        for (k, a) in ids.iter().enumerate() {
            for b in &ids[k + 1..] {
                if cluster[a] != cluster[b] {
                    let (score, reasons) = compare_records(by_id[a], by_id[b]);
                    let e = missed
                        .entry(format!("{} (score {:.1})", shape(&reasons), score))
                        .or_insert((0, String::new()));
                    e.0 += 1;
                    if e.1.is_empty() {
                        e.1 = format!("{}  |  {}", brief(by_id[a]), brief(by_id[b]));
                    }
                }
            }
        }
    }
    print_top(
        "MISSED PAIRS (same person, different clusters), by evidence",
        missed,
    );

    // Wrong links: accepted and clustered pairs of two different people.
    let mut wrong: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for p in &linkage.pairs {
        if entity[p.id_a.as_str()] != entity[p.id_b.as_str()]
            && !p.reasons.contains(&Reason::NotClustered)
        {
            let e = wrong.entry(shape(&p.reasons)).or_insert((0, String::new()));
            e.0 += 1;
            if e.1.is_empty() {
                e.1 = format!(
                    "{}  |  {}",
                    brief(by_id[p.id_a.as_str()]),
                    brief(by_id[p.id_b.as_str()])
                );
            }
        }
    }
    print_top("WRONG LINKS (different people, joined), by evidence", wrong);

    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_cluster: HashMap<&str, usize> = HashMap::new();
    for (_, c) in &linkage.clusters {
        *per_cluster.entry(c).or_default() += 1;
    }
    for size in per_cluster.values() {
        *sizes.entry(*size).or_default() += 1;
    }
    println!("\ncluster sizes: {sizes:?}");
}
