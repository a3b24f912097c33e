//! Form input as typed, and the errors found in it: a form shown again shows exactly
//! what the person entered, with a message beside each field at fault.

use alongside_domain::validate::FieldErrors;
use alongside_domain::Code;

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
