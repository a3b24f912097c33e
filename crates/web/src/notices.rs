//! What a page says after a save, as a success notification banner: a redirect after a
//! change carries `?done=<code>.<seal>`, and the page shows the words for that code. The
//! words live here, in one table; nothing a person typed travels in the address. The
//! seal is an HMAC of the code under the session's CSRF token, so a link someone else
//! made ("Sent to the police" on a page where nothing was sent) shows nothing.

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
        "interview-saved" => "Return-home interview saved.",
        "episode-saved" => "Saved. What it replaced is kept in the record's history.",
        "profile-saved" => "Profile saved. Every version is kept.",
        "profile-photo-saved" => {
            "Photo added, with its details (where and when it was taken) removed."
        }
        "profile-shared" => {
            "Shared: the police partner can read the profile until you withdraw it."
        }
        "profile-share-withdrawn" => {
            "No longer shared: the police read the profile only while the child is missing."
        }
        "placement-saved" => "Saved. The placement before ends on the day this one began.",
        "transition-review-saved" => "Transition review saved. Support goes on.",
        "workers-changed" => "Workers changed. The new worker starts from this summary.",
        "case-closed" => "Case closed. Everything recorded is kept, and it can be reopened.",
        "case-reopened" => "Case reopened, with its whole history.",
        "plan-saved" => "Safety plan saved. The family can read it on their page.",
        "plan-response-saved" => "Saved, in the words given, beside the version it is about.",
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
        "merged" => "The two names are now shown as one person.",
        "account-approved" => "Account approved.",
        "bank-holiday-added" => "Bank holiday added: working days now skip it.",
        "invitation-withdrawn" => "Invitation withdrawn: its code can no longer be used.",
        "unmerged" => "The merge is undone.",
        _ => return None,
    })
}

/// The seal of a code for one session.
fn seal(code: &str, session_key: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(session_key.as_bytes())
        .expect("any key length");
    mac.update(b"notice:");
    mac.update(code.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..8])
}

/// `path` with the notice for `code` sealed for this session.
pub fn sealed(path: &str, code: &str, session_key: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}done={code}.{}", seal(code, session_key))
}

/// The notice asked for by a request's query string, if its seal is this session's.
pub fn from_query(query: Option<&str>, session_key: &str) -> Option<&'static str> {
    let (code, given) = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("done="))?
        .split_once('.')?;
    let want = seal(code, session_key);
    (subtle::ConstantTimeEq::ct_eq(want.as_bytes(), given.as_bytes()).unwrap_u8() == 1)
        .then(|| words(code))
        .flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_known_codes_sealed_for_the_session_make_a_notice() {
        let url = super::sealed("/review", "reviewed", "key-1");
        let q = url.split_once('?').unwrap().1;
        assert!(super::from_query(Some(&format!("a=1&{q}")), "key-1").is_some());
        assert_eq!(
            super::from_query(Some(q), "key-2"),
            None,
            "another session's link"
        );
        assert_eq!(super::from_query(Some("done=reviewed"), "key-1"), None);
        assert_eq!(
            super::from_query(Some("done=%3Cscript%3E.00"), "key-1"),
            None
        );
        assert_eq!(super::from_query(None, "key-1"), None);
    }
}
