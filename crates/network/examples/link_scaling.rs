//! How batch linking's cost grows with size: generates N synthetic person records with
//! ground truth (in memory; nothing real), links them, and prints time, candidate pairs,
//! peak memory and pairwise precision, recall and F1, for each generator profile asked
//! for (`operation`, the default, and `family`).
//!
//!   cargo run --release -p alongside-network --example link_scaling -- 1000 10000 100000 [family] [seed=42] [rules] [oracle] [model]
use alongside_network::link::blocking_oracle;
use alongside_network::{generate_as, link, link_by_rules, pairwise_scores, Profile};
use std::time::Instant;

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let mut profiles: Vec<Profile> = args
        .iter()
        .filter_map(|a| match a.as_str() {
            "operation" => Some(Profile::OperationList),
            "family" => Some(Profile::FamilyLogs),
            _ => None,
        })
        .collect();
    let seed: u64 = args
        .iter()
        .find_map(|a| a.strip_prefix("seed=")?.parse().ok())
        .unwrap_or(42);
    // `rules`: the hand-written rules the model starts from, to compare with.
    let rules = args.iter().any(|a| a == "rules");
    // `oracle`: also the best F1 any scorer could reach on blocking's candidate pairs.
    let oracle = args.iter().any(|a| a == "oracle");
    if profiles.is_empty() {
        profiles.push(Profile::OperationList);
    }
    println!("| profile | records | generate (s) | link (s) | candidate pairs | pairs per record | peak memory (MiB) | precision | recall | F1 |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for profile in profiles {
        for &n in &sizes {
            let t = Instant::now();
            let (records, truth) = generate_as(n, seed, profile);
            let generated = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let linkage = if rules {
                link_by_rules(&records, |_, _| {})
            } else {
                link(&records, |_, _| {})
            }
            .expect("unique ids");
            let linked = t.elapsed().as_secs_f64();
            let s = pairwise_scores(&linkage.clusters, &truth);
            println!(
                "| {} | {n} | {generated:.2} | {linked:.2} | {} | {:.1} | {:.0} | {:.3} | {:.3} | {:.3} |",
                profile.name(),
                linkage.candidate_pairs,
                linkage.candidate_pairs as f64 / n as f64,
                peak_mib(),
                s.precision,
                s.recall,
                s.f1
            );
            if args.iter().any(|a| a == "model") {
                if let Some(m) = &linkage.model {
                    m.write_table(std::io::stderr()).expect("stderr");
                }
            }
            if oracle {
                drop(linkage);
                let o = blocking_oracle(&records, &truth).expect("unique ids");
                println!(
                    "| {} | {n} | oracle on blocking's candidate pairs | | | | | {:.3} | {:.3} | {:.3} |",
                    profile.name(),
                    o.precision,
                    o.recall,
                    o.f1
                );
            }
        }
    }
}
