//! Email addresses, normalised to lower case.
//!
//! An address is a local part, `@`, and a domain of at least two labels whose last label
//! (the top-level domain) is letters only. Letters of any script are allowed. We lower-
//! case the whole address: strictly the local part may be case-sensitive, but no mail
//! service people use treats it so, and one value per address is what matching needs.

use super::scan;
use super::{Candidate, IdentifierError, IdentifierKind, Tier};

/// An email address, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    address: String,
}

/// Characters allowed in a local part typed into an address field.
fn local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

/// Characters taken as part of a local part in free text (narrower: no `/`, `=` ...).
fn local_char_in_text(c: char) -> bool {
    c.is_alphanumeric() || "._%+-'".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// What is wrong with an address, if anything.
fn problem(local: &str, domain: &str) -> Option<String> {
    if local.is_empty() {
        return Some("there is nothing before the @".into());
    }
    if local.chars().count() > 64 {
        return Some("the part before the @ is longer than 64 characters".into());
    }
    if let Some(c) = local.chars().find(|c| !local_char(*c)) {
        return Some(format!("\"{c}\" cannot appear before the @"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some(
            "the part before the @ cannot start or end with a dot or have two dots together".into(),
        );
    }
    if domain.is_empty() {
        return Some("there is nothing after the @".into());
    }
    if let Some(c) = domain.chars().find(|c| !domain_char(*c)) {
        return Some(format!("\"{c}\" cannot appear after the @"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the part after the @ needs a dot, as in example.com".into());
    }
    for label in &labels {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') || label.len() > 63 {
            return Some(format!("\"{domain}\" is not a valid domain"));
        }
    }
    let tld = labels[labels.len() - 1];
    if tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic) {
        return Some(format!(
            "\"{domain}\" does not end in a top-level domain such as .com or .uk"
        ));
    }
    None
}

impl Email {
    /// Reads an address typed into a field of its own.
    pub fn parse(input: &str) -> Result<Email, IdentifierError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(IdentifierError::Empty(IdentifierKind::Email));
        }
        let err = |reason: String| IdentifierError::new(IdentifierKind::Email, input, reason);
        let mut parts = s.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("an address has exactly one @".into()));
        };
        if let Some(reason) = problem(local, domain) {
            return Err(err(reason));
        }
        Ok(Email {
            address: s.to_lowercase(),
        })
    }

    /// The address in lower case.
    pub fn normalised(&self) -> &str {
        &self.address
    }

    /// The part after the @.
    pub fn domain(&self) -> &str {
        self.address.rsplit('@').next().unwrap_or_default()
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.address)
    }
}

/// Adds email candidates found in `text` to `out`.
pub(crate) fn find(text: &str, out: &mut Vec<Candidate>) {
    for (at, _) in text.match_indices('@') {
        // Local part: back from the @ over local characters, without leading punctuation.
        let mut start = at;
        while let Some(c) = scan::before(text, start) {
            if !local_char_in_text(c) {
                break;
            }
            start -= c.len_utf8();
        }
        while let Some(c) = scan::at(text, start) {
            if start < at && "._%+-'".contains(c) {
                start += c.len_utf8();
            } else {
                break;
            }
        }
        // Domain: forward over domain characters, without trailing dots or dashes.
        let mut end = at + 1;
        while let Some(c) = scan::at(text, end) {
            if !domain_char(c) {
                break;
            }
            end += c.len_utf8();
        }
        while end > at + 1 && text[..end].ends_with(['.', '-']) {
            end -= 1;
        }
        let (local, domain) = (&text[start..at], &text[at + 1..end]);
        if local.is_empty() || domain.is_empty() || scan::at(text, end) == Some('@') {
            continue;
        }
        if scan::before(text, start) == Some('@') {
            continue;
        }
        let (tier, value) = match problem(local, domain) {
            None => (Tier::Email, Some(text[start..end].to_lowercase())),
            // "danny@home": meant as an address, but not one.
            Some(_) if domain.chars().any(char::is_alphabetic) => (Tier::UnrecognisedEmail, None),
            Some(_) => continue,
        };
        out.push(Candidate {
            tier,
            kind: IdentifierKind::Email,
            start,
            end,
            value,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            Email::parse(" Danny.K+school@Example.COM ")
                .unwrap()
                .normalised(),
            "danny.k+school@example.com"
        );
        assert_eq!(
            Email::parse("zoë@example.org").unwrap().domain(),
            "example.org"
        );
        for (input, says) in [
            ("danny.example.com", "exactly one @"),
            ("danny@example", "needs a dot"),
            ("@example.com", "nothing before"),
            ("danny@example.c0m", "top-level domain"),
            ("dan..ny@example.com", "two dots"),
            ("danny@-example.com", "not a valid domain"),
        ] {
            let e = Email::parse(input).unwrap_err().to_string();
            assert!(e.contains(says), "{input}: {e}");
        }
    }
}
