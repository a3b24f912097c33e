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

/// Names and nicknames typed in a "who was involved" box: one per line or comma.
pub fn split_names(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
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
