//! The rule of a password, for every way one is set: an administrator's form, a parent
//! joining, a change of password, a reset code, and `alongside create-user`.
//!
//! It follows NIST SP 800-63B revision 4 (section 3.1.1.2; decision 0017):
//!
//! - Length is what counts: at least [`MIN_CHARACTERS`] (a password is the only thing a
//!   person signs in with until two-factor sign-in exists), up to [`MAX_CHARACTERS`], each
//!   Unicode character counting once. Spaces and every printable character are welcome;
//!   passphrases are encouraged on the forms ([`HINT`]).
//! - No composition rules (no "a digit and a symbol"), no expiry.
//! - A password that is common, breached, expected (repeats, sequences, keyboard rows,
//!   dates) or made of the service's or the person's own name is refused. The list is
//!   the one `zxcvbn` ships (passwords from public breaches, with common words and names)
//!   and its patterns; nothing here is written by hand. The password must need at least
//!   10^8 guesses by zxcvbn's estimate (its score 3).
//! - It is kept in Unicode normal form NFKC ([`normalise`]), so the same password typed
//!   on another keyboard matches.

use crate::validate::FieldErrors;
use unicode_normalization::UnicodeNormalization;

/// The fewest characters of a password.
pub const MIN_CHARACTERS: usize = 15;
/// The most characters of a password (NIST asks that at least 64 be allowed).
pub const MAX_CHARACTERS: usize = 256;
/// What the forms say under the password field.
pub const HINT: &str = "At least 15 characters. A passphrase of three or four random words is strong and easy to remember; spaces are fine. Avoid common passwords and your own name.";

/// The password as it is hashed and checked: Unicode normal form NFKC.
pub fn normalise(password: &str) -> String {
    password.nfkc().collect()
}

/// Checks a new password against the rule, adding a field error that says what to fix;
/// `context` holds words a guesser would try first (the username, the person's name, the
/// hub). Returns the password to hash, normalised.
pub fn check(errors: &mut FieldErrors, field: &str, password: &str, context: &[&str]) -> String {
    let normal = normalise(password);
    let n = normal.chars().count();
    if normal.is_empty() {
        errors.add(field, "Enter a password");
    } else if normal.chars().any(|c| c.is_control() && !matches!(c, '\t')) {
        errors.add(
            field,
            "The password has a control character in it (one that cannot be typed): type it again",
        );
    } else if n < MIN_CHARACTERS {
        errors.add(
            field,
            format!(
                "Password must be at least {MIN_CHARACTERS} characters (you entered {n}): try three or four random words"
            ),
        );
    } else if n > MAX_CHARACTERS {
        errors.add(
            field,
            format!("Password must be {MAX_CHARACTERS} characters or fewer (you entered {n})"),
        );
    } else if let Some(why) = too_easy(&normal, context) {
        errors.add(
            field,
            format!("Choose a password that is harder to guess: {why} Three or four random words work well."),
        );
    }
    normal
}

/// Why a password of the right length is still easy to guess, if it is.
fn too_easy(password: &str, context: &[&str]) -> Option<String> {
    let mut words: Vec<&str> = vec!["alongside", "hub", "parent", "password"];
    words.extend(context.iter().copied().filter(|w| !w.trim().is_empty()));
    // The name parts of each context word ("Test Manager" gives "test" and "manager").
    let parts: Vec<String> = context
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|p| p.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    words.extend(parts.iter().map(String::as_str));
    // Made of the person's own names and the service's, however often repeated: what
    // is left once they are taken out is what a guesser must still find.
    let mut rest: String = password
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let mut by_length: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 3)
        .collect();
    by_length.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for w in &by_length {
        rest = rest.replace(w.as_str(), "");
    }
    if rest.chars().count() < 6 {
        return Some("it is made of your own name or username, or the service's.".to_string());
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    if (estimate.score() as u8) >= 3 {
        return None;
    }
    let warning = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string());
    Some(warning.unwrap_or_else(|| {
        "it is common, or made of patterns or names that are tried first.".to_string()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(password: &str, context: &[&str]) -> Option<String> {
        let mut e = FieldErrors::new();
        check(&mut e, "password", password, context);
        e.get("password").map(str::to_string)
    }

    #[test]
    fn length_is_what_counts() {
        assert!(refused("", &[]).unwrap().starts_with("Enter a password"));
        assert!(refused("tiger lake rope", &[]).is_none(), "15 characters");
        assert!(refused("tiger lake rop", &[])
            .unwrap()
            .contains("at least 15 characters (you entered 14)"));
        // Each character counts once, whatever its script.
        assert!(refused("ŝtelo-ĉielo-ŭo-ĵ", &[]).is_none());
        assert!(refused(&"river otter lantern ".repeat(13), &[])
            .unwrap()
            .contains("256 characters or fewer"));
        // No composition rules: lower case letters and spaces alone are fine.
        assert!(refused("marble kettle orchard", &[]).is_none());
    }

    #[test]
    fn common_and_expected_passwords_are_refused() {
        for weak in [
            "aaaaaaaaaaaaaaa",
            "111111111111111",
            "1111111111111111111111",
            "password123456789",
            "qwertyuiopasdfghjkl",
            "iloveyouiloveyou",
            "abcdefghijklmnop",
        ] {
            let why = refused(weak, &[]).unwrap_or_else(|| panic!("{weak} accepted"));
            assert!(
                why.starts_with("Choose a password that is harder to guess"),
                "{why}"
            );
        }
        // The person's own name and username, and the service's, are tried first.
        assert!(refused("alongsidealongside", &[]).is_some());
        assert!(refused(
            "quillfeatherquillfeather1",
            &["r.quillfeather", "Robin Quillfeather"]
        )
        .is_some());
    }

    #[test]
    fn control_characters_are_refused_and_forms_normalised() {
        assert!(refused("marble kettle\u{0}orchard", &[])
            .unwrap()
            .contains("control character"));
        // A full-width letter is the same password as its plain form.
        assert_eq!(normalise("ｍarble"), "marble");
        let mut e = FieldErrors::new();
        assert_eq!(
            check(&mut e, "p", "ｍarble kettle orchard", &[]),
            "marble kettle orchard"
        );
    }
}
