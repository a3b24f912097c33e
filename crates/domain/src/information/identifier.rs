//! The identifiers stored with an entry or incident ([`NewIdentifier`]): found in what
//! was written, or typed in fields of their own; and the check the person who recorded
//! an entry makes of those found ([`IdentifierCheck::parse_all`]).
//!
//! Nothing a person typed is rewritten: identifiers are kept beside the text with the
//! exact characters they came from, and one that does not parse is kept as typed and
//! marked unrecognised.

use super::ItemKind;
use crate::identifiers::extract;
use crate::ids::IdentifierId;
use crate::validate::FieldErrors;
use crate::Code;
use serde::Serialize;

/// One identifier to store with an entry or incident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewIdentifier {
    kind: ItemKind,
    /// Normalised (or, when not recognised, as typed).
    value: String,
    /// Exactly as written.
    raw: String,
    /// "text" when found in what was written, "field" when typed in a field of its own.
    origin: &'static str,
    start: Option<i64>,
    end: Option<i64>,
    recognised: bool,
}

impl NewIdentifier {
    /// The identifiers `extract` finds in a text, with their byte offsets into it.
    pub fn found_in(text: &str, origin: &'static str) -> Vec<NewIdentifier> {
        extract(text)
            .into_iter()
            .map(|f| NewIdentifier {
                kind: ItemKind::from(f.kind),
                value: f.value,
                raw: f.raw,
                origin,
                start: Some(f.start as i64),
                end: Some(f.end as i64),
                recognised: f.recognised,
            })
            .collect()
    }

    /// A name, nickname or place typed in a field of its own (or an identifier a program
    /// knows to be one): normalised where it can be, kept as typed where not.
    pub fn named(kind: ItemKind, name: &str) -> NewIdentifier {
        NewIdentifier {
            kind,
            value: kind.normalise(name).unwrap_or_else(|_| name.to_string()),
            raw: name.to_string(),
            origin: "field",
            start: None,
            end: None,
            recognised: true,
        }
    }

    /// A name or nickname of a person of concern.
    pub fn person(name: &str) -> NewIdentifier {
        NewIdentifier::named(ItemKind::Person, name)
    }

    /// An identifier typed in its own field: one that does not parse is kept exactly as
    /// typed and marked unrecognised, because half a number plate is still worth having.
    pub(crate) fn typed(kind: ItemKind, typed: &str) -> NewIdentifier {
        let (value, recognised) = match kind.normalise(typed) {
            Ok(v) => (v, true),
            Err(_) => (typed.to_string(), false),
        };
        NewIdentifier {
            kind,
            value,
            raw: typed.to_string(),
            origin: "field",
            start: None,
            end: None,
            recognised,
        }
    }

    /// The same identifier without offsets, for one found in a text other than the one
    /// the offsets would point into.
    pub(crate) fn without_offsets(mut self) -> NewIdentifier {
        self.start = None;
        self.end = None;
        self
    }

    /// An identifier as it was stored, to look it up again (cross-hub matching once an
    /// entry is reviewed): its value was normalised by the rules when it was first made.
    pub fn stored(kind: ItemKind, value: String, raw: String, recognised: bool) -> NewIdentifier {
        NewIdentifier {
            kind,
            value,
            raw,
            origin: "stored",
            start: None,
            end: None,
            recognised,
        }
    }

    /// An identifier made without the rules, for tests that need one exactly so. Named to
    /// stand out: everything else uses the constructors above.
    #[doc(hidden)]
    pub fn unchecked(
        kind: ItemKind,
        value: String,
        raw: String,
        origin: &'static str,
        start: Option<i64>,
        end: Option<i64>,
        recognised: bool,
    ) -> NewIdentifier {
        NewIdentifier {
            kind,
            value,
            raw,
            origin,
            start,
            end,
            recognised,
        }
    }

    pub fn kind(&self) -> ItemKind {
        self.kind
    }
    /// Normalised (or, when not recognised, as typed).
    pub fn value(&self) -> &str {
        &self.value
    }
    /// Exactly as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }
    /// "text" when found in what was written, "field" when typed in a field of its own.
    pub fn origin(&self) -> &'static str {
        self.origin
    }
    /// Byte offset of the start in the text it was found in.
    pub fn start(&self) -> Option<i64> {
        self.start
    }
    pub fn end(&self) -> Option<i64> {
        self.end
    }
    pub fn recognised(&self) -> bool {
        self.recognised
    }
}

/// Words that open a description of someone, not a name: "Unknown number 07700
/// 900456", "a tall man", "older lad with a scooter".
const DESCRIBING_START: &[&str] = &[
    "a", "an", "the", "some", "unknown", "unnamed", "older", "old", "young", "younger", "tall",
    "short", "white", "black", "asian", "mixed", "his", "her", "their", "my", "our", "no", "not",
    "with", "about", "around", "phone", "car",
];

/// Words that make a description wherever they are ("big man", "the driver"), though
/// "Big Mo" is a name.
const DESCRIBING_WORD: &[&str] = &[
    "man", "men", "woman", "women", "lad", "lads", "boy", "boys", "girl", "girls", "guy", "guys",
    "bloke", "blokes", "person", "people", "someone", "somebody", "driver", "number", "friend",
    "friends",
];

/// One person of concern named in a "who was involved" box: the name as typed, and what
/// was written about them in brackets or after it ("Tee (driver, white man about 25,
/// beard)" is Tee, described).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPerson<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
}

/// Whether a piece of text reads as a name or nickname: a few words, a letter, no digits,
/// no identifier in it, not opening with a describing word.
fn reads_as_name(s: &str) -> bool {
    let words: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    !words.is_empty()
        && words.len() <= 4
        && s.chars().count() <= 60
        && s.chars().any(char::is_alphabetic)
        && !s.chars().any(|c| c.is_numeric())
        && !DESCRIBING_START.contains(&words[0].as_str())
        && !words.iter().any(|w| DESCRIBING_WORD.contains(&w.as_str()))
        && crate::identifiers::extract(s).is_empty()
}

/// Splits text at the commas outside brackets.
fn top_level_commas(line: &str) -> Vec<&str> {
    let mut depth = 0i32;
    let mut start = 0;
    let mut out = Vec::new();
    for (i, c) in line.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = (depth - 1).max(0),
            ',' if depth == 0 => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
    out
}

/// A piece as a name with what is written about it: the part before a bracket or a
/// spaced dash is the name, the rest its description.
fn name_and_description(piece: &str) -> (&str, Option<&str>) {
    let piece = piece.trim();
    let cut = [" (", "(", " [", " - ", " \u{2013} ", " \u{2014} ", ": "]
        .iter()
        .filter_map(|m| piece.find(m))
        .min();
    match cut {
        Some(at) => {
            let rest = piece[at..]
                .trim_start_matches([' ', '(', '[', '-', '\u{2013}', '\u{2014}', ':'])
                .trim_end_matches([')', ']', ' ']);
            let rest = rest.trim();
            (piece[..at].trim(), (!rest.is_empty()).then_some(rest))
        }
        None => (piece, None),
    }
}

/// The people of concern named in a "who was involved" box, with names kept as typed.
///
/// Each line (or part between semicolons) is one person or one description. A line is
/// split at its commas only when every part reads as a name ("Danny K, Tee"); otherwise
/// its first part is the name and the rest describes them ("Tee, driver, about 25"), and
/// a line that is wholly a description ("white man about 25, beard", "Unknown number
/// 07700 900456") names nobody. What was written stays in the entry as typed either way,
/// and identifiers in it are found separately.
pub fn people_named(text: &str) -> Vec<NamedPerson<'_>> {
    let mut out = Vec::new();
    for line in text
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let pieces: Vec<(&str, Option<&str>)> = top_level_commas(line)
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(name_and_description)
            .collect();
        if pieces.iter().all(|(name, _)| reads_as_name(name)) {
            out.extend(
                pieces
                    .into_iter()
                    .map(|(name, description)| NamedPerson { name, description }),
            );
        } else if let Some((name, description)) = pieces.first().filter(|(n, _)| reads_as_name(n)) {
            let rest = line[line.find(',').map_or(line.len(), |i| i + 1)..].trim();
            out.push(NamedPerson {
                name,
                description: description.or((!rest.is_empty()).then_some(rest)),
            });
        }
    }
    out
}

/// The identifiers in a "who was involved" box: phone numbers, cars and accounts written
/// there (without offsets: they point into the main text only), and each person named.
pub fn people_identifiers(text: &str) -> Vec<NewIdentifier> {
    let mut out: Vec<NewIdentifier> = NewIdentifier::found_in(text, "text")
        .into_iter()
        .map(NewIdentifier::without_offsets)
        .collect();
    out.extend(
        people_named(text)
            .into_iter()
            .map(|p| NewIdentifier::person(p.name)),
    );
    out
}

/// The children named in a box of their own: names only, as typed.
pub fn children_identifiers(text: &str) -> Vec<NewIdentifier> {
    people_named(text)
        .into_iter()
        .map(|p| NewIdentifier::named(ItemKind::Child, p.name))
        .collect()
}

/// What the person who recorded an entry says about one identifier found in it. An enum
/// the store matches on, so its variants are public; the check page's answers become
/// these only through [`IdentifierCheck::parse_all`].
#[derive(Debug, Clone)]
pub enum IdentifierCheck {
    Confirm,
    /// The right value, normalised.
    Correct(String),
    Reject,
}

/// One identifier's answer on the check page, as sent: for identifier `n`, `check-n` is
/// `confirm`, `correct`, `reject` or nothing, and `fix-n` the right value.
#[derive(Debug, Clone)]
pub struct RawCheck {
    /// The stored identifier's id.
    pub id: IdentifierId,
    /// Its kind, which decides how a correction is read.
    pub kind: ItemKind,
    pub choice: String,
    pub fix: String,
}

impl IdentifierCheck {
    /// The rules of the check page: an identifier left unanswered is left as it is; a
    /// correction is required, at most 200 characters and must read as its kind.
    pub fn parse_all(
        raw: &[RawCheck],
    ) -> Result<Vec<(IdentifierId, IdentifierCheck)>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = Vec::new();
        for i in raw {
            let fix = i.fix.trim();
            let field = format!("check-{}", i.id);
            match i.choice.as_str() {
                "" => {}
                "confirm" => out.push((i.id, IdentifierCheck::Confirm)),
                "reject" => out.push((i.id, IdentifierCheck::Reject)),
                "correct" => {
                    let fix_field = format!("fix-{}", i.id);
                    if fix.is_empty() {
                        e.add(
                            fix_field,
                            format!("Enter the right {}", i.kind.label().to_lowercase()),
                        );
                    } else if fix.chars().count() > 200 {
                        e.add(fix_field, "The correction must be 200 characters or fewer");
                    } else {
                        match i.kind.normalise(fix) {
                            Ok(v) => out.push((i.id, IdentifierCheck::Correct(v))),
                            Err(err) => e.add(fix_field, err.to_string()),
                        }
                    }
                }
                _ => e.add(
                    field,
                    "Choose whether this is right, needs correcting, or is not one",
                ),
            }
        }
        e.finish(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(choice: &str, fix: &str) -> RawCheck {
        RawCheck {
            id: IdentifierId::new(7),
            kind: ItemKind::Vehicle,
            choice: choice.into(),
            fix: fix.into(),
        }
    }

    fn names(text: &str) -> Vec<(&str, Option<&str>)> {
        people_named(text)
            .into_iter()
            .map(|p| (p.name, p.description))
            .collect()
    }

    #[test]
    fn names_are_kept_as_typed_and_descriptions_are_not_people() {
        assert_eq!(
            names("Tee (driver, white man about 25, beard)"),
            vec![("Tee", Some("driver, white man about 25, beard"))]
        );
        assert_eq!(names("Unknown number 07700 900456"), vec![]);
        assert_eq!(names("white man about 25, beard"), vec![]);
        assert_eq!(
            names("Danny K, Tee"),
            vec![("Danny K", None), ("Tee", None)]
        );
        assert_eq!(
            names("Danny K\nTee; Big Mo"),
            vec![("Danny K", None), ("Tee", None), ("Big Mo", None)]
        );
        assert_eq!(names("big man in a hoodie"), vec![]);
        assert_eq!(
            names("Tee, driver, about 25"),
            vec![("Tee", Some("driver, about 25"))]
        );
        assert_eq!(
            names("Jay - drives the silver car"),
            vec![("Jay", Some("drives the silver car"))]
        );
        assert_eq!(names("O'Neill-Ward"), vec![("O'Neill-Ward", None)]);
        assert_eq!(names("Nguyễn Văn"), vec![("Nguyễn Văn", None)]);
        let ids = people_identifiers("Tee (driver)\nUnknown number 07700 900456");
        let kinds: Vec<(ItemKind, &str, &str)> =
            ids.iter().map(|i| (i.kind(), i.value(), i.raw())).collect();
        assert_eq!(
            kinds,
            vec![
                (ItemKind::Phone, "+447700900456", "07700 900456"),
                (ItemKind::Person, "tee", "Tee")
            ]
        );
    }

    #[test]
    fn a_correction_is_read_as_its_kind_and_unanswered_ones_are_left() {
        let c = IdentifierCheck::parse_all(&[raw("correct", " ab12 cdf "), raw("", "")]).unwrap();
        assert!(
            matches!(&c[..], [(id, IdentifierCheck::Correct(v))] if id.get() == 7 && v == "AB12CDF")
        );
        let e = IdentifierCheck::parse_all(&[raw("correct", "")]).unwrap_err();
        assert_eq!(e.get("fix-7"), Some("Enter the right vehicle registration"));
        let e = IdentifierCheck::parse_all(&[raw("maybe", "")]).unwrap_err();
        assert!(e.get("check-7").is_some());
    }
}
