//! Identifiers in what parents write: vehicle registrations, phone numbers, email
//! addresses, social-media handles and postcodes.
//!
//! This module owns two things:
//! - **Parsing one identifier** typed into a field of its own ([`VehicleMark::parse`],
//!   [`PhoneNumber::parse`], [`Email::parse`], [`Handle::parse`], [`Postcode::parse`]):
//!   each gives a normalised value, or an [`IdentifierError`] that says what is wrong.
//! - **Finding identifiers in free text** ([`extract`]): every item comes back with the
//!   text exactly as it was typed (`raw`), its byte offsets, and its normalised `value`.
//!   Something that looks like an identifier but does not parse (a phone number a digit
//!   short, a plate that breaks the UK rules, an O typed for a 0) comes back with
//!   `recognised: false` and `value == raw`: it is never dropped and never "corrected".
//!
//! The rules are UK ones (DVLA registration formats, Ofcom numbering, Royal Mail
//! postcodes) written by hand; `docs/decisions/0006-identifiers.md` says why. Nothing here
//! does I/O.
//!
//! What `extract` deliberately does not find, to keep ordinary sentences quiet:
//! - dateless and Northern Ireland plates ("1 ABC", "ABZ 1234") unless a word such as
//!   "reg", "registration" or "plate" comes just before them ("at 10 PM", "M6",
//!   "PIN 1234" have the same shape);
//! - prefix and suffix plates ("A123 BCD", "ABC 123D") written in lower case ("b4 you"
//!   has the same shape), again unless a registration word comes before them;
//! - handles written without `@` after a platform name, unless the name is followed by a
//!   colon ("snap: dannyk") or contains a digit, `.` or `_` ("snapchat danny.k");
//! - phone numbers joined to longer runs of digits or letters.

mod email;
mod handle;
mod phone;
mod postcode;
mod scan;
mod vehicle;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use email::Email;
pub use handle::{Handle, Platform};
pub use phone::{is_drama as phone_is_drama, PhoneNumber};
pub use postcode::Postcode;
pub use vehicle::{VehicleFormat, VehicleMark, BADGES as VEHICLE_BADGES};

/// What sort of identifier an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierKind {
    Vehicle,
    Phone,
    Email,
    Handle,
    Postcode,
}

impl IdentifierKind {
    /// Every kind, in a stable order.
    pub const ALL: [IdentifierKind; 5] = [
        IdentifierKind::Vehicle,
        IdentifierKind::Phone,
        IdentifierKind::Email,
        IdentifierKind::Handle,
        IdentifierKind::Postcode,
    ];

    /// The stable name used in JSON: "vehicle", "phone", "email", "handle", "postcode".
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Vehicle => "vehicle",
            IdentifierKind::Phone => "phone",
            IdentifierKind::Email => "email",
            IdentifierKind::Handle => "handle",
            IdentifierKind::Postcode => "postcode",
        }
    }

    /// Words for a person ("vehicle registration", "phone number", ...).
    pub fn label(self) -> &'static str {
        match self {
            IdentifierKind::Vehicle => "vehicle registration",
            IdentifierKind::Phone => "phone number",
            IdentifierKind::Email => "email address",
            IdentifierKind::Handle => "social media handle",
            IdentifierKind::Postcode => "postcode",
        }
    }
}

impl std::fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One identifier found in free text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Found {
    pub kind: IdentifierKind,
    /// The normalised value ("AB12CDE", "+447700900123", "instagram:danny_k", "LS1 4AP");
    /// equal to `raw` when `recognised` is false.
    pub value: String,
    /// The text exactly as written: always `&input[start..end]`.
    pub raw: String,
    /// Byte offset of the first byte of `raw` in the input.
    pub start: usize,
    /// Byte offset just past the last byte of `raw`.
    pub end: usize,
    /// False when the text looks like this kind of identifier but does not parse.
    pub recognised: bool,
}

/// Why a single identifier could not be parsed, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("Enter {} {}", if *.0 == IdentifierKind::Email { "an" } else { "a" }, .0.label())]
    Empty(IdentifierKind),
    #[error("\"{input}\" is not a UK vehicle registration: {reason}")]
    Vehicle { input: String, reason: String },
    #[error("\"{input}\" is not a UK phone number: {reason}")]
    Phone { input: String, reason: String },
    #[error("\"{input}\" is not an email address: {reason}")]
    Email { input: String, reason: String },
    #[error("\"{input}\" is not a social media handle: {reason}")]
    Handle { input: String, reason: String },
    #[error("\"{input}\" is not a UK postcode: {reason}")]
    Postcode { input: String, reason: String },
}

impl IdentifierError {
    /// The kind of identifier that failed to parse.
    pub fn kind(&self) -> IdentifierKind {
        match self {
            IdentifierError::Empty(k) => *k,
            IdentifierError::Vehicle { .. } => IdentifierKind::Vehicle,
            IdentifierError::Phone { .. } => IdentifierKind::Phone,
            IdentifierError::Email { .. } => IdentifierKind::Email,
            IdentifierError::Handle { .. } => IdentifierKind::Handle,
            IdentifierError::Postcode { .. } => IdentifierKind::Postcode,
        }
    }

    pub(crate) fn new(kind: IdentifierKind, input: &str, reason: impl Into<String>) -> Self {
        let input = input.trim().to_string();
        let reason = reason.into();
        match kind {
            IdentifierKind::Vehicle => IdentifierError::Vehicle { input, reason },
            IdentifierKind::Phone => IdentifierError::Phone { input, reason },
            IdentifierKind::Email => IdentifierError::Email { input, reason },
            IdentifierKind::Handle => IdentifierError::Handle { input, reason },
            IdentifierKind::Postcode => IdentifierError::Postcode { input, reason },
        }
    }
}

/// How strongly a candidate claims its span when candidates overlap: lower wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    Email,
    Handle,
    Phone,
    Postcode,
    CurrentPlate,
    OtherPlate,
    UnrecognisedEmail,
    UnrecognisedPhone,
    // A plate with an O/0 confusion ("YX68 0KR") can also have a postcode's shape; the
    // plate reading is the likelier one.
    UnrecognisedPlate,
    UnrecognisedPostcode,
}

/// A possible identifier, before overlaps are settled.
pub(crate) struct Candidate {
    pub tier: Tier,
    pub kind: IdentifierKind,
    pub start: usize,
    pub end: usize,
    /// `None` for an unrecognised candidate (its value is its raw text).
    pub value: Option<String>,
}

/// Finds every identifier in `text`, sorted by `start`, none overlapping another.
///
/// When two readings of the same text compete, recognised identifiers beat unrecognised
/// ones, then emails beat handles, handles beat phone numbers, phone numbers beat
/// postcodes and postcodes beat plates (current-format plates before older formats;
/// among unrecognised items, plates before postcodes); among equals the earlier, then
/// the longer, wins.
pub fn extract(text: &str) -> Vec<Found> {
    // Scanned folded ("07700\u{a0}900123", "07700\u{2013}900123" and full-width digits
    // read as plain ones); offsets and raw text are the original's.
    let folded = Folded::new(text);
    let scanned = folded.text.as_deref().unwrap_or(text);
    let mut candidates = Vec::new();
    email::find(scanned, &mut candidates);
    handle::find(scanned, &mut candidates);
    phone::find(scanned, &mut candidates);
    let words = scan::words(scanned);
    postcode::find(scanned, &words, &mut candidates);
    vehicle::find(scanned, &words, &mut candidates);
    for c in &mut candidates {
        c.start = folded.original(c.start);
        c.end = folded.original(c.end);
    }

    candidates.sort_by_key(|c| (c.tier, c.start, std::cmp::Reverse(c.end - c.start)));
    // Accepted spans, start -> end; none overlap, so neighbours by start are enough.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut found = Vec::new();
    for c in candidates {
        let clashes_before = taken
            .range(..=c.start)
            .next_back()
            .is_some_and(|(_, &end)| end > c.start);
        let clashes_after = taken.range(c.start..c.end).next().is_some();
        if clashes_before || clashes_after {
            continue;
        }
        taken.insert(c.start, c.end);
        let raw = text[c.start..c.end].to_string();
        found.push(Found {
            kind: c.kind,
            recognised: c.value.is_some(),
            value: c.value.unwrap_or_else(|| raw.clone()),
            raw,
            start: c.start,
            end: c.end,
        });
    }
    found.sort_by_key(|f| f.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_to_their_names() {
        for kind in IdentifierKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            let back: IdentifierKind = serde_json::from_str(&json).unwrap();
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn found_serialises_with_its_fields() {
        let f = &extract("call 07700 900123")[0];
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["kind"], "phone");
        assert_eq!(json["value"], "+447700900123");
        assert_eq!(json["raw"], "07700 900123");
        assert_eq!(json["start"], 5);
        assert_eq!(json["end"], 17);
        assert_eq!(json["recognised"], true);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = VehicleMark::parse("AB01 CDE").unwrap_err();
        assert_eq!(e.kind(), IdentifierKind::Vehicle);
        assert!(e.to_string().contains("age identifier"), "{e}");
        assert_eq!(
            PhoneNumber::parse("  ").unwrap_err().to_string(),
            "Enter a phone number"
        );
        assert_eq!(
            Email::parse("").unwrap_err().to_string(),
            "Enter an email address"
        );
    }
}

/// The plain form of a character people paste into identifiers: non-breaking and other
/// fixed-width spaces, dashes and minus signs, and full-width digits, letters, plus signs
/// and brackets. `None` for a character that is left as it is.
pub fn plain(c: char) -> Option<char> {
    Some(match c {
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => '-',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xff01 + 0x21)?,
        _ => return None,
    })
}

/// Text with [`plain`] applied, and the way back to the original's byte offsets.
struct Folded {
    /// `None` when nothing needed folding (the text is scanned as it is).
    text: Option<String>,
    /// For each byte offset of the folded text (and its end), the original's.
    back: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        if !text.chars().any(|c| plain(c).is_some()) {
            return Folded {
                text: None,
                back: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut back = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let p = plain(c).unwrap_or(c);
            for _ in 0..p.len_utf8() {
                back.push(i);
            }
            out.push(p);
        }
        back.push(text.len());
        Folded {
            text: Some(out),
            back,
        }
    }

    fn original(&self, at: usize) -> usize {
        if self.text.is_none() {
            at
        } else {
            self.back[at]
        }
    }
}

/// One identifier typed in a field of its own, folded as [`extract`] folds text.
pub fn folded(input: &str) -> String {
    input.chars().map(|c| plain(c).unwrap_or(c)).collect()
}

/// Reads one identifier typed into a field of its own, as `kind`: the normalised value
/// stored and matched on, or why it is not one.
pub fn parse_as(kind: IdentifierKind, input: &str) -> Result<String, IdentifierError> {
    let input = &folded(input);
    Ok(match kind {
        IdentifierKind::Vehicle => VehicleMark::parse(input)?.normalised().to_string(),
        IdentifierKind::Phone => PhoneNumber::parse(input)?.normalised().to_string(),
        IdentifierKind::Email => Email::parse(input)?.normalised().to_string(),
        IdentifierKind::Handle => Handle::parse(input)?.normalised().to_string(),
        IdentifierKind::Postcode => Postcode::parse(input)?.normalised().to_string(),
    })
}

/// Why a stored identifier is unusual, if it is: a vehicle mark of a valid shape that was
/// never issued (a first letter DVLA does not use, an age identifier later than `today`'s),
/// which may be a false plate.
pub fn unusual(kind: IdentifierKind, value: &str, today: chrono::NaiveDate) -> Option<String> {
    match kind {
        IdentifierKind::Vehicle => VehicleMark::parse(value).ok()?.unusual(today),
        _ => None,
    }
}

/// How a stored, normalised value is shown: vehicle marks with their one space, the
/// rest as stored. A value that does not parse (kept as typed) is shown as it is.
pub fn display(kind: IdentifierKind, value: &str) -> String {
    match kind {
        IdentifierKind::Vehicle => VehicleMark::parse(value)
            .map(|m| m.display())
            .unwrap_or_else(|_| value.to_string()),
        IdentifierKind::Postcode => Postcode::parse(value)
            .map(|p| p.to_string())
            .unwrap_or_else(|_| value.to_string()),
        _ => value.to_string(),
    }
}

impl std::str::FromStr for IdentifierKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        IdentifierKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn a_field_parses_as_its_kind_and_displays_with_the_plate_space() {
        assert_eq!(
            parse_as(IdentifierKind::Vehicle, "ab12cde").unwrap(),
            "AB12CDE"
        );
        assert_eq!(display(IdentifierKind::Vehicle, "AB12CDE"), "AB12 CDE");
        assert_eq!(
            parse_as(IdentifierKind::Phone, "07700 900123").unwrap(),
            "+447700900123"
        );
        assert!(parse_as(IdentifierKind::Vehicle, "not a plate").is_err());
        assert_eq!(display(IdentifierKind::Vehicle, "N0PE!"), "N0PE!");
        assert_eq!("phone".parse::<IdentifierKind>(), Ok(IdentifierKind::Phone));
    }
}
