//! Write `n` generated person records as the CSV that `alongside link` reads, and the
//! ground truth beside it: `cargo run --release -p alongside-network --example people_csv
//! -- 100000 people.csv truth.csv [seed] [operation|family]` (the generator's profile;
//! an analyst's operation list by default).
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: people_csv N PEOPLE.csv TRUTH.csv [SEED] [operation|family]";
    let n: usize = args.get(1).ok_or(usage)?.parse()?;
    let people = args.get(2).ok_or(usage)?;
    let truth_path = args.get(3).ok_or(usage)?;
    let seed: u64 = args.get(4).map(|s| s.parse()).transpose()?.unwrap_or(2026);
    let profile = match args.get(5).map(String::as_str) {
        None | Some("operation") => alongside_network::Profile::OperationList,
        Some("family") => alongside_network::Profile::FamilyLogs,
        Some(_) => return Err(usage.into()),
    };
    let (records, truth) = alongside_network::generate_as(n, seed, profile);
    alongside_network::write_people(&records, std::fs::File::create(people)?)?;
    let mut t = csv::Writer::from_path(truth_path)?;
    t.write_record(["id", "entity"])?;
    for (id, e) in &truth {
        t.write_record([id, e])?;
    }
    t.flush()?;
    Ok(())
}
