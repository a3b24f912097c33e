//! The vocabulary of the family record: members, where children live, contacts and the
//! chronology. Strengths and the family's own words are free text by design.

use crate::code_enum;

code_enum! {
    /// A member's place in the family's support.
    MemberRole {
        ChildAtRisk => "child_at_risk", "Child at risk";
        Sibling => "sibling", "Sibling";
        ParentCarer => "parent_carer", "Parent or carer";
        Other => "other", "Other significant person";
    }
}

code_enum! {
    /// Every kind of parent or carer.
    CarerKind {
        Birth => "birth", "Birth parent";
        Step => "step", "Step-parent";
        Adoptive => "adoptive", "Adoptive parent";
        Foster => "foster", "Foster carer";
        Kinship => "kinship", "Kinship carer";
        Residential => "residential", "Residential worker";
        Other => "other", "Other carer";
    }
}

code_enum! {
    /// Where a child lives now.
    LivingSituation {
        Home => "home", "At home";
        Kin => "kin", "With kin";
        Foster => "foster", "Foster care";
        Residential => "residential", "Residential care";
        Secure => "secure", "Secure accommodation";
        Other => "other", "Other";
    }
}

code_enum! {
    /// How a contact with the family happened.
    ContactKind {
        HomeVisit => "home_visit", "Home visit";
        PhoneCall => "phone_call", "Phone call";
        Message => "message", "Text or message";
        OfficeVisit => "office_visit", "Office visit";
        OutOfHours => "out_of_hours", "Out-of-hours call";
        Meeting => "meeting", "Meeting attended";
    }
}

code_enum! {
    /// Whether a contact has happened or is planned.
    ContactStatus {
        Held => "held", "Held";
        Planned => "planned", "Planned";
    }
}

code_enum! {
    /// Who may read a note.
    Visibility {
        Confidential => "confidential", "Confidential to the support team";
        Shareable => "shareable", "Shareable with partners";
    }
}

code_enum! {
    /// The kinds of dated event a chronology merges.
    ChronologyKind {
        Referral => "referral", "Referral";
        Triage => "triage", "Triage";
        Contact => "contact", "Contact";
        PlannedContact => "planned_contact", "Planned contact";
        Family => "family", "Family record";
        Information => "information", "Information shared";
        Intelligence => "intelligence", "Passed to police";
        Evidence => "evidence", "Evidence";
        Incident => "incident", "Threat or harassment";
    }
}
