//! Keeping the family out of what the police are sent: the family record knows its own
//! names and address, and [`Redactor`] finds them in the text of a submission (whole
//! words, any case) so that the PLO is warned before sending, and can have each replaced
//! by what it stands for ("[child]", "[parent or carer]", "[family address]").
//!
//! The police learn what kind of person the source is, never who (decision 0009): a
//! parent's words often name their child and their street, and the submission cannot be
//! taken back once sent.

use std::collections::BTreeSet;

/// What a redacted term stands for, as the police read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stands {
    Child,
    Carer,
    /// Someone else in the family's support (a grandparent, say).
    Member,
    FamilyName,
    Address,
}

impl Stands {
    pub fn placeholder(self) -> &'static str {
        match self {
            Stands::Child => "[child]",
            Stands::Carer => "[parent or carer]",
            Stands::Member => "[family member]",
            Stands::FamilyName => "[family name]",
            Stands::Address => "[family address]",
        }
    }

    /// How the warning names what was found.
    pub fn label(self) -> &'static str {
        match self {
            Stands::Child => "a child's name",
            Stands::Carer => "a parent or carer's name",
            Stands::Member => "a family member's name",
            Stands::FamilyName => "the family's name",
            Stands::Address => "the family's address",
        }
    }
}

/// One of the family's own names or address found in a text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// As written in the text.
    pub written: String,
    pub stands: Stands,
}

/// One character as terms and text are compared: full-width forms plain, one lower-case
/// letter (its first, where lower case is several: "İ" is "i"), apostrophes of every shape
/// as one, and hyphens as spaces ("Mary-Jane" is "Mary Jane").
fn fold(c: char) -> char {
    let c = crate::identifiers::plain(c).unwrap_or(c);
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' => '\'',
        '-' => ' ',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Whether `term` is written at `at` as a whole word (a run of spaces in the text
/// matching one in the term): the index just after it if so.
fn matches_at(text: &[(usize, char)], at: usize, term: &str) -> Option<usize> {
    let mut i = at;
    for t in term.chars() {
        let &(_, c) = text.get(i)?;
        if t == ' ' {
            if !c.is_whitespace() {
                return None;
            }
            while text.get(i).is_some_and(|(_, c)| c.is_whitespace()) {
                i += 1;
            }
        } else if c == t {
            i += 1;
        } else {
            return None;
        }
    }
    text.get(i)
        .is_none_or(|(_, c)| !c.is_alphanumeric())
        .then_some(i)
}

/// The family's own names and address, to be found in text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Lower-cased terms, longest first so "Elm Road" is replaced before "Elm".
    terms: Vec<(String, Stands)>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a person's names: given, family and known-as names, each a term of its own,
    /// and each word of a given name of several ("Mary Jane" is also "Mary"); the family
    /// name stands for the family.
    pub fn person(&mut self, given: &str, family: &str, known_as: Option<&str>, stands: Stands) {
        self.term(given, stands);
        for part in given.split([' ', '-']).filter(|p| p.chars().count() >= 3) {
            self.term(part, stands);
        }
        self.term(family, Stands::FamilyName);
        if let Some(k) = known_as {
            self.term(k, stands);
        }
    }

    /// Adds the family's name as its record holds it.
    pub fn family_name(&mut self, name: &str) {
        self.term(name, Stands::FamilyName);
    }

    /// Adds the family's address: each line of it, the street without its house number
    /// ("12 Elm Road" is also "Elm Road"), and the postcode.
    pub fn address(&mut self, address: &str) {
        for line in address.split([',', '\n']) {
            let line = line.trim();
            self.term(line, Stands::Address);
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.len() > 2 && words[0].chars().any(|c| c.is_ascii_digit()) {
                self.term(&words[1..].join(" "), Stands::Address);
            }
            for f in crate::identifiers::extract(line) {
                if f.kind == crate::identifiers::IdentifierKind::Postcode {
                    self.term(&f.raw, Stands::Address);
                    self.term(&f.value.replace(' ', ""), Stands::Address);
                }
            }
        }
    }

    fn term(&mut self, t: &str, stands: Stands) {
        let t: String = t.chars().map(fold).collect();
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        // Initials would be found in ordinary words; two letters ("Jo", "Mo") are names.
        if t.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        if !self.terms.iter().any(|(x, _)| *x == t) {
            self.terms.push((t, stands));
            self.terms
                .sort_by_key(|t| std::cmp::Reverse(t.0.chars().count()));
        }
    }

    /// Where the terms are in `text`: (byte start, byte end, what it stands for), in
    /// order, never overlapping.
    fn hits(&self, text: &str) -> Vec<(usize, usize, Stands)> {
        let lower: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold(c))).collect();
        let mut out: Vec<(usize, usize, Stands)> = Vec::new();
        let mut at = 0;
        'scan: while at < lower.len() {
            let starts_word = at == 0 || !lower[at - 1].1.is_alphanumeric();
            if starts_word {
                for (term, stands) in &self.terms {
                    if let Some(next) = matches_at(&lower, at, term) {
                        let start = lower[at].0;
                        let end = lower.get(next).map_or(text.len(), |(i, _)| *i);
                        out.push((start, end, *stands));
                        at = next;
                        continue 'scan;
                    }
                }
            }
            at += 1;
        }
        out
    }

    /// The family's names and address found in `text`, once each.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let set: BTreeSet<Found> = self
            .hits(text)
            .into_iter()
            .map(|(s, e, stands)| Found {
                written: text[s..e].to_string(),
                stands,
            })
            .collect();
        set.into_iter().collect()
    }

    /// `text` with each of the family's names and address replaced by what it stands for.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (s, e, stands) in self.hits(text) {
            out.push_str(&text[last..s]);
            out.push_str(stands.placeholder());
            last = e;
        }
        out.push_str(&text[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family() -> Redactor {
        let mut r = Redactor::new();
        r.person("Ash", "Ivesdale", None, Stands::Child);
        r.person("Jo", "Ivesdale", Some("Joanne"), Stands::Carer);
        r.address("12 Elm Road, Ashby AB1 2CD");
        r
    }

    #[test]
    fn the_familys_own_names_and_address_are_found_and_replaced() {
        let r = family();
        let text = "Ash said the car waits by our house, Elm Road; Joanne saw it. Ashby is far.";
        let found = r.find(text);
        assert_eq!(
            found.iter().map(|f| f.written.as_str()).collect::<Vec<_>>(),
            vec!["Ash", "Elm Road", "Joanne"]
        );
        assert_eq!(
            r.apply(text),
            "[child] said the car waits by our house, [family address]; [parent or carer] saw it. Ashby is far."
        );
        assert_eq!(
            r.apply("ASH and the IVESDALE family"),
            "[child] and the [family name] family"
        );
        assert_eq!(
            r.apply("Nothing of theirs here, Jo."),
            "Nothing of theirs here, [parent or carer]."
        );
        assert_eq!(r.apply("Zoë: Elm  Road"), "Zoë: [family address]");
        assert_eq!(r.apply("near ab1 2cd"), "near [family address]");
        assert_eq!(r.apply("near AB12CD."), "near [family address].");
        assert_eq!(
            r.apply("Joanne-Ivesdale, JO"),
            "[parent or carer]-[family name], [parent or carer]"
        );
    }

    #[test]
    fn names_are_found_however_they_are_written() {
        let mut r = Redactor::new();
        r.person("\u{130}layda", "O\u{2019}Brien", None, Stands::Child);
        r.person("Mary Jane", "O'Brien", None, Stands::Child);
        assert_eq!(
            r.apply("\u{130}layda and ILAYDA O'Brien"),
            "[child] and [child] [family name]"
        );
        assert_eq!(
            r.apply("Mary-Jane, or Mary, \u{ff2d}\u{ff41}\u{ff52}\u{ff59}"),
            "[child], or [child], [child]"
        );
        assert_eq!(r.apply("Maryland"), "Maryland", "whole words only");
    }
}
