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

#[cfg(test)]
mod tests {
    #[test]
    fn openings_are_one_line_and_bounded() {
        assert_eq!(super::opening("a\n b  c", 10), "a b c");
        assert_eq!(super::opening("abcdefghijk", 5), "abcde…");
    }
}
