//! The audit vocabulary: what was done, to which kind of record. The codes are what the
//! audit log stores and what its filter matches; the tamper-evident log to come chains
//! events by them, so a code once used is never changed.

use crate::code_enum;

code_enum! {
    /// What an audit event says was done.
    AuditAction {
        Read => "read", "Read";
        List => "list", "Listed";
        Create => "create", "Created";
        Update => "update", "Changed";
        Export => "export", "Exported";
        Triage => "triage", "Triaged";
        Review => "review", "Reviewed";
        Check => "check", "Checked";
        Withdraw => "withdraw", "Withdrew";
        Share => "share", "Shared";
        Accept => "accept", "Accepted";
        Acknowledge => "acknowledge", "Acknowledged";
        Outcome => "outcome", "Recorded an outcome";
        Merge => "merge", "Merged";
        Unmerge => "unmerge", "Undid a merge";
        Raise => "raise", "Raised";
        Revoke => "revoke", "Revoked";
        Approve => "approve", "Approved";
        Refuse => "refuse", "Refused";
        SignIn => "sign_in", "Signed in";
        SignOut => "sign_out", "Signed out";
        FailedSignIn => "failed_sign_in", "Failed to sign in";
    }
}

code_enum! {
    /// The kind of record an audit event is about.
    AuditRecord {
        Alert => "alert", "Alert";
        ApiToken => "api_token", "API token";
        Attachment => "attachment", "Photo or screenshot";
        AuditLog => "audit_log", "Audit log";
        Caseload => "caseload", "Caseload";
        Chronology => "chronology", "Chronology";
        Contact => "contact", "Contact";
        CustodyEvent => "custody_event", "Chain of custody";
        Evidence => "evidence", "Evidence item";
        Family => "family", "Family";
        FamilyMember => "family_member", "Family member";
        HubSetting => "hub_setting", "Hub setting";
        Identifier => "identifier", "Identifier";
        Incident => "incident", "Threat or harassment";
        InfoEntry => "info_entry", "Information-log entry";
        Invitation => "invitation", "Invitation";
        Network => "network", "Network picture";
        ParentHome => "parent_home", "Parent's home page";
        Password => "password", "Password";
        PasswordReset => "password_reset", "Password-reset code";
        Page => "page", "Page or API address";
        Person => "person", "Person of concern";
        PersonMerge => "person_merge", "Merge of people of concern";
        Referral => "referral", "Referral";
        SafetyPlan => "safety_plan", "Safety plan";
        MissingProfile => "missing_profile", "Missing-from-home profile";
        MissingEpisode => "missing_episode", "Missing episode";
        ReturnInterview => "return_interview", "Return-home interview";
        Placement => "placement", "Where a child lives";
        TransitionReview => "transition_review", "Transition review at 16 or 18";
        Allocation => "allocation", "Allocation of workers";
        Closure => "closure", "Closure of a case";
        PlanResponse => "plan_response", "A parent's words on a safety plan";
        ReviewQueue => "review_queue", "Review queue";
        IncidentQueue => "incident_queue", "Threats and incidents to read";
        Session => "session", "Sign-in session";
        Submission => "submission", "Intelligence submission";
        User => "user", "User";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn codes_are_distinct() {
        for all in [
            AuditAction::ALL
                .iter()
                .map(|a| a.code())
                .collect::<Vec<_>>(),
            AuditRecord::ALL
                .iter()
                .map(|a| a.code())
                .collect::<Vec<_>>(),
        ] {
            let mut sorted = all.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), all.len(), "a code is used twice: {all:?}");
        }
    }
}
