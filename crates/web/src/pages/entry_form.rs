//! The information-log form, shared by the parent portal and the workers' pages: reading
//! a multipart form with photos, and the check a person makes afterwards of the
//! identifiers found in an entry. The rules of an entry, and of its photos, are the
//! domain's (`alongside_domain::information::entry`).

use crate::forms::FormData;
use alongside_domain::information::entry::{clean_filename, MAX_FILES};
use alongside_domain::information::{IdentifierCheck, NewAttachment, RawCheck};
use alongside_domain::validate::FieldErrors;
use alongside_store::{StoredIdentifier, ATTACHMENT_MAX_BYTES};
use axum::extract::Multipart;

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
                match NewAttachment::image(shown.clone(), bytes) {
                    Some(file) => files.push(file),
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
/// `check-n` and `fix-n` (the rules are [`IdentifierCheck::parse_all`]).
pub fn checks(
    data: &FormData,
    found: &[StoredIdentifier],
) -> Result<Vec<(i64, IdentifierCheck)>, FieldErrors> {
    let raw: Vec<RawCheck> = found
        .iter()
        .map(|i| RawCheck {
            id: i.id,
            kind: i.kind,
            choice: data.get(&format!("check-{}", i.id)).to_string(),
            fix: data.get(&format!("fix-{}", i.id)).to_string(),
        })
        .collect();
    IdentifierCheck::parse_all(&raw)
}
