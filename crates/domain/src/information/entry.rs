//! The rules of an information-log entry ([`NewEntry::parse`]): what a parent or worker
//! saw or heard, when, where, who was involved and how they know, with the identifiers
//! found in it ([`NewIdentifier`]) and the photos that go with it ([`NewAttachment`]).
//!
//! Nothing a person typed is rewritten: identifiers are kept beside the text with the
//! exact characters they came from, and one that does not parse is kept as typed and
//! marked unrecognised. Reading the form (and its photos) is the web's; this is the rule.

use super::{HowKnown, ItemKind};
use crate::identifiers::extract;
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::NaiveDateTime;
use serde::Serialize;

/// At most this many photos or screenshots with one entry.
pub const MAX_FILES: usize = 3;

/// The fields typed for an identifier of its own kind: (form field, kind, label).
pub const IDENTIFIER_FIELDS: &[(&str, ItemKind, &str)] = &[
    ("vehicle", ItemKind::Vehicle, "Vehicle registration"),
    ("phone", ItemKind::Phone, "Phone number"),
    ("handle", ItemKind::Handle, "Social media account"),
    ("email", ItemKind::Email, "Email address"),
];

/// An entry as sent, before its rules are applied.
#[derive(Debug, Clone, Default)]
pub struct RawEntry {
    pub what: String,
    pub date: RawDate,
    pub time: String,
    pub approx: String,
    pub place: String,
    pub people: String,
    /// Other children or young people named (one per line or comma).
    pub children: String,
    pub how_known: String,
    pub how_known_who: String,
    pub how_known_detail: String,
    /// (field name, value) for each of [`IDENTIFIER_FIELDS`].
    pub identifiers: Vec<(String, String)>,
}

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
    fn typed(kind: ItemKind, typed: &str) -> NewIdentifier {
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

/// The image types accepted, recognised by their first bytes (what the file says it is
/// and its name are not trusted).
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A file name safe to show and to offer back: the last path part, no control
/// characters, at most 100 characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    if cleaned.trim().is_empty() {
        "photo".to_string()
    } else {
        cleaned
    }
}

/// A photo or screenshot sent with an entry.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    filename: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl NewAttachment {
    /// A photo or screenshot, its type read from its first bytes; `None` when it is not
    /// an image we accept. `filename` is shown as given: clean it with [`clean_filename`].
    pub fn image(filename: String, bytes: Vec<u8>) -> Option<NewAttachment> {
        let content_type = sniff_image(&bytes)?.to_string();
        Some(NewAttachment {
            filename,
            content_type,
            bytes,
        })
    }

    /// An attachment made without the rules, for tests that store bytes that are not an
    /// image. Named to stand out: the web uses [`NewAttachment::image`].
    #[doc(hidden)]
    pub fn unchecked(filename: String, content_type: String, bytes: Vec<u8>) -> NewAttachment {
        NewAttachment {
            filename,
            content_type,
            bytes,
        }
    }

    pub fn filename(&self) -> &str {
        &self.filename
    }
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// An entry in the information log, as its rules leave it: what happened, when (a date,
/// or roughly when; never in the future), how the person knows, and the identifiers in it.
#[derive(Debug, Clone)]
pub struct NewEntry {
    what: String,
    occurred_at: Option<NaiveDateTime>,
    occurred_approx: Option<String>,
    place: Option<String>,
    people: Option<String>,
    how_known: HowKnown,
    how_known_who: Option<String>,
    how_known_detail: Option<String>,
    identifiers: Vec<NewIdentifier>,
    attachments: Vec<NewAttachment>,
}

/// Everything a [`NewEntry`] holds, for code that makes one from data no person typed
/// (the demo data, tests): [`NewEntry::unchecked`] takes it without applying the rules.
/// Named to stand out: pages and the API use [`NewEntry::parse`].
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct UncheckedEntry {
    pub what: String,
    pub occurred_at: Option<NaiveDateTime>,
    pub occurred_approx: Option<String>,
    pub place: Option<String>,
    pub people: Option<String>,
    pub how_known: HowKnown,
    pub how_known_who: Option<String>,
    pub how_known_detail: Option<String>,
    pub identifiers: Vec<NewIdentifier>,
    pub attachments: Vec<NewAttachment>,
}

impl NewEntry {
    /// The rules of an entry. `now` is UK local time: an observation cannot be in the
    /// future. The entry has no attachments: add the photos, each checked, with
    /// [`NewEntry::with_attachments`].
    pub fn parse(raw: &RawEntry, now: NaiveDateTime) -> Result<NewEntry, FieldErrors> {
        let mut e = FieldErrors::new();
        let what = v::required_text(
            &mut e,
            "what",
            "What you saw or heard",
            &raw.what,
            LONG_TEXT_MAX,
        );
        let date = raw.date.read(
            &mut e,
            "date",
            "The date",
            false,
            When::PastOrToday,
            now.date(),
        );
        let time = v::time_of_day(&mut e, "time", "The time", &raw.time);
        let approx = v::optional_text(
            &mut e,
            "approx",
            "Roughly when",
            &raw.approx,
            SHORT_TEXT_MAX,
        );
        let occurred_at = date.map(|d| v::at(d, time));
        if let Some(t) = occurred_at {
            if t > now && e.get("date").is_none() {
                e.add("time", "The time must be now or in the past");
            }
        }
        if date.is_none() && approx.is_none() && e.get("date").is_none() {
            e.add(
                "date",
                "Enter the date, or say roughly when it happened (for example, last Friday evening)",
            );
        }
        if time.is_some() && date.is_none() && e.get("date").is_none() && e.get("time").is_none() {
            e.add("date", "Enter the date the time belongs to");
        }
        let place = v::optional_text(&mut e, "place", "Where", &raw.place, SHORT_TEXT_MAX);
        let people = v::optional_text(&mut e, "people", "Who was involved", &raw.people, 2_000);
        let children = v::optional_text(
            &mut e,
            "children",
            "Other children or young people involved",
            &raw.children,
            2_000,
        );
        let how_known = v::code::<HowKnown>(
            &mut e,
            "how-known",
            "How you know it is true",
            &raw.how_known,
            true,
        );
        let how_known_who = v::optional_text(
            &mut e,
            "how-known-who",
            "Who told you",
            &raw.how_known_who,
            SHORT_TEXT_MAX,
        );
        let how_known_detail = v::optional_text(
            &mut e,
            "how-known-detail",
            "More about how you know",
            &raw.how_known_detail,
            SHORT_TEXT_MAX,
        );
        if how_known == Some(HowKnown::OtherPersonTold) && how_known_who.is_none() {
            e.add("how-known-who", "Enter who told you");
        }
        if how_known == Some(HowKnown::Other) && how_known_detail.is_none() {
            e.add("how-known-detail", "Say how you know it is true");
        }
        let mut identifiers = Vec::new();
        for (field, value) in &raw.identifiers {
            let Some((_, kind, label)) = IDENTIFIER_FIELDS.iter().find(|(f, _, _)| f == field)
            else {
                continue;
            };
            let typed = value.trim();
            if typed.is_empty() {
                continue;
            }
            if typed.chars().count() > 200 {
                e.add(
                    field.clone(),
                    format!("{label} must be 200 characters or fewer"),
                );
                continue;
            }
            identifiers.push(NewIdentifier::typed(*kind, typed));
        }
        if !e.is_empty() {
            return Err(e);
        }
        let Some(how_known) = how_known else {
            return Err(e);
        };
        identifiers.extend(NewIdentifier::found_in(&what, "text"));
        for name in split_names(people.as_deref().unwrap_or("")) {
            identifiers.push(NewIdentifier::person(name));
        }
        for name in split_names(children.as_deref().unwrap_or("")) {
            identifiers.push(NewIdentifier::named(ItemKind::Child, name));
        }
        if let Some(p) = &place {
            identifiers.push(NewIdentifier::named(ItemKind::Place, p));
        }
        Ok(NewEntry {
            what,
            occurred_at,
            occurred_approx: approx,
            place,
            people,
            how_known,
            how_known_who,
            how_known_detail,
            identifiers,
            attachments: Vec::new(),
        })
    }

    /// The entry with its photos, each already read with [`NewAttachment::image`].
    pub fn with_attachments(mut self, attachments: Vec<NewAttachment>) -> NewEntry {
        self.attachments = attachments;
        self
    }

    /// See [`UncheckedEntry`].
    #[doc(hidden)]
    pub fn unchecked(u: UncheckedEntry) -> NewEntry {
        NewEntry {
            what: u.what,
            occurred_at: u.occurred_at,
            occurred_approx: u.occurred_approx,
            place: u.place,
            people: u.people,
            how_known: u.how_known,
            how_known_who: u.how_known_who,
            how_known_detail: u.how_known_detail,
            identifiers: u.identifiers,
            attachments: u.attachments,
        }
    }

    pub fn what(&self) -> &str {
        &self.what
    }
    pub fn occurred_at(&self) -> Option<NaiveDateTime> {
        self.occurred_at
    }
    pub fn occurred_approx(&self) -> Option<&str> {
        self.occurred_approx.as_deref()
    }
    pub fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }
    pub fn people(&self) -> Option<&str> {
        self.people.as_deref()
    }
    pub fn how_known(&self) -> HowKnown {
        self.how_known
    }
    pub fn how_known_who(&self) -> Option<&str> {
        self.how_known_who.as_deref()
    }
    pub fn how_known_detail(&self) -> Option<&str> {
        self.how_known_detail.as_deref()
    }
    pub fn identifiers(&self) -> &[NewIdentifier] {
        &self.identifiers
    }
    pub fn attachments(&self) -> &[NewAttachment] {
        &self.attachments
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn raw() -> RawEntry {
        RawEntry {
            what: "A silver car AB12 CDE waited outside; the driver gave her 07700 900123".into(),
            approx: "last Friday evening".into(),
            how_known: "seen_myself".into(),
            people: "Danny K, the older one".into(),
            place: "Outside the chip shop".into(),
            identifiers: vec![
                ("vehicle".into(), "ab12cde".into()),
                ("phone".into(), "0770 09".into()),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_keeps_what_was_typed_and_finds_its_identifiers() {
        let e = NewEntry::parse(&raw(), now()).unwrap();
        let kinds: Vec<(ItemKind, &str, bool)> = e
            .identifiers()
            .iter()
            .map(|i| (i.kind(), i.value(), i.recognised()))
            .collect();
        assert!(kinds.contains(&(ItemKind::Vehicle, "AB12CDE", true)));
        assert!(kinds.contains(&(ItemKind::Phone, "+447700900123", true)));
        // A partial number typed in its field is kept as typed, unrecognised.
        assert!(kinds.contains(&(ItemKind::Phone, "0770 09", false)));
        assert!(kinds.contains(&(ItemKind::Person, "danny k", true)));
        assert!(kinds.contains(&(ItemKind::Place, "outside the chip shop", true)));
        assert!(e.what().contains("AB12 CDE"), "the text is not rewritten");
    }

    #[test]
    fn an_entry_needs_a_when_and_a_how_known() {
        let mut r = raw();
        r.approx.clear();
        r.how_known = "told_by_a_ghost".into();
        let e = NewEntry::parse(&r, now()).unwrap_err();
        assert!(e.get("date").is_some());
        assert!(e.get("how-known").is_some());
        let mut r = raw();
        r.how_known = "other_person_told".into();
        assert!(NewEntry::parse(&r, now())
            .unwrap_err()
            .get("how-known-who")
            .is_some());
    }

    #[test]
    fn only_real_images_are_accepted() {
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"GIF89a...."), Some("image/gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(clean_filename("C:\\Users\\x\\IMG_01.jpg"), "IMG_01.jpg");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
    }
}
