//! The information-log form, shared by the parent portal, the workers' pages and the API:
//! reading a multipart form with photos, the rules of an entry, the identifiers found in
//! it, and the check a person makes of those identifiers afterwards.
//!
//! Nothing a person typed is rewritten: identifiers are stored beside the text with the
//! exact characters they came from, and one that does not parse is kept as typed and
//! marked unrecognised.

use crate::forms::FormData;
use alongside_domain::identifiers::extract;
use alongside_domain::information::{HowKnown, ItemKind};
use alongside_domain::validate::{self as v, FieldErrors, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use alongside_domain::Code;
use alongside_store::{
    IdentifierCheck, NewAttachment, NewEntry, NewIdentifier, StoredIdentifier, ATTACHMENT_MAX_BYTES,
};
use axum::extract::Multipart;
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
    pub date: alongside_domain::validate::RawDate,
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

impl RawEntry {
    pub fn from_form(data: &FormData) -> Self {
        RawEntry {
            what: data.get("what").into(),
            date: super::referrals::raw_date(data, "date"),
            time: data.get("time").into(),
            approx: data.get("approx").into(),
            place: data.get("place").into(),
            people: data.get("people").into(),
            children: data.get("children").into(),
            how_known: data.get("how-known").into(),
            how_known_who: data.get("how-known-who").into(),
            how_known_detail: data.get("how-known-detail").into(),
            identifiers: IDENTIFIER_FIELDS
                .iter()
                .map(|(f, _, _)| (f.to_string(), data.get(f).to_string()))
                .collect(),
        }
    }
}

/// The rules of an entry. `now` is UK local time: an observation cannot be in the future.
pub fn entry(raw: &RawEntry, now: NaiveDateTime) -> Result<NewEntry, FieldErrors> {
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
        let Some((_, kind, label)) = IDENTIFIER_FIELDS.iter().find(|(f, _, _)| f == field) else {
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
        // A field that does not parse is kept exactly as typed and marked unrecognised:
        // half a number plate is still worth having.
        let (value, recognised) = match kind.normalise(typed) {
            Ok(v) => (v, true),
            Err(_) => (typed.to_string(), false),
        };
        identifiers.push(NewIdentifier {
            kind: *kind,
            value,
            raw: typed.to_string(),
            origin: "field",
            start: None,
            end: None,
            recognised,
        });
    }
    if !e.is_empty() {
        return Err(e);
    }
    let Some(how_known) = how_known else {
        return Err(e);
    };
    identifiers.extend(found_in(&what, "text"));
    for name in split_names(people.as_deref().unwrap_or("")) {
        identifiers.push(person(name));
    }
    for name in split_names(children.as_deref().unwrap_or("")) {
        identifiers.push(NewIdentifier {
            kind: ItemKind::Child,
            value: ItemKind::Child
                .normalise(name)
                .unwrap_or_else(|_| name.to_string()),
            raw: name.to_string(),
            origin: "field",
            start: None,
            end: None,
            recognised: true,
        });
    }
    if let Some(p) = &place {
        identifiers.push(NewIdentifier {
            kind: ItemKind::Place,
            value: ItemKind::Place.normalise(p).unwrap_or_else(|_| p.clone()),
            raw: p.clone(),
            origin: "field",
            start: None,
            end: None,
            recognised: true,
        });
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

/// The identifiers `extract` finds in a text, as stored.
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

/// Names and nicknames typed in a "who was involved" box: one per line or comma.
pub fn split_names(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A name or nickname of a person of concern, as a stored identifier.
pub fn person(name: &str) -> NewIdentifier {
    NewIdentifier {
        kind: ItemKind::Person,
        value: ItemKind::Person
            .normalise(name)
            .unwrap_or_else(|_| name.to_string()),
        raw: name.to_string(),
        origin: "field",
        start: None,
        end: None,
        recognised: true,
    }
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
fn clean_filename(name: &str) -> String {
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

/// Reads a multipart form: its text fields, and the files sent as `photos`, each
/// checked for size and type. Problems with files come back as field errors on
/// `photos`; a form that cannot be read at all is `Err`.
pub async fn read_multipart(
    mut form: Multipart,
) -> Result<(FormData, Vec<NewAttachment>, FieldErrors), String> {
    let mut data = FormData::default();
    let mut files = Vec::new();
    let mut errors = FieldErrors::new();
    let mut file_count = 0;
    while let Some(mut field) = form.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photos" {
            let filename = field.file_name().unwrap_or("").to_string();
            if filename.is_empty() {
                // The browser sends an empty part when no file was chosen.
                while field.chunk().await.map_err(|e| e.body_text())?.is_some() {}
                continue;
            }
            file_count += 1;
            let shown = clean_filename(&filename);
            let mut bytes = Vec::new();
            let mut too_big = false;
            while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
                if bytes.len() + chunk.len() > ATTACHMENT_MAX_BYTES {
                    too_big = true;
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            if file_count > MAX_FILES {
                continue;
            }
            if too_big {
                errors.add(
                    "photos",
                    format!("{shown} is larger than 5 MB: choose a smaller photo or screenshot"),
                );
            } else if bytes.is_empty() {
                errors.add("photos", format!("{shown} is empty: choose it again"));
            } else {
                match sniff_image(&bytes) {
                    Some(ct) => files.push(NewAttachment {
                        filename: shown,
                        content_type: ct.to_string(),
                        bytes,
                    }),
                    None => errors.add(
                        "photos",
                        format!("{shown} is not a photo or screenshot: choose a JPEG, PNG, GIF or WebP image"),
                    ),
                }
            }
        } else {
            let text = field.text().await.map_err(|e| e.body_text())?;
            data.0.push((name, text));
        }
    }
    if file_count > MAX_FILES {
        errors.add(
            "photos",
            format!("Choose up to {MAX_FILES} photos or screenshots"),
        );
    }
    Ok((data, files, errors))
}

/// What the person said about each identifier on the check page: for identifier `n`,
/// `check-n` is `confirm`, `correct` or `reject`, and `fix-n` the right value.
pub fn checks(
    data: &FormData,
    found: &[StoredIdentifier],
) -> Result<Vec<(i64, IdentifierCheck)>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    for i in found {
        let choice = data.get(&format!("check-{}", i.id));
        let fix = data.get(&format!("fix-{}", i.id)).trim();
        let field = format!("check-{}", i.id);
        match choice {
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
        let e = entry(&raw(), now()).unwrap();
        let kinds: Vec<(ItemKind, &str, bool)> = e
            .identifiers
            .iter()
            .map(|i| (i.kind, i.value.as_str(), i.recognised))
            .collect();
        assert!(kinds.contains(&(ItemKind::Vehicle, "AB12CDE", true)));
        assert!(kinds.contains(&(ItemKind::Phone, "+447700900123", true)));
        // A partial number typed in its field is kept as typed, unrecognised.
        assert!(kinds.contains(&(ItemKind::Phone, "0770 09", false)));
        assert!(kinds.contains(&(ItemKind::Person, "danny k", true)));
        assert!(kinds.contains(&(ItemKind::Place, "outside the chip shop", true)));
        assert!(e.what.contains("AB12 CDE"), "the text is not rewritten");
    }

    #[test]
    fn an_entry_needs_a_when_and_a_how_known() {
        let mut r = raw();
        r.approx.clear();
        r.how_known = "told_by_a_ghost".into();
        let e = entry(&r, now()).unwrap_err();
        assert!(e.get("date").is_some());
        assert!(e.get("how-known").is_some());
        let mut r = raw();
        r.how_known = "other_person_told".into();
        assert!(entry(&r, now()).unwrap_err().get("how-known-who").is_some());
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
