//! The rules of an information-log entry ([`NewEntry::parse`]): what a parent or worker
//! saw or heard, when, where, who was involved and how they know, with the identifiers
//! found in it ([`NewIdentifier`], in `identifier.rs`) and the photos that go with it
//! ([`NewAttachment`]). Reading the form (and its photos) is the web's; this is the rule.

use super::identifier::{children_identifiers, people_identifiers, NewIdentifier};
use super::photo::{self, PhotoProblem};
use super::{HowKnown, ItemKind};
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::NaiveDateTime;

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

/// A photo or screenshot sent with an entry, as it is kept: its picture alone, under a
/// neutral name (see [`super::photo`]).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    filename: String,
    content_type: String,
    bytes: Vec<u8>,
    cleaned: bool,
}

impl NewAttachment {
    /// The `number`th photo of an entry (from 1), its type read from its first bytes and
    /// its metadata removed ([`photo::clean`]); its own file name is not kept. CPU work:
    /// call it off the async threads.
    pub fn image(number: usize, bytes: &[u8]) -> Result<NewAttachment, PhotoProblem> {
        let clean = photo::clean(bytes)?;
        Ok(NewAttachment {
            filename: photo::filename(number, clean.extension),
            content_type: clean.content_type.to_string(),
            bytes: clean.bytes,
            cleaned: true,
        })
    }

    /// An attachment made without the rules, for tests that store bytes as given. It is
    /// kept as not yet cleaned, so the store cleans it when it next starts, as it does
    /// photos stored before cleaning existed. The web uses [`NewAttachment::image`].
    #[doc(hidden)]
    pub fn unchecked(filename: String, content_type: String, bytes: Vec<u8>) -> NewAttachment {
        NewAttachment {
            filename,
            content_type,
            bytes,
            cleaned: false,
        }
    }

    /// Whether the photo is as [`NewAttachment::image`] leaves it.
    pub fn cleaned(&self) -> bool {
        self.cleaned
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
        for i in people_identifiers(people.as_deref().unwrap_or("")) {
            if !identifiers
                .iter()
                .any(|o| o.kind() == i.kind() && o.value() == i.value())
            {
                identifiers.push(i);
            }
        }
        identifiers.extend(children_identifiers(children.as_deref().unwrap_or("")));
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
    fn a_file_name_shown_back_is_its_last_part() {
        assert_eq!(clean_filename("C:\\Users\\x\\IMG_01.jpg"), "IMG_01.jpg");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
    }
}
