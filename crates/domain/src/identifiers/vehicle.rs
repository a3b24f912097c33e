//! UK vehicle registration marks (number plates).
//!
//! Formats, after upper-casing and removing spaces (L = letter, 9 = digit):
//!
//! | format | shape | shown as | rules we check |
//! | --- | --- | --- | --- |
//! | current (since 2001) | LL99LLL | `AB12 CDE` | no I, Q or Z in the first two letters; no I or Q in the last three; age identifier not 00, 01 or 50 (never issued) |
//! | prefix (1983–2001) | L9LLL to L999LLL | `A123 BCD` | first letter not I, O, U or Z (Q is a Q plate); number has no leading 0 |
//! | suffix (1963–1983) | LLL9L to LLL999L | `ABC 123D` | last letter not I, O, Q, U or Z; number has no leading 0 |
//! | dateless | L to LLL then 1 to 4 digits, or the reverse | `ABC 1`, `1 ABC` | number has no leading 0 |
//! | Northern Ireland | LL or LLL then 1 to 4 digits, I or Z in the last two letters | `ABZ 1234` | number has no leading 0 |
//!
//! These are deliberately simple: they reject shapes that were never issued without
//! trying to know every DVLA allocation. Nothing is ever "corrected": an O typed where a
//! 0 belongs is kept as typed and the mark is reported as not recognised.

use serde::Serialize;

use super::scan::{self, Word};
use super::{Candidate, IdentifierError, IdentifierKind, Tier};

/// Which UK format a registration mark is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleFormat {
    /// `AB12 CDE`, issued since September 2001.
    Current,
    /// `A123 BCD`, 1983 to 2001 (and Q plates).
    Prefix,
    /// `ABC 123D`, 1963 to 1983.
    Suffix,
    /// `1 ABC` or `ABC 1`: no year, often a cherished mark.
    Dateless,
    /// `ABZ 1234`: Northern Ireland, with I or Z in the area code.
    NorthernIreland,
}

impl VehicleFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            VehicleFormat::Current => "current",
            VehicleFormat::Prefix => "prefix",
            VehicleFormat::Suffix => "suffix",
            VehicleFormat::Dateless => "dateless",
            VehicleFormat::NorthernIreland => "northern_ireland",
        }
    }
}

/// A UK vehicle registration mark that follows one of the formats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VehicleMark {
    /// Upper case, no spaces: "AB12CDE".
    mark: String,
    format: VehicleFormat,
    /// Byte index where the space goes when displayed.
    split: usize,
}

impl VehicleMark {
    /// Reads a registration typed in any case with or without spaces ("ab12cde",
    /// " AB12  CDE ", "a123 bcd").
    pub fn parse(input: &str) -> Result<VehicleMark, IdentifierError> {
        if input.trim().is_empty() {
            return Err(IdentifierError::Empty(IdentifierKind::Vehicle));
        }
        let Some(mark) = scan::compact_upper(input) else {
            return Err(IdentifierError::new(
                IdentifierKind::Vehicle,
                input,
                "use only letters, digits and spaces",
            ));
        };
        let (format, split) = classify(&mark)
            .map_err(|reason| IdentifierError::new(IdentifierKind::Vehicle, input, reason))?;
        Ok(VehicleMark {
            mark,
            format,
            split,
        })
    }

    /// Upper case without spaces: "AB12CDE".
    pub fn normalised(&self) -> &str {
        &self.mark
    }

    /// As printed on the plate, with its one space: "AB12 CDE", "A123 BCD", "ABC 123D",
    /// "1 ABC", "ABZ 1234".
    pub fn display(&self) -> String {
        format!("{} {}", &self.mark[..self.split], &self.mark[self.split..])
    }

    pub fn format(&self) -> VehicleFormat {
        self.format
    }

    /// Why a mark of a valid shape was never issued, if it was not: a current mark whose
    /// first letter DVLA does not use (I, J, Q, T, U or Z), or whose age identifier is
    /// later than `today`'s. Such a mark may be a false plate, which matters here; it is
    /// kept and matched like any other, and shown with this note.
    pub fn unusual(&self, today: chrono::NaiveDate) -> Option<String> {
        if self.format != VehicleFormat::Current {
            return None;
        }
        let first = self.mark.chars().next()?;
        if "IJQTUZ".contains(first) {
            return Some(format!(
                "never issued: current registrations do not start with {first} (possibly a false plate)"
            ));
        }
        let age: u32 = self.mark[2..4].parse().ok()?;
        let (year, month) = if age < 50 {
            (2000 + age as i32, 3)
        } else {
            (2000 + age as i32 - 50, 9)
        };
        let issued = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
        (issued > today).then(|| {
            format!(
                "not issued yet: the age identifier {:02} starts in {} {year} (possibly a false plate)",
                age,
                if month == 3 { "March" } else { "September" }
            )
        })
    }
}

/// Letters that are a car maker or a model's badge, not a registration, when they make
/// an older-shaped mark: "BMW 320D", "AMG 63S", "GTI 16V", "VXR 2L", "A45 AMG", "A3 TDI".
pub const BADGES: &[&str] = &[
    "AMG", "BMW", "BYD", "CDI", "CRD", "DAF", "DCI", "FSI", "GSI", "GTD", "GTE", "GTI", "GTS",
    "GTR", "HDI", "JTD", "KIA", "LDV", "MPI", "RSI", "SRI", "SRT", "SVR", "TDI", "TSI", "TVR",
    "VTI", "VXR", "XRI",
];

/// Whether an older-shaped mark reads as a car's badge: its three letters a maker or
/// model ([`BADGES`]).
fn badge(mark: &str, format: VehicleFormat) -> bool {
    let r = runs(mark);
    match format {
        VehicleFormat::Suffix => BADGES.contains(&r[0].1),
        VehicleFormat::Prefix => BADGES.contains(&r[2].1),
        _ => false,
    }
}

impl std::fmt::Display for VehicleMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Runs of letters and of digits: (is a letter run, text).
fn runs(mark: &str) -> Vec<(bool, &str)> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let b = mark.as_bytes();
    for i in 1..=b.len() {
        if i == b.len() || b[i].is_ascii_alphabetic() != b[i - 1].is_ascii_alphabetic() {
            out.push((b[start].is_ascii_alphabetic(), &mark[start..i]));
            start = i;
        }
    }
    out
}

const FORMATS: &str = "UK formats are AB12 CDE, A123 BCD, ABC 123D, 1 ABC or ABC 1, and ABZ 1234";

fn no_leading_zero(digits: &str) -> Result<(), String> {
    if digits.starts_with('0') {
        Err(format!(
            "the number \"{digits}\" starts with 0, which UK registrations never do"
        ))
    } else {
        Ok(())
    }
}

fn any_of(letters: &str, banned: &str) -> Option<char> {
    letters.chars().find(|c| banned.contains(*c))
}

/// The format of an upper-case, space-free mark and where its display space goes, or
/// what is wrong with it.
pub(crate) fn classify(mark: &str) -> Result<(VehicleFormat, usize), String> {
    if mark.is_empty() || !mark.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("use only letters, digits and spaces".into());
    }
    if mark.len() > 7 {
        return Err(format!(
            "it has {} letters and digits; UK registrations have at most 7",
            mark.len()
        ));
    }
    let runs = runs(mark);
    if runs.len() == 1 {
        return Err("a registration has both letters and digits".into());
    }
    let shape: Vec<(bool, usize)> = runs.iter().map(|(l, s)| (*l, s.len())).collect();
    match shape.as_slice() {
        [(true, 2), (false, 2), (true, 3)] => {
            let (tag, age, random) = (runs[0].1, runs[1].1, runs[2].1);
            // A first letter DVLA never issues (I, J, Q, T, U, Z) is kept as a mark but
            // said to be unusual ([`VehicleMark::unusual`]): false plates are real.
            if let Some(c) = any_of(&tag[1..], "IQZ") {
                return Err(format!(
                    "current registrations (AB12 CDE) never use {c} in the first two letters"
                ));
            }
            if let Some(c) = any_of(random, "IQ") {
                return Err(format!(
                    "current registrations (AB12 CDE) never use {c} in the last three letters"
                ));
            }
            if matches!(age, "00" | "01" | "50") {
                return Err(format!(
                    "the age identifier \"{age}\" has never been issued (current registrations use 02 to 49 and 51 to 99)"
                ));
            }
            Ok((VehicleFormat::Current, 4))
        }
        [(true, 1), (false, 1..=3), (true, 3)] => {
            if let Some(c) = any_of(runs[0].1, "IOUZ") {
                return Err(format!(
                    "prefix registrations (A123 BCD) never start with {c}"
                ));
            }
            no_leading_zero(runs[1].1)?;
            Ok((VehicleFormat::Prefix, 1 + runs[1].1.len()))
        }
        [(true, 3), (false, 1..=3), (true, 1)] => {
            no_leading_zero(runs[1].1)?;
            if let Some(c) = any_of(runs[2].1, "IOQUZ") {
                return Err(format!(
                    "suffix registrations (ABC 123D) never end with {c}"
                ));
            }
            Ok((VehicleFormat::Suffix, 3))
        }
        [(true, n @ 1..=3), (false, 1..=4)] => {
            no_leading_zero(runs[1].1)?;
            let letters = runs[0].1;
            let area = &letters[letters.len().saturating_sub(2)..];
            let format = if *n >= 2 && any_of(area, "IZ").is_some() {
                VehicleFormat::NorthernIreland
            } else {
                VehicleFormat::Dateless
            };
            Ok((format, *n))
        }
        [(false, n @ 1..=4), (true, 1..=3)] => {
            no_leading_zero(runs[0].1)?;
            Ok((VehicleFormat::Dateless, *n))
        }
        _ => Err(format!("it does not match any format ({FORMATS})")),
    }
}

/// Words after which a dateless or Northern Ireland mark (or a lower-case older one) is
/// taken as a registration.
const CUES: &[&str] = &[
    "reg",
    "registration",
    "registrations",
    "plate",
    "plates",
    "numberplate",
    "numberplates",
    "vrm",
];
/// Words that may stand between a cue and the mark ("reg no. ", "plate was ").
const FILLERS: &[&str] = &[
    "no", "number", "num", "nr", "is", "was", "were", "of", "mark",
];

fn word_lower(text: &str, w: Word) -> String {
    text[w.start..w.end].to_lowercase()
}

/// Whether a registration word comes just before word `i`.
fn has_cue(text: &str, words: &[Word], i: usize) -> bool {
    let mut j = i;
    while j > 0 && i - j < 4 {
        let gap = &text[words[j - 1].end..words[j].start];
        if gap.len() > 4 || gap.contains('\n') {
            return false;
        }
        let w = word_lower(text, words[j - 1]);
        if CUES.contains(&w.as_str()) {
            return true;
        }
        if !FILLERS.contains(&w.as_str()) {
            return false;
        }
        j -= 1;
    }
    false
}

/// Shapes an O/0 or I/1 confusion could come from: (pattern, only when in capitals).
const CONFUSABLE_PATTERNS: &[(&str, bool)] = &[
    ("LLDDLLL", false),
    ("LDLLL", true),
    ("LDDLLL", true),
    ("LDDDLLL", true),
    ("LLLDL", true),
    ("LLLDDL", true),
    ("LLLDDDL", true),
];

/// Whether swapping O/0 or I/1 would turn `mark` (which is not valid as typed) into a
/// valid current, prefix or suffix mark. We only use this to *report* the mark as not
/// recognised; its value stays exactly as typed.
fn confusable(mark: &str, upper: bool) -> bool {
    CONFUSABLE_PATTERNS.iter().any(|(pattern, needs_upper)| {
        if (*needs_upper && !upper) || pattern.len() != mark.len() {
            return false;
        }
        let mut swaps = 0;
        let mut fixed = String::with_capacity(mark.len());
        for (want, c) in pattern.chars().zip(mark.chars()) {
            let c = match (want, c) {
                ('L', c) if c.is_ascii_alphabetic() => c,
                ('D', c) if c.is_ascii_digit() => c,
                ('L', '0') | ('D', 'O') => {
                    swaps += 1;
                    if want == 'L' {
                        'O'
                    } else {
                        '0'
                    }
                }
                ('L', '1') | ('D', 'I') => {
                    swaps += 1;
                    if want == 'L' {
                        'I'
                    } else {
                        '1'
                    }
                }
                _ => return false,
            };
            fixed.push(c);
        }
        swaps > 0 && classify(&fixed).is_ok()
    })
}

/// Adds plate candidates found in `text` to `out`.
pub(crate) fn find(text: &str, words: &[Word], out: &mut Vec<Candidate>) {
    // Pairs come before singles so that a single word can give way to the pair it
    // starts: "reg AB12 C" is one partial mark, not the dateless AB 12 and a stray C.
    let mut spans = scan::spans(text, words);
    // A current mark spaced in three ("AB 12 CDE", "Reg: BC 51 BYC").
    for (i, w) in words.iter().enumerate() {
        if let [a, b, c] = words.get(i..i + 3).unwrap_or_default() {
            let shape = |w: &Word, letters: bool, n: usize| {
                w.end - w.start == n
                    && text[w.start..w.end].bytes().all(|x| {
                        if letters {
                            x.is_ascii_alphabetic()
                        } else {
                            x.is_ascii_digit()
                        }
                    })
            };
            if shape(a, true, 2)
                && shape(b, false, 2)
                && shape(c, true, 3)
                && scan::is_space_gap(&text[a.end..b.start])
                && scan::is_space_gap(&text[b.end..c.start])
            {
                spans.push((i, w.start, c.end));
            }
        }
    }
    spans.sort_by_key(|&(i, _, end)| (i, std::cmp::Reverse(end)));
    let mut unrecognised_pair_at = None;
    for (i, start, end) in spans {
        let raw = &text[start..end];
        let Some(mark) = scan::compact_upper(raw) else {
            continue;
        };
        let letters = mark.bytes().filter(u8::is_ascii_alphabetic).count();
        if mark.len() > 8 || letters == 0 || letters == mark.len() {
            continue;
        }
        if !scan::stands_alone(text, start, end) || !scan::case_consistent(raw) {
            continue;
        }
        let first = word_lower(text, words[i]);
        if CUES.contains(&first.as_str()) || FILLERS.contains(&first.as_str()) {
            continue;
        }
        let is_pair = end != words[i].end;
        let upper = scan::letters_upper(raw);
        let cue = || has_cue(text, words, i);
        let (tier, value) = match classify(&mark) {
            Ok((format, _)) => {
                let allowed = match format {
                    VehicleFormat::Current => true,
                    VehicleFormat::Prefix | VehicleFormat::Suffix if badge(&mark, format) => cue(),
                    VehicleFormat::Prefix | VehicleFormat::Suffix => upper || cue(),
                    VehicleFormat::Dateless | VehicleFormat::NorthernIreland => {
                        cue() && unrecognised_pair_at != Some(i)
                    }
                };
                if !allowed {
                    continue;
                }
                let tier = if format == VehicleFormat::Current {
                    Tier::CurrentPlate
                } else {
                    Tier::OtherPlate
                };
                (tier, Some(mark))
            }
            Err(_) => {
                let current_shaped = matches!(
                    runs(&mark)
                        .iter()
                        .map(|(l, s)| (*l, s.len()))
                        .collect::<Vec<_>>()[..],
                    [(true, 2), (false, 2), (true, 3)]
                );
                let short_second = !is_pair || words[i + 1].end - words[i + 1].start <= 4;
                let looks_like_plate = current_shaped
                    || (letters >= 2 && confusable(&mark, upper))
                    || (short_second && cue());
                if !looks_like_plate {
                    continue;
                }
                if is_pair {
                    unrecognised_pair_at = Some(i);
                }
                (Tier::UnrecognisedPlate, None)
            }
        };
        out.push(Candidate {
            tier,
            kind: IdentifierKind::Vehicle,
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
    fn every_format() {
        for (input, norm, display, format) in [
            ("ab12cde", "AB12CDE", "AB12 CDE", VehicleFormat::Current),
            ("A123 BCD", "A123BCD", "A123 BCD", VehicleFormat::Prefix),
            ("Q12 ABC", "Q12ABC", "Q12 ABC", VehicleFormat::Prefix),
            ("abc123d", "ABC123D", "ABC 123D", VehicleFormat::Suffix),
            ("1 abc", "1ABC", "1 ABC", VehicleFormat::Dateless),
            ("ABC 1234", "ABC1234", "ABC 1234", VehicleFormat::Dateless),
            ("A 1", "A1", "A 1", VehicleFormat::Dateless),
            (
                "abz1234",
                "ABZ1234",
                "ABZ 1234",
                VehicleFormat::NorthernIreland,
            ),
            ("IA 99", "IA99", "IA 99", VehicleFormat::NorthernIreland),
        ] {
            let m = VehicleMark::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(m.normalised(), norm);
            assert_eq!(m.display(), display);
            assert_eq!(m.format(), format);
        }
    }

    #[test]
    fn rules_are_explained() {
        for (input, says) in [
            ("AB01 CDE", "age identifier"),
            ("AI12 CDE", "first two letters"),
            ("AZ12 CDE", "first two letters"),
            ("AB12 CDQ", "last three letters"),
            ("I123 ABC", "never start with I"),
            ("ABC 123U", "never end with U"),
            ("B012 ABC", "starts with 0"),
            ("ABCD", "both letters and digits"),
            ("AB12CDEF", "at most 7"),
            ("AB1C2D", "does not match"),
            ("AB-12", "only letters"),
        ] {
            let e = VehicleMark::parse(input).unwrap_err().to_string();
            assert!(e.contains(says), "{input}: {e}");
        }
    }

    #[test]
    fn marks_never_issued_are_kept_but_unusual() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for (mark, says) in [
            ("IA12 CDE", Some("do not start with I")),
            ("TB12 CDE", Some("do not start with T")),
            ("AB27 CDE", Some("starts in March 2027")),
            ("AB77 CDE", Some("starts in September 2027")),
            ("AB76 CDE", None),
            ("AB26 CDE", None),
            ("A123 BCD", None),
        ] {
            let m = VehicleMark::parse(mark).unwrap_or_else(|e| panic!("{mark}: {e}"));
            let u = m.unusual(today);
            assert_eq!(u.is_some(), says.is_some(), "{mark}: {u:?}");
            if let (Some(u), Some(says)) = (u, says) {
                assert!(u.contains(says), "{mark}: {u}");
            }
        }
    }

    #[test]
    fn car_badges_are_not_marks_and_spaced_marks_are() {
        let marks = |t: &str| -> Vec<String> {
            crate::identifiers::extract(t)
                .into_iter()
                .filter(|f| f.kind == IdentifierKind::Vehicle)
                .map(|f| f.value)
                .collect()
        };
        for t in [
            "a black BMW 320D",
            "a BMW 520D again",
            "the BMW 330E",
            "an AMG 63S",
            "Golf GTI 16V",
            "a GTD 20V",
            "Corsa VXR 2L",
            "a Mercedes A45 AMG",
            "Audi A3 TDI",
        ] {
            assert_eq!(marks(t), Vec::<String>::new(), "{t}");
        }
        assert_eq!(
            marks("reg BMW 320D"),
            vec!["BMW320D"],
            "a registration word says it is one"
        );
        assert_eq!(marks("a car AB 12 CDE outside"), vec!["AB12CDE"]);
        assert_eq!(marks("Reg: BC 51 BYC"), vec!["BC51BYC"]);
        assert_eq!(marks("an old ABC 123D"), vec!["ABC123D"]);
    }

    #[test]
    fn confusions_are_noticed_not_corrected() {
        assert!(confusable("AB12C0E", true));
        assert!(confusable("B012ABC", true));
        assert!(confusable("ABI2CDE", true));
        assert!(!confusable("TO1000", true));
    }
}
