//! UK postcodes: an outward code (A9, A99, AA9, AA99, A9A or AA9A) then an inward code
//! (9AA), written with one space between them.
//!
//! Letter rules (Royal Mail): the first letter is never Q, V or X; the second never I, J
//! or Z; a letter in the third place (A9A) is one of ABCDEFGHJKPSTUW; in the fourth
//! place (AA9A) one of ABEHMNPRVWXY; the inward letters never C, I, K, M, O or V.
//! GIR 0AA is accepted as the one historical exception, and so are the codes outside the
//! usual shape that Royal Mail routes: the British Forces Post Office ("BFPO 1234") and
//! the overseas territories' single postcodes ("ASCN 1ZZ", "STHL 1ZZ", "FIQQ 1ZZ", …).

use super::scan::{self, Word};
use super::{Candidate, IdentifierError, IdentifierKind, Tier};

/// A UK postcode in its standard form: upper case, one space ("LS1 4AP").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode {
    value: String,
    /// Length of the outward code.
    split: usize,
}

impl Postcode {
    /// Reads a postcode in any case, with or without the space ("ls14ap", "LS1 4AP").
    pub fn parse(input: &str) -> Result<Postcode, IdentifierError> {
        if input.trim().is_empty() {
            return Err(IdentifierError::Empty(IdentifierKind::Postcode));
        }
        let Some(code) = scan::compact_upper(input) else {
            return Err(IdentifierError::new(
                IdentifierKind::Postcode,
                input,
                "use only letters, digits and a space",
            ));
        };
        let split = check(&code)
            .map_err(|reason| IdentifierError::new(IdentifierKind::Postcode, input, reason))?;
        Ok(Postcode {
            value: format!("{} {}", &code[..split], &code[split..]),
            split,
        })
    }

    /// Upper case with one space before the inward code: "LS1 4AP".
    pub fn normalised(&self) -> &str {
        &self.value
    }

    /// The part before the space ("LS1").
    pub fn outward(&self) -> &str {
        &self.value[..self.split]
    }

    /// The part after the space ("4AP").
    pub fn inward(&self) -> &str {
        &self.value[self.split + 1..]
    }
}

impl std::fmt::Display for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.value)
    }
}

/// Letter (L) and digit (9) pattern of an outward code.
fn shape(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { 'L' })
        .collect()
}

const OUTWARD_SHAPES: [&str; 6] = ["L9", "L99", "LL9", "LL99", "L9L", "LL9L"];

/// Whether an upper-case, space-free string has a postcode's shape, whatever its letters.
fn has_shape(code: &str) -> bool {
    code.len() >= 5
        && code.len() <= 7
        && shape(&code[code.len() - 3..]) == "9LL"
        && OUTWARD_SHAPES.contains(&shape(&code[..code.len() - 3]).as_str())
}

/// Postcodes of the overseas territories, space-free (Gibraltar's GX11 1AA has the usual
/// shape already).
const OVERSEAS: &[&str] = &[
    "ASCN1ZZ", "BBND1ZZ", "BIQQ1ZZ", "FIQQ1ZZ", "PCRN1ZZ", "SIQQ1ZZ", "STHL1ZZ", "TDCU1ZZ",
    "TKCA1ZZ",
];

/// The outward length of a code outside the usual shape: GIR 0AA, a BFPO number or an
/// overseas territory's postcode.
fn special(code: &str) -> Option<usize> {
    if code == "GIR0AA" {
        return Some(3);
    }
    if OVERSEAS.contains(&code) {
        return Some(4);
    }
    let n = code.strip_prefix("BFPO")?;
    ((1..=4).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
        .then_some(4)
}

/// Checks an upper-case, space-free postcode; gives the length of its outward code.
pub(crate) fn check(code: &str) -> Result<usize, String> {
    if let Some(split) = special(code) {
        return Ok(split);
    }
    if !has_shape(code) {
        return Err(
            "a postcode is an outward code (such as LS1, M1, SW1A or B33) then a digit and two letters"
                .into(),
        );
    }
    let split = code.len() - 3;
    let (outward, inward) = (code.as_bytes(), &code.as_bytes()[split..]);
    let outward_shape = shape(&code[..split]);
    let bad = |place: &str, c: u8| Err(format!("{place} is never {}", c as char));
    if b"QVX".contains(&outward[0]) {
        return bad("the first letter", outward[0]);
    }
    if outward[1].is_ascii_alphabetic() && b"IJZ".contains(&outward[1]) {
        return bad("the second letter", outward[1]);
    }
    match outward_shape.as_str() {
        "L9L" if !b"ABCDEFGHJKPSTUW".contains(&outward[2]) => {
            return bad("the letter after the district number", outward[2])
        }
        "LL9L" if !b"ABEHMNPRVWXY".contains(&outward[3]) => {
            return bad("the letter after the district number", outward[3])
        }
        _ => {}
    }
    for &c in &inward[1..] {
        if b"CIKMOV".contains(&c) {
            return bad("a letter of the last part", c);
        }
    }
    Ok(split)
}

/// Adds postcode candidates found in `text` to `out`.
pub(crate) fn find(text: &str, words: &[Word], out: &mut Vec<Candidate>) {
    for (_, start, end) in scan::spans(text, words) {
        let raw = &text[start..end];
        let Some(code) = scan::compact_upper(raw) else {
            continue;
        };
        if !has_shape(&code) && special(&code).is_none() {
            continue;
        }
        if !scan::stands_alone(text, start, end) || !scan::case_consistent(raw) {
            continue;
        }
        let is_pair = raw.contains([' ', '\t']);
        if is_pair && special(&code).is_none() {
            // The space, when there is one, must be where the inward code starts.
            let inward_start = raw.trim_end().len() - 3;
            if !raw[..inward_start].ends_with([' ', '\t']) {
                continue;
            }
        }
        match check(&code) {
            Ok(split) => out.push(Candidate {
                tier: Tier::Postcode,
                kind: IdentifierKind::Postcode,
                start,
                end,
                value: Some(format!("{} {}", &code[..split], &code[split..])),
            }),
            Err(_) => {
                // Report only what is clearly meant as a postcode: in capitals, with the
                // space, and not a time ("B4 5PM").
                let inward = &code[code.len() - 3..];
                let time = inward.ends_with("AM") || inward.ends_with("PM");
                if is_pair && scan::letters_upper(raw) && !time {
                    out.push(Candidate {
                        tier: Tier::UnrecognisedPostcode,
                        kind: IdentifierKind::Postcode,
                        start,
                        end,
                        value: None,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape() {
        for (input, want) in [
            ("m1 1aa", "M1 1AA"),
            ("B338TH", "B33 8TH"),
            ("ls1 4ap", "LS1 4AP"),
            ("DN551PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("ec1a1bb", "EC1A 1BB"),
            ("gir 0aa", "GIR 0AA"),
            ("BFPO 801", "BFPO 801"),
            ("bfpo1234", "BFPO 1234"),
            ("ASCN 1ZZ", "ASCN 1ZZ"),
            ("fiqq1zz", "FIQQ 1ZZ"),
            ("GX11 1AA", "GX11 1AA"),
        ] {
            let p = Postcode::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.normalised(), want);
            assert_eq!(format!("{} {}", p.outward(), p.inward()), want);
        }
    }

    #[test]
    fn forces_and_overseas_codes_are_found_in_text() {
        for (text, want) in [
            ("posted to BFPO 801 last year", "BFPO 801"),
            ("he lives on ASCN 1ZZ now", "ASCN 1ZZ"),
            ("from STHL 1ZZ", "STHL 1ZZ"),
        ] {
            let f = crate::identifiers::extract(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(
                (f[0].kind, f[0].value.as_str()),
                (IdentifierKind::Postcode, want)
            );
        }
    }

    #[test]
    fn rules_are_explained() {
        for (input, says) in [
            ("QA1 1AA", "first letter is never Q"),
            ("AJ1 1AA", "second letter is never J"),
            ("LS1 4CP", "never C"),
            ("LS1", "outward code"),
            ("LS1-4AP", "only letters"),
        ] {
            let e = Postcode::parse(input).unwrap_err().to_string();
            assert!(e.contains(says), "{input}: {e}");
        }
    }
}
