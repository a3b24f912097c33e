//! Form input as typed, and the errors found in it: a form shown again shows exactly
//! what the person entered, with a message beside each field at fault. A form with photos
//! (the information log) is read by [`read_multipart`].

use alongside_domain::information::entry::{clean_filename, MAX_FILES};
use alongside_domain::information::photo::PhotoProblem;
use alongside_domain::information::NewAttachment;
use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;
use alongside_store::ATTACHMENT_MAX_BYTES;
use axum::extract::Multipart;

/// The fields of a submitted form, in order, repeated names kept (checkboxes).
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        FormData(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        FormData(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_string(), value.into()));
    }
}

/// Reading a form's fields into the raw input of a domain rule (see `pages/validate.rs`).
pub trait FromForm {
    fn from_form(data: &FormData) -> Self;
}

/// A form as a template shows it.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    pub data: FormData,
    pub errors: FieldErrors,
}

impl FormView {
    pub fn new(data: FormData, errors: FieldErrors) -> Self {
        Self { data, errors }
    }
    pub fn value(&self, name: &str) -> &str {
        self.data.get(name)
    }
    /// One part of a date input (`day`, `month` or `year`).
    pub fn part(&self, name: &str, part: &str) -> &str {
        self.data.get(&format!("{name}-{part}"))
    }
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }
    pub fn has_error(&self, name: &str) -> bool {
        self.errors.get(name).is_some()
    }
    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.data.all(name).contains(&value)
    }
    /// The ids a field's `aria-describedby` should name.
    pub fn described_by(&self, name: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{name}-hint"));
        }
        if self.has_error(name) {
            ids.push(format!("{name}-error"));
        }
        ids.join(" ")
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// One option of a radio group, checkbox group or select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    /// Every value of a vocabulary.
    pub fn all<T: Code>() -> Vec<Choice> {
        T::ALL
            .iter()
            .map(|v| Choice {
                value: v.code().to_string(),
                label: v.label().to_string(),
            })
            .collect()
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
                // Decoding and encoding again (to leave the metadata behind) is CPU work.
                let number = files.len() + 1;
                let kept =
                    tokio::task::spawn_blocking(move || NewAttachment::image(number, &bytes))
                        .await
                        .map_err(|_| "The photo could not be read: try again".to_string())?;
                match kept {
                    Ok(file) => files.push(file),
                    Err(PhotoProblem::NotAnImage) => errors.add(
                        "photos",
                        format!("{shown} is not a photo or screenshot: choose a JPEG, PNG, GIF or WebP image"),
                    ),
                    Err(PhotoProblem::Unreadable) => errors.add(
                        "photos",
                        format!("{shown} could not be read as a photo (it may be damaged): choose it again, or another"),
                    ),
                    Err(PhotoProblem::TooLarge) => errors.add(
                        "photos",
                        format!("{shown} has more pixels than a photo: choose a smaller image or a screenshot"),
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
