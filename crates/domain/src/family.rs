//! The family record: the vocabulary of members, where children live, contacts and the
//! chronology, and the rules of a new member ([`NewMember::parse`]) and of a contact
//! ([`NewContact::parse`]). Strengths and the family's own words are free text by design.

use crate::code_enum;
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::{NaiveDate, NaiveDateTime};

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
        Cancelled => "cancelled", "Cancelled";
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
        Plan => "plan", "Safety plan";
        Profile => "profile", "Missing-from-home profile";
        Missing => "missing", "Missing episode";
        Placement => "placement", "Where the child lives";
        Allocation => "allocation", "Workers allocated";
        Closure => "closure", "Closed or reopened";
    }
}

/// A family member as sent.
#[derive(Debug, Clone, Default)]
pub struct RawMember {
    pub given_name: String,
    pub family_name: String,
    pub known_as: String,
    pub member_role: String,
    pub carer_kind: String,
    pub date_of_birth: RawDate,
    pub relationship: String,
    pub lives: String,
    pub lives_since: RawDate,
}

/// A member to add to a family: a kind of carer only for a parent or carer, and living
/// where they live since no earlier than their birth.
#[derive(Debug, Clone)]
pub struct NewMember {
    given_name: String,
    family_name: String,
    known_as: Option<String>,
    member_role: MemberRole,
    carer_kind: Option<CarerKind>,
    date_of_birth: Option<NaiveDate>,
    relationship: Option<String>,
    lives: Option<LivingSituation>,
    lives_since: Option<NaiveDate>,
}

impl NewMember {
    /// `today` is the UK date: nobody is born, or moves, in the future.
    pub fn parse(raw: &RawMember, today: NaiveDate) -> Result<NewMember, FieldErrors> {
        let mut e = FieldErrors::new();
        let given_name = v::required_text(
            &mut e,
            "given",
            "First name",
            &raw.given_name,
            SHORT_TEXT_MAX,
        );
        let family_name = v::required_text(
            &mut e,
            "family",
            "Last name",
            &raw.family_name,
            SHORT_TEXT_MAX,
        );
        let known_as = v::optional_text(
            &mut e,
            "known-as",
            "Known as",
            &raw.known_as,
            SHORT_TEXT_MAX,
        );
        let member_role = v::code::<MemberRole>(
            &mut e,
            "role",
            "Their place in the family",
            &raw.member_role,
            true,
        );
        let carer_kind = v::code::<CarerKind>(
            &mut e,
            "carer-kind",
            "Kind of parent or carer",
            &raw.carer_kind,
            false,
        );
        if carer_kind.is_some()
            && member_role.is_some()
            && member_role != Some(MemberRole::ParentCarer)
        {
            e.add(
                "carer-kind",
                "Only choose a kind of carer for a parent or carer",
            );
        }
        let date_of_birth = raw.date_of_birth.read(
            &mut e,
            "dob",
            "Date of birth",
            false,
            When::PastOrToday,
            today,
        );
        let relationship = v::optional_text(
            &mut e,
            "relationship",
            "Relationship",
            &raw.relationship,
            SHORT_TEXT_MAX,
        );
        let lives =
            v::code::<LivingSituation>(&mut e, "lives", "Where they live now", &raw.lives, false);
        let lives_since = raw.lives_since.read(
            &mut e,
            "lives-since",
            "Living there since",
            false,
            When::PastOrToday,
            today,
        );
        if let (Some(dob), Some(since)) = (date_of_birth, lives_since) {
            if since < dob {
                e.add(
                    "lives-since",
                    "Living there since must be on or after the date of birth",
                );
            }
        }
        match member_role {
            Some(member_role) if e.is_empty() => Ok(NewMember {
                given_name,
                family_name,
                known_as,
                member_role,
                carer_kind,
                date_of_birth,
                relationship,
                lives,
                lives_since,
            }),
            _ => Err(e),
        }
    }

    pub fn given_name(&self) -> &str {
        &self.given_name
    }
    pub fn family_name(&self) -> &str {
        &self.family_name
    }
    pub fn known_as(&self) -> Option<&str> {
        self.known_as.as_deref()
    }
    pub fn member_role(&self) -> MemberRole {
        self.member_role
    }
    pub fn carer_kind(&self) -> Option<CarerKind> {
        self.carer_kind
    }
    pub fn date_of_birth(&self) -> Option<NaiveDate> {
        self.date_of_birth
    }
    pub fn relationship(&self) -> Option<&str> {
        self.relationship.as_deref()
    }
    pub fn lives(&self) -> Option<LivingSituation> {
        self.lives
    }
    pub fn lives_since(&self) -> Option<NaiveDate> {
        self.lives_since
    }
}

/// A contact with the family as sent.
#[derive(Debug, Clone, Default)]
pub struct RawContact {
    pub kind: String,
    pub status: String,
    pub date: RawDate,
    pub time: String,
    pub duration: String,
    pub participants: String,
    pub note: String,
    pub visibility: String,
}

/// A contact with the family, held or planned: one that has happened is dated now or
/// earlier.
#[derive(Debug, Clone)]
pub struct NewContact {
    kind: ContactKind,
    status: ContactStatus,
    occurred_at: NaiveDateTime,
    duration_minutes: Option<i64>,
    participants: Option<String>,
    note: Option<String>,
    visibility: Visibility,
}

impl NewContact {
    /// `now` is UK local time.
    pub fn parse(raw: &RawContact, now: NaiveDateTime) -> Result<NewContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = v::code::<ContactKind>(&mut e, "kind", "The kind of contact", &raw.kind, true);
        let status = v::code::<ContactStatus>(
            &mut e,
            "status",
            "Whether the contact has happened",
            &raw.status,
            true,
        );
        let date = raw.date.read(
            &mut e,
            "date",
            "Date of the contact",
            true,
            When::Any,
            now.date(),
        );
        let time = v::time_of_day(&mut e, "time", "Time of the contact", &raw.time);
        let duration = v::number_in_range(
            &mut e,
            "duration",
            "Duration in minutes",
            &raw.duration,
            1..=1440,
            false,
        );
        let participants = v::optional_text(
            &mut e,
            "participants",
            "Who took part",
            &raw.participants,
            SHORT_TEXT_MAX,
        );
        let note = v::optional_text(&mut e, "note", "The note", &raw.note, LONG_TEXT_MAX);
        let visibility = v::code::<Visibility>(
            &mut e,
            "visibility",
            "Who may read the note",
            &raw.visibility,
            true,
        );
        // No time given: 09:00, or now if a contact held today is recorded before nine.
        let occurred_at = date.map(|d| {
            let at = v::at(d, time);
            if time.is_none() && status == Some(ContactStatus::Held) && d == now.date() && at > now
            {
                now
            } else {
                at
            }
        });
        if let (Some(at), Some(ContactStatus::Held)) = (occurred_at, status) {
            if at > now {
                e.add("date", "A contact that has happened must be dated now or in the past; record a future one as planned");
            }
        }
        if status == Some(ContactStatus::Cancelled) {
            e.add(
                "status",
                "Choose whether the contact was held or is planned: a planned contact is cancelled from the family record",
            );
        }
        match (kind, status, occurred_at, visibility) {
            (Some(kind), Some(status), Some(occurred_at), Some(visibility)) if e.is_empty() => {
                Ok(NewContact {
                    kind,
                    status,
                    occurred_at,
                    duration_minutes: duration,
                    participants,
                    note,
                    visibility,
                })
            }
            _ => Err(e),
        }
    }

    /// A contact made without the rules, for data no person typed (the demo data, whose
    /// planned contacts carry seconds a form cannot). Named to stand out: pages and the
    /// API use [`NewContact::parse`].
    #[doc(hidden)]
    pub fn unchecked(
        kind: ContactKind,
        status: ContactStatus,
        occurred_at: NaiveDateTime,
        duration_minutes: Option<i64>,
        participants: Option<String>,
        note: Option<String>,
        visibility: Visibility,
    ) -> NewContact {
        NewContact {
            kind,
            status,
            occurred_at,
            duration_minutes,
            participants,
            note,
            visibility,
        }
    }

    pub fn kind(&self) -> ContactKind {
        self.kind
    }
    pub fn status(&self) -> ContactStatus {
        self.status
    }
    pub fn occurred_at(&self) -> NaiveDateTime {
        self.occurred_at
    }
    pub fn duration_minutes(&self) -> Option<i64> {
        self.duration_minutes
    }
    pub fn participants(&self) -> Option<&str> {
        self.participants.as_deref()
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_contact_cannot_be_in_the_future() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let raw = RawContact {
            kind: "home_visit".into(),
            status: "held".into(),
            date: RawDate::Iso("2026-11-23".into()),
            visibility: "confidential".into(),
            ..Default::default()
        };
        assert!(NewContact::parse(&raw, now)
            .unwrap_err()
            .get("date")
            .is_some());
        let planned = RawContact {
            status: "planned".into(),
            ..raw
        };
        assert!(NewContact::parse(&planned, now).is_ok());
    }
}
