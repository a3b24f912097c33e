//! Alert latency: how long the identifier index takes to answer for one saved entry
//! (5 identifiers and 2 names), against an index of N identifiers (default 10 million).
//!
//!   cargo run --release -p alongside-network --example alert_latency -- [N] [queries]
//!
//! All values are made up here at run time (counters in invented formats); nothing real.
use alongside_network::{IdentifierIndex, Occurrence, Query};
use std::time::Instant;

const GIVEN: &[&str] = &[
    "Daniel", "Mohammed", "Jordan", "Tyler", "Kyle", "Liam", "Reece", "Callum", "Aaron", "Jamal",
    "Connor", "Ryan",
];
const SURNAMES: &[&str] = &[
    "Khan", "Smith", "Brown", "Okafor", "Walsh", "Nowak", "Patel", "Hughes", "Reid", "Campbell",
    "Osei", "Evans",
];
/// Invented family names from syllables: thousands of them, none meant to be real.
fn surname(n: u64) -> String {
    const SYL: &[&str] = &[
        "ka", "ro", "vek", "lin", "dra", "mo", "tes", "fa", "wen", "sul", "bri", "nar", "pel",
        "od", "zu", "han", "gri", "lo", "mer", "tav",
    ];
    let (a, b, c) = (n % 20, (n / 20) % 20, (n / 400) % 20);
    let mut s = format!("{}{}{}", SYL[a as usize], SYL[b as usize], SYL[c as usize]);
    s[..1].make_ascii_uppercase();
    s
}

const KINDS: &[&str] = &["phone", "vehicle", "handle", "email", "postcode"];

fn value(kind: &str, n: u64) -> String {
    match kind {
        "phone" => format!("+4477009{n:08}"),
        "vehicle" => format!("ZZ{:02}{}", n % 100, n / 100),
        "handle" => format!("snapchat:synthetic_{n}"),
        "email" => format!("synthetic{n}@example.invalid"),
        _ => format!("ZZ{} {}AA", n % 97, n / 97),
    }
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
            })
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let queries: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    // `ids` as a third argument leaves the two names out, to see what they cost.
    let with_names = args.get(3).map(String::as_str) != Some("ids");
    let rss0 = rss_mib();
    let t = Instant::now();
    let mut ix = IdentifierIndex::with_capacity(n as usize);
    // One name in ten identifiers; 20 hubs; about 5 identifiers an entry, 2 entries a family.
    for i in 0..n {
        let occ = Occurrence {
            hub_id: (i % 20) as u32,
            family_id: (i / 10) as u32,
            source_id: (i / 5) as u32,
        };
        if i % 10 == 9 {
            let name = if i % 30 == 29 {
                format!(
                    "{} {}",
                    GIVEN[(i as usize / 7) % GIVEN.len()],
                    &surname(i / 11)[..1]
                )
            } else {
                format!(
                    "{} {}",
                    GIVEN[(i as usize / 7) % GIVEN.len()],
                    surname(i / 11)
                )
            };
            ix.insert_person(&name, occ);
        } else {
            let kind = KINDS[(i % 5) as usize];
            // Values repeat now and then, as a shared phone or car does across families.
            ix.insert(kind, &value(kind, i % (n / 2).max(1)), occ);
        }
    }
    let build = t.elapsed();
    let rss = rss_mib() - rss0;
    let mut times = Vec::with_capacity(queries);
    let mut hits = 0usize;
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..queries {
        let ids: Vec<(String, String)> = (0..5)
            .map(|k| {
                let kind = KINDS[k % 5];
                (kind.to_string(), value(kind, next() % n))
            })
            .collect();
        let names = [
            format!(
                "{} {}",
                GIVEN[(next() % GIVEN.len() as u64) as usize],
                surname(next() % 8000)
            ),
            format!(
                "{} {}",
                GIVEN[(next() % GIVEN.len() as u64) as usize],
                SURNAMES[(next() % SURNAMES.len() as u64) as usize]
            ),
        ];
        let mut q: Vec<Query> = ids
            .iter()
            .map(|(k, v)| Query::Identifier { kind: k, value: v })
            .collect();
        if with_names {
            q.extend(names.iter().map(|s| Query::Person(s)));
        }
        let t = Instant::now();
        let found = ix.lookup(&q, Some((0, 0)));
        times.push(t.elapsed());
        hits += found.len();
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "index of {n} identifiers: built in {:.1} s, about {:.0} MiB (RSS growth {:.0} MiB)",
        build.as_secs_f64(),
        ix.approx_bytes() as f64 / 1048576.0,
        rss
    );
    println!(
        "{queries} entries of 5 identifiers{}: p50 {:?}, p99 {:?}, max {:?}; {:.1} matches an entry",
        if with_names { " + 2 names" } else { "" },
        pct(0.50),
        pct(0.99),
        times[times.len() - 1],
        hits as f64 / queries as f64
    );
}
