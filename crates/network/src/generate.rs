//! Synthetic person records with ground truth, and pairwise precision, recall and F1.
//!
//! Every name is drawn from invented combinations of common given names and family
//! names; phones are in Ofcom's drama range 07700 900000-900999 (so, with a thousand of
//! them, people share phones, as they do in a network); cars come from a shared pool;
//! emails are at example.com. Each person (an "entity") gets one to four records with
//! nicknames, typos, transposed names, initials, partial dates of birth and identifiers
//! written in different formats. Deterministic for a seed.
//!
//! Two profiles differ in how much each record says ([`Profile`]): what parents and
//! workers write in family logs often has no date of birth; an analyst's list (names
//! from a police operation, the batch linker's user) nearly always has one.

use std::collections::HashMap;

use crate::link::PersonRecord;
use crate::names::NICKNAMES;

/// SplitMix64: small, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Given names with no entry in the nickname table (the table's names are used too).
const MORE_GIVEN: &[&str] = &[
    "aaron", "adam", "amir", "amelia", "chloe", "ella", "emily", "grace", "hannah", "holly",
    "isla", "jade", "kayden", "leah", "lewis", "lucy", "mason", "megan", "mia", "niamh", "olivia",
    "omar", "priya", "rahul", "ryan", "sophie", "tariq", "tyler", "zainab", "zara", "kwame",
    "chidi", "tomasz", "marek", "precious", "shanice", "demi", "kai", "rio", "jayden",
];

const SURNAMES: &[&str] = &[
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "scott",
    "phillips",
    "watson",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "graham",
    "pearson",
    "ahmed",
    "fletcher",
    "walsh",
    "kaur",
    "gibson",
    "howard",
    "andrews",
    "stewart",
    "elliott",
    "reynolds",
    "saunders",
    "payne",
    "fox",
    "ford",
    "pearce",
    "day",
    "brooks",
    "west",
    "cole",
    "atkinson",
    "bradley",
    "spencer",
    "gill",
    "dawson",
    "ball",
    "burton",
    "o'brien",
    "watts",
    "rose",
    "booth",
    "perry",
    "ryan",
    "grant",
    "wells",
    "armstrong",
    "francis",
    "rees",
    "hayes",
    "hart",
    "hudson",
    "newman",
    "barrett",
    "webster",
    "hunter",
    "carr",
    "lowe",
    "page",
    "marsh",
    "riley",
    "dunn",
    "parsons",
    "berry",
    "stone",
    "reid",
    "holland",
    "hawkins",
    "harding",
    "porter",
    "newton",
    "kennedy",
    "bird",
    "gardner",
    "shah",
    "dodd",
    "okafor",
    "mensah",
    "osei",
    "adeyemi",
    "nowak",
    "kowalski",
    "achterberg",
    "zielinski",
    "quayle",
    "nwosu",
    "yilmaz",
    "ferreira",
    "costa",
    "iqbal",
    "rahman",
];

/// Parts of invented family names ("Thornley", "Marlcroft"), so that names stay varied
/// as the number of records grows.
const SURNAME_HEADS: &[&str] = &[
    "ash", "brack", "thorn", "whit", "hol", "marl", "crank", "pem", "wes", "stan", "brad", "hart",
    "kings", "long", "black", "red", "green", "hazel", "fair", "rad", "ald", "bram", "chad", "dun",
    "elm", "farn", "gold", "hamp", "ing", "kirk", "lang", "mid", "nor", "ock", "pres", "rush",
    "sand", "tun", "win", "york", "ack", "bex", "cul", "dor", "esk", "fol", "gar", "hux", "ivy",
    "jar",
];
/// Middle parts, so that the invented names number tens of thousands, as a real
/// population's family names do ("Ashenworth", "Marlingley").
const SURNAME_MIDS: &[&str] = &[
    "en", "ing", "er", "am", "ol", "is", "ar", "ow", "el", "un", "ak", "om", "ev", "ith", "ad",
    "ur", "ic", "ay", "op", "es",
];
const SURNAME_TAILS: &[&str] = &[
    "worth", "ley", "ton", "field", "ford", "wood", "by", "well", "ham", "croft", "more", "dale",
    "shaw", "bury", "wick", "stone", "hurst", "combe", "gate", "land", "mere", "holt", "ridge",
    "brook", "thwaite",
];

const STREET: &[&str] = &[
    "blade", "ghost", "tiny", "shadow", "smokey", "trigger", "bullet", "ice", "kingpin", "spider",
    "razor", "snake", "chief", "boss", "flash", "joker", "venom", "rocket", "zed", "ninja",
    "diesel", "ozzy", "ratty", "scar", "prince", "duke", "tank", "ace", "rebel", "skinny",
];

const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNOPRSTUVWXY";
const PLATE_AGES: &[&str] = &["15", "16", "17", "18", "19", "65", "66", "67", "68", "69"];

fn plate(rng: &mut Rng) -> String {
    let l = |rng: &mut Rng| *rng.pick(PLATE_LETTERS) as char;
    format!(
        "{}{}{}{}{}{}",
        l(rng),
        l(rng),
        rng.pick(PLATE_AGES),
        l(rng),
        l(rng),
        l(rng)
    )
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One typing slip after the first letter: a letter dropped, doubled, swapped with the
/// next, or a vowel changed.
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut b: Vec<char> = word.chars().collect();
    if b.len() < 4 {
        return word.to_string();
    }
    let i = 1 + rng.below(b.len() - 2);
    match rng.below(4) {
        0 => {
            b.remove(i);
        }
        1 => b.insert(i, b[i]),
        2 => b.swap(i, i + 1),
        _ => {
            if let Some(p) = b.iter().skip(1).position(|c| "aeiou".contains(*c)) {
                b[p + 1] = *rng.pick(&['a', 'e', 'i', 'o', 'u']);
            }
        }
    }
    b.into_iter().collect()
}

struct Entity {
    given: &'static str,
    surname: String,
    dob: (u16, u8, u8),
    phone: Option<u32>,
    vehicle: Option<String>,
    email: Option<String>,
    handle: Option<String>,
    street: Option<String>,
    postcode: Option<String>,
}

/// How much each record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Family logs: a full date of birth in 55 records in 100, year and month in 10, year
    /// only in 10, none in 25.
    FamilyLogs,
    /// An analyst's list (names from a police operation): a full date of birth in 90
    /// records in 100, year and month in 3, year only in 2, none in 5.
    OperationList,
}

impl Profile {
    /// Percentages of records with a full date of birth, year and month, year only.
    fn dates_of_birth(self) -> (usize, usize, usize) {
        match self {
            Profile::FamilyLogs => (55, 10, 10),
            Profile::OperationList => (90, 3, 2),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Profile::FamilyLogs => "family logs",
            Profile::OperationList => "operation list",
        }
    }
}

/// `n` records in the family-logs profile and, for each, `(record id, true entity)`.
pub fn generate(n: usize, seed: u64) -> (Vec<PersonRecord>, Vec<(String, String)>) {
    generate_as(n, seed, Profile::FamilyLogs)
}

/// `n` records in `profile` and, for each, `(record id, true entity)`.
pub fn generate_as(
    n: usize,
    seed: u64,
    profile: Profile,
) -> (Vec<PersonRecord>, Vec<(String, String)>) {
    let mut rng = Rng(seed ^ 0x5EED_A10E_65DE_0001);
    let given_pool: Vec<&'static str> = NICKNAMES
        .iter()
        .map(|(g, _)| *g)
        .chain(MORE_GIVEN.iter().copied())
        .collect();
    let cars: Vec<String> = (0..(n / 8).max(4)).map(|_| plate(&mut rng)).collect();
    let mut records = Vec::with_capacity(n);
    let mut truth = Vec::with_capacity(n);
    let mut e = 0usize;
    while records.len() < n {
        let given = *rng.pick(&given_pool);
        let surname = if rng.chance(0.25) {
            SURNAMES[rng.below(SURNAMES.len())].to_string()
        } else {
            let (h, t) = (
                rng.below(SURNAME_HEADS.len()),
                rng.below(SURNAME_TAILS.len()),
            );
            let mid = if rng.chance(0.6) {
                SURNAME_MIDS[rng.below(SURNAME_MIDS.len())]
            } else {
                ""
            };
            format!("{}{mid}{}", SURNAME_HEADS[h], SURNAME_TAILS[t])
        };
        let entity = Entity {
            given,
            dob: (
                1965 + rng.below(45) as u16,
                1 + rng.below(12) as u8,
                1 + rng.below(28) as u8,
            ),
            phone: rng.chance(0.7).then(|| rng.below(1000) as u32),
            vehicle: rng.chance(0.4).then(|| rng.pick(&cars).clone()),
            email: rng
                .chance(0.4)
                .then(|| format!("{given}.{}{}@example.com", surname.replace('\'', ""), e)),
            handle: rng
                .chance(0.4)
                .then(|| format!("@{}_{}{}", &given[..1], surname.replace('\'', ""), e % 997)),
            street: rng.chance(0.3).then(|| {
                let w = capitalise(STREET[rng.below(STREET.len())]);
                match rng.below(4) {
                    0 => format!("Lil {w}"),
                    1 => format!("{w}{}", rng.below(99)),
                    2 => format!("Big {w}"),
                    _ => format!("{w} {}", capitalise(&surname[..1])),
                }
            }),
            surname,
            postcode: rng.chance(0.6).then(|| {
                format!(
                    "{}{} {}{}{}",
                    rng.pick(&["M", "B", "LS", "NE", "BS", "L", "SE", "N"]),
                    1 + rng.below(20),
                    rng.below(10),
                    *rng.pick(b"ABDEFGHJLNPQRSTUWXYZ") as char,
                    *rng.pick(b"ABDEFGHJLNPQRSTUWXYZ") as char
                )
            }),
        };
        let copies = match rng.below(10) {
            0..=3 => 1,
            4..=6 => 2,
            7..=8 => 3,
            _ => 4,
        };
        for _ in 0..copies.min(n - records.len()) {
            let id = format!("R{:07}", records.len());
            truth.push((id.clone(), format!("E{e}")));
            records.push(record(&mut rng, id, &entity, profile));
        }
        e += 1;
    }
    (records, truth)
}

fn record(rng: &mut Rng, id: String, e: &Entity, profile: Profile) -> PersonRecord {
    let mut given = e.given.to_string();
    let forms = NICKNAMES
        .iter()
        .find(|(g, _)| *g == e.given)
        .map(|(_, f)| *f)
        .unwrap_or(&[]);
    if !forms.is_empty() && rng.chance(0.25) {
        given = rng.pick(forms).to_string();
    } else if rng.chance(0.08) {
        given = typo(rng, &given);
    }
    let mut surname = e.surname.clone();
    if rng.chance(0.08) {
        surname = typo(rng, &surname);
    }
    let (mut g, mut s) = (capitalise(&given), capitalise(&surname));
    if rng.chance(0.1) {
        g = g.to_uppercase();
        s = s.to_uppercase();
    }
    let mut r = PersonRecord {
        id,
        ..PersonRecord::default()
    };
    match rng.below(20) {
        0..=8 => r.full_name = Some(format!("{g} {s}")),
        9..=16 => {
            r.given_name = Some(g);
            r.surname = Some(s);
        }
        17 => r.full_name = Some(format!("{s} {g}")),
        18 => r.full_name = Some(format!("{g} {}", &s[..1])),
        _ => r.full_name = Some(format!("{} {s}", &g[..1])),
    }
    let (y, m, d) = e.dob;
    let (full, month, year) = profile.dates_of_birth();
    let roll = rng.below(100);
    r.date_of_birth = if roll < full {
        Some(format!("{y:04}-{m:02}-{d:02}"))
    } else if roll < full + month {
        Some(format!("{y:04}-{m:02}"))
    } else if roll < full + month + year {
        Some(format!("{y:04}"))
    } else {
        None
    };
    if let Some(p) = e.phone {
        if rng.chance(0.6) {
            r.phone = Some(match rng.below(3) {
                0 => format!("07700 900{p:03}"),
                1 => format!("+44 7700 900{p:03}"),
                _ => format!("07700900{p:03}"),
            });
        }
    }
    if let Some(v) = &e.vehicle {
        if rng.chance(0.4) {
            r.vehicle = Some(match rng.below(3) {
                0 => v.clone(),
                1 => format!("{} {}", &v[..4], &v[4..]).to_lowercase(),
                _ => format!("{} {}", &v[..4], &v[4..]),
            });
        }
    }
    if rng.chance(0.3) {
        r.email = e.email.clone();
    }
    if rng.chance(0.3) {
        r.handle = e.handle.clone();
    }
    if rng.chance(0.5) {
        r.nickname = e.street.clone();
    }
    if rng.chance(0.3) {
        r.postcode = e.postcode.clone();
    }
    r
}

/// Pairwise quality of a clustering against the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairwiseScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pairs in the same predicted cluster.
    pub predicted_pairs: u64,
    /// Pairs of the same true entity.
    pub true_pairs: u64,
    /// Pairs in both.
    pub correct_pairs: u64,
}

/// Precision, recall and F1 over pairs of records: a pair is predicted when both are in
/// one cluster, true when both belong to one entity. Records missing from `truth` are
/// ignored.
pub fn pairwise_scores(
    predicted: &[(String, String)],
    truth: &[(String, String)],
) -> PairwiseScores {
    let entity: HashMap<&str, &str> = truth
        .iter()
        .map(|(id, e)| (id.as_str(), e.as_str()))
        .collect();
    let mut by_cluster: HashMap<&str, u64> = HashMap::new();
    let mut by_entity: HashMap<&str, u64> = HashMap::new();
    let mut by_both: HashMap<(&str, &str), u64> = HashMap::new();
    for (id, cluster) in predicted {
        let Some(e) = entity.get(id.as_str()) else {
            continue;
        };
        *by_cluster.entry(cluster).or_default() += 1;
        *by_entity.entry(e).or_default() += 1;
        *by_both.entry((cluster, e)).or_default() += 1;
    }
    let pairs = |m: &mut dyn Iterator<Item = u64>| m.map(|n| n * n.saturating_sub(1) / 2).sum();
    let predicted_pairs: u64 = pairs(&mut by_cluster.values().copied());
    let true_pairs: u64 = pairs(&mut by_entity.values().copied());
    let correct_pairs: u64 = pairs(&mut by_both.values().copied());
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(correct_pairs, predicted_pairs);
    let recall = ratio(correct_pairs, true_pairs);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    PairwiseScores {
        precision,
        recall,
        f1,
        predicted_pairs,
        true_pairs,
        correct_pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alongside_domain::identifiers::{Email, Handle, PhoneNumber, Postcode, VehicleMark};

    #[test]
    fn deterministic_and_synthetic() {
        let (a, ta) = generate(500, 7);
        let (b, tb) = generate(500, 7);
        assert_eq!(a, b);
        assert_eq!(ta, tb);
        assert_eq!(a.len(), 500);
        for r in &a {
            if let Some(p) = &r.phone {
                let n = PhoneNumber::parse(p).unwrap().national();
                assert!(n.starts_with("07700 900"), "{n}");
            }
            if let Some(v) = &r.vehicle {
                VehicleMark::parse(v).unwrap();
            }
            if let Some(e) = &r.email {
                assert!(Email::parse(e)
                    .unwrap()
                    .normalised()
                    .ends_with("@example.com"));
            }
            if let Some(h) = &r.handle {
                Handle::parse(h).unwrap();
            }
            if let Some(p) = &r.postcode {
                Postcode::parse(p).unwrap();
            }
        }
    }

    #[test]
    fn profiles_differ_in_dates_of_birth() {
        let dated = |profile| {
            let (records, _) = generate_as(4_000, 5, profile);
            records.iter().filter(|r| r.date_of_birth.is_some()).count() as f64 / 4_000.0
        };
        let (family, operation) = (dated(Profile::FamilyLogs), dated(Profile::OperationList));
        assert!((0.72..0.78).contains(&family), "{family}");
        assert!((0.93..0.97).contains(&operation), "{operation}");
        // The same people either way: only what each record says differs.
        let (a, ta) = generate_as(300, 9, Profile::FamilyLogs);
        let (b, tb) = generate_as(300, 9, Profile::OperationList);
        assert_eq!(ta, tb);
        let without_dates = |v: Vec<PersonRecord>| -> Vec<PersonRecord> {
            v.into_iter()
                .map(|r| PersonRecord {
                    date_of_birth: None,
                    ..r
                })
                .collect()
        };
        assert_eq!(without_dates(a), without_dates(b));
    }

    #[test]
    fn pairwise_scores_count_pairs() {
        let s = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let truth = s(&[("a", "1"), ("b", "1"), ("c", "1"), ("d", "2")]);
        let predicted = s(&[("a", "a"), ("b", "a"), ("c", "c"), ("d", "c")]);
        let r = pairwise_scores(&predicted, &truth);
        assert_eq!(
            (r.true_pairs, r.predicted_pairs, r.correct_pairs),
            (3, 2, 1)
        );
        assert!((r.precision - 0.5).abs() < 1e-9);
        assert!((r.recall - 1.0 / 3.0).abs() < 1e-9);
        assert!((r.f1 - 0.4).abs() < 1e-9);
    }
}
