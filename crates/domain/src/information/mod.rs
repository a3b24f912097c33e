//! Parents as partners: the information log ("provenance log"), its review, intelligence
//! submissions to the police graded 3x5x2, what the police say became of them (told to the
//! parent in plain words), evidence with its chain of custody, and threats and harassment
//! against the family.
//!
//! The 3x5x2 codes live in one table here ([`SourceEvaluation`], [`IntelligenceAssessment`],
//! [`HandlingCode`]) so that a police partner can correct the wording in one place. Every
//! code is always shown with its words.
//!
//! The rules of what each of these takes in live one file per thing: [`entry`] (an
//! information-log entry and its photos), [`identifier`] (the identifiers stored with an
//! entry or incident, and their check), [`submission`] (a submission to
//! the police and its outcome), [`evidence`] (an item and its chain of custody) and
//! [`incident`] (a threat or incident).

use crate::code_enum;
use crate::Code;

pub mod entry;
pub mod evidence;
pub mod identifier;
pub mod incident;
pub mod photo;
pub mod redact;
pub mod submission;

pub use entry::{NewAttachment, NewEntry, RawEntry};
pub use evidence::{NewCustodyEvent, NewEvidence, RawCorrection, RawEvidence, RawHandover};
pub use identifier::{IdentifierCheck, NewIdentifier, RawCheck};
pub use incident::{NewIncident, RawIncident};
pub use submission::{NewOutcome, NewSubmission, RawGrade, RawOutcome, RawSubmission};

code_enum! {
    /// "How do you know it is true?": the provenance of an observation.
    HowKnown {
        SeenMyself => "seen_myself", "I saw it myself";
        HeardMyself => "heard_myself", "I heard it myself";
        ChildTold => "child_told", "My child told me";
        OtherPersonTold => "other_person_told", "Another person told me";
        PhoneOrOnline => "phone_or_online", "I found it on a phone or online";
        Other => "other", "Another way";
    }
}

code_enum! {
    /// Where an entry is on its way from information to intelligence.
    EntryStatus {
        New => "new", "Waiting to be read";
        Relevant => "relevant", "Relevant";
        NotRelevant => "not_relevant", "Not passed on";
        Submitted => "submitted", "Passed to the police";
    }
}

code_enum! {
    /// 3x5x2, source evaluation (College of Policing APP, intelligence management).
    SourceEvaluation {
        A => "A", "Reliable";
        B => "B", "Untested";
        C => "C", "Not reliable";
    }
}

code_enum! {
    /// 3x5x2, intelligence assessment.
    IntelligenceAssessment {
        One => "1", "Known directly to the source";
        Two => "2", "Known indirectly to the source but corroborated";
        Three => "3", "Known indirectly to the source";
        Four => "4", "Not known";
        Five => "5", "Suspected to be false";
    }
}

code_enum! {
    /// 3x5x2, handling code.
    HandlingCode {
        P => "P", "Lawful sharing permitted";
        C => "C", "Lawful sharing permitted with conditions";
    }
}

/// A 3x5x2 grade, written like `B2P`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grade {
    pub source: SourceEvaluation,
    pub assessment: IntelligenceAssessment,
    pub handling: HandlingCode,
}

impl Grade {
    /// The grade as police write it: "B2P".
    pub fn code(&self) -> String {
        format!(
            "{}{}{}",
            self.source.code(),
            self.assessment.code(),
            self.handling.code()
        )
    }

    /// The grade with its words: "B2P: untested source; known indirectly to the source
    /// but corroborated; lawful sharing permitted".
    pub fn words(&self) -> String {
        format!(
            "{}: {} source; {}; {}",
            self.code(),
            self.source.label().to_lowercase(),
            lower_first(self.assessment.label()),
            lower_first(self.handling.label())
        )
    }

    /// Reads "B2P" (any case); `None` if it is not a 3x5x2 grade.
    pub fn parse(s: &str) -> Option<Grade> {
        let s = s.trim().to_ascii_uppercase();
        let mut chars = s.chars();
        let (a, b, c) = (chars.next()?, chars.next()?, chars.next()?);
        if chars.next().is_some() {
            return None;
        }
        Some(Grade {
            source: SourceEvaluation::parse(&a.to_string())?,
            assessment: IntelligenceAssessment::parse(&b.to_string())?,
            handling: HandlingCode::parse(&c.to_string())?,
        })
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

code_enum! {
    /// How far a submission has gone with the police.
    SubmissionStatus {
        Submitted => "submitted", "Submitted";
        Acknowledged => "acknowledged", "Received by police";
        OutcomeRecorded => "outcome_recorded", "Outcome recorded";
    }
}

code_enum! {
    /// What the police say became of a submission.
    SubmissionOutcome {
        AddedToSystems => "added_to_systems", "Added to police systems";
        Actioned => "actioned", "Actioned";
        LinkedToInvestigation => "linked_to_investigation", "Linked to an investigation";
        NoFurtherAction => "no_further_action", "No further action";
    }
}

impl SubmissionOutcome {
    /// What a parent is told, in plain words and honestly: information is not yet
    /// evidence, and a police record is not an arrest.
    pub fn for_parent(self) -> &'static str {
        match self {
            SubmissionOutcome::AddedToSystems => {
                "The police have added what you told us to their records. It is now part of what they know and can be put together with other information."
            }
            SubmissionOutcome::Actioned => {
                "The police have acted on what you told us. They may not be able to say what they did."
            }
            SubmissionOutcome::LinkedToInvestigation => {
                "The police have linked what you told us to an investigation they are carrying out."
            }
            SubmissionOutcome::NoFurtherAction => {
                "The police have read what you told us and will not be taking action on it now. It has still been recorded, and it was right to tell us."
            }
        }
    }
}

code_enum! {
    /// Kinds of evidence item.
    EvidenceKind {
        Phone => "phone", "Phone or other device";
        Clothing => "clothing", "Clothing";
        Documents => "documents", "Documents or letters";
        Screenshots => "screenshots", "Screenshots or printouts";
        Diary => "diary", "Diary or notes";
        Other => "other", "Something else";
    }
}

code_enum! {
    /// What an entry in an evidence item's chain of custody records.
    CustodyEventKind {
        Transfer => "transfer", "Handed over";
        Correction => "correction", "Correction";
    }
}

code_enum! {
    /// Threats and harassment against the family.
    IncidentKind {
        ThreatInPerson => "threat_in_person", "Threat in person";
        ThreatByPhone => "threat_by_phone", "Threat by phone or message";
        ThreatOnline => "threat_online", "Threat online";
        DamageHome => "damage_home", "Damage to the home";
        DamageCar => "damage_car", "Damage to a car";
        Assault => "assault", "Assault";
        IntimidationSibling => "intimidation_sibling", "Intimidation of a brother or sister";
        IntimidationWitness => "intimidation_witness", "Intimidation of a witness";
        Other => "other", "Something else";
    }
}

/// What a parent reads about one thing they shared: where it is, in plain words.
pub fn entry_progress_for_parent(
    status: EntryStatus,
    submission: Option<SubmissionStatus>,
    outcome: Option<SubmissionOutcome>,
) -> &'static str {
    match (status, submission, outcome) {
        (_, _, Some(o)) => o.for_parent(),
        (EntryStatus::Submitted, Some(SubmissionStatus::Acknowledged), None) => {
            "Passed to the police, who have confirmed they received it. They have not yet told us what became of it."
        }
        (EntryStatus::Submitted, _, None) => {
            "Passed to the police as information. They have not replied yet. Information is not evidence on its own: the police decide what to do with it."
        }
        (EntryStatus::Relevant, _, _) => {
            "Read by your Parent Liaison Officer, who thinks it matters and is preparing to pass it on."
        }
        (EntryStatus::NotRelevant, _, _) => {
            "Read by your Parent Liaison Officer and kept on your family's record, but not passed to the police."
        }
        (EntryStatus::New, _, _) => "Received. Your Parent Liaison Officer will read it.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_and_write_like_police_do() {
        let g = Grade::parse("b2p").unwrap();
        assert_eq!(g.code(), "B2P");
        assert_eq!(
            g.words(),
            "B2P: untested source; known indirectly to the source but corroborated; lawful sharing permitted"
        );
        for bad in ["", "B2", "D1P", "B6P", "B2X", "B2PP"] {
            assert!(Grade::parse(bad).is_none(), "{bad}");
        }
        // Every combination round-trips: 3 x 5 x 2.
        let mut n = 0;
        for s in SourceEvaluation::ALL {
            for a in IntelligenceAssessment::ALL {
                for h in HandlingCode::ALL {
                    let g = Grade {
                        source: *s,
                        assessment: *a,
                        handling: *h,
                    };
                    assert_eq!(Grade::parse(&g.code()), Some(g));
                    n += 1;
                }
            }
        }
        assert_eq!(n, 30);
    }

    #[test]
    fn a_parent_hears_honestly_where_their_information_is() {
        let waiting = entry_progress_for_parent(EntryStatus::Submitted, None, None);
        assert!(waiting.contains("not replied"));
        assert!(waiting.contains("not evidence"));
        let nfa = entry_progress_for_parent(
            EntryStatus::Submitted,
            Some(SubmissionStatus::OutcomeRecorded),
            Some(SubmissionOutcome::NoFurtherAction),
        );
        assert!(nfa.contains("right to tell us"));
    }
}

code_enum! {
    /// What an identifier in an entry is: the kinds `identifiers::extract` finds, and the
    /// names and places a person types in fields of their own.
    ItemKind {
        Vehicle => "vehicle", "Vehicle registration";
        Phone => "phone", "Phone number";
        Email => "email", "Email address";
        Handle => "handle", "Social media account";
        Postcode => "postcode", "Postcode";
        Person => "person", "Name or nickname of a person of concern";
        Place => "place", "Place";
        Child => "child", "Child or young person named";
    }
}

impl From<crate::identifiers::IdentifierKind> for ItemKind {
    fn from(k: crate::identifiers::IdentifierKind) -> Self {
        use crate::identifiers::IdentifierKind as K;
        match k {
            K::Vehicle => ItemKind::Vehicle,
            K::Phone => ItemKind::Phone,
            K::Email => ItemKind::Email,
            K::Handle => ItemKind::Handle,
            K::Postcode => ItemKind::Postcode,
        }
    }
}

impl ItemKind {
    /// The identifier kind the parser knows, if this is one (names and places are not).
    pub fn parsed(self) -> Option<crate::identifiers::IdentifierKind> {
        use crate::identifiers::IdentifierKind as K;
        match self {
            ItemKind::Vehicle => Some(K::Vehicle),
            ItemKind::Phone => Some(K::Phone),
            ItemKind::Email => Some(K::Email),
            ItemKind::Handle => Some(K::Handle),
            ItemKind::Postcode => Some(K::Postcode),
            ItemKind::Person | ItemKind::Place | ItemKind::Child => None,
        }
    }

    /// The value matched on: parsed identifiers normalised; names and places with their
    /// spacing and case folded, so "Danny  K" and "danny k" are one.
    pub fn normalise(self, input: &str) -> Result<String, crate::identifiers::IdentifierError> {
        match self.parsed() {
            Some(k) => crate::identifiers::parse_as(k, input),
            None => Ok(input
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()),
        }
    }

    /// How a stored identifier is shown: a name or place as it was typed (its value is
    /// only the key it is matched on), unless it was corrected; the others formatted.
    pub fn shown(self, value: &str, raw: &str, corrected: bool) -> String {
        match self.parsed() {
            None if !corrected => raw.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => self.display(value),
        }
    }

    /// Why a stored value is unusual (a vehicle mark never issued), if it is.
    pub fn unusual(self, value: &str) -> Option<String> {
        crate::identifiers::unusual(
            self.parsed()?,
            value,
            crate::clock::uk_today(chrono::Utc::now()),
        )
    }

    /// How a stored value is shown.
    pub fn display(self, value: &str) -> String {
        match self.parsed() {
            Some(k) => crate::identifiers::display(k, value),
            None => value.to_string(),
        }
    }
}

code_enum! {
    /// Whether the person who recorded an entry has checked an identifier found in it.
    IdentifierStatus {
        Suggested => "suggested", "Not checked yet";
        Confirmed => "confirmed", "Confirmed";
        Corrected => "corrected", "Corrected";
        Rejected => "rejected", "Not an identifier";
    }
}

/// Support organisations every parent sees (national; a hub's own directory comes with
/// the signposting feature).
pub const SUPPORT_ORGANISATIONS: &[(&str, &str, &str)] = &[
    (
        "PACE (Parents against Child Exploitation)",
        "https://paceuk.info",
        "Support for parents and carers, from people who understand what you are going through.",
    ),
    (
        "Childline",
        "https://www.childline.org.uk",
        "For children and young people: call 0800 1111, free and confidential.",
    ),
    (
        "NSPCC helpline",
        "https://www.nspcc.org.uk",
        "Advice for adults worried about a child.",
    ),
    (
        "Missing People",
        "https://www.missingpeople.org.uk",
        "Call or text 116 000, free, day and night, when someone is missing.",
    ),
    (
        "Victim Support",
        "https://www.victimsupport.org.uk",
        "Free support after a crime, including threats and harassment.",
    ),
    (
        "CEOP Safety Centre",
        "https://www.ceop.police.uk/Safety-Centre/",
        "Report online sexual abuse or grooming to the police's specialist team.",
    ),
];

code_enum! {
    /// Why an alert was raised.
    AlertKind {
        SharedIdentifier => "shared_identifier", "Seen in another family";
        SimilarName => "similar_name", "A similar name in another family";
        OtherHub => "other_hub", "A match with another hub";
        PossibleReferral => "possible_referral", "A child not known to the hub";
    }
}
