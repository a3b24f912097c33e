//! The Fellegi-Sunter model that [`crate::link()`] scores candidate pairs with, learnt from
//! the list it is given.
//!
//! Two records are compared field by field; each comparison falls in one *level*
//! ([`Field::levels`]: "nickname forms of one name", "day and month transposed", ...). For
//! each level the model holds `m`, how often it occurs among pairs that are one person,
//! and `u`, how often among pairs that are not. A pair's **match weight** is the log2 of
//! the prior odds that two records of the list are one person plus, for each comparison,
//! log2(m / u) of its level; its **match probability** is 2^w / (1 + 2^w). A comparison
//! one side cannot make (a field empty) adds nothing.
//!
//! - `u` is estimated by **random sampling** of record pairs (almost all of which are two
//!   different people), and for exact agreement from the frequency of each value (the
//!   chance two random records share a value is the sum over values of its share squared).
//! - `m` and the share of candidate pairs that match are estimated by **expectation
//!   maximisation** on (a seeded sample of) the candidate pairs that blocking made, starting
//!   from the pairs the hand-written rules accept ([`crate::link::link_by_rules`]).
//! - **Term frequency**: exact agreement on a name, identifier, postcode or address counts
//!   for log2(m / f) where f is that value's own share of the records, so that a shared
//!   rare family name counts for more than a shared "Smith".
//! - Small lists say little: every estimate is shrunk towards a default table
//!   ([`Model::default_tables`]) by a few pseudo-pairs, so two records alone are scored
//!   by sensible defaults rather than by chance.
//!
//! Sampling and EM take a seed; with the same seed and records (in any order) the model
//! is the same. This module never reads or writes files: [`Model::write_table`] writes to
//! any `Write`.

use rustc_hash::FxHashMap as HashMap;

use crate::link::{h64, on_two_cores, Ident, PartialDate, Prepared};
use crate::names::{nickname_groups, Name};

/// How many comparisons a pair is scored on.
pub const FIELDS: usize = 11;
/// The level of a comparison that could not be made (a field empty on either side).
pub const NULL: u8 = u8::MAX;
/// A pair's comparison vector: one level per [`Field`], or [`NULL`].
pub type Gamma = [u8; FIELDS];

/// What two records are compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    GivenName,
    Surname,
    /// Whether the names are read as written or with given and family names transposed.
    NameOrder,
    DateOfBirth,
    Phone,
    Vehicle,
    Email,
    Handle,
    /// The street nickname.
    Nickname,
    Postcode,
    Address,
}

impl Field {
    pub const ALL: [Field; FIELDS] = [
        Field::GivenName,
        Field::Surname,
        Field::NameOrder,
        Field::DateOfBirth,
        Field::Phone,
        Field::Vehicle,
        Field::Email,
        Field::Handle,
        Field::Nickname,
        Field::Postcode,
        Field::Address,
    ];

    /// The comparison's name in the `--explain` table.
    pub fn column(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::Surname => "surname",
            Field::NameOrder => "name_order",
            Field::DateOfBirth => "date_of_birth",
            Field::Phone => "phone",
            Field::Vehicle => "vehicle",
            Field::Email => "email",
            Field::Handle => "handle",
            Field::Nickname => "nickname",
            Field::Postcode => "postcode",
            Field::Address => "address",
        }
    }

    /// Each level in words, best first.
    pub fn levels(self) -> &'static [&'static str] {
        const GIVEN: &[&str] = &[
            "given names are the same",
            "given names are nickname forms of one name",
            "given names are spelt alike (Jaro-Winkler 0.92 or more)",
            "given names are spelt similarly (Jaro-Winkler 0.80 to 0.92)",
            "given names sound alike (same Soundex)",
            "one given name is an initial of the other",
            "given names differ",
        ];
        const SURNAME: &[&str] = &[
            "family names are the same",
            "family names are nickname forms of one name",
            "family names are spelt alike (Jaro-Winkler 0.92 or more)",
            "family names are spelt similarly (Jaro-Winkler 0.80 to 0.92)",
            "family names sound alike (same Soundex)",
            "one family name is an initial of the other",
            "family names differ",
        ];
        match self {
            Field::GivenName => GIVEN,
            Field::Surname => SURNAME,
            Field::NameOrder => &[
                "names are written in the same order",
                "given and family names are transposed",
            ],
            Field::DateOfBirth => &[
                "dates of birth agree to the day",
                "dates of birth agree as far as both are given",
                "day and month of birth are transposed",
                "dates of birth differ in one part",
                "only the years of birth agree",
                "dates of birth differ",
            ],
            Field::Phone => &["same phone", "different phones"],
            Field::Vehicle => &["same vehicle", "different vehicles"],
            Field::Email => &["same email", "different emails"],
            Field::Handle => &["same handle", "different handles"],
            Field::Nickname => &["same street nickname", "different street nicknames"],
            Field::Postcode => &[
                "same postcode",
                "postcodes one character apart",
                "different postcodes",
            ],
            Field::Address => &[
                "same address",
                "addresses share most words",
                "addresses share some words",
                "different addresses",
            ],
        }
    }

    /// Where the field's value hash and term frequency are held, for fields whose exact
    /// agreement is adjusted by the frequency of the value.
    pub(crate) fn slot(self) -> Option<usize> {
        Some(match self {
            Field::GivenName => 0,
            Field::Surname => 1,
            Field::Phone => 2,
            Field::Vehicle => 3,
            Field::Email => 4,
            Field::Handle => 5,
            Field::Nickname => 6,
            Field::Postcode => 7,
            Field::Address => 8,
            Field::NameOrder | Field::DateOfBirth => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Fields whose exact agreement is adjusted by the value's frequency.
pub(crate) const SLOTS: usize = 9;
const SLOT_FIELDS: [Field; SLOTS] = [
    Field::GivenName,
    Field::Surname,
    Field::Phone,
    Field::Vehicle,
    Field::Email,
    Field::Handle,
    Field::Nickname,
    Field::Postcode,
    Field::Address,
];

/// The value of each frequency-adjusted field of a record, hashed (0 for none): exact
/// agreement is decided on these, and frequencies are counted under them.
pub(crate) fn value_hashes(p: &Prepared) -> [u64; SLOTS] {
    let mut h = [0u64; SLOTS];
    if let Some(n) = &p.name {
        // An initial is not a name whose frequency says anything.
        h[0] = n
            .given
            .as_deref()
            .filter(|g| g.len() > 1)
            .map_or(0, |g| h64(&("g", g)));
        h[1] = n
            .surname
            .as_deref()
            .filter(|s| s.len() > 1)
            .map_or(0, |s| h64(&("s", s)));
    }
    for k in 0..4 {
        h[2 + k] = p.strong[k].as_ref().map_or(0, |i| h64(&(k, i)));
    }
    h[6] = p.nickname.as_ref().map_or(0, |n| h64(&("n", n)));
    h[7] = p.postcode.as_ref().map_or(0, |i| h64(&("p", i)));
    h[8] = p.address.as_ref().map_or(0, |a| h64(&("a", a)));
    h
}

// ---------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------

/// A name part's nickname groups.
type Groups = &'static [&'static str];

/// The level of two name parts (folded words), with their nickname groups when nicknames
/// count and their Soundex keys: see [`Field::levels`].
fn part_level(
    a: &str,
    b: &str,
    nicknames: Option<(Groups, Groups)>,
    sa: [u8; 4],
    sb: [u8; 4],
) -> u8 {
    if a.len() == 1 || b.len() == 1 {
        let initial = |x: &str, y: &str| {
            x.len() == 1
                && (y.starts_with(x) || nickname_groups(y).iter().any(|g| g.starts_with(x)))
        };
        return if initial(a, b) || initial(b, a) { 5 } else { 6 };
    }
    if a == b {
        return 0;
    }
    if let Some((ga, gb)) = nicknames {
        if ga.iter().any(|g| gb.contains(g)) {
            return 1;
        }
    }
    let jw = if could_reach(a, b, 0.8) {
        jaro_winkler(a, b)
    } else {
        0.0
    };
    if jw >= 0.92 {
        2
    } else if jw >= 0.8 {
        3
    } else if sa == sb {
        4
    } else {
        6
    }
}

/// Jaro-Winkler similarity as `strsim::jaro_winkler` computes it, without allocating for
/// ASCII words of up to 64 letters (folded names are ASCII): it runs for every name
/// compared, tens of millions of times in a large list.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let range = (x.len().max(y.len()) / 2).saturating_sub(1);
    let (mut xf, mut yf) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = (i + range + 1).min(y.len());
        for (j, &d) in y.iter().enumerate().take(hi).skip(lo) {
            if c == d && yf & (1 << j) == 0 {
                xf |= 1 << i;
                yf |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &c) in x.iter().enumerate() {
        if xf & (1 << i) != 0 {
            while yf & (1 << j) == 0 {
                j += 1;
            }
            if c != y[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    let t = (transpositions / 2) as f64;
    let m = matches as f64;
    let jaro = (m / x.len() as f64 + m / y.len() as f64 + (m - t) / m) / 3.0;
    if jaro > 0.7 {
        let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// Whether the Jaro-Winkler similarity of two ASCII words could be `at_least`: false
/// only when a bound from their lengths, common letters and common prefix says it cannot
/// (most pairs of different names), which is far cheaper than computing it.
fn could_reach(a: &str, b: &str, at_least: f64) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.is_empty() || y.is_empty() {
        return true;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count() as f64;
    // Jaro-Winkler = jaro + 0.1 prefix (1 - jaro): the Jaro similarity it needs.
    let need = (at_least - 0.1 * prefix) / (1.0 - 0.1 * prefix);
    // At most as many matching letters as the two words have letters in common (counted
    // by the low five bits, which tell letters apart; a digit sharing a letter's count
    // only loosens the bound).
    let mut held = [0u8; 32];
    for &c in x {
        let k = (c & 31) as usize;
        held[k] = held[k].saturating_add(1);
    }
    let mut common = 0usize;
    for &c in y {
        let k = (c & 31) as usize;
        if held[k] > 0 {
            held[k] -= 1;
            common += 1;
        }
    }
    let m = common as f64;
    (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0 >= need - 1e-12
}

fn rank(level: u8) -> u8 {
    if level == NULL {
        6
    } else {
        level
    }
}

/// Given name, family name and name order levels: the names as written, or with the
/// first record's parts transposed when that reads better.
pub(crate) fn name_levels(a: &Prepared, b: &Prepared) -> (u8, u8, u8) {
    let (Some(an), Some(bn)) = (a.name.as_ref(), b.name.as_ref()) else {
        return (NULL, NULL, NULL);
    };
    // Parts: 0 given, 1 family name.
    fn part(n: &Name, k: usize) -> Option<&String> {
        if k == 0 {
            n.given.as_ref()
        } else {
            n.surname.as_ref()
        }
    }
    let cmp = |x: usize, y: usize, nick: bool| match (part(an, x), part(bn, y)) {
        (Some(p), Some(q)) => {
            let groups = nick.then_some((a.groups[x], b.groups[y]));
            part_level(p, q, groups, a.soundex[x], b.soundex[y])
        }
        _ => NULL,
    };
    let g = cmp(0, 0, true);
    let s = cmp(1, 1, false);
    let all =
        an.given.is_some() && an.surname.is_some() && bn.given.is_some() && bn.surname.is_some();
    if !all {
        return (g, s, NULL);
    }
    if rank(g) + rank(s) <= 1 {
        return (g, s, 0);
    }
    let tg = cmp(1, 0, true);
    let ts = cmp(0, 1, true);
    if rank(tg) + rank(ts) < rank(g) + rank(s) {
        (tg, ts, 1)
    } else {
        (g, s, 0)
    }
}

/// The family name level as written, alone (for screening).
fn surname_level(a: &Prepared, b: &Prepared) -> u8 {
    match (
        a.name.as_ref().and_then(|n| n.surname.as_ref()),
        b.name.as_ref().and_then(|n| n.surname.as_ref()),
    ) {
        (Some(p), Some(q)) => part_level(p, q, None, a.soundex[1], b.soundex[1]),
        _ => NULL,
    }
}

/// The level of two dates of birth: see [`Field::levels`].
pub fn date_level(a: PartialDate, b: PartialDate) -> u8 {
    if a.day.is_some() && b.day.is_some() {
        if a == b {
            return 0;
        }
        if a.year == b.year && a.month == b.day && a.day == b.month {
            return 2;
        }
        let differ = (a.year != b.year) as u8 + (a.month != b.month) as u8 + (a.day != b.day) as u8;
        return if differ == 1 {
            3
        } else if a.year == b.year {
            4
        } else {
            5
        };
    }
    if a.year != b.year {
        return 5;
    }
    match (a.month, b.month) {
        (Some(x), Some(y)) if x != y => 4,
        _ => 1,
    }
}

/// One letter changed, added or dropped (Levenshtein distance 1), without allocating.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if long.len() - short.len() > 1 || x == y {
        return false;
    }
    let start = short.iter().zip(long).take_while(|(p, q)| p == q).count();
    if short.len() == long.len() {
        short[start + 1..] == long[start + 1..]
    } else {
        short[start..] == long[start + 1..]
    }
}

fn ident_text(i: &Ident) -> &str {
    match i {
        Ident::Normalised(v) | Ident::AsTyped(v) => v,
    }
}

fn postcode_level(a: &Prepared, b: &Prepared, ha: u64, hb: u64) -> u8 {
    match (&a.postcode, &b.postcode) {
        (Some(x), Some(y)) => {
            if ha == hb && x == y {
                0
            } else if one_edit_apart(ident_text(x), ident_text(y)) {
                1
            } else {
                2
            }
        }
        _ => NULL,
    }
}

fn address_level(a: &Prepared, b: &Prepared) -> u8 {
    let (Some(x), Some(y)) = (&a.address, &b.address) else {
        return NULL;
    };
    if x == y {
        return 0;
    }
    // Words shared, counted by merging the two sorted lists of word hashes.
    let (wa, wb) = (&a.address_words, &b.address_words);
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < wa.len() && j < wb.len() {
        match wa[i].cmp(&wb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let most = wa.len().max(wb.len());
    if shared * 3 >= most * 2 {
        1
    } else if shared > 0 {
        2
    } else {
        3
    }
}

/// The comparison vector of two records, every field compared.
pub(crate) fn gamma(a: &Prepared, b: &Prepared, ha: &[u64; SLOTS], hb: &[u64; SLOTS]) -> Gamma {
    let mut g = [NULL; FIELDS];
    let (gn, sn, order) = name_levels(a, b);
    g[0] = gn;
    g[1] = sn;
    g[2] = order;
    g[3] = match (a.dob, b.dob) {
        (Some(x), Some(y)) => date_level(x, y),
        _ => NULL,
    };
    for k in 0..4 {
        g[4 + k] = match (&a.strong[k], &b.strong[k]) {
            (Some(x), Some(y)) => u8::from(!(ha[2 + k] == hb[2 + k] && x == y)),
            _ => NULL,
        };
    }
    g[8] = match (&a.nickname, &b.nickname) {
        (Some(x), Some(y)) => u8::from(x != y),
        _ => NULL,
    };
    g[9] = postcode_level(a, b, ha[7], hb[7]);
    g[10] = address_level(a, b);
    g
}

// ---------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------

/// How a model is learnt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    /// Seeds the sampling of random pairs and of candidate pairs.
    pub seed: u64,
    /// Random record pairs sampled to estimate `u` (all pairs when there are fewer).
    pub random_pairs: usize,
    /// Candidate pairs EM is run on, at most (a seeded sample when there are more).
    pub em_pairs: usize,
    /// EM stops when no `m` moves by more than this, or after `max_iterations`.
    pub tolerance: f64,
    /// EM's tail can be slow where the likelihood is flat: the property test found a
    /// generated dataset (family logs) that needed more than 1,000 iterations to move by
    /// under 1e-6, and 10,000 leaves room. A run that converges sooner is unchanged.
    pub max_iterations: usize,
}

impl Default for Training {
    fn default() -> Training {
        Training {
            seed: 42,
            random_pairs: 100_000,
            em_pairs: 300_000,
            tolerance: 1e-6,
            max_iterations: 10_000,
        }
    }
}

/// The learnt Fellegi-Sunter parameters of one list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// The probability that two records drawn at random from the list are one person.
    pub prior: f64,
    /// `m[field][level]`: the share of pairs of one person at each level, among those
    /// where the comparison can be made.
    pub m: Vec<Vec<f64>>,
    /// `u[field][level]`: the same among pairs of different people.
    pub u: Vec<Vec<f64>>,
    /// The share of candidate pairs EM found to be one person.
    pub candidate_share: f64,
    /// EM iterations run, and whether it converged within the tolerance.
    pub iterations: usize,
    pub converged: bool,
    /// Candidate pairs EM ran on, and how many of them the rules accepted (its start).
    pub em_pairs: usize,
    pub seed_pairs: usize,
    /// Random pairs sampled for `u`.
    pub random_pairs: usize,
}

/// How many pseudo-pairs of the default tables every estimate is shrunk towards.
const PSEUDO_M: f64 = 1.0;
const PSEUDO_U: f64 = 100.0;
/// How many pseudo-records with an average value a value's frequency is shrunk towards.
const PSEUDO_RECORDS: f64 = 100.0;

impl Model {
    /// Default `m` and `u`: what a list of UK-style person records is expected to show,
    /// used to start EM when the rules accept nothing and to keep small lists sensible.
    pub fn default_tables() -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let rows: [(&[f64], &[f64]); FIELDS] = [
            (
                &[0.75, 0.1, 0.05, 0.03, 0.02, 0.04, 0.01],
                &[0.01, 0.002, 0.005, 0.03, 0.02, 0.03, 0.903],
            ),
            (
                &[0.85, 0.005, 0.06, 0.04, 0.02, 0.02, 0.005],
                &[0.001, 0.0001, 0.002, 0.02, 0.01, 0.03, 0.9369],
            ),
            (&[0.95, 0.05], &[0.999, 0.001]),
            (
                &[0.85, 0.08, 0.005, 0.04, 0.01, 0.015],
                &[0.0001, 0.02, 0.0001, 0.002, 0.02, 0.9578],
            ),
            (&[0.9, 0.1], &[0.0001, 0.9999]),
            (&[0.9, 0.1], &[0.0001, 0.9999]),
            (&[0.9, 0.1], &[0.0001, 0.9999]),
            (&[0.9, 0.1], &[0.0001, 0.9999]),
            (&[0.9, 0.1], &[0.0001, 0.9999]),
            (&[0.85, 0.05, 0.1], &[0.001, 0.005, 0.994]),
            (&[0.7, 0.15, 0.1, 0.05], &[0.0001, 0.001, 0.1, 0.8989]),
        ];
        let norm = |r: &[f64]| {
            let t: f64 = r.iter().sum();
            r.iter().map(|x| x / t).collect::<Vec<f64>>()
        };
        (
            rows.iter().map(|(m, _)| norm(m)).collect(),
            rows.iter().map(|(_, u)| norm(u)).collect(),
        )
    }

    /// log2(m / u) of a level.
    pub fn weight(&self, field: Field, level: u8) -> f64 {
        let (m, u) = (
            self.m[field.index()][level as usize],
            self.u[field.index()][level as usize],
        );
        (m / u).log2()
    }

    /// log2 of the prior odds that two records of the list are one person.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// The learnt table as CSV: `comparison,level,description,m,u,match_weight`, then the
    /// prior and how the model was learnt, as `#` lines an analyst can read.
    pub fn write_table<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(w, "comparison,level,description,m,u,match_weight")?;
        for f in Field::ALL {
            for (l, words) in f.levels().iter().enumerate() {
                writeln!(
                    w,
                    "{},{l},\"{words}\",{:.6},{:.8},{:+.2}",
                    f.column(),
                    self.m[f.index()][l],
                    self.u[f.index()][l],
                    self.weight(f, l as u8)
                )?;
            }
        }
        writeln!(
            w,
            "# prior: two records of this list are one person with probability {:.3e} (match weight {:+.2})",
            self.prior,
            self.prior_weight()
        )?;
        writeln!(
            w,
            "# u from {} random pairs (exact agreement from the frequency of each value); m by EM on {} candidate pairs, started from the {} the rules accept: {} iterations, {}; {:.4} of candidate pairs are one person",
            self.random_pairs,
            self.em_pairs,
            self.seed_pairs,
            self.iterations,
            if self.converged { "converged" } else { "did not converge" },
            self.candidate_share
        )?;
        writeln!(w, "# exact agreement on names, identifiers, postcode and address is adjusted by the value's frequency: log2(m / frequency) instead of log2(m / u)")
    }
}

/// SplitMix64: small, seedable, well mixed; enough for sampling pairs.
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
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
}

/// How often each value of each frequency-adjusted field occurs.
pub(crate) struct Frequencies {
    counts: [HashMap<u64, u32>; SLOTS],
    /// Records with the field.
    held: [u64; SLOTS],
    /// Pairs of records with the field that hold the same value.
    same_pairs: [f64; SLOTS],
}

impl Frequencies {
    pub(crate) fn count(hashes: &[[u64; SLOTS]]) -> Frequencies {
        let mut counts: [HashMap<u64, u32>; SLOTS] = Default::default();
        let mut held = [0u64; SLOTS];
        for h in hashes {
            for k in 0..SLOTS {
                if h[k] != 0 {
                    *counts[k].entry(h[k]).or_default() += 1;
                    held[k] += 1;
                }
            }
        }
        let mut same_pairs = [0.0; SLOTS];
        for k in 0..SLOTS {
            same_pairs[k] = counts[k]
                .values()
                .map(|&c| c as f64 * (c as f64 - 1.0) / 2.0)
                .sum();
        }
        Frequencies {
            counts,
            held,
            same_pairs,
        }
    }

    /// The share of records with the field that hold this value, shrunk towards the
    /// average share by [`PSEUDO_RECORDS`].
    fn share(&self, slot: usize, hash: u64, average: f64) -> f64 {
        let c = self.counts[slot].get(&hash).copied().unwrap_or(0) as f64;
        (c + PSEUDO_RECORDS * average) / (self.held[slot] as f64 + PSEUDO_RECORDS)
    }
}

/// A model with its per-record term-frequency adjustments, ready to score pairs.
pub(crate) struct Scorer {
    pub model: Model,
    /// `weights[field][level]`, log2(m / u).
    weights: Vec<Vec<f64>>,
    /// Per record and slot, what exact agreement on its value adds instead of the
    /// level's weight (0 when it has no value).
    tf: Vec<[f32; SLOTS]>,
    /// Per record, the most its given name, its family name, and its address and postcode
    /// could add with anyone.
    best: Vec<[f32; 3]>,
    /// What the name order adds as written (at most) and when transposed.
    straight_best: f64,
    transposed_order: f64,
    prior_weight: f64,
}

/// A pair's score: its match weight, and the levels it was made of.
pub(crate) struct Scored {
    pub weight: f64,
    pub gamma: Gamma,
}

impl Scorer {
    pub(crate) fn new(model: Model, hashes: &[[u64; SLOTS]], freq: &Frequencies) -> Scorer {
        let weights: Vec<Vec<f64>> = Field::ALL
            .iter()
            .map(|&f| {
                (0..f.levels().len())
                    .map(|l| model.weight(f, l as u8))
                    .collect()
            })
            .collect();
        let tf: Vec<[f32; SLOTS]> = on_two_cores(hashes, |h| {
            let mut out = [0f32; SLOTS];
            for (k, f) in SLOT_FIELDS.iter().enumerate() {
                if h[k] != 0 {
                    let u = model.u[f.index()][0];
                    let share = freq.share(k, h[k], u);
                    out[k] = (model.m[f.index()][0] / share).log2() as f32;
                }
            }
            out
        });
        let max_of = |f: Field| weights[f.index()].iter().copied().fold(f64::MIN, f64::max);
        let best = hashes
            .iter()
            .zip(&tf)
            .map(|(h, t)| {
                // Exact agreement on a name counts at the value's own weight when written
                // the same way round, at the level's weight when transposed. No part, or
                // none on the other side, adds nothing.
                let best = |slot: usize, f: Field| {
                    let own = if h[slot] == 0 {
                        f64::MIN
                    } else {
                        t[slot] as f64
                    };
                    max_of(f).max(own).max(0.0)
                };
                let mut other = 0.0;
                if h[8] != 0 {
                    other += best(8, Field::Address);
                }
                if h[7] != 0 {
                    other += best(7, Field::Postcode);
                }
                [
                    best(0, Field::GivenName) as f32,
                    best(1, Field::Surname) as f32,
                    other as f32,
                ]
            })
            .collect();
        let order = &weights[Field::NameOrder.index()];
        let transposed_order = order[1];
        Scorer {
            prior_weight: model.prior_weight(),
            straight_best: order[0].max(0.0),
            transposed_order,
            model,
            weights,
            tf,
            best,
        }
    }

    pub(crate) fn threshold_weight(probability: f64) -> f64 {
        (probability / (1.0 - probability)).log2()
    }

    /// The weight a level adds for pair `(i, j)`: for exact agreement on a
    /// frequency-adjusted field, the value's own weight; otherwise the level's. When the
    /// names are read transposed, the agreeing word stands as a given name on one side and
    /// a family name on the other, and the commoner of the two readings counts.
    fn level_weight(&self, f: Field, level: u8, i: usize, j: usize, transposed: bool) -> f64 {
        if level == 0 {
            let t = match (f, transposed) {
                (Field::GivenName, true) => self.tf[i][1].min(self.tf[j][0]),
                (Field::Surname, true) => self.tf[i][0].min(self.tf[j][1]),
                _ => f.slot().map_or(0.0, |slot| self.tf[j][slot]),
            };
            if t != 0.0 {
                return t as f64;
            }
        }
        self.weights[f.index()][level as usize]
    }

    pub(crate) fn weight_of(&self, g: &Gamma, i: usize, j: usize) -> f64 {
        let transposed = g[2] == 1;
        let mut w = self.prior_weight;
        for (k, &level) in g.iter().enumerate() {
            if level != NULL {
                w += self.level_weight(Field::ALL[k], level, i, j, transposed);
            }
        }
        w
    }

    /// The pair's weight when it could reach `threshold`; `None` when even the best the
    /// names, postcode and address could add would leave it short (exact: no pair that
    /// would pass is dropped).
    pub(crate) fn screen(
        &self,
        i: usize,
        j: usize,
        prepared: &[Prepared],
        hashes: &[[u64; SLOTS]],
        threshold: f64,
    ) -> Option<Scored> {
        let (a, b, ha, hb) = (&prepared[i], &prepared[j], &hashes[i], &hashes[j]);
        let mut cheap = self.prior_weight;
        if let (Some(x), Some(y)) = (a.dob, b.dob) {
            cheap += self.weights[Field::DateOfBirth.index()][date_level(x, y) as usize];
        }
        for k in 0..4 {
            if ha[2 + k] != 0 && hb[2 + k] != 0 {
                let f = Field::ALL[4 + k];
                cheap += self.level_weight(f, u8::from(ha[2 + k] != hb[2 + k]), i, j, false);
            }
        }
        if ha[6] != 0 && hb[6] != 0 {
            cheap += self.level_weight(Field::Nickname, u8::from(ha[6] != hb[6]), i, j, false);
        }
        let (bi, bj) = (&self.best[i], &self.best[j]);
        let best = |k: usize| bi[k].min(bj[k]) as f64;
        let rest = cheap + best(2);
        // Read transposed, a name agreeing exactly counts for at most what it would as
        // the second record's own given or family name.
        let transposed_best = bj[0] as f64 + bj[1] as f64 + self.transposed_order;
        let straight_best = best(0) + best(1) + self.straight_best;
        if rest + straight_best.max(transposed_best) < threshold {
            return None;
        }
        // The family name as written next: most pairs blocking makes that are two people
        // differ there, and then only a transposed reading could save them.
        let sl = surname_level(a, b);
        let ws = if sl == NULL {
            0.0
        } else {
            self.level_weight(Field::Surname, sl, i, j, false)
        };
        let all_parts = |p: &Prepared| {
            p.name
                .as_ref()
                .is_some_and(|n| n.given.is_some() && n.surname.is_some())
        };
        let transposed = if all_parts(a) && all_parts(b) {
            rest + transposed_best
        } else {
            f64::MIN
        };
        if (rest + ws + best(0) + self.straight_best).max(transposed) < threshold {
            return None;
        }
        let gamma = gamma(a, b, ha, hb);
        Some(Scored {
            weight: self.weight_of(&gamma, i, j),
            gamma,
        })
    }

    /// What each comparison added, in order: `(field, level, weight, base weight when the
    /// value's frequency changed it)`.
    pub(crate) fn contributions(
        &self,
        g: &Gamma,
        i: usize,
        j: usize,
    ) -> Vec<(Field, u8, f64, Option<f64>)> {
        let transposed = g[2] == 1;
        Field::ALL
            .iter()
            .zip(g)
            .filter(|(_, &l)| l != NULL)
            .map(|(&f, &l)| {
                let w = self.level_weight(f, l, i, j, transposed);
                let base = self.weights[f.index()][l as usize];
                (f, l, w, ((w - base).abs() > 1e-9).then_some(base))
            })
            .collect()
    }

    pub(crate) fn prior_weight(&self) -> f64 {
        self.prior_weight
    }
}

/// `u` for each field and level, from `random` pairs of records and, for exact agreement
/// on frequency-adjusted fields, from the frequency of each value.
pub(crate) fn estimate_u(
    prepared: &[Prepared],
    hashes: &[[u64; SLOTS]],
    freq: &Frequencies,
    training: &Training,
) -> (Vec<Vec<f64>>, usize) {
    let n = prepared.len();
    let all_pairs = n * n.saturating_sub(1) / 2;
    let pairs: Vec<(u32, u32)> = if all_pairs <= training.random_pairs {
        (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i as u32, j as u32)))
            .collect()
    } else {
        let mut rng = Rng(training.seed ^ 0x0055_AA11_u64);
        (0..training.random_pairs)
            .map(|_| {
                let i = rng.below(n);
                let mut j = rng.below(n - 1);
                if j >= i {
                    j += 1;
                }
                (i as u32, j as u32)
            })
            .collect()
    };
    let sampled = pairs.len();
    let counts = level_counts(&pairs, prepared, hashes);
    let (_, u_default) = Model::default_tables();
    let mut u = u_default.clone();
    for f in Field::ALL {
        let k = f.index();
        let c = &counts[k];
        let d = &u_default[k];
        let total: f64 = c.iter().sum();
        if let Some(slot) = f.slot() {
            let held = freq.held[slot] as f64;
            let possible = held * (held - 1.0).max(0.0) / 2.0;
            let exact = (freq.same_pairs[slot] + PSEUDO_U * d[0]) / (possible + PSEUDO_U);
            let rest: f64 = total - c[0];
            for l in 1..d.len() {
                u[k][l] =
                    (c[l] + PSEUDO_U * d[l]) / (rest + PSEUDO_U * (1.0 - d[0])) * (1.0 - exact);
            }
            u[k][0] = exact;
        } else {
            for l in 0..d.len() {
                u[k][l] = (c[l] + PSEUDO_U * d[l]) / (total + PSEUDO_U);
            }
        }
    }
    (u, sampled)
}

/// How many pairs fall at each level of each field.
fn level_counts(
    pairs: &[(u32, u32)],
    prepared: &[Prepared],
    hashes: &[[u64; SLOTS]],
) -> Vec<Vec<f64>> {
    let chunk = pairs.len().div_ceil(2).max(1);
    let parts: Vec<&[(u32, u32)]> = pairs.chunks(chunk).collect();
    let counted = on_two_cores(&parts, |part| {
        let mut c: Vec<Vec<f64>> = Field::ALL
            .iter()
            .map(|f| vec![0.0; f.levels().len()])
            .collect();
        for &(i, j) in part.iter() {
            let (i, j) = (i as usize, j as usize);
            let g = gamma(&prepared[i], &prepared[j], &hashes[i], &hashes[j]);
            for (k, &l) in g.iter().enumerate() {
                if l != NULL {
                    c[k][l as usize] += 1.0;
                }
            }
        }
        c
    });
    let mut total: Vec<Vec<f64>> = Field::ALL
        .iter()
        .map(|f| vec![0.0; f.levels().len()])
        .collect();
    for c in counted {
        for (t, x) in total.iter_mut().zip(c) {
            for (a, b) in t.iter_mut().zip(x) {
                *a += b;
            }
        }
    }
    total
}

/// Comparison vectors with how many pairs have each, sorted, so that EM's sums run in
/// one order whatever the order of the records.
pub type Patterns = Vec<(Gamma, f64)>;

/// The patterns of `pairs`, and how many of each the rules accepted.
pub(crate) fn patterns(
    pairs: &[(u32, u32, bool)],
    prepared: &[Prepared],
    hashes: &[[u64; SLOTS]],
) -> (Patterns, Patterns) {
    let chunk = pairs.len().div_ceil(2).max(1);
    let parts: Vec<&[(u32, u32, bool)]> = pairs.chunks(chunk).collect();
    let counted = on_two_cores(&parts, |part| {
        let mut all: HashMap<Gamma, (f64, f64)> = HashMap::default();
        for &(i, j, accepted) in part.iter() {
            let (i, j) = (i as usize, j as usize);
            let g = gamma(&prepared[i], &prepared[j], &hashes[i], &hashes[j]);
            let e = all.entry(g).or_default();
            e.0 += 1.0;
            if accepted {
                e.1 += 1.0;
            }
        }
        all
    });
    let mut all: HashMap<Gamma, (f64, f64)> = HashMap::default();
    for c in counted {
        for (g, (n, a)) in c {
            let e = all.entry(g).or_default();
            e.0 += n;
            e.1 += a;
        }
    }
    let mut v: Vec<(Gamma, (f64, f64))> = all.into_iter().collect();
    v.sort_unstable_by_key(|a| a.0);
    (
        v.iter().map(|(g, (n, _))| (*g, *n)).collect(),
        v.iter()
            .filter(|(_, (_, a))| *a > 0.0)
            .map(|(g, (_, a))| (*g, *a))
            .collect(),
    )
}

/// What EM found.
#[derive(Debug, Clone, PartialEq)]
pub struct EmResult {
    /// The share of pairs that match.
    pub lambda: f64,
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub iterations: usize,
    pub converged: bool,
}

fn distribution(patterns: &Patterns, prior: &[Vec<f64>], pseudo: f64) -> Vec<Vec<f64>> {
    let mut c: Vec<Vec<f64>> = prior.iter().map(|r| vec![0.0; r.len()]).collect();
    for (g, n) in patterns {
        for (k, &l) in g.iter().enumerate() {
            if l != NULL {
                c[k][l as usize] += n;
            }
        }
    }
    c.iter()
        .zip(prior)
        .map(|(row, p)| {
            let t: f64 = row.iter().sum();
            row.iter()
                .zip(p)
                .map(|(x, d)| (x + pseudo * d) / (t + pseudo))
                .collect()
        })
        .collect()
}

/// Expectation maximisation of a two-class mixture over comparison vectors with
/// conditionally independent fields: `m`, `u` and the share of matches, started from
/// `seed` (the patterns of pairs taken to match at the start). Levels no pair shows keep
/// the defaults' proportions, shrunk in by one pseudo-pair.
pub fn em(all: &Patterns, seed: &Patterns, training: &Training) -> EmResult {
    let (m_default, u_default) = Model::default_tables();
    let total: f64 = all.iter().map(|(_, n)| n).sum();
    let seeded: f64 = seed.iter().map(|(_, n)| n).sum();
    let (mut lambda, mut m, mut u) = if seeded >= 1.0 && seeded < total {
        // The rest: every pattern's count less what the rules accepted of it.
        let mut rest = all.clone();
        let mut s = 0;
        for (g, n) in rest.iter_mut() {
            while s < seed.len() && seed[s].0 < *g {
                s += 1;
            }
            if s < seed.len() && seed[s].0 == *g {
                *n -= seed[s].1;
            }
        }
        (
            seeded / total,
            distribution(seed, &m_default, PSEUDO_M),
            distribution(&rest, &u_default, PSEUDO_M),
        )
    } else {
        (0.01, m_default.clone(), u_default.clone())
    };
    let mut iterations = 0;
    let mut converged = false;
    if total <= 0.0 {
        return EmResult {
            lambda,
            m,
            u,
            iterations,
            converged: true,
        };
    }
    while iterations < training.max_iterations {
        iterations += 1;
        let mut mc: Vec<Vec<f64>> = m.iter().map(|r| vec![0.0; r.len()]).collect();
        let mut uc = mc.clone();
        let mut matched = 0.0;
        for (g, n) in all {
            let (mut pm, mut pu) = (lambda.ln(), (1.0 - lambda).ln());
            for (k, &l) in g.iter().enumerate() {
                if l != NULL {
                    pm += m[k][l as usize].ln();
                    pu += u[k][l as usize].ln();
                }
            }
            let p = 1.0 / (1.0 + (pu - pm).exp());
            matched += n * p;
            for (k, &l) in g.iter().enumerate() {
                if l != NULL {
                    mc[k][l as usize] += n * p;
                    uc[k][l as usize] += n * (1.0 - p);
                }
            }
        }
        let norm = |c: Vec<Vec<f64>>, d: &[Vec<f64>]| -> Vec<Vec<f64>> {
            c.iter()
                .zip(d)
                .map(|(row, p)| {
                    let t: f64 = row.iter().sum();
                    row.iter()
                        .zip(p)
                        .map(|(x, dd)| (x + PSEUDO_M * dd) / (t + PSEUDO_M))
                        .collect()
                })
                .collect()
        };
        let new_m = norm(mc, &m_default);
        let new_u = norm(uc, &u_default);
        let new_lambda = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        let moved = new_m
            .iter()
            .flatten()
            .zip(m.iter().flatten())
            .chain(new_u.iter().flatten().zip(u.iter().flatten()))
            .map(|(a, b)| (a - b).abs())
            .fold((new_lambda - lambda).abs(), f64::max);
        m = new_m;
        u = new_u;
        lambda = new_lambda;
        if moved < training.tolerance {
            converged = true;
            break;
        }
    }
    EmResult {
        lambda,
        m,
        u,
        iterations,
        converged,
    }
}

/// The patterns of the pairs `keep` selects, with the comparisons `ignore` names not
/// compared, merged and sorted again.
fn session_patterns(p: &Patterns, keep: &dyn Fn(&Gamma) -> bool, ignore: &[Field]) -> Patterns {
    let mut merged: std::collections::BTreeMap<Gamma, f64> = Default::default();
    for (g, n) in p.iter().filter(|(g, _)| keep(g)) {
        let mut g = *g;
        for f in ignore {
            g[f.index()] = NULL;
        }
        *merged.entry(g).or_default() += n;
    }
    merged.into_iter().collect()
}

/// EM in three sessions, as Splink trains: over all candidate pairs (for the share that
/// match, and as the fallback), over the pairs whose dates of birth agree to the day
/// (for every m but the date's), and over the pairs whose given and family names are the
/// same (for every m but the names'). A comparison's m comes from the sessions that do
/// not select on it (averaged over both for identifiers, postcode and address). Without
/// this, pairs of different people who share a rare name look like matches to a single
/// EM run (names are most of what blocking selects on), and it learns that one person's
/// records often have different dates of birth.
pub fn em_in_sessions(all: &Patterns, seed: &Patterns, training: &Training) -> EmResult {
    let mut r = em(all, seed, training);
    let date = Field::DateOfBirth.index();
    let (given, surname) = (Field::GivenName.index(), Field::Surname.index());
    let names = [Field::GivenName, Field::Surname, Field::NameOrder];
    let session = |keep: &dyn Fn(&Gamma) -> bool, ignore: &[Field]| {
        let a = session_patterns(all, keep, ignore);
        let total: f64 = a.iter().map(|(_, n)| n).sum();
        (total >= MIN_SESSION_PAIRS)
            .then(|| em(&a, &session_patterns(seed, keep, ignore), training))
    };
    let by_date = session(&|g| g[date] == 0, &[Field::DateOfBirth]);
    let by_name = session(&|g| g[given] == 0 && g[surname] == 0, &names);
    for f in Field::ALL {
        let k = f.index();
        let mut from: Vec<&Vec<f64>> = Vec::new();
        if let Some(s) = by_date.as_ref().filter(|_| f != Field::DateOfBirth) {
            from.push(&s.m[k]);
        }
        if let Some(s) = by_name.as_ref().filter(|_| !names.contains(&f)) {
            from.push(&s.m[k]);
        }
        if !from.is_empty() {
            r.m[k] = (0..r.m[k].len())
                .map(|l| from.iter().map(|m| m[l]).sum::<f64>() / from.len() as f64)
                .collect();
        }
    }
    for s in [&by_date, &by_name].into_iter().flatten() {
        r.iterations += s.iterations;
        r.converged &= s.converged;
    }
    r
}

/// A session of EM needs at least this many pairs, or its comparisons keep the m of the
/// run over all candidate pairs.
const MIN_SESSION_PAIRS: f64 = 200.0;

/// A candidate pair is in EM's sample when its seeded hash falls below this share.
pub(crate) fn in_sample(seed: u64, pair: u64, share: f64) -> bool {
    let mut r = Rng(seed ^ pair.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    (r.next() >> 11) as f64 / (1u64 << 53) as f64 <= share
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn date_levels() {
        assert_eq!(date_level(d("1990-04-12"), d("1990-04-12")), 0);
        assert_eq!(date_level(d("1990-04"), d("1990-04-12")), 1);
        assert_eq!(date_level(d("1990"), d("1990-04-12")), 1);
        assert_eq!(date_level(d("1990-04-12"), d("1990-12-04")), 2);
        assert_eq!(date_level(d("1990-04-12"), d("1990-04-13")), 3);
        assert_eq!(date_level(d("1991-04-12"), d("1990-04-12")), 3);
        assert_eq!(date_level(d("1990-05-13"), d("1990-04-12")), 4);
        assert_eq!(date_level(d("1990-05"), d("1990-04")), 4);
        assert_eq!(date_level(d("1991-05-13"), d("1990-04-12")), 5);
        assert_eq!(date_level(d("1991"), d("1990-04-12")), 5);
    }

    #[test]
    fn name_part_levels() {
        let part = |a: &str, b: &str, nick: bool| {
            use crate::names::soundex_key;
            let groups = nick.then(|| (nickname_groups(a), nickname_groups(b)));
            part_level(a, b, groups, soundex_key(a), soundex_key(b))
        };
        assert_eq!(part("daniel", "daniel", true), 0);
        assert_eq!(part("danny", "daniel", true), 1);
        assert_eq!(part("danny", "daniel", false), 6);
        assert_eq!(part("marlcroft", "marlcrofft", false), 2);
        assert_eq!(part("d", "daniel", true), 5);
        assert_eq!(part("d", "danny", true), 5);
        assert_eq!(part("d", "d", true), 5);
        assert_eq!(part("k", "daniel", true), 6);
        assert_eq!(part("daniel", "precious", true), 6);
        let p = |s: &str| {
            crate::link::prepare(&crate::PersonRecord {
                full_name: Some(s.into()),
                ..Default::default()
            })
        };
        let n = |a: &str, b: &str| name_levels(&p(a), &p(b));
        assert_eq!(n("Khan Daniel", "Daniel Khan"), (0, 0, 1));
        assert_eq!(n("Daniel Khan", "Danny Khan"), (1, 0, 0));
        assert_eq!(n("Danny K", "Daniel Khan"), (1, 5, 0));
        assert_eq!(n("Danny", "Daniel Khan"), (1, NULL, NULL));
    }

    #[test]
    fn jaro_winkler_is_strsims() {
        let mut rng = Rng(7);
        let word = |rng: &mut Rng| {
            let len = rng.below(12);
            (0..len)
                .map(|_| (b'a' + rng.below(6) as u8) as char)
                .collect::<String>()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(&mut rng), word(&mut rng));
            let (ours, theirs) = (jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
            assert!((ours - theirs).abs() < 1e-12, "{a} {b}: {ours} {theirs}");
        }
        assert_eq!(
            jaro_winkler("zoë", "zoe"),
            strsim::jaro_winkler("zoë", "zoe")
        );
    }

    /// Pairs drawn from a known model: with probability `lambda` a match, its levels
    /// drawn from `m`, otherwise from `u`, for four fields (the others not compared).
    fn draw(
        lambda: f64,
        m: &[Vec<f64>],
        u: &[Vec<f64>],
        n: usize,
        seed: u64,
    ) -> Vec<(Gamma, bool)> {
        let fields = [
            Field::GivenName,
            Field::DateOfBirth,
            Field::Phone,
            Field::Postcode,
        ];
        let mut rng = Rng(seed);
        let mut uniform = move || (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        (0..n)
            .map(|_| {
                let matched = uniform() < lambda;
                let mut g = [NULL; FIELDS];
                for (k, f) in fields.iter().enumerate() {
                    let p = if matched { &m[k] } else { &u[k] };
                    let (mut x, mut l) = (uniform(), 0);
                    while l + 1 < p.len() && x >= p[l] {
                        x -= p[l];
                        l += 1;
                    }
                    g[f.index()] = l as u8;
                }
                (g, matched)
            })
            .collect()
    }

    fn tally(pairs: &[(Gamma, bool)], only_matched: bool) -> Patterns {
        let mut c: HashMap<Gamma, f64> = HashMap::default();
        for (g, matched) in pairs {
            if !only_matched || *matched {
                *c.entry(*g).or_default() += 1.0;
            }
        }
        let mut v: Patterns = c.into_iter().collect();
        v.sort_unstable_by_key(|p| p.0);
        v
    }

    /// On 200,000 pairs drawn from a known model, EM started from a rough guess (the pairs
    /// whose given names agree exactly, a fifth of which are not matches) recovers the
    /// share of matches within 0.01 and every m and u within 0.02.
    #[test]
    fn em_recovers_known_m_and_u() {
        let m = vec![
            vec![0.70, 0.10, 0.08, 0.04, 0.03, 0.03, 0.02],
            vec![0.80, 0.05, 0.02, 0.08, 0.03, 0.02],
            vec![0.60, 0.40],
            vec![0.75, 0.10, 0.15],
        ];
        let u = vec![
            vec![0.05, 0.01, 0.02, 0.10, 0.05, 0.07, 0.70],
            vec![0.01, 0.05, 0.01, 0.03, 0.10, 0.80],
            vec![0.05, 0.95],
            vec![0.10, 0.10, 0.80],
        ];
        let lambda = 0.2;
        let pairs = draw(lambda, &m, &u, 200_000, 11);
        let all = tally(&pairs, false);
        // The rough start: every pair whose given names are the same.
        let start: Vec<(Gamma, bool)> = pairs.iter().map(|(g, _)| (*g, g[0] == 0)).collect();
        let seed = tally(&start, true);
        let r = em(&all, &seed, &Training::default());
        assert!(r.converged, "{} iterations", r.iterations);
        assert!((r.lambda - lambda).abs() < 0.01, "lambda {}", r.lambda);
        let fields = [
            Field::GivenName,
            Field::DateOfBirth,
            Field::Phone,
            Field::Postcode,
        ];
        for (k, f) in fields.iter().enumerate() {
            for l in 0..m[k].len() {
                let (em_m, em_u) = (r.m[f.index()][l], r.u[f.index()][l]);
                assert!(
                    (em_m - m[k][l]).abs() < 0.02,
                    "{f:?} level {l}: m {em_m} for {}",
                    m[k][l]
                );
                assert!(
                    (em_u - u[k][l]).abs() < 0.02,
                    "{f:?} level {l}: u {em_u} for {}",
                    u[k][l]
                );
            }
        }
        // The same pairs in another order give the same result to the last bit.
        let mut reversed = pairs.clone();
        reversed.reverse();
        let start: Vec<(Gamma, bool)> = reversed.iter().map(|(g, _)| (*g, g[0] == 0)).collect();
        assert_eq!(
            em(
                &tally(&reversed, false),
                &tally(&start, true),
                &Training::default()
            ),
            r
        );
    }

    #[test]
    fn one_edit_apart_is_levenshtein_one() {
        let words = [
            "", "a", "ab", "ba", "abc", "abd", "acb", "abcd", "bcd", "M11AA", "M1 1AA",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_edit_apart(a, b),
                    strsim::levenshtein(a, b) == 1,
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn every_level_has_words_and_a_default() {
        let (m, u) = Model::default_tables();
        for f in Field::ALL {
            assert_eq!(m[f.index()].len(), f.levels().len(), "{f:?}");
            assert_eq!(u[f.index()].len(), f.levels().len(), "{f:?}");
            assert_eq!(Field::ALL[f.index()], f);
        }
    }
}
