//! The in-process identifier index behind alerts: every normalised identifier the hubs hold
//! (phones, vehicle marks, accounts, emails, postcodes, places) and every name of a person
//! of concern, so that when an entry is saved the families it touches elsewhere are found
//! in microseconds, without a database round trip.
//!
//! Layout, chosen for ten million identifiers in a few hundred megabytes: a hash map from
//! a 64-bit key (the identifier's kind and value) to the head of a chain of occurrences in
//! one `Vec`, each 16 bytes. Keys are hashed with a fixed SipHash, so a collision (about
//! one in 10^12 for ten million keys) could name a family wrongly; callers confirm a match
//! against the store before anyone is told (see `Store::raise_alerts`).
//!
//! People are indexed under blocking keys (the nickname group or phonetic key of the given
//! name, with the family name's initial; and the same transposed), and a candidate is kept
//! only if [`crate::names::name_score`] says the names agree.

use crate::names::{name_score, nickname_groups, soundex, Name};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Where an identifier was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Occurrence {
    pub hub_id: u32,
    pub family_id: u32,
    /// The entry or incident it came from.
    pub source_id: u32,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    occ: Occurrence,
    /// Index of the next occurrence with the same key, or `u32::MAX`.
    next: u32,
    /// For people: index into `names`, else `u32::MAX`.
    name: u32,
}

const END: u32 = u32::MAX;

/// A match found for one identifier or name of a new entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Which of the looked-up items matched (its position in the query).
    pub item: usize,
    pub occurrence: Occurrence,
    /// For names: the name it matched and the score.
    pub matched_name: Option<(String, f64)>,
}

/// One thing to look up: an identifier (kind and normalised value) or a person's name.
#[derive(Debug, Clone)]
pub enum Query<'a> {
    Identifier { kind: &'a str, value: &'a str },
    Person(&'a str),
}

#[derive(Default)]
pub struct IdentifierIndex {
    heads: HashMap<u64, u32>,
    slots: Vec<Slot>,
    names: Vec<Name>,
}

/// Names must agree at least this well to be a match.
pub const NAME_MATCH: f64 = 0.85;

/// At most this many matches for one name. A name that matches more ("Daniel K" against a
/// city's records) says little on its own; the newest records are kept (chains run newest
/// first), and the cap bounds the time an alert can take.
pub const NAME_HITS_MAX: usize = 25;

/// At most this many stored names are compared with one name looked up. Phonetic keys
/// are coarse, and a common key can hold thousands of names; comparing the newest few
/// thousand bounds an alert's time (the database keeps every name for the analyst).
pub const NAME_SCAN_MAX: usize = 2_000;

fn key(kind: &str, value: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// The phonetic key of the name a word stands for ("danny" -> "daniel" -> D540), so that
/// nicknames, full names and spelling variants share a key.
fn canon(w: &str) -> String {
    soundex(nickname_groups(w).first().copied().unwrap_or(w))
}

fn initial(w: &str) -> String {
    w.chars().next().map(|c| c.to_string()).unwrap_or_default()
}

/// Whether a family name is only an initial ("Danny K").
fn is_initial(s: &str) -> bool {
    s.chars().count() == 1
}

/// The keys a stored name is filed under. A full name goes under its given and family
/// names' phonetic keys, both ways round, and under "given + initial" for queries that
/// know only an initial; a name with only an initial goes under its own bucket, which
/// full-name queries also look in.
fn stored_keys(name: &Name) -> Vec<u64> {
    let mut keys = Vec::with_capacity(3);
    match (&name.given, &name.surname) {
        (Some(g), Some(s)) if is_initial(s) => {
            keys.push(key("p-only-initial", &format!("{}|{s}", canon(g))))
        }
        (Some(g), Some(s)) => {
            keys.push(key("p-full", &format!("{}|{}", canon(g), canon(s))));
            keys.push(key("p-full", &format!("{}|{}", canon(s), canon(g))));
            keys.push(key("p-initial", &format!("{}|{}", canon(g), initial(s))));
        }
        (Some(g), None) => keys.push(key("p-given", &canon(g))),
        (None, Some(s)) => keys.push(key("p-given", &canon(s))),
        (None, None) => {}
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys a name looked up is searched under (see [`stored_keys`]).
fn query_keys(name: &Name) -> Vec<u64> {
    let mut keys = Vec::with_capacity(3);
    match (&name.given, &name.surname) {
        (Some(g), Some(s)) if is_initial(s) => {
            keys.push(key("p-only-initial", &format!("{}|{s}", canon(g))));
            keys.push(key("p-initial", &format!("{}|{s}", canon(g))));
        }
        (Some(g), Some(s)) => {
            keys.push(key("p-full", &format!("{}|{}", canon(g), canon(s))));
            keys.push(key("p-full", &format!("{}|{}", canon(s), canon(g))));
            keys.push(key(
                "p-only-initial",
                &format!("{}|{}", canon(g), initial(s)),
            ));
        }
        (Some(g), None) => keys.push(key("p-given", &canon(g))),
        (None, Some(s)) => keys.push(key("p-given", &canon(s))),
        (None, None) => {}
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl IdentifierIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `n` identifiers, to load without growing.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            heads: HashMap::with_capacity(n),
            slots: Vec::with_capacity(n),
            names: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn push(&mut self, k: u64, occ: Occurrence, name: u32) {
        let idx = self.slots.len() as u32;
        let head = self.heads.entry(k).or_insert(END);
        self.slots.push(Slot {
            occ,
            next: *head,
            name,
        });
        *head = idx;
    }

    /// Adds an identifier (normalised value) seen in `occ`.
    pub fn insert(&mut self, kind: &str, value: &str, occ: Occurrence) {
        if kind == "person" {
            self.insert_person(value, occ);
        } else {
            self.push(key(kind, value), occ, END);
        }
    }

    /// Adds a name or nickname of a person of concern.
    pub fn insert_person(&mut self, name: &str, occ: Occurrence) {
        let Some(parsed) = Name::parse(name) else {
            return;
        };
        let at = self.names.len() as u32;
        let keys = stored_keys(&parsed);
        self.names.push(parsed);
        for k in keys {
            self.push(k, occ, at);
        }
    }

    fn chain(&self, k: u64) -> impl Iterator<Item = &Slot> {
        let mut at = self.heads.get(&k).copied().unwrap_or(END);
        std::iter::from_fn(move || {
            if at == END {
                return None;
            }
            let s = &self.slots[at as usize];
            at = s.next;
            Some(s)
        })
    }

    /// Everything in the index that matches any of `items`, except what lies in the
    /// family `except` (the family the new entry belongs to). Sorted, each occurrence
    /// once per item.
    pub fn lookup(&self, items: &[Query<'_>], except_family: Option<(u32, u32)>) -> Vec<Hit> {
        let mut hits = Vec::new();
        let foreign = |o: &Occurrence| except_family != Some((o.hub_id, o.family_id));
        for (i, q) in items.iter().enumerate() {
            match q {
                Query::Identifier { kind, value } => {
                    for s in self.chain(key(kind, value)) {
                        if foreign(&s.occ) {
                            hits.push(Hit {
                                item: i,
                                occurrence: s.occ,
                                matched_name: None,
                            });
                        }
                    }
                }
                Query::Person(text) => {
                    let Some(name) = Name::parse(text) else {
                        continue;
                    };
                    // Occurrences already found for this name (reached through two keys).
                    let mut seen: Vec<Occurrence> = Vec::new();
                    let mut scanned = 0;
                    'keys: for k in query_keys(&name) {
                        for s in self.chain(k) {
                            if !foreign(&s.occ) || s.name == END || seen.contains(&s.occ) {
                                continue;
                            }
                            scanned += 1;
                            if scanned > NAME_SCAN_MAX {
                                break 'keys;
                            }
                            let theirs = &self.names[s.name as usize];
                            if let Some(score) =
                                name_score(&name, theirs).filter(|s| *s >= NAME_MATCH)
                            {
                                hits.push(Hit {
                                    item: i,
                                    occurrence: s.occ,
                                    matched_name: Some((theirs.display.clone(), score)),
                                });
                                seen.push(s.occ);
                                if seen.len() >= NAME_HITS_MAX {
                                    break 'keys;
                                }
                            }
                        }
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.item, h.occurrence));
        hits.dedup_by(|a, b| a.item == b.item && a.occurrence == b.occurrence);
        hits
    }

    /// Approximate bytes held (for the benchmark's memory figure).
    pub fn approx_bytes(&self) -> usize {
        self.heads.capacity() * (8 + 4 + 1)
            + self.slots.capacity() * std::mem::size_of::<Slot>()
            + self
                .names
                .iter()
                .map(|n| {
                    std::mem::size_of::<Name>()
                        + n.display.len()
                        + n.given.as_ref().map_or(0, |g| g.len())
                        + n.surname.as_ref().map_or(0, |s| s.len())
                })
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(h: u32, f: u32, s: u32) -> Occurrence {
        Occurrence {
            hub_id: h,
            family_id: f,
            source_id: s,
        }
    }

    #[test]
    fn the_same_car_in_another_family_is_found_and_the_own_family_is_not() {
        let mut ix = IdentifierIndex::new();
        ix.insert("vehicle", "AB12CDE", occ(1, 10, 100));
        ix.insert("vehicle", "AB12CDE", occ(1, 11, 101));
        ix.insert("phone", "+447700900123", occ(2, 20, 200));
        ix.insert("vehicle", "XY51ABC", occ(1, 12, 102));
        let hits = ix.lookup(
            &[
                Query::Identifier {
                    kind: "vehicle",
                    value: "AB12CDE",
                },
                Query::Identifier {
                    kind: "phone",
                    value: "+447700900123",
                },
                Query::Identifier {
                    kind: "phone",
                    value: "+447700900999",
                },
            ],
            Some((1, 10)),
        );
        let found: Vec<(usize, u32)> = hits
            .iter()
            .map(|h| (h.item, h.occurrence.family_id))
            .collect();
        assert_eq!(found, vec![(0, 11), (1, 20)]);
    }

    #[test]
    fn a_nickname_and_initial_find_the_full_name() {
        let mut ix = IdentifierIndex::new();
        ix.insert("person", "Daniel Khan", occ(1, 11, 101));
        ix.insert("person", "Danielle Smith", occ(1, 12, 102));
        ix.insert("person", "Khan Danny", occ(1, 13, 103));
        let hits = ix.lookup(&[Query::Person("Danny Khan")], Some((1, 10)));
        let families: Vec<u32> = hits.iter().map(|h| h.occurrence.family_id).collect();
        assert!(families.contains(&11), "{hits:?}");
        assert!(families.contains(&13), "transposed: {hits:?}");
        assert!(!families.contains(&12), "{hits:?}");
        assert_eq!(hits[0].matched_name.as_ref().unwrap().0, "Daniel Khan");
    }

    #[test]
    fn kinds_do_not_mix() {
        let mut ix = IdentifierIndex::new();
        ix.insert("handle", "snapchat:ab12cde", occ(1, 11, 1));
        assert!(ix
            .lookup(
                &[Query::Identifier {
                    kind: "vehicle",
                    value: "snapchat:ab12cde"
                }],
                None
            )
            .is_empty());
    }
}
