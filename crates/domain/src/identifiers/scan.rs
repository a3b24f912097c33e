//! Small helpers shared by the finders: words, neighbouring characters and letter case.
//! Offsets are byte offsets into the original text and always fall on char boundaries.

/// A maximal run of alphanumeric characters (any script), by byte offsets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
}

/// Every word of `text`. Letters of any script count, so "caféAB12" is one word.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word { start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
        });
    }
    out
}

/// The character ending just before byte `i`.
pub(crate) fn before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The character starting at byte `i`.
pub(crate) fn at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The character after the one starting at byte `i`.
pub(crate) fn after_next(text: &str, i: usize) -> Option<char> {
    text[i..].chars().nth(1)
}

/// Whether a word-shaped identifier (plate, postcode) at `start..end` stands on its own,
/// rather than being part of an address, a path, a file name or a hyphenated code.
pub(crate) fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    if let Some(c) = before(text, start) {
        if c.is_alphanumeric() || "@/\\_#£$€&=+%~".contains(c) {
            return false;
        }
        if matches!(c, '.' | '-') {
            let prev = before(text, start - c.len_utf8());
            if prev.is_some_and(char::is_alphanumeric) {
                return false;
            }
        }
    }
    if let Some(c) = at(text, end) {
        if c.is_alphanumeric() || "@_/\\%".contains(c) {
            return false;
        }
        if matches!(c, '.' | '-') && after_next(text, end).is_some_and(char::is_alphanumeric) {
            return false;
        }
    }
    true
}

/// Whether the letters of `raw` are written in one consistent case: all capitals, all
/// lower case, or a capital first letter then lower case (as phones capitalise a
/// sentence). "AB12 cde" is not: it is more likely a plate fragment then a word.
pub(crate) fn case_consistent(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    let Some((first, rest)) = letters.split_first() else {
        return true;
    };
    let all_upper = letters.iter().all(|c| c.is_uppercase());
    let all_lower = letters.iter().all(|c| c.is_lowercase());
    let capitalised = first.is_uppercase() && rest.iter().all(|c| c.is_lowercase());
    all_upper || all_lower || capitalised
}

/// Whether every letter of `raw` is a capital.
pub(crate) fn letters_upper(raw: &str) -> bool {
    raw.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase())
}

/// Whether the gap between two words is only spaces or tabs (one to three of them).
pub(crate) fn is_space_gap(gap: &str) -> bool {
    !gap.is_empty() && gap.len() <= 3 && gap.bytes().all(|b| b == b' ' || b == b'\t')
}

/// `raw` upper-cased with spaces and tabs removed, if what is left is ASCII letters and
/// digits only.
pub(crate) fn compact_upper(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(s)
}

/// Single words and pairs of words separated by spaces, as spans `(first word index,
/// start, end)`: the shapes a plate or postcode can take in free text.
pub(crate) fn spans(text: &str, words: &[Word]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        out.push((i, w.start, w.end));
        if let Some(next) = words.get(i + 1) {
            if is_space_gap(&text[w.end..next.start]) {
                out.push((i, w.start, next.end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_anything_not_alphanumeric() {
        let t = "café AB12 CDE🚗x";
        let w: Vec<&str> = words(t).iter().map(|w| &t[w.start..w.end]).collect();
        assert_eq!(w, ["café", "AB12", "CDE", "x"]);
    }

    #[test]
    fn case_consistency() {
        assert!(case_consistent("AB12 CDE"));
        assert!(case_consistent("ab12 cde"));
        assert!(case_consistent("Ab12 cde"));
        assert!(!case_consistent("AB12 and"));
        assert!(!case_consistent("aB12"));
    }

    #[test]
    fn standing_alone() {
        let t = "x.AB12CDE AB12CDE.com AB12CDE.";
        assert!(!stands_alone(t, 2, 9));
        assert!(!stands_alone(t, 10, 17));
        assert!(stands_alone(t, 22, 29));
    }
}
