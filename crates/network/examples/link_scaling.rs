//! How batch linking's cost grows with size: generates N synthetic person records with
//! ground truth (in memory; nothing real), links them, and prints time, candidate pairs,
//! peak memory and pairwise precision, recall and F1.
//!
//!   cargo run --release -p alongside-network --example link_scaling -- 1000 10000 100000
use alongside_network::{generate, link, pairwise_scores};
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
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    println!("| records | generate (s) | link (s) | candidate pairs | pairs per record | peak memory (MiB) | precision | recall | F1 |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in sizes {
        let t = Instant::now();
        let (records, truth) = generate(n, 42);
        let generated = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let linkage = link(&records, |_, _| {}).expect("unique ids");
        let linked = t.elapsed().as_secs_f64();
        let s = pairwise_scores(&linkage.clusters, &truth);
        println!(
            "| {n} | {generated:.2} | {linked:.2} | {} | {:.1} | {:.0} | {:.3} | {:.3} | {:.3} |",
            linkage.candidate_pairs,
            linkage.candidate_pairs as f64 / n as f64,
            peak_mib(),
            s.precision,
            s.recall,
            s.f1
        );
        drop(records);
    }
}
