//! What a page says after a save, as a success notification banner: a redirect after a
//! change carries `?done=<code>`, and the page shows the words for that code. The words
//! live here, in one table; nothing a person typed travels in the address.

/// The words for a `done` code; `None` for a code that is not one (it is ignored).
pub fn words(code: &str) -> Option<&'static str> {
    Some(match code {
        "submission-sent" => {
            "Sent to the police. It cannot be changed now; the police's answer will show here."
        }
        "reviewed" => "Review saved. The parent or carer can see your reason.",
        "incident-reviewed" => "Saved. The parent or carer can see what you wrote.",
        "member-added" => "Family member added.",
        "member-saved" => "Family member's details saved.",
        "strengths-saved" => "Strengths saved.",
        "contact-added" => "Contact recorded.",
        "contact-saved" => "Contact updated.",
        "family-saved" => "Family details saved.",
        "referral-saved" => "Referral saved.",
        "triage-saved" => "Triage decision saved.",
        "settings-saved" => "Settings saved.",
        "evidence-added" => "Evidence item added.",
        "handover-added" => "Handover recorded.",
        "correction-added" => "Correction recorded.",
        "incident-added" => "Threat or incident recorded.",
        "outcome-saved" => "Outcome saved.",
        "acknowledged" => "Receipt acknowledged.",
        "merged" => "The two people are now shown as one.",
        "unmerged" => "The merge is undone.",
        _ => return None,
    })
}

/// The notice asked for by a request's query string (`done=<code>`).
pub fn from_query(query: Option<&str>) -> Option<&'static str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("done="))
        .and_then(words)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_known_codes_make_a_notice() {
        assert!(super::from_query(Some("a=1&done=reviewed")).is_some());
        assert_eq!(super::from_query(Some("done=%3Cscript%3E")), None);
        assert_eq!(super::from_query(None), None);
    }
}
