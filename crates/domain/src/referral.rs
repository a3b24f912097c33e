//! The vocabulary of referrals and triage (the threshold assessment of the model, §3.5).

use crate::code_enum;

code_enum! {
    /// Who made the referral.
    ReferralSource {
        Police => "police", "Police";
        SocialCare => "social_care", "Children's social care";
        School => "school", "School or college";
        Health => "health", "Health";
        VoluntarySector => "voluntary_sector", "Voluntary sector";
        SelfParent => "self", "Self-referral by a parent or carer";
        Other => "other", "Other";
    }
}

code_enum! {
    /// Signs seen that a child may be being exploited by people outside the family.
    Indicator {
        GoingMissing => "going_missing", "Going missing";
        UnknownOlderAssociates => "unknown_older_associates", "Unknown older associates";
        UnknownCars => "unknown_cars", "Unknown cars";
        GiftsOrMoney => "gifts_or_money", "Unexplained gifts or money";
        PhoneOrOnlineContact => "phone_or_online_contact", "Secretive phone or online contact";
        SubstanceUse => "substance_use", "Substance use";
        SchoolAbsence => "school_absence", "School absence or exclusion";
        BehaviourChange => "behaviour_change", "Change in behaviour";
        HostilityToFamily => "hostility_to_family", "Hostility to family";
        PhysicalSigns => "physical_signs", "Physical signs (injuries, tiredness)";
        Other => "other", "Other";
    }
}

code_enum! {
    /// The threshold decision of triage.
    Threshold {
        Low => "low", "Low";
        Medium => "medium", "Medium";
        High => "high", "High";
    }
}

code_enum! {
    /// What triage decided to do.
    TriageDecision {
        Accept => "accept", "Accept for support";
        Signpost => "signpost", "Signpost to other support";
        NoFurtherAction => "nfa", "No further action";
    }
}

code_enum! {
    /// Where a referral stands.
    ReferralStatus {
        AwaitingTriage => "awaiting_triage", "Awaiting triage";
        Accepted => "accepted", "Accepted";
        Signposted => "signposted", "Signposted";
        Closed => "closed", "No further action";
    }
}

impl TriageDecision {
    /// The status a referral takes after this decision.
    pub fn status(self) -> ReferralStatus {
        match self {
            TriageDecision::Accept => ReferralStatus::Accepted,
            TriageDecision::Signpost => ReferralStatus::Signposted,
            TriageDecision::NoFurtherAction => ReferralStatus::Closed,
        }
    }
}
