//! Small rules about text that pages and stored summaries share.

/// A short, single-line opening of a text, for lists and summaries: whitespace folded to
/// single spaces, at most `max` characters, an ellipsis when cut.
pub fn opening(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Whether `c` is a Unicode bidirectional control: the embeddings, overrides and
/// isolates (U+202A to U+202E, U+2066 to U+2069) and the marks (U+200E, U+200F, U+061C).
/// Stored as typed, they can make text read otherwise than it is (a right-to-left
/// override turns "gpj.exe" into "exe.jpg").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A stored text as an export carries it (issue 10, L10): each bidirectional control
/// written as its code, `[U+202E]`, so that a spreadsheet or analysis tool shows the text
/// in the order it was typed and the control can still be seen.
pub fn neutralise_bidi(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A JSON document as an export file carries it: each bidirectional control inside its
/// strings written as a JSON escape (`\u202e`), so the file reads as typed in any editor
/// and a JSON reader gets back exactly what was stored.
pub fn json_with_bidi_escaped(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A stored text as one cell of a spreadsheet export: bidirectional controls neutralised,
/// and a text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return first) made plain text by a leading apostrophe (OWASP's CSV injection advice).
///
/// A plain number ("+447700900123", "-3", "2.5") is not a formula risk and is left as
/// it is, so that i2 and Gephi read phone numbers as written.
pub fn spreadsheet_cell(text: &str) -> String {
    let text = neutralise_bidi(text);
    let plain_number = {
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        let mut parts = digits.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && parts
                .next()
                .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    };
    if !plain_number && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn openings_are_one_line_and_bounded() {
        assert_eq!(super::opening("a\n b  c", 10), "a b c");
        assert_eq!(super::opening("abcdefghijk", 5), "abcde…");
    }

    #[test]
    fn plain_numbers_are_not_formulas() {
        assert_eq!(super::spreadsheet_cell("+447700900123"), "+447700900123");
        assert_eq!(super::spreadsheet_cell("-3.5"), "-3.5");
        assert_eq!(
            super::spreadsheet_cell("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(super::spreadsheet_cell("+1+cmd"), "'+1+cmd");
        assert_eq!(super::spreadsheet_cell("-"), "'-");
        assert_eq!(super::spreadsheet_cell("Home visit"), "Home visit");
    }

    #[test]
    fn exports_neutralise_bidi_controls_and_formulas() {
        assert_eq!(super::neutralise_bidi("plain"), "plain");
        assert_eq!(
            super::neutralise_bidi("photo\u{202E}gpj.exe"),
            "photo[U+202E]gpj.exe"
        );
        assert_eq!(
            super::neutralise_bidi("a\u{2067}b\u{2069}"),
            "a[U+2067]b[U+2069]"
        );
        // Joiners and the letters of right-to-left scripts are kept.
        assert_eq!(super::neutralise_bidi("ש\u{200D}ל"), "ש\u{200D}ל");
        assert_eq!(super::spreadsheet_cell("=1+1"), "'=1+1");
        assert_eq!(super::spreadsheet_cell("\u{202E}=1"), "[U+202E]=1");
        assert_eq!(super::spreadsheet_cell("a car"), "a car");
        let json = serde_json::to_string(&"a\u{202E}b").unwrap();
        let escaped = super::json_with_bidi_escaped(&json);
        assert_eq!(escaped, "\"a\\u202eb\"");
        assert_eq!(
            serde_json::from_str::<String>(&escaped).unwrap(),
            "a\u{202E}b"
        );
    }
}
