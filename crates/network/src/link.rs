//! Batch linking of person records.
//!
//! 1. **Prepare** each record once: names folded ([`crate::names`]), identifiers
//!    normalised by `alongside_domain::identifiers` (one that does not parse is kept as
//!    typed, trimmed, and only ever equals the same text typed elsewhere), date of birth
//!    read at the precision given (year, month or day).
//! 2. **Count**: how many records hold each identifier, street nickname and name, and how
//!    often given and family names occur, so that what is widely shared does not count
//!    as pointing at one person ([`RARE_MAX`], [`COMMON_NAME`], [`NAME_CHANCE_MAX`]).
//! 3. **Block**: every record gets a few keys; only records sharing a key are compared.
//!    Keys: each rare identifier (phone, vehicle, email, handle) and street nickname; the
//!    Soundex of the family name with the year of birth; the Soundex of the family name
//!    with the first letter of the given name's nickname group (so "Danny", "Dan" and
//!    "D" share "daniel"'s "d"); those two with the parts transposed; and a full date of
//!    birth with the first letter of either part of the name. A key held by more than
//!    [`MAX_BLOCK`] records is not used (it is reported); within a block of more than
//!    [`SMALL_BLOCK`], records are compared with their [`WINDOW`] nearest by name.
//! 4. **Learn** a Fellegi-Sunter model from the list ([`crate::fellegi_sunter`]): u by
//!    random sampling, m by EM on a sample of the candidate pairs started from the pairs
//!    the hand-written rules accept ([`compare_records`]), term frequencies of values.
//! 5. **Score** each candidate pair by the model and keep those whose match probability
//!    is at least [`Settings::threshold`] ([`MATCH_PROBABILITY`]), with reasons that add
//!    up to the match weight. Screening runs on all cores and compares names, postcodes
//!    and addresses only when they could lift the pair to the threshold.
//! 6. **Cluster** with union-find, strongest pairs first, never joining two clusters when
//!    a record of each looks more like two people than one. A cluster is named by its
//!    smallest id.
//!
//! [`link_by_rules`] links by the rules alone (decision 0007), scoring as [`compare_records`] does
//! against [`THRESHOLD`] and refusing joins of clusters with different dates of birth.
//!
//! Records are sorted by id first, so the result does not depend on the input order.

use rustc_hash::FxHashMap as HashMap;

use alongside_domain::identifiers::{Email, Handle, PhoneNumber, Postcode, VehicleMark};

use crate::fellegi_sunter::{
    em_in_sessions, estimate_u, gamma, in_sample, patterns, value_hashes, Field, Frequencies,
    Model, Scored, Scorer, Training, SLOTS,
};
use crate::names::{
    compare_names, fold, name_agreement, nickname_groups, soundex_key, Name, NameComparison,
};

/// Pairs scoring at least this are accepted.
pub const THRESHOLD: f64 = 0.8;
/// A blocking key held by more records than this is not used.
pub const MAX_BLOCK: usize = 1000;
/// Within a block larger than this, records are not all compared with each other: they
/// are sorted (by family name, given name, then date of birth) and each is compared with the next
/// [`WINDOW`] (sorted neighbourhood), so the work grows with the records, not their square.
pub const SMALL_BLOCK: usize = 40;
/// How far the sorted-neighbourhood window reaches in a large block.
pub const WINDOW: usize = 8;
/// A phone, vehicle, email or handle held by more records than this is shared too widely
/// to point at one person (a family landline, a car lent around a network): it neither
/// blocks nor adds to a pair's score, though it stays a link in the network picture.
pub const RARE_MAX: usize = 12;
/// A name (nickname group and family name) held by more records than this, or under which
/// two different full dates of birth are seen, is common in the data: alone, with nothing
/// but a year of birth agreeing (see [`NAME_CHANCE_MAX`]), it links nothing.
pub const COMMON_NAME: usize = 6;
/// How many records of other people a name may be expected to turn up in, by chance,
/// and still count as rare: the records with its given name but not this name, times
/// those with its family name but not this name, over all records (a term-frequency
/// estimate). "John Smith" may be held by two records only, yet both of its parts are
/// common, so in a large list it is likely to be two people; "Amanda Ackuywick" is not.
/// When two records' years of birth agree (and nothing finer), the estimate is multiplied
/// by the chance that two records' years agree, and that alone decides: a name held by
/// many records may still be rare among the people born in one year.
pub const NAME_CHANCE_MAX: f64 = 0.25;
/// What a pair loses when nothing but a common or inexact name agrees.
const NAME_ALONE_COST: f64 = 0.25;

/// A record about a person. Everything but `id` is optional. Dates of birth may be
/// partial: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (or `DD/MM/YYYY`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: String,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub full_name: Option<String>,
    /// A street name or alias ("Blade"), compared as a whole.
    pub nickname: Option<String>,
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub vehicle: Option<String>,
    pub email: Option<String>,
    pub handle: Option<String>,
    pub postcode: Option<String>,
    pub address: Option<String>,
}

/// Two records with the same id were given to [`link`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the id '{0}' is used by more than one record")]
pub struct DuplicateId(pub String);

/// A date of birth at the precision it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD/MM/YYYY`; `None` if it is none of these or
    /// not a possible date.
    pub fn parse(text: &str) -> Option<PartialDate> {
        let t = text.trim();
        let parts: Vec<&str> = if t.contains('/') {
            let mut p: Vec<&str> = t.split('/').collect();
            p.reverse();
            p
        } else {
            t.split('-').collect()
        };
        let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        let year = num(parts.first()?, 4..=4)?;
        if !(1900..=2100).contains(&year) {
            return None;
        }
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 1..=2).filter(|m| (1..=12).contains(m))? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 1..=2)? as u8;
                let m = month?;
                let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                let max = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                if d == 0 || d > max {
                    return None;
                }
                Some(d)
            }
            None => None,
        };
        if parts.len() > 3 {
            return None;
        }
        Some(PartialDate { year, month, day })
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// An identifier as compared: normalised, or (when it does not parse) as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ident {
    Normalised(String),
    AsTyped(String),
}

impl Ident {
    fn new<T, E>(
        raw: &Option<String>,
        parse: fn(&str) -> Result<T, E>,
        norm: fn(&T) -> &str,
    ) -> Option<Ident> {
        let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        Some(match parse(raw) {
            Ok(v) => Ident::Normalised(norm(&v).to_string()),
            Err(_) => Ident::AsTyped(raw.to_string()),
        })
    }

    fn key(&self) -> String {
        match self {
            Ident::Normalised(v) => format!("={v}"),
            Ident::AsTyped(v) => format!("~{v}"),
        }
    }

    pub(crate) fn words(&self) -> String {
        match self {
            Ident::Normalised(v) => v.clone(),
            Ident::AsTyped(v) => format!("'{v}' (as typed; not recognised)"),
        }
    }
}

/// The kinds of identifier that point strongly at one person.
const STRONG: [&str; 4] = ["phone", "vehicle", "email", "handle"];

/// A record read once: names folded, identifiers normalised, for comparing and explaining.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) name: Option<Name>,
    pub(crate) dob: Option<PartialDate>,
    /// phone, vehicle, email, handle, in the order of [`STRONG`].
    pub(crate) strong: [Option<Ident>; 4],
    pub(crate) postcode: Option<Ident>,
    pub(crate) address: Option<String>,
    pub(crate) nickname: Option<String>,
    pub(crate) nickname_display: Option<String>,
    /// Soundex of the given and family names (zeros for none), computed once: every
    /// comparison of names that are not spelt alike reads them.
    pub(crate) soundex: [[u8; 4]; 2],
    /// The nickname groups of the given and family names ([`nickname_groups`]).
    pub(crate) groups: [&'static [&'static str]; 2],
    /// The address's words, hashed and sorted (with repeats), for counting shared words.
    pub(crate) address_words: Vec<u64>,
}

/// What screening a pair reads, packed together (88 bytes a record) so that the
/// tens of millions of candidate pairs touch little memory. Text is compared by 64-bit
/// hash here; a pair that passes is scored again on the text itself before it is kept.
#[derive(Debug, Clone, Copy)]
struct Screen {
    /// phone, vehicle, email, handle hashed (with their kind); 0 for none.
    strong: [u64; 4],
    /// Whether each identifier is rare enough to point at one person ([`RARE_MAX`]).
    rare: [bool; 4],
    nickname: u64,
    /// Whether the street nickname is rare enough to point at one person ([`RARE_MAX`]).
    nickname_rare: bool,
    postcode: u64,
    address: u64,
    /// The name's frequency key ([`name_frequency_key`]) hashed: two records with the same
    /// key carry the same name, up to a nickname and transposition. 0 for none.
    name_key: u64,
    dob: Option<PartialDate>,
    /// How many records of other people the name may be expected to turn up in by chance
    /// ([`NAME_CHANCE_MAX`]); infinite without both parts in full.
    name_chance: f32,
    /// [`Screen::name_chance`] among people born in the same year.
    name_chance_in_year: f32,
    /// Whether the name is common in this data ([`COMMON_NAME`], [`NAME_CHANCE_MAX`]).
    common_name: bool,
    /// How many records hold this full date of birth. Held by at most [`RARE_MAX`], it
    /// points at one person, like a rare identifier, even when a part of the names
    /// differs.
    born_that_day: u32,
}

pub(crate) fn prepare(r: &PersonRecord) -> Prepared {
    let name = Name::new(
        r.given_name.as_deref(),
        r.surname.as_deref(),
        r.full_name.as_deref(),
    );
    let nickname = r.nickname.as_deref().map(fold).filter(|s| !s.is_empty());
    let sx = |part: Option<&String>| part.map_or([0; 4], |w| soundex_key(w));
    let soundex = name.as_ref().map_or([[0; 4]; 2], |n| {
        [sx(n.given.as_ref()), sx(n.surname.as_ref())]
    });
    let address = r.address.as_deref().map(fold).filter(|s| !s.is_empty());
    let mut address_words: Vec<u64> = address
        .as_deref()
        .map_or(Vec::new(), |a| a.split(' ').map(h64).collect());
    address_words.sort_unstable();
    let groups = name.as_ref().map_or([&[][..]; 2], |n| {
        let g = |part: Option<&String>| part.map_or(&[][..], |w| nickname_groups(w));
        [g(n.given.as_ref()), g(n.surname.as_ref())]
    });
    Prepared {
        soundex,
        groups,
        address_words,
        name,
        dob: r.date_of_birth.as_deref().and_then(PartialDate::parse),
        strong: [
            Ident::new(&r.phone, PhoneNumber::parse, |v| v.normalised()),
            Ident::new(&r.vehicle, VehicleMark::parse, |v| v.normalised()),
            Ident::new(&r.email, Email::parse, |v| v.normalised()),
            Ident::new(&r.handle, Handle::parse, |v| v.normalised()),
        ],
        postcode: Ident::new(&r.postcode, Postcode::parse, |v| v.normalised()),
        address,
        nickname_display: nickname
            .as_ref()
            .and(r.nickname.as_ref())
            .map(|s| s.trim().to_string()),
        nickname,
    }
}

/// A record's [`Screen`] before anything is counted ([`count`] fills in what is rare).
fn screen(p: &Prepared) -> Screen {
    let mut strong = [0; 4];
    for (k, ident) in p.strong.iter().enumerate() {
        if let Some(i) = ident {
            strong[k] = h64(&(STRONG[k], i));
        }
    }
    Screen {
        strong,
        rare: [true; 4],
        nickname: p.nickname.as_ref().map_or(0, |n| h64(&("nick", n))),
        nickname_rare: true,
        postcode: p.postcode.as_ref().map_or(0, h64),
        address: p.address.as_ref().map_or(0, h64),
        name_key: name_frequency_key(p).map_or(0, |k| h64(&k)),
        dob: p.dob,
        name_chance: f32::INFINITY,
        name_chance_in_year: f32::INFINITY,
        common_name: true,
        born_that_day: 0,
    }
}

/// A 64-bit hash, never 0 (0 stands for "none"). A fast hash, not a DoS-resistant one.
/// Screening compares text by these, and a pair that passes is scored again on its text,
/// so there a collision costs only a wasted comparison. Counts, names' keys and blocks
/// are held under them too, where a collision (odds about 1 in 10^7 for 10^6 records)
/// would merge two counts or two blocks.
pub(crate) fn h64<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(t).max(1)
}

fn given_letters(given: &str) -> Vec<char> {
    let mut letters: Vec<char> = nickname_groups(given)
        .iter()
        .filter_map(|g| g.chars().next())
        .collect();
    letters.extend(given.chars().next());
    letters.sort_unstable();
    letters.dedup();
    letters
}

/// A blocking key: only records sharing one are compared. Blocks are held under the
/// key's hash; its words are needed only to report a block too large to use.
#[derive(Hash)]
enum BlockKey<'a> {
    Identifier(&'static str, &'a Ident),
    Nickname(&'a str),
    /// Soundex of a family name with the year of birth.
    SoundexYear([u8; 4], u16),
    /// Soundex of a family name with the first letter of the given name's nickname group.
    SoundexLetter([u8; 4], char),
    /// A full date of birth with the first letter of a part of the name.
    Birth(PartialDate, char),
}

impl std::fmt::Display for BlockKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sx = |k: &[u8; 4]| {
            String::from_utf8_lossy(k)
                .trim_end_matches('\0')
                .to_string()
        };
        match self {
            BlockKey::Identifier(kind, i) => write!(f, "{kind}{}", i.key()),
            BlockKey::Nickname(n) => write!(f, "nick={n}"),
            BlockKey::SoundexYear(k, y) => write!(f, "sy={}{y}", sx(k)),
            BlockKey::SoundexLetter(k, l) => write!(f, "sg={}{l}", sx(k)),
            BlockKey::Birth(d, c) => write!(f, "dob={d}{c}"),
        }
    }
}

/// Every blocking key of a record, each once.
fn blocking_keys<'a>(p: &'a Prepared, s: &Screen) -> Vec<BlockKey<'a>> {
    let mut keys = Vec::new();
    for (k, ident) in p.strong.iter().enumerate() {
        if let (Some(i), true) = (ident, s.rare[k]) {
            keys.push(BlockKey::Identifier(STRONG[k], i));
        }
    }
    if let (Some(n), true) = (&p.nickname, s.nickname_rare) {
        keys.push(BlockKey::Nickname(n));
    }
    if let Some(name) = &p.name {
        if let Some(sur) = &name.surname {
            let sx = soundex_key(sur);
            if let Some(d) = p.dob {
                keys.push(BlockKey::SoundexYear(sx, d.year));
            }
            if let Some(g) = &name.given {
                for l in given_letters(g) {
                    keys.push(BlockKey::SoundexLetter(sx, l));
                }
                // Transposed: the family name read as a given name and vice versa.
                let gx = soundex_key(g);
                for l in given_letters(sur) {
                    keys.push(BlockKey::SoundexLetter(gx, l));
                }
                if let Some(d) = p.dob {
                    keys.push(BlockKey::SoundexYear(gx, d.year));
                }
            }
        }
        // A full date of birth with the first letter of either part of the name, so that
        // "Harold F" meets "Harry Farnby" born on the same day.
        if let Some(d) = p.dob.filter(|d| d.day.is_some()) {
            let initials = [name.given.as_deref(), name.surname.as_deref()];
            for c in initials
                .into_iter()
                .flatten()
                .filter_map(|w| w.chars().next())
            {
                keys.push(BlockKey::Birth(d, c));
            }
        }
    }
    keys
}

/// The key a name's frequency is counted under: the given name's nickname group (or the
/// given name) and the family name; `None` without both.
fn name_frequency_key(p: &Prepared) -> Option<String> {
    let (canon, s) = name_parts(p)?;
    let (a, b) = if canon <= s { (canon, s) } else { (s, canon) };
    Some(format!("{a}|{b}"))
}

/// The given name's nickname group (or the given name) and the family name, both in
/// full; `None` without both.
fn name_parts(p: &Prepared) -> Option<(&str, &str)> {
    let n = p.name.as_ref()?;
    let (g, s) = (n.given.as_deref()?, n.surname.as_deref()?);
    if g.len() < 2 || s.len() < 2 {
        return None;
    }
    Some((nickname_groups(g).first().copied().unwrap_or(g), s))
}

/// `f` of every item, in order, the two halves worked side by side.
pub(crate) fn on_two_cores<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let (a, b) = items.split_at(items.len() / 2);
    let (mut first, second) = both(
        || a.iter().map(&f).collect::<Vec<U>>(),
        || b.iter().map(&f).collect::<Vec<U>>(),
    );
    first.extend(second);
    first
}

/// Two sorted vectors merged into one, without duplicates.
fn merge_dedup<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = if j == b.len() || (i < a.len() && a[i] <= b[j]) {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        if merged.last() != Some(&next) {
            merged.push(next);
        }
    }
    merged
}

/// Runs `f` on each of two halves at once, and returns both results.
fn both<A: Send, B: Send>(f: impl FnOnce() -> A + Send, g: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|s| {
        let other = s.spawn(f);
        let second = g();
        // A panic on the other core is a bug: carry it on rather than lose its items.
        match other.join() {
            Ok(first) => (first, second),
            Err(e) => std::panic::resume_unwind(e),
        }
    })
}

/// The order records take inside a large block: the folded family name, the given name,
/// then the date of birth, so that the same name written twice sits together whether or
/// not a date of birth was given.
fn neighbourhood_key(p: &Prepared) -> (Option<&str>, Option<&str>, Option<PartialDate>) {
    let name = p.name.as_ref();
    (
        name.and_then(|n| n.surname.as_deref()),
        name.and_then(|n| n.given.as_deref()),
        p.dob,
    )
}

/// Why two records were linked (or not), in words an analyst can check.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// `names 'Danny K' ~ 'Daniel Khan': nickname + initial`
    Names(NameComparison),
    /// `same phone +447700900123`
    SameIdentifier {
        kind: &'static str,
        value: String,
    },
    /// `dates of birth 1990-04-12 and 1990-04 agree`, or `... differ`
    DatesOfBirth {
        a: PartialDate,
        b: PartialDate,
        agree: bool,
    },
    /// `same nickname 'Blade'`
    SameNickname(String),
    SamePostcode(String),
    SameAddress(String),
    /// The pair scored high enough, but joining it would put different dates of birth in
    /// one cluster.
    NotClustered,
    /// Nothing besides the name corroborates the link, and the name is not the same name
    /// in full on both sides and rare in the list.
    NameAlone,
    /// A part of the names differs, and only a date of birth agrees that many records in
    /// the list share (or that is not given in full).
    DateOfBirthAlone,
    /// The same name, rare in the list (or among people born in the same year), links
    /// with nothing else agreeing: `expected` is how many records of other people would
    /// carry it by chance ([`NAME_CHANCE_MAX`]).
    RareName {
        expected: f64,
        same_year: bool,
    },
    /// A part of the names differs, but the full date of birth that agrees is held by
    /// only `held_by` records in the list ([`RARE_MAX`]).
    RareDateOfBirth {
        held_by: u32,
    },
    /// Where a learnt model's score starts: the log2 odds that two records of the list
    /// are one person, before anything is compared.
    Prior {
        weight: f64,
        probability: f64,
    },
    /// What one comparison added to (or took from) the match weight. `usual` is the
    /// level's weight when the value's frequency in the list changed it; `detail` names
    /// the values compared.
    Evidence {
        field: Field,
        level: u8,
        weight: f64,
        usual: Option<f64>,
        detail: String,
    },
}

impl Reason {
    /// What the reason adds to a learnt model's match weight (0 for the reasons of the
    /// rules, and for [`Reason::NotClustered`]): an accepted pair's reasons add up to its
    /// [`AcceptedPair::match_weight`].
    pub fn weight(&self) -> f64 {
        match self {
            Reason::Prior { weight, .. } | Reason::Evidence { weight, .. } => *weight,
            _ => 0.0,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Names(c) => write!(f, "{c}"),
            Reason::SameIdentifier { kind, value } => write!(f, "same {kind} {value}"),
            Reason::DatesOfBirth { a, b, agree } => write!(
                f,
                "dates of birth {a} and {b} {}",
                if *agree { "agree" } else { "differ" }
            ),
            Reason::SameNickname(n) => write!(f, "same nickname '{n}'"),
            Reason::SamePostcode(p) => write!(f, "same postcode {p}"),
            Reason::SameAddress(a) => write!(f, "same address '{a}'"),
            Reason::NameAlone => write!(
                f,
                "nothing besides the name corroborates it (-{NAME_ALONE_COST}): a name alone links only when it is the same name, or a nickname of it, in full on both sides and rare in the list"
            ),
            Reason::DateOfBirthAlone => write!(
                f,
                "only the date of birth agrees, and a part of the names differs (-{NAME_ALONE_COST}): a date of birth that many records in the list share, or that is not given in full, does not make up for it"
            ),
            Reason::RareName { expected, same_year } => write!(
                f,
                "the same name, rare in the list{}: about {expected:.2} records of other people would carry it by chance",
                if *same_year { " among people born in that year" } else { "" }
            ),
            Reason::RareDateOfBirth { held_by } => write!(
                f,
                "the date of birth is held by only {held_by} records in the list, so it points at one person although a part of the names differs"
            ),
            Reason::NotClustered => write!(
                f,
                "not clustered: the two clusters hold different dates of birth (rules), or a record of each that the evidence between them says are two people (model)"
            ),
            Reason::Prior { weight, probability } => write!(
                f,
                "before comparing, two records of this list are one person 1 time in {:.0}: {weight:+.1}",
                1.0 / probability
            ),
            Reason::Evidence {
                field,
                level,
                weight,
                usual,
                detail,
            } => {
                let words = field.levels()[*level as usize];
                let detail = if detail.is_empty() { String::new() } else { format!(" ({detail})") };
                match usual {
                    Some(u) => write!(
                        f,
                        "{words}{detail}, {} in the list: {weight:+.1} instead of {u:+.1}",
                        if weight < u { "common" } else { "rare" }
                    ),
                    None => write!(f, "{words}{detail}: {weight:+.1}"),
                }
            }
        }
    }
}

/// A pair of records scored at or above [`THRESHOLD`].
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedPair {
    /// The smaller id first.
    pub id_a: String,
    pub id_b: String,
    /// The match probability (the rules' score in [0, 1] for [`link_by_rules`]).
    pub score: f64,
    /// log2 of the odds that the two are one person: the sum of the reasons' weights
    /// (0 for [`link_by_rules`]).
    pub match_weight: f64,
    pub reasons: Vec<Reason>,
}

/// The result of [`link`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Linkage {
    /// `(id, cluster_id)` for every record, sorted by id; the cluster id is the smallest
    /// id in the cluster.
    pub clusters: Vec<(String, String)>,
    /// Accepted pairs sorted by `(id_a, id_b)`. A pair that was not clustered says so
    /// in its last reason ([`Reason::NotClustered`]).
    pub pairs: Vec<AcceptedPair>,
    /// How many distinct clusters there are.
    pub cluster_count: usize,
    /// How many candidate pairs blocking produced (and were scored).
    pub candidate_pairs: usize,
    /// Blocking keys not used because too many records held them: `(key, records)`.
    pub oversized_blocks: Vec<(String, usize)>,
    /// The model learnt from the list (none for [`link_by_rules`]).
    pub model: Option<Model>,
}

fn dob_evidence(a: PartialDate, b: PartialDate) -> (f64, bool) {
    if a.year != b.year {
        return (-0.35, false);
    }
    match (a.month, b.month) {
        (Some(x), Some(y)) if x != y => return (-0.25, false),
        (Some(_), Some(_)) => {}
        _ => return (0.04, true),
    }
    match (a.day, b.day) {
        (Some(x), Some(y)) if x != y => (-0.25, false),
        (Some(_), Some(_)) => (0.15, true),
        _ => (0.08, true),
    }
}

/// Score two prepared records in [0, 1] with reasons.
///
/// - Names: the name comparison's score (0.45 when either has no name to compare).
/// - The first shared phone, vehicle, email or handle adds 0.25, each further one 0.15:
///   with matching names that makes a link; with clearly different names it does not
///   (a phone or car passed between people is a network link, not the same person).
/// - Date of birth: agreeing to the day +0.15, to the month +0.08, to the year +0.04;
///   a different year -0.35, a different month or day -0.25.
/// - Same street nickname +0.15; same postcode or address +0.05 each.
/// - Nothing besides the name corroborating the link costs 0.25 ([`Reason::NameAlone`]),
///   unless the names are the same in full and rare in the list ([`Reason::RareName`]).
///   A date of birth that agrees to the month corroborates only names none of whose parts
///   differ, or a full date held by few records ([`Reason::RareDateOfBirth`]); a rare
///   identifier, street nickname, postcode or address always does.
fn score_pair(sa: &Screen, sb: &Screen, a: &Prepared, b: &Prepared) -> (f64, Vec<Reason>) {
    score_with(sa, sb, a, b, true)
}

/// [`score_pair`]; without `explain`, no reasons are built (and nothing is allocated),
/// text is compared by its hash in the [`Screen`], and the record itself is read only
/// for the names, when the rest leaves the pair within reach of the threshold.
fn score_with(
    sa: &Screen,
    sb: &Screen,
    a: &Prepared,
    b: &Prepared,
    explain: bool,
) -> (f64, Vec<Reason>) {
    let mut reasons = Vec::new();
    // The same text on both sides: compared whole when explaining, by hash otherwise.
    let same = |x: u64, y: u64, text: &dyn Fn() -> bool| {
        if explain {
            x != 0 && text()
        } else {
            x != 0 && x == y
        }
    };
    // Everything but the name first: it is cheap, and it bounds what the pair can reach.
    // Something besides the name that agrees: without it, only a rare name, the same or
    // nearly, can link two records (two different people often share a name).
    let mut corroborated = false;
    // A date of birth that agrees to the month corroborates a name none of whose parts
    // differ; one that agrees to the year only makes a rare name rarer.
    let mut dob_agrees = false;
    let mut year_agrees = false;
    let mut bonus = 0.0;
    let mut shared = 0;
    for (i, kind) in STRONG.iter().enumerate() {
        if sa.rare[i]
            && same(sa.strong[i], sb.strong[i], &|| {
                a.strong[i].is_some() && a.strong[i] == b.strong[i]
            })
        {
            bonus += if shared == 0 { 0.25 } else { 0.15 };
            shared += 1;
            corroborated = true;
            if let (true, Some(x)) = (explain, &a.strong[i]) {
                reasons.push(Reason::SameIdentifier {
                    kind,
                    value: x.words(),
                });
            }
        }
    }
    if let (Some(x), Some(y)) = (sa.dob, sb.dob) {
        let (s, agree) = dob_evidence(x, y);
        bonus += s;
        dob_agrees = agree && x.month.is_some() && y.month.is_some();
        year_agrees = agree && !dob_agrees;
        if explain {
            reasons.push(Reason::DatesOfBirth { a: x, b: y, agree });
        }
    }
    if sa.nickname_rare
        && same(sa.nickname, sb.nickname, &|| {
            a.nickname.is_some() && a.nickname == b.nickname
        })
    {
        bonus += 0.15;
        corroborated = true;
        if let (true, Some(x)) = (explain, &a.nickname) {
            reasons.push(Reason::SameNickname(
                a.nickname_display.clone().unwrap_or_else(|| x.clone()),
            ));
        }
    }
    if same(sa.postcode, sb.postcode, &|| {
        a.postcode.is_some() && a.postcode == b.postcode
    }) {
        bonus += 0.05;
        corroborated = true;
        if let (true, Some(x)) = (explain, &a.postcode) {
            reasons.push(Reason::SamePostcode(x.words()));
        }
    }
    if same(sa.address, sb.address, &|| {
        a.address.is_some() && a.address == b.address
    }) {
        bonus += 0.05;
        corroborated = true;
        if let (true, Some(x)) = (explain, &a.address) {
            reasons.push(Reason::SameAddress(x.clone()));
        }
    }
    let max_chance = |f: fn(&Screen) -> f32| f(sa).max(f(sb)) as f64;
    // Rare in this list; or, when only the years of birth agree, rare among the people
    // born in that year.
    let rare_in_list = !sa.common_name && !sb.common_name;
    let rare_in_year = year_agrees && max_chance(|s| s.name_chance_in_year) <= NAME_CHANCE_MAX;
    let rare_names = rare_in_list || rare_in_year;
    if !explain {
        // A name scores at most 1: if even that cannot reach the threshold, the name
        // comparison (most of the cost of screening) is not needed. Exact: no pair
        // that would pass is dropped.
        let penalty = if corroborated || dob_agrees || rare_names {
            0.0
        } else {
            NAME_ALONE_COST
        };
        if 1.0 + bonus - penalty < THRESHOLD {
            return (0.0, reasons);
        }
    }
    let names = match (&a.name, &b.name) {
        (Some(x), Some(y)) => {
            if explain {
                if let Some(c) = compare_names(x, y) {
                    reasons.insert(0, Reason::Names(c));
                }
            }
            name_agreement(x, y)
        }
        _ => None,
    };
    let name = names.map_or(0.45, |n| n.score);
    let parts_differ = names.is_some_and(|n| n.parts_differ);
    if dob_agrees {
        // A date of birth held by few records points at one person even when a part of
        // the names differs; one that many share does not.
        let born = sa.born_that_day;
        let rare_day = sa.dob.is_some_and(|d| d.day.is_some())
            && sb.dob.is_some_and(|d| d.day.is_some())
            && born as usize <= RARE_MAX;
        if names.is_some() && (!parts_differ || rare_day) {
            corroborated = true;
            if explain && parts_differ {
                reasons.push(Reason::RareDateOfBirth { held_by: born });
            }
        }
    }
    let mut score = name + bonus;
    // A name strong enough to link alone (if rare): the same name, or a nickname of it,
    // in full on both sides. A misspelt name is not: a slip makes any name look rare.
    let same_name = sa.name_key != 0 && sb.name_key != 0 && names.is_some_and(|n| n.same_name);
    if !corroborated {
        if same_name && rare_names {
            if explain {
                reasons.push(Reason::RareName {
                    expected: if rare_in_list {
                        max_chance(|s| s.name_chance)
                    } else {
                        max_chance(|s| s.name_chance_in_year)
                    },
                    same_year: !rare_in_list,
                });
            }
        } else {
            score -= NAME_ALONE_COST;
            if explain {
                reasons.push(if dob_agrees && parts_differ {
                    Reason::DateOfBirthAlone
                } else {
                    Reason::NameAlone
                });
            }
        }
    }
    (score.clamp(0.0, 1.0), reasons)
}

/// Score two records as [`link`] would in a list of just these two (for explaining one
/// decision): what is rare is counted between them alone, so every name, identifier and
/// date of birth they share counts as rare.
pub fn compare_records(a: &PersonRecord, b: &PersonRecord) -> (f64, Vec<Reason>) {
    let prepared = [prepare(a), prepare(b)];
    let screens = count(&prepared);
    score_pair(&screens[0], &screens[1], &prepared[0], &prepared[1])
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let parent = self.0[x as usize];
            self.0[x as usize] = self.0[parent as usize];
            x = parent;
        }
        x
    }
    /// The smaller root becomes the parent, so every root is its cluster's smallest index.
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0[hi as usize] = lo;
    }
}

/// Every record's [`Screen`], with what is rare counted against the whole list: how many
/// records hold each identifier, street nickname, full date of birth and name, and how
/// often given and family names occur.
fn count(prepared: &[Prepared]) -> Vec<Screen> {
    let mut screens: Vec<Screen> = on_two_cores(prepared, screen);
    // How many records hold each identifier and street nickname: a widely shared one is
    // not a person's own.
    let mut held: HashMap<u64, u32> = HashMap::default();
    for s in &screens {
        for &h in s.strong.iter().chain([&s.nickname]) {
            if h != 0 {
                *held.entry(h).or_default() += 1;
            }
        }
    }
    let rare = |h: u64| held.get(&h).map_or(0, |&n| n as usize) <= RARE_MAX;
    for s in &mut screens {
        for k in 0..STRONG.len() {
            s.rare[k] = rare(s.strong[k]);
        }
        s.nickname_rare = rare(s.nickname);
    }
    drop(held);
    // How many records hold each full date of birth.
    let mut born: HashMap<PartialDate, u32> = HashMap::default();
    for d in screens
        .iter()
        .filter_map(|s| s.dob.filter(|d| d.day.is_some()))
    {
        *born.entry(d).or_default() += 1;
    }
    for s in &mut screens {
        s.born_that_day = s.dob.and_then(|d| born.get(&d)).copied().unwrap_or(0);
    }
    drop(born);
    // Per name: how many records hold it, and (up to two) the full dates of birth seen
    // with it. Two different dates of birth under one name mean two people share it.
    let mut names: HashMap<u64, (usize, Vec<PartialDate>)> = HashMap::default();
    // And how many records hold each given name (by nickname group) and family name.
    let mut given_held: HashMap<&str, u32> = HashMap::default();
    let mut surname_held: HashMap<&str, u32> = HashMap::default();
    for (p, s) in prepared.iter().zip(&screens) {
        if let Some((g, sur)) = name_parts(p) {
            *given_held.entry(g).or_default() += 1;
            *surname_held.entry(sur).or_default() += 1;
        }
        if s.name_key != 0 {
            let e = names.entry(s.name_key).or_default();
            e.0 += 1;
            if let Some(d) = p.dob.filter(|d| d.day.is_some()) {
                if e.1.len() < 2 && !e.1.contains(&d) {
                    e.1.push(d);
                }
            }
        }
    }
    let records = prepared.len().max(1) as f64;
    // The chance that two records' years of birth agree, from the years in the data.
    let mut years: HashMap<u16, u32> = HashMap::default();
    for d in prepared.iter().filter_map(|p| p.dob) {
        *years.entry(d.year).or_default() += 1;
    }
    let dated: f64 = years.values().map(|&c| c as f64).sum::<f64>().max(1.0);
    let year_chance: f64 = years.values().map(|&c| (c as f64 / dated).powi(2)).sum();
    // The chance that other people's given and family names combine into this name:
    // records with the given name but not this name, times records with the family name
    // but not this name, over all records.
    for (p, s) in prepared.iter().zip(&mut screens) {
        let held_by = names.get(&s.name_key).map_or(0, |e| e.0);
        let chance = name_parts(p).map_or(f64::INFINITY, |(g, sur)| {
            let others = |m: &HashMap<&str, u32>, k| {
                (m.get(k).copied().unwrap_or(0) as usize).saturating_sub(held_by) as f64
            };
            others(&given_held, g) * others(&surname_held, sur) / records
        });
        // A name without both parts in full ("B Shaw", "Sophie") says too little alone.
        s.name_chance = chance as f32;
        s.name_chance_in_year = (chance * year_chance) as f32;
        s.common_name = chance > NAME_CHANCE_MAX
            || names
                .get(&s.name_key)
                .is_none_or(|(n, dobs)| *n > COMMON_NAME || dobs.len() > 1);
    }
    drop((names, given_held, surname_held));
    screens
}

/// Records sorted by id (so nothing depends on the input order) and prepared.
fn prepare_sorted(
    records: &[PersonRecord],
) -> Result<(Vec<&PersonRecord>, Vec<Prepared>), DuplicateId> {
    let mut order: Vec<&PersonRecord> = records.iter().collect();
    order.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = order.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(DuplicateId(w[0].id.clone()));
    }
    let prepared: Vec<Prepared> = on_two_cores(&order, |r| prepare(r));
    Ok((order, prepared))
}

/// Candidate pairs, packed as (smaller << 32) | larger and sorted, with the blocking keys
/// set aside as too large.
fn candidate_pairs(prepared: &[Prepared], screens: &[Screen]) -> (Vec<u64>, Vec<(String, usize)>) {
    // Blocks: every record's keys, hashed, as (key, record) sorted, so that a block is a
    // run of one key. Built and sorted on both cores.
    let n = prepared.len();
    let keyed = |from: usize, to: usize| {
        let (mut out, mut keys) = (Vec::new(), Vec::new());
        for i in from..to {
            keys.clear();
            keys.extend(blocking_keys(&prepared[i], &screens[i]).iter().map(h64));
            keys.sort_unstable();
            keys.dedup();
            out.extend(keys.iter().map(|&k| (k, i as u32)));
        }
        out.sort_unstable();
        out
    };
    let (a, b) = both(|| keyed(0, n / 2), || keyed(n / 2, n));
    let entries = merge_dedup(&a, &b);
    drop((a, b));
    // Inside a large block records are taken in one order ([`neighbourhood_key`]).
    let mut by_neighbourhood: Vec<u32> = (0..n as u32).collect();
    by_neighbourhood.sort_unstable_by(|&x, &y| {
        neighbourhood_key(&prepared[x as usize])
            .cmp(&neighbourhood_key(&prepared[y as usize]))
            .then(x.cmp(&y))
    });
    let mut rank = vec![0u32; n];
    for (r, &i) in by_neighbourhood.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    drop(by_neighbourhood);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut oversized = Vec::new();
    let mut at = 0;
    while at < entries.len() {
        let key = entries[at].0;
        let end = at + entries[at..].partition_point(|e| e.0 == key);
        if end - at > MAX_BLOCK {
            let first = entries[at].1 as usize;
            let words = blocking_keys(&prepared[first], &screens[first])
                .iter()
                .find(|k| h64(*k) == key)
                .map(ToString::to_string)
                .unwrap_or_default();
            oversized.push((words, end - at));
        } else if end - at > 1 {
            runs.push((at, end));
        }
        at = end;
    }
    oversized.sort();
    // Each core takes every other block.
    let pack = |i: u32, j: u32| (u64::from(i.min(j)) << 32) | u64::from(i.max(j));
    let pairs_of = |part: usize| {
        let (mut out, mut sorted) = (Vec::new(), Vec::new());
        for &(from, to) in runs.iter().skip(part).step_by(2) {
            let members = &entries[from..to];
            if members.len() <= SMALL_BLOCK {
                for (k, &(_, i)) in members.iter().enumerate() {
                    for &(_, j) in &members[k + 1..] {
                        out.push(pack(i, j));
                    }
                }
                continue;
            }
            sorted.clear();
            sorted.extend(members.iter().map(|&(_, i)| i));
            sorted.sort_unstable_by_key(|&i| rank[i as usize]);
            for (k, &i) in sorted.iter().enumerate() {
                for &j in sorted.iter().skip(k + 1).take(WINDOW) {
                    out.push(pack(i, j));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    let (a, b) = both(|| pairs_of(0), || pairs_of(1));
    drop((entries, runs, rank));
    let candidates = merge_dedup(&a, &b);
    (candidates, oversized)
}

fn unpack(c: u64) -> (usize, usize) {
    ((c >> 32) as usize, (c & 0xFFFF_FFFF) as usize)
}

/// `keep` of every candidate pair, on all cores in chunks (screening is most of the
/// work), with progress reported as chunks finish; the pairs kept, sorted.
fn screen_all<T: Send>(
    candidates: &[u64],
    mut progress: impl FnMut(usize, usize),
    keep: impl Fn(usize, usize) -> Option<T> + Sync,
) -> Vec<(u32, u32, T)> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let total = candidates.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = (total / (threads * 16)).max(10_000);
    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let mut passed = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let at = next.fetch_add(chunk, Relaxed);
                        if at >= total {
                            break;
                        }
                        for &c in &candidates[at..(at + chunk).min(total)] {
                            let (i, j) = unpack(c);
                            if let Some(t) = keep(i, j) {
                                out.push((i as u32, j as u32, t));
                            }
                        }
                        done.fetch_add(chunk.min(total - at), Relaxed);
                    }
                    out
                })
            })
            .collect();
        // The caller's progress report stays on this thread.
        while !workers.iter().all(|w| w.is_finished()) {
            progress(done.load(Relaxed), total);
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect::<Vec<_>>()
    });
    progress(total, total);
    passed.sort_unstable_by_key(|p| (p.0, p.1));
    passed
}

/// Union-find over accepted pairs, strongest first (`(strength, i, j, reasons)`); a pair
/// for which `conflict(members of one cluster, members of the other)` holds is kept (with
/// [`Reason::NotClustered`]) but does not join them, so that one weak record cannot chain
/// two different people together.
fn cluster(
    order: &[&PersonRecord],
    mut scored: Vec<(f64, f64, u32, u32, Vec<Reason>)>,
    mut conflict: impl FnMut(&[u32], &[u32]) -> bool,
) -> (Vec<(String, String)>, Vec<AcceptedPair>, usize) {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.2, a.3).cmp(&(b.2, b.3))));
    let n = order.len();
    let mut uf = UnionFind((0..n as u32).collect());
    // The members of each cluster of more than one record, under its root.
    let mut members: HashMap<u32, Vec<u32>> = HashMap::default();
    let mut pairs = Vec::with_capacity(scored.len());
    for (strength, weight, i, j, mut reasons) in scored {
        let (ri, rj) = (uf.find(i), uf.find(j));
        if ri != rj {
            let a = members.remove(&ri).unwrap_or_else(|| vec![ri]);
            let b = members.remove(&rj).unwrap_or_else(|| vec![rj]);
            if conflict(&a, &b) {
                reasons.push(Reason::NotClustered);
                members.insert(ri, a);
                members.insert(rj, b);
            } else {
                uf.union(ri, rj);
                let mut all = a;
                all.extend(b);
                members.insert(uf.find(ri), all);
            }
        }
        pairs.push(AcceptedPair {
            id_a: order[i as usize].id.clone(),
            id_b: order[j as usize].id.clone(),
            score: strength,
            match_weight: weight,
            reasons,
        });
    }
    members.retain(|_, v| v.len() > 1);
    pairs.sort_by(|a, b| (&a.id_a, &a.id_b).cmp(&(&b.id_a, &b.id_b)));
    let mut cluster_count = 0;
    let clusters = (0..n as u32)
        .map(|i| {
            let root = uf.find(i);
            if root == i {
                cluster_count += 1;
            }
            (
                order[i as usize].id.clone(),
                order[root as usize].id.clone(),
            )
        })
        .collect();
    (clusters, pairs, cluster_count)
}

/// Link `records` by the hand-written rules ([`compare_records`], decision 0007): what
/// [`link`] starts its model from, kept to compare with. `progress(done, total)` is
/// called as candidate pairs are scored.
pub fn link_by_rules(
    records: &[PersonRecord],
    progress: impl FnMut(usize, usize),
) -> Result<Linkage, DuplicateId> {
    let (order, prepared) = prepare_sorted(records)?;
    let screens = count(&prepared);
    let (candidates, oversized) = candidate_pairs(&prepared, &screens);
    let total = candidates.len();
    let passed = screen_all(&candidates, progress, |i, j| {
        let (sa, sb) = (&screens[i], &screens[j]);
        (score_with(sa, sb, &prepared[i], &prepared[j], false).0 >= THRESHOLD).then_some(())
    });
    drop(candidates);
    let mut scored = on_two_cores(&passed, |&(i, j, ())| {
        let (i_, j_) = (i as usize, j as usize);
        let (score, reasons) = score_pair(&screens[i_], &screens[j_], &prepared[i_], &prepared[j_]);
        (score, 0.0, i, j, reasons)
    });
    // Screening compared text by hash; the text itself decides.
    scored.retain(|s| s.0 >= THRESHOLD);
    let dates = |members: &[u32]| -> Vec<PartialDate> {
        members
            .iter()
            .filter_map(|&m| prepared[m as usize].dob)
            .collect()
    };
    let (clusters, pairs, cluster_count) = cluster(&order, scored, |a, b| {
        let (da, db) = (dates(a), dates(b));
        da.iter()
            .any(|x| db.iter().any(|y| !dob_evidence(*x, *y).1))
    });
    Ok(Linkage {
        clusters,
        pairs,
        cluster_count,
        candidate_pairs: total,
        oversized_blocks: oversized,
        model: None,
    })
}

/// How [`link_with`] links.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Pairs whose match probability is at least this are accepted.
    pub threshold: f64,
    /// How the model is learnt (its seed among them).
    pub training: Training,
}

/// The match probability at or above which [`link`] accepts a pair.
pub const MATCH_PROBABILITY: f64 = 0.5;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: MATCH_PROBABILITY,
            training: Training::default(),
        }
    }
}

/// Link `records` with a Fellegi-Sunter model learnt from them ([`crate::fellegi_sunter`])
/// and the default [`Settings`]. `progress(done, total)` is called as candidate pairs are
/// scored. Records are numbered in 32 bits inside: up to about four billion, far more
/// than fit in memory.
pub fn link(
    records: &[PersonRecord],
    progress: impl FnMut(usize, usize),
) -> Result<Linkage, DuplicateId> {
    link_with(records, &Settings::default(), progress)
}

/// [`link`] with the given settings.
pub fn link_with(
    records: &[PersonRecord],
    settings: &Settings,
    progress: impl FnMut(usize, usize),
) -> Result<Linkage, DuplicateId> {
    let (order, prepared) = prepare_sorted(records)?;
    let screens = count(&prepared);
    let (candidates, oversized) = candidate_pairs(&prepared, &screens);
    let hashes: Vec<[u64; SLOTS]> = on_two_cores(&prepared, value_hashes);
    let freq = Frequencies::count(&hashes);
    let model = train(
        &prepared,
        &screens,
        &hashes,
        &freq,
        &candidates,
        &settings.training,
    );
    drop(screens);
    let scorer = Scorer::new(model, &hashes, &freq);
    drop(freq);
    let threshold = Scorer::threshold_weight(settings.threshold);
    let total = candidates.len();
    let passed = screen_all(&candidates, progress, |i, j| {
        scorer
            .screen(i, j, &prepared, &hashes, threshold)
            .filter(|s| s.weight >= threshold)
    });
    drop(candidates);
    let scored = on_two_cores(&passed, |(i, j, s)| {
        let reasons = explain(&scorer, &prepared, *i as usize, *j as usize, s);
        (probability(s.weight), s.weight, *i, *j, reasons)
    });
    drop(passed);
    // A join is refused when a record of one cluster and a record of the other look more
    // like two people than one: the evidence between them, before the prior, is against
    // (dates of birth that differ weigh heavily in it). So a weak record ("D Khan", no
    // date) does not chain two people through itself. Checked for up to 16 records a side.
    let (clusters, pairs, cluster_count) = cluster(&order, scored, |a, b| {
        const CHECKED: usize = 16;
        a.iter().take(CHECKED).any(|&x| {
            b.iter().take(CHECKED).any(|&y| {
                let (x, y) = (x.min(y) as usize, x.max(y) as usize);
                let g = gamma(&prepared[x], &prepared[y], &hashes[x], &hashes[y]);
                scorer.weight_of(&g, x, y) < scorer.prior_weight()
            })
        })
    });
    Ok(Linkage {
        clusters,
        pairs,
        cluster_count,
        candidate_pairs: total,
        oversized_blocks: oversized,
        model: Some(scorer.model),
    })
}

/// The best any scorer could do on blocking's candidate pairs, from the ground truth: the
/// clusters a perfect judge of each candidate pair would make (precision 1; recall is
/// the share of true pairs that candidate pairs of one person connect). It bounds what
/// scoring and clustering can reach with this blocking; it says nothing of pairs no
/// blocking key brings together. `truth` is `(id, person)` for every record.
pub fn blocking_oracle(
    records: &[PersonRecord],
    truth: &[(String, String)],
) -> Result<crate::generate::PairwiseScores, DuplicateId> {
    let (order, prepared) = prepare_sorted(records)?;
    let screens = count(&prepared);
    let (candidates, _) = candidate_pairs(&prepared, &screens);
    drop(screens);
    let person: HashMap<&str, &str> = truth
        .iter()
        .map(|(id, p)| (id.as_str(), p.as_str()))
        .collect();
    let of = |i: usize| person.get(order[i].id.as_str()).copied();
    let mut uf = UnionFind((0..order.len() as u32).collect());
    for &c in &candidates {
        let (i, j) = unpack(c);
        if of(i).is_some() && of(i) == of(j) {
            uf.union(i as u32, j as u32);
        }
    }
    let clusters: Vec<(String, String)> = (0..order.len())
        .map(|i| {
            let root = uf.find(i as u32) as usize;
            (order[i].id.clone(), order[root].id.clone())
        })
        .collect();
    Ok(crate::generate::pairwise_scores(&clusters, truth))
}

/// 2^w / (1 + 2^w).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The model of a list: `u` by random sampling, `m` by EM on a seeded sample of the
/// candidate pairs, started from the pairs the rules accept.
fn train(
    prepared: &[Prepared],
    screens: &[Screen],
    hashes: &[[u64; SLOTS]],
    freq: &Frequencies,
    candidates: &[u64],
    training: &Training,
) -> Model {
    let (u, random_pairs) = estimate_u(prepared, hashes, freq, training);
    let share = training.em_pairs as f64 / candidates.len().max(1) as f64;
    let sample: Vec<u64> = candidates
        .iter()
        .copied()
        .filter(|&c| share >= 1.0 || in_sample(training.seed, c, share))
        .collect();
    let labelled = on_two_cores(&sample, |&c| {
        let (i, j) = unpack(c);
        let accepted =
            score_with(&screens[i], &screens[j], &prepared[i], &prepared[j], false).0 >= THRESHOLD;
        (i as u32, j as u32, accepted)
    });
    let seed_pairs = labelled.iter().filter(|p| p.2).count();
    let (all, seed) = patterns(&labelled, prepared, hashes);
    let r = em_in_sessions(&all, &seed, training);
    let n = prepared.len() as f64;
    let pairs = (n * (n - 1.0) / 2.0).max(1.0);
    let start = seed_pairs as f64 / labelled.len().max(1) as f64;
    let share = candidate_share(&all, &r.m, &u, start, candidates.len() as f64 / pairs);
    let prior = (share * candidates.len() as f64 / pairs).clamp(1e-12, 0.5);
    Model {
        prior,
        m: r.m,
        u,
        candidate_share: share,
        iterations: r.iterations,
        converged: r.converged,
        em_pairs: labelled.len(),
        seed_pairs,
        random_pairs,
    }
}

/// The share of candidate pairs that are one person, with m and u as learnt: EM on that
/// share alone, the prior being the share times `scale` (candidate pairs over all pairs).
/// The first EM run's own share is not used: over all candidate pairs, with every m and u
/// free, it drifts as lists grow (at 3 million records it took two thirds of the
/// candidate pairs for matches).
fn candidate_share(
    all: &crate::fellegi_sunter::Patterns,
    m: &[Vec<f64>],
    u: &[Vec<f64>],
    start: f64,
    scale: f64,
) -> f64 {
    let total: f64 = all.iter().map(|(_, n)| n).sum();
    if total <= 0.0 {
        return start;
    }
    // log2(m / u) of each pattern, once.
    let weights: Vec<(f64, f64)> = all
        .iter()
        .map(|(g, n)| {
            let w: f64 = g
                .iter()
                .enumerate()
                .filter(|(_, &l)| l != crate::fellegi_sunter::NULL)
                .map(|(k, &l)| (m[k][l as usize] / u[k][l as usize]).log2())
                .sum();
            (w, *n)
        })
        .collect();
    let mut share = start.clamp(1e-6, 0.99);
    for _ in 0..200 {
        let prior = (share * scale).clamp(1e-12, 0.5);
        let odds = (prior / (1.0 - prior)).log2();
        let next = weights
            .iter()
            .map(|(w, n)| n / (1.0 + (-(w + odds)).exp2()))
            .sum::<f64>()
            / total;
        let done = (next - share).abs() <= 1e-9 * share.max(1e-12);
        share = next.clamp(1e-9, 1.0);
        if done {
            break;
        }
    }
    share
}

/// The reasons of an accepted pair: the prior, then what each comparison added.
fn explain(scorer: &Scorer, prepared: &[Prepared], i: usize, j: usize, s: &Scored) -> Vec<Reason> {
    let (a, b) = (&prepared[i], &prepared[j]);
    let transposed = s.gamma[2] == 1;
    let mut reasons = vec![Reason::Prior {
        weight: scorer.prior_weight(),
        probability: scorer.model.prior,
    }];
    let (an, bn) = (a.name.as_ref(), b.name.as_ref());
    let parts = |n: Option<&Name>, given: bool| {
        n.and_then(|n| {
            if given {
                n.given.clone()
            } else {
                n.surname.clone()
            }
        })
        .unwrap_or_default()
    };
    for (field, level, weight, usual) in scorer.contributions(&s.gamma, i, j) {
        let pair = |x: String, y: String| {
            if level == 0 {
                format!("'{x}'")
            } else {
                format!("'{x}' ~ '{y}'")
            }
        };
        let detail = match field {
            Field::GivenName => pair(parts(an, !transposed), parts(bn, true)),
            Field::Surname => pair(parts(an, transposed), parts(bn, false)),
            Field::NameOrder => format!("'{}' ~ '{}'", display(an), display(bn)),
            Field::DateOfBirth => match (a.dob, b.dob) {
                (Some(x), Some(y)) => pair(x.to_string(), y.to_string()),
                _ => String::new(),
            },
            Field::Phone | Field::Vehicle | Field::Email | Field::Handle => {
                let k = field as usize - Field::Phone as usize;
                let w = |p: &Prepared| p.strong[k].as_ref().map(Ident::words).unwrap_or_default();
                pair(w(a), w(b))
            }
            Field::Nickname => {
                let w = |p: &Prepared| p.nickname_display.clone().unwrap_or_default();
                pair(w(a), w(b))
            }
            Field::Postcode => {
                let w = |p: &Prepared| p.postcode.as_ref().map(Ident::words).unwrap_or_default();
                pair(w(a), w(b))
            }
            Field::Address => pair(
                a.address.clone().unwrap_or_default(),
                b.address.clone().unwrap_or_default(),
            ),
        };
        reasons.push(Reason::Evidence {
            field,
            level,
            weight,
            usual,
            detail,
        });
    }
    reasons
}

fn display(n: Option<&Name>) -> &str {
    n.map_or("", |n| n.display.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, generate_as, pairwise_scores, Profile};

    fn person(id: &str, full: &str) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            full_name: Some(full.into()),
            ..PersonRecord::default()
        }
    }

    fn words(reasons: &[Reason]) -> Vec<String> {
        reasons.iter().map(ToString::to_string).collect()
    }

    /// The rules' linkage (what the model starts from).
    fn linked(records: &[PersonRecord]) -> Linkage {
        link_by_rules(records, |_, _| {}).unwrap()
    }

    #[test]
    fn nickname_and_initial_with_a_shared_phone_links() {
        let a = PersonRecord {
            phone: Some("07700 900123".into()),
            ..person("a", "Danny K")
        };
        let b = PersonRecord {
            phone: Some("+44 7700 900123".into()),
            ..person("b", "Daniel Khan")
        };
        let (score, reasons) = compare_records(&a, &b);
        assert!(score >= THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons),
            [
                "names 'Danny K' ~ 'Daniel Khan': nickname + initial",
                "same phone +447700900123"
            ]
        );
        let l = linked(&[b.clone(), a.clone()]);
        assert_eq!(l.cluster_count, 1);
        assert_eq!(l.pairs.len(), 1);
        assert_eq!(
            (l.pairs[0].id_a.as_str(), l.pairs[0].id_b.as_str()),
            ("a", "b")
        );
        // Without the phone, a nickname and an initial are not enough.
        let (score, _) = compare_records(&person("a", "Danny K"), &person("b", "Daniel Khan"));
        assert!(score < THRESHOLD, "{score}");
    }

    #[test]
    fn mohammed_ali_and_mo_ali_link() {
        let (score, reasons) =
            compare_records(&person("1", "Mohammed Ali"), &person("2", "Mo Ali"));
        assert!(score >= THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons),
            [
                "names 'Mohammed Ali' ~ 'Mo Ali': nickname + same family name",
                "the same name, rare in the list: about 0.00 records of other people would carry it by chance"
            ]
        );
        assert_eq!(
            linked(&[person("1", "Mohammed Ali"), person("2", "Mo Ali")]).cluster_count,
            1
        );
    }

    #[test]
    fn transposed_names_link() {
        let l = linked(&[person("x", "Khan Daniel"), person("y", "Daniel Khan")]);
        assert_eq!(l.cluster_count, 1);
        assert_eq!(
            words(&l.pairs[0].reasons),
            [
                "names 'Khan Daniel' ~ 'Daniel Khan': transposed: same name",
                "the same name, rare in the list: about 0.00 records of other people would carry it by chance"
            ]
        );
    }

    #[test]
    fn different_people_with_the_same_family_name_are_not_merged() {
        let l = linked(&[
            person("1", "Daniel Khan"),
            person("2", "Imran Khan"),
            person("3", "Aisha Khan"),
            PersonRecord {
                given_name: Some("Daniel".into()),
                surname: Some("Khan".into()),
                date_of_birth: Some("1990-04-12".into()),
                ..PersonRecord::default()
            }
            .with_id("4"),
            PersonRecord {
                given_name: Some("Daniel".into()),
                surname: Some("Khan".into()),
                date_of_birth: Some("1972".into()),
                ..PersonRecord::default()
            }
            .with_id("5"),
        ]);
        let cluster = |id: &str| l.clusters.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_ne!(cluster("1"), cluster("2"));
        assert_ne!(cluster("2"), cluster("3"));
        // Same name, different years of birth: two people.
        assert_ne!(cluster("4"), cluster("5"));
        let (_, reasons) = compare_records(
            &PersonRecord {
                date_of_birth: Some("1990-04-12".into()),
                ..person("4", "Daniel Khan")
            },
            &PersonRecord {
                date_of_birth: Some("1972".into()),
                ..person("5", "Daniel Khan")
            },
        );
        assert_eq!(
            words(&reasons)[1],
            "dates of birth 1990-04-12 and 1972 differ"
        );
    }

    #[test]
    fn a_shared_phone_with_clearly_different_names_is_not_the_same_person() {
        let a = PersonRecord {
            phone: Some("07700 900123".into()),
            ..person("a", "Daniel Khan")
        };
        let b = PersonRecord {
            phone: Some("07700900123".into()),
            ..person("b", "Precious Mensah")
        };
        let (score, reasons) = compare_records(&a, &b);
        assert!(score < THRESHOLD, "{score}");
        assert!(words(&reasons).contains(&"same phone +447700900123".to_string()));
    }

    #[test]
    fn identifiers_without_names_link_when_two_agree() {
        let a = PersonRecord {
            id: "a".into(),
            phone: Some("07700 900123".into()),
            vehicle: Some("ab12 cde".into()),
            ..PersonRecord::default()
        };
        let b = PersonRecord {
            id: "b".into(),
            phone: Some("+44 (0)7700 900123".into()),
            vehicle: Some("AB12CDE".into()),
            ..PersonRecord::default()
        };
        let (score, reasons) = compare_records(&a, &b);
        assert!(score >= THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons),
            ["same phone +447700900123", "same vehicle AB12CDE"]
        );
        let phone_only = PersonRecord {
            vehicle: None,
            ..b.clone()
        };
        assert!(compare_records(&a, &phone_only).0 < THRESHOLD);
    }

    #[test]
    fn unparseable_identifiers_match_only_as_typed() {
        let a = PersonRecord {
            phone: Some("0770 090012".into()),
            ..person("a", "Danny K")
        };
        let b = PersonRecord {
            phone: Some("0770 090012".into()),
            ..person("b", "Daniel Khan")
        };
        let (_, reasons) = compare_records(&a, &b);
        assert_eq!(
            words(&reasons)[1],
            "same phone '0770 090012' (as typed; not recognised)"
        );
        let c = PersonRecord {
            phone: Some("0770090012".into()),
            ..person("c", "Daniel Khan")
        };
        assert!(
            !compare_records(&a, &c)
                .1
                .iter()
                .any(|r| matches!(r, Reason::SameIdentifier { .. })),
            "a different way of typing an unrecognised number is not the same number"
        );
    }

    #[test]
    fn partial_dates_of_birth() {
        assert_eq!(
            PartialDate::parse("1990-04"),
            Some(PartialDate {
                year: 1990,
                month: Some(4),
                day: None
            })
        );
        assert_eq!(
            PartialDate::parse("12/04/1990").map(|d| d.to_string()),
            Some("1990-04-12".to_string())
        );
        for bad in [
            "1990-13",
            "1990-02-30",
            "90",
            "April 1990",
            "1990-04-12-1",
            "",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
        assert_eq!(PartialDate::parse("2000-02-29").unwrap().day, Some(29));
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(dob_evidence(d("1990"), d("1990-04-12")).1);
        assert!(dob_evidence(d("1990-04"), d("1990-04-12")).1);
        assert!(!dob_evidence(d("1990-05"), d("1990-04-12")).1);
        assert!(!dob_evidence(d("1990-04-11"), d("1990-04-12")).1);
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let e = link(&[person("a", "X Y"), person("a", "Z W")], |_, _| {}).unwrap_err();
        assert_eq!(e.to_string(), "the id 'a' is used by more than one record");
    }

    #[test]
    fn linking_is_independent_of_input_order() {
        let (records, _) = generate(600, 11);
        let reference = linked(&records);
        assert!(reference.pairs.len() > 100);
        let mut shuffled = records.clone();
        let mut state = 0x1234_5678_u64;
        for round in 0..8 {
            // Fisher-Yates with a small LCG.
            for i in (1..shuffled.len()).rev() {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407 + round);
                let j = (state >> 33) as usize % (i + 1);
                shuffled.swap(i, j);
            }
            let l = linked(&shuffled);
            assert_eq!(l, reference, "round {round}");
        }
    }

    #[test]
    fn blocking_does_not_compare_all_pairs() {
        let (records, _) = generate(5_000, 3);
        let l = linked(&records);
        let all = 5_000 * 4_999 / 2;
        assert!(l.candidate_pairs * 50 < all, "{}", l.candidate_pairs);
    }

    #[test]
    fn f1_on_5000_generated_records() {
        let (records, truth) = generate(5_000, 2026);
        let l = linked(&records);
        let s = pairwise_scores(&l.clusters, &truth);
        eprintln!("{s:?}; candidates {}", l.candidate_pairs);
        assert!(s.f1 >= 0.9, "{s:?}");
    }

    #[test]
    fn a_date_of_birth_does_not_link_names_that_differ() {
        let a = PersonRecord {
            date_of_birth: Some("1978-07-03".into()),
            ..person("a", "Elizabeth Graham")
        };
        let b = PersonRecord {
            date_of_birth: Some("1978-07-03".into()),
            ..person("b", "Elizabeth Grant")
        };
        // Alone in a list, the two share a date no one else holds: it points at one person
        // (a family name changed or misheard), and the reason says so.
        let (score, reasons) = compare_records(&a, &b);
        assert!(score >= THRESHOLD, "{score}");
        assert!(words(&reasons).contains(
            &"the date of birth is held by only 2 records in the list, so it points at one person although a part of the names differs".to_string()
        ), "{:?}", words(&reasons));
        // Where many records share the date, it does not.
        let mut crowded = vec![a.clone(), b.clone()];
        let others = [
            "Kwame Osei",
            "Priya Shah",
            "Tomasz Nowak",
            "Zainab Iqbal",
            "Ryan Cole",
            "Megan Price",
            "Omar Rahman",
            "Chloe Bird",
            "Lewis Hunt",
            "Niamh Reid",
            "Tariq Ahmed",
            "Holly Ward",
        ];
        crowded.extend(others.iter().enumerate().map(|(i, name)| PersonRecord {
            date_of_birth: Some("1978-07-03".into()),
            ..person(&format!("o{i:02}"), name)
        }));
        let l = linked(&crowded);
        assert!(l.pairs.is_empty(), "{:?}", l.pairs);
        // Nor does a date given only to the month.
        let month = |r: &PersonRecord| PersonRecord {
            date_of_birth: Some("1978-07".into()),
            ..r.clone()
        };
        let (score, reasons) = compare_records(&month(&a), &month(&b));
        assert!(score < THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons).last().map(String::as_str),
            Some("only the date of birth agrees, and a part of the names differs (-0.25): a date of birth that many records in the list share, or that is not given in full, does not make up for it")
        );
        // An initial does not differ: the same date of birth links it, however many share it.
        let c = PersonRecord {
            date_of_birth: Some("1978-07-03".into()),
            ..person("c", "Beth G")
        };
        let (score, reasons) = compare_records(&a, &c);
        assert!(score >= THRESHOLD, "{score}: {:?}", words(&reasons));
        assert_eq!(
            words(&reasons)[0],
            "names 'Elizabeth Graham' ~ 'Beth G': nickname + initial"
        );
        // And the two meet in a block although the family name is only an initial.
        crowded[1] = c;
        let l = linked(&crowded);
        assert_eq!(
            l.pairs
                .iter()
                .map(|p| (p.id_a.as_str(), p.id_b.as_str()))
                .collect::<Vec<_>>(),
            [("a", "c")]
        );
    }

    #[test]
    fn a_misspelt_name_alone_does_not_link() {
        let (score, reasons) = compare_records(
            &person("a", "David Rushbury"),
            &person("b", "David Rushombury"),
        );
        assert!(score < THRESHOLD, "{score}");
        assert!(words(&reasons)
            .last()
            .unwrap()
            .starts_with("nothing besides the name corroborates it (-0.25)"));
        // The same name, alone and rare, does.
        let (score, _) = compare_records(
            &person("a", "David Rushbury"),
            &person("b", "RUSHBURY, David"),
        );
        assert!(score >= THRESHOLD, "{score}");
        // So does a nickname of it, even one shared by several names ("Al": Alan,
        // Alexander, Albert), and the reason says why a name alone was enough.
        let (score, reasons) =
            compare_records(&person("a", "Al Rushbury"), &person("b", "Alan Rushbury"));
        assert!(score >= THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons).last().map(String::as_str),
            Some("the same name, rare in the list: about 0.00 records of other people would carry it by chance")
        );
    }

    #[test]
    fn a_name_made_of_common_parts_is_common_however_few_hold_it() {
        // "Daniel" and "Khan" are each held by many records, though "Daniel Khan" by two:
        // in this list the two are likely to be different people.
        let mut records = vec![person("x1", "Daniel Khan"), person("x2", "Daniel Khan")];
        for i in 0..4 {
            records.push(person(&format!("g{i:02}"), &format!("Daniel Surname{i}")));
            records.push(person(&format!("s{i:02}"), &format!("Given{i} Khan")));
        }
        let l = linked(&records);
        let cluster = |id: &str| l.clusters.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_ne!(cluster("x1"), cluster("x2"));
        // A year of birth that agrees makes the name rare enough among people born then,
        // when years of birth vary in the list.
        for (i, r) in records.iter_mut().enumerate().skip(2) {
            r.date_of_birth = Some(format!("{}", 1960 + i));
        }
        records[0].date_of_birth = Some("1990".into());
        records[1].date_of_birth = Some("1990-04-12".into());
        let l = linked(&records);
        let cluster = |id: &str| l.clusters.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_eq!(cluster("x1"), cluster("x2"));
        let why = words(&l.pairs.iter().find(|p| p.id_a == "x1").unwrap().reasons);
        assert!(
            why.last()
                .unwrap()
                .starts_with("the same name, rare in the list among people born in that year"),
            "{why:?}"
        );
        // Where the name's parts are rare, two records with it are one person.
        let l = linked(&[person("y1", "Daniel Khan"), person("y2", "Daniel Khan")]);
        assert_eq!(l.cluster_count, 1);
    }

    #[test]
    fn transposed_names_may_use_nicknames() {
        let (score, reasons) = compare_records(
            &PersonRecord {
                date_of_birth: Some("1973-07-11".into()),
                ..person("a", "Hal Eskley")
            },
            &PersonRecord {
                date_of_birth: Some("1973-07-11".into()),
                ..person("b", "Eskley Harold")
            },
        );
        assert!(score >= THRESHOLD, "{score}");
        assert_eq!(
            words(&reasons)[0],
            "names 'Hal Eskley' ~ 'Eskley Harold': transposed: nickname + same family name"
        );
    }

    #[test]
    fn a_widely_shared_street_nickname_does_not_corroborate() {
        let mut records: Vec<PersonRecord> = (0..20)
            .map(|i| PersonRecord {
                nickname: Some("Tiny M".into()),
                ..person(&format!("n{i:02}"), &format!("Given{i} Surname{i}"))
            })
            .collect();
        records.push(PersonRecord {
            nickname: Some("Tiny M".into()),
            ..person("a", "Frederick Morris")
        });
        records.push(PersonRecord {
            nickname: Some("Tiny M".into()),
            ..person("b", "Dominic Morris")
        });
        let l = linked(&records);
        assert!(l.pairs.is_empty(), "{:?}", l.pairs);
    }

    /// Screening skips comparing names, postcodes and addresses when even their best
    /// could not lift a pair to the threshold: on generated lists of both profiles, no
    /// candidate pair it drops would have passed.
    #[test]
    fn screening_by_the_model_drops_no_pair_that_would_pass() {
        for profile in [Profile::FamilyLogs, Profile::OperationList] {
            let (records, _) = generate_as(3_000, 5, profile);
            let (_, prepared) = prepare_sorted(&records).unwrap();
            let screens = count(&prepared);
            let (candidates, _) = candidate_pairs(&prepared, &screens);
            let hashes: Vec<[u64; SLOTS]> = prepared.iter().map(value_hashes).collect();
            let freq = Frequencies::count(&hashes);
            let training = Training::default();
            let model = train(&prepared, &screens, &hashes, &freq, &candidates, &training);
            let scorer = Scorer::new(model, &hashes, &freq);
            let (mut kept, mut passing) = (0, 0);
            for probability in [0.01, MATCH_PROBABILITY, 0.99] {
                let threshold = Scorer::threshold_weight(probability);
                for &c in &candidates {
                    let (i, j) = unpack(c);
                    let g = gamma(&prepared[i], &prepared[j], &hashes[i], &hashes[j]);
                    let full = scorer.weight_of(&g, i, j);
                    let screened = scorer.screen(i, j, &prepared, &hashes, threshold);
                    if full >= threshold {
                        passing += 1;
                        let s = screened
                            .as_ref()
                            .expect("a pair that passes is never screened out");
                        assert_eq!(s.weight, full);
                        assert_eq!(s.gamma, g);
                    }
                    kept += usize::from(screened.is_some());
                }
            }
            assert!(passing > 500, "{passing}");
            assert!(kept < candidates.len() * 3, "screening dropped nothing");
        }
    }

    /// Every accepted pair's reasons add up to its match weight, and its probability is
    /// the weight's; the reasons are in words with their numbers.
    #[test]
    fn reasons_add_up_to_the_match_weight() {
        let (records, _) = generate_as(2_000, 8, Profile::FamilyLogs);
        let l = link(&records, |_, _| {}).unwrap();
        assert!(l.pairs.len() > 300, "{}", l.pairs.len());
        for p in &l.pairs {
            let sum: f64 = p.reasons.iter().map(Reason::weight).sum();
            assert!(
                (sum - p.match_weight).abs() < 1e-9,
                "{sum} {}: {:?}",
                p.match_weight,
                words(&p.reasons)
            );
            assert!((p.score - probability(p.match_weight)).abs() < 1e-12);
            assert!(p.score >= MATCH_PROBABILITY);
            assert!(matches!(p.reasons[0], Reason::Prior { .. }));
        }
        let all: Vec<String> = l.pairs.iter().flat_map(|p| words(&p.reasons)).collect();
        let seen = |text: &str| all.iter().any(|w| w.contains(text));
        assert!(
            seen("given names are nickname forms of one name ("),
            "{all:?}"
        );
        assert!(seen("family names are the same ('"), "{all:?}");
        assert!(seen(", common in the list: +"), "{all:?}");
        assert!(seen(", rare in the list: +"), "{all:?}");
        assert!(seen("dates of birth agree to the day ("), "{all:?}");
        assert!(
            all.iter()
                .all(|w| w.contains(": +") || w.contains(": -") || w.starts_with("not clustered")),
            "{all:?}"
        );
    }

    /// A record that says little ("D Khan", no date of birth) may link to two people with
    /// that initial and family name; it does not make them one cluster.
    #[test]
    fn a_weak_record_does_not_chain_two_people_together() {
        let (mut records, _) = generate_as(2_000, 9, Profile::OperationList);
        let person = |id: &str, full: &str, dob: Option<&str>| PersonRecord {
            id: id.into(),
            full_name: Some(full.into()),
            date_of_birth: dob.map(str::to_string),
            ..PersonRecord::default()
        };
        records.push(person("zz1", "Daniel Quarrington", Some("1990-04-12")));
        records.push(person("zz2", "Daniel Quarrington", Some("1990-04-12")));
        records.push(person("zz3", "David Quarrington", Some("1971-11-30")));
        records.push(person("zz4", "David Quarrington", Some("1971-11-30")));
        records.push(person("zz5", "D Quarrington", None));
        let l = link(&records, |_, _| {}).unwrap();
        let cluster = |id: &str| l.clusters.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_eq!(cluster("zz1"), cluster("zz2"));
        assert_eq!(cluster("zz3"), cluster("zz4"));
        assert_ne!(cluster("zz1"), cluster("zz3"));
        let weak: Vec<&AcceptedPair> = l.pairs.iter().filter(|p| p.id_b == "zz5").collect();
        assert!(weak.len() >= 2, "the weak record links to both: {weak:?}");
        assert!(
            weak.iter()
                .any(|p| p.reasons.last() == Some(&Reason::NotClustered)),
            "{weak:?}"
        );
    }

    #[test]
    fn the_screening_copy_stays_small() {
        // Screening reads one of these per side of tens of millions of pairs: no text here.
        assert!(
            std::mem::size_of::<Screen>() <= 88,
            "{}",
            std::mem::size_of::<Screen>()
        );
    }

    impl PersonRecord {
        fn with_id(self, id: &str) -> PersonRecord {
            PersonRecord {
                id: id.into(),
                ..self
            }
        }
    }
}
