//! UK phone numbers, normalised to E.164 ("+447700900123").
//!
//! A UK number is 0 then its national digits (national form), or +44 / 0044 then those
//! digits (a "(0)" after +44 is allowed and dropped). Most have ten digits after the 0;
//! freephone numbers may have nine or seven ("0800 123456", "0800 1111", the shape of
//! national helplines). Spaces, dots, dashes and brackets may separate groups of digits
//! (the text is folded first, so non-breaking spaces, en dashes and full-width digits
//! read as their plain forms: `identifiers::fold`).
//!
//! Whether a number is in use is Google's libphonenumber metadata (the `phonenumber`
//! crate): numbers in ranges Ofcom has not allocated are kept, but as not recognised.
//! Ofcom's ranges for TV and radio drama (07700 900000-900999 and the others in
//! [`DRAMA`]) are recognised too, though libphonenumber calls some of them invalid: they
//! are the numbers synthetic data uses (see `docs/decisions/0006-identifiers.md`).
//! Numbers of other countries are not recognised.

use super::scan;
use super::{Candidate, IdentifierError, IdentifierKind, Tier};

/// A UK phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    /// "+44" then the national digits (ten for most numbers).
    e164: String,
}

/// What the digits of a possible number mean.
enum Reading<'a> {
    /// A UK number: the digits after 0 or +44.
    Uk(&'a str),
    /// Another country: the digits after + or 00.
    Foreign(&'a str),
    /// Not a phone number at all (no 0, 00 or + at the start).
    Not,
}

fn read(digits: &str, plus: bool) -> Reading<'_> {
    let international = if plus {
        Some(digits)
    } else {
        digits.strip_prefix("00")
    };
    match international {
        Some(rest) => match rest.strip_prefix("44") {
            Some(n) => Reading::Uk(n.strip_prefix('0').unwrap_or(n)),
            None if rest.is_empty() => Reading::Not,
            None => Reading::Foreign(rest),
        },
        None => match digits.strip_prefix('0') {
            Some(n) => Reading::Uk(n),
            None => Reading::Not,
        },
    }
}

/// Ofcom's numbers for TV and radio drama: (national digits after the 0, first and
/// last of the range), in use for fiction and never allocated to a person.
pub const DRAMA: &[(u64, u64)] = &[
    (1134960000, 1134960999),
    (1144960000, 1144960999),
    (1154960000, 1154960999),
    (1164960000, 1164960999),
    (1174960000, 1174960999),
    (1184960000, 1184960999),
    (1214960000, 1214960999),
    (1314960000, 1314960999),
    (1414960000, 1414960999),
    (1514960000, 1514960999),
    (1614960000, 1614960999),
    (1914980000, 1914980999),
    (1632960000, 1632960999),
    (2079460000, 2079460999),
    (2896496000, 2896496999),
    (2920180000, 2920180999),
    (3069990000, 3069990999),
    (7700900000, 7700900999),
    (8081570000, 8081570999),
    (9098790000, 9098790999),
];

/// Whether the digits after the 0 are one of Ofcom's drama numbers.
pub fn is_drama(n: &str) -> bool {
    n.len() == 10
        && n.parse::<u64>()
            .is_ok_and(|v| DRAMA.iter().any(|(lo, hi)| (*lo..=*hi).contains(&v)))
}

/// Whether libphonenumber's metadata says +44 then these digits is a number in use
/// (the UK, the Isle of Man and the Channel Islands share +44).
fn allocated(n: &str) -> bool {
    phonenumber::parse(Some(phonenumber::country::Id::GB), format!("+44{n}"))
        .is_ok_and(|p| phonenumber::is_valid(&p))
}

/// Checks the digits after 0 or +44: a number in use, or a drama number.
fn check_uk(n: &str) -> Result<(), String> {
    if !(7..=10).contains(&n.len()) {
        return Err(format!(
            "it has {} digits after the 0; UK numbers have 10 (07700 900123)",
            n.len()
        ));
    }
    if is_drama(n) || allocated(n) {
        return Ok(());
    }
    Err(match n.as_bytes()[0] {
        d @ (b'0' | b'4' | b'6') => format!("numbers starting 0{} are not in use", d as char),
        _ if n.len() < 10 => format!(
            "it has {} digits after the 0; UK numbers have 10 (07700 900123), and only some freephone numbers fewer",
            n.len()
        ),
        _ => format!(
            "0{} {} is not in a range of numbers in use in the UK; check each digit",
            &n[..4],
            &n[4..]
        ),
    })
}

impl PhoneNumber {
    /// Reads a UK number as people write it: "07700 900123", "+44 (0)7700-900-123",
    /// "0044 7700 900123", "(0113) 496 0000", "020 7946 0000", "+447700900123".
    pub fn parse(input: &str) -> Result<PhoneNumber, IdentifierError> {
        let err = |reason: String| IdentifierError::new(IdentifierKind::Phone, input, reason);
        let s = input.trim();
        if s.is_empty() {
            return Err(IdentifierError::Empty(IdentifierKind::Phone));
        }
        let mut digits = String::new();
        let mut plus = false;
        for c in s.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if digits.is_empty() && !plus => plus = true,
                c if c.is_whitespace() || "().-".contains(c) => {}
                c if c.is_alphabetic() => return Err(err("it contains letters".into())),
                c => return Err(err(format!("it contains \"{c}\""))),
            }
        }
        match read(&digits, plus) {
            Reading::Uk(n) => {
                check_uk(n).map_err(err)?;
                Ok(PhoneNumber {
                    e164: format!("+44{n}"),
                })
            }
            Reading::Foreign(_) => Err(err(
                "only UK numbers (+44 or starting 0) are recognised".into()
            )),
            Reading::Not => Err(err("a UK number starts with 0 or +44".into())),
        }
    }

    /// E.164 form: "+447700900123".
    pub fn normalised(&self) -> &str {
        &self.e164
    }

    /// Same as [`PhoneNumber::normalised`].
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The national form people read, grouped the usual way: "07700 900123",
    /// "020 7946 0000", "0113 496 0000" (other 01 numbers 5 + 6, 03/08/09 4 + 3 + 4).
    pub fn national(&self) -> String {
        let n = format!("0{}", &self.e164[3..]);
        let b = n.as_bytes();
        if n.len() < 11 {
            // Freephone with fewer digits: "0800 1111", "0800 123456".
            return format!("{} {}", &n[..4], &n[4..]);
        }
        let groups: &[usize] = match (b[1], b[2], b[3]) {
            (b'2', _, _) => &[3, 4, 4],
            (b'1', _, b'1') | (b'1', b'1', _) => &[4, 3, 4],
            (b'1', _, _) | (b'7', _, _) => &[5, 6],
            _ => &[4, 3, 4],
        };
        let mut out = String::new();
        let mut at = 0;
        for g in groups {
            if at > 0 {
                out.push(' ');
            }
            out.push_str(&n[at..at + g]);
            at += g;
        }
        out
    }
}

impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.e164)
    }
}

/// Whether a number may start at byte `i` (not inside a longer run of digits or a word).
fn may_start(text: &str, i: usize) -> bool {
    match scan::before(text, i) {
        None => true,
        Some(c) if c.is_alphanumeric() || "+@_#£$€&=%\\".contains(c) => false,
        Some(c) if ".-,".contains(c) => {
            !scan::before(text, i - 1).is_some_and(|p| p.is_ascii_digit())
        }
        // "07700 900123/07700 900124" gives two numbers; "example.com/07700..." none.
        Some('/') => {
            !scan::before(text, i - 1).is_some_and(|p| p.is_alphabetic() || "./".contains(p))
        }
        Some(_) => true,
    }
}

/// Characters that may separate groups of digits.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'.' | b'-' | b'(' | b')')
}

/// Adds phone candidates found in `text` to `out`.
pub(crate) fn find(text: &str, out: &mut Vec<Candidate>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_digit() || b == b'+' || b == b'(') || !may_start(text, i) {
            // Skip the rest of a run of digits we cannot start in.
            i += 1;
            while b.is_ascii_digit() && i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let next = scan_at(text, i, out);
        i = next.max(i + 1);
    }
}

/// Reads a possible number starting at byte `start`; adds a candidate if there is one and
/// returns where scanning should go on.
fn scan_at(text: &str, start: usize, out: &mut Vec<Candidate>) -> usize {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut plus = false;
    if bytes[pos] == b'(' {
        pos += 1;
    }
    if pos < bytes.len() && bytes[pos] == b'+' {
        plus = true;
        pos += 1;
    }
    if !plus && bytes.get(pos) != Some(&b'0') {
        // Not +, 0 or 00: no reading can be a phone number; skip this run of digits.
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        return pos;
    }
    // Groups of digits: (start, end) byte offsets.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut count = 0;
    loop {
        let g = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == g {
            break;
        }
        groups.push((g, pos));
        count += pos - g;
        if count > 20 {
            break;
        }
        let sep = pos;
        while pos < bytes.len() && pos - sep < 4 && is_separator(bytes[pos]) {
            pos += 1;
        }
        let sep_text = &text[sep..pos];
        let spaces = sep_text
            .bytes()
            .filter(|b| *b == b' ' || *b == b'\t')
            .count();
        let continues = pos > sep
            && pos - sep <= 3
            && spaces <= 2
            && pos < bytes.len()
            && bytes[pos].is_ascii_digit();
        if !continues {
            break;
        }
    }
    let Some(&(first_start, first_end)) = groups.first() else {
        return start + 1;
    };
    let first_len = first_end - first_start;
    // National numbers are written with at least the 0 and two digits together
    // ("020 ...", "0113 ...", "07700 ..."); "01.02.2024" is a date.
    let national = !plus && bytes[first_start] == b'0' && !text[first_start..].starts_with("00");
    if national && first_len < 3 {
        return first_end;
    }
    let ends_cleanly = |end: usize| {
        !scan::at(text, end).is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '_')
    };
    let digits_of =
        |k: usize| -> String { groups[..k].iter().map(|&(s, e)| &text[s..e]).collect() };

    // The longest run of whole groups that is a valid UK number.
    for k in (1..=groups.len()).rev() {
        let end = groups[k - 1].1;
        let digits = digits_of(k);
        if let Reading::Uk(n) = read(&digits, plus) {
            if check_uk(n).is_ok() && ends_cleanly(end) {
                let s = trim_open_bracket(text, start, end);
                out.push(Candidate {
                    tier: Tier::Phone,
                    kind: IdentifierKind::Phone,
                    start: s,
                    end,
                    value: Some(format!("+44{n}")),
                });
                return end;
            }
        }
    }

    // Nothing valid: report what looks like a phone number as unrecognised.
    let end = groups[groups.len() - 1].1;
    let digits = digits_of(groups.len());
    let looks_like_phone = match read(&digits, plus) {
        Reading::Uk(n) => {
            let likely_start = n.starts_with(['1', '2', '3', '7', '8', '9']);
            // Ten digits in a range not in use, or a digit or two short or long.
            let short = (8..=10).contains(&n.len());
            // Too long only if spaced like a number; an unbroken longer run of digits is
            // some other number (a reference, a card) and is left alone.
            let long = (11..=12).contains(&n.len()) && groups.len() > 1;
            likely_start && (short || long)
        }
        Reading::Foreign(n) => (8..=15).contains(&n.len()),
        Reading::Not => false,
    };
    if looks_like_phone && ends_cleanly(end) {
        out.push(Candidate {
            tier: Tier::UnrecognisedPhone,
            kind: IdentifierKind::Phone,
            start: trim_open_bracket(text, start, end),
            end,
            value: None,
        });
        return end;
    }
    first_end
}

/// Leaves out an opening bracket whose closing one is not part of the number
/// ("(+44 (0) 7700 900127)" is the number "+44 (0) 7700 900127").
fn trim_open_bracket(text: &str, start: usize, end: usize) -> usize {
    let span = &text[start..end];
    if span.starts_with('(') && span.matches('(').count() > span.matches(')').count() {
        start + 1
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_one_number() {
        for input in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+447700900123",
            "0044 7700 900123",
            "+44 (0) 7700 900123",
            "+44(0)7700-900-123",
            "(07700) 900 123",
            "07700.900.123",
        ] {
            let p = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.e164(), "+447700900123", "{input}");
            assert_eq!(p.national(), "07700 900123");
        }
    }

    #[test]
    fn freephone_numbers_pasted_characters_and_unallocated_ranges() {
        for (text, want) in [
            ("ring 0800 1111 any time", Some("+448001111")),
            ("freephone 0800 123456", Some("+44800123456")),
            ("call 07700\u{a0}900123", Some("+447700900123")),
            ("call 07700\u{2013}900123", Some("+447700900123")),
            ("call \u{ff10}\u{ff17}\u{ff17}\u{ff10}\u{ff10} \u{ff19}\u{ff10}\u{ff10}\u{ff11}\u{ff12}\u{ff13}", Some("+447700900123")),
            // 021 is not a range in use: kept, but not recognised.
            ("call 021 4960 0000", None),
        ] {
            let f = crate::identifiers::extract(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].recognised.then_some(f[0].value.as_str()), want, "{text}");
            assert_eq!(&text[f[0].start..f[0].end], f[0].raw, "offsets into what was written");
        }
        let f = crate::identifiers::extract("(+44 (0) 7700 900127)");
        assert_eq!(f[0].raw, "+44 (0) 7700 900127", "no stray bracket");
        assert_eq!(
            PhoneNumber::parse("0800 1111").unwrap().national(),
            "0800 1111"
        );
    }

    #[test]
    fn national_grouping() {
        for (input, want) in [
            ("0113 496 0000", "0113 496 0000"),
            ("020 7946 0999", "020 7946 0999"),
            ("+44 113 496 0123", "0113 496 0123"),
        ] {
            assert_eq!(PhoneNumber::parse(input).unwrap().national(), want);
        }
    }

    #[test]
    fn problems_are_explained() {
        for (input, says) in [
            ("07700 9001", "8 digits"),
            ("07700 9001234", "11 digits"),
            ("+999 7700 900123", "only UK numbers"),
            ("7700 900123", "starts with 0"),
            ("07700 9OO123", "letters"),
            ("04700 900123", "not in use"),
            ("07700/900123", "\"/\""),
        ] {
            let e = PhoneNumber::parse(input).unwrap_err().to_string();
            assert!(e.contains(says), "{input}: {e}");
        }
    }
}
