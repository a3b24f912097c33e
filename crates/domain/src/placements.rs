//! Where a child lives, and growing up (issue 12). Placement history (at home, with kin,
//! in foster care, a children's home, secure accommodation, elsewhere, each from a date);
//! while a child lives away from home, how they and their parents keep in touch and the
//! plan for coming home (`parents-speak-out-2016.txt`, recommendation 7 and Question 9).
//! Children stay in scope past 16 (recommendation 9): at 16 and at 18 the worker is
//! prompted to hold a transition review, and nothing closes by itself.

use crate::code_enum;
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::{Datelike, Duration, NaiveDate};

code_enum! {
    /// Where a child lives.
    PlacementKind {
        Home => "home", "At home with their family";
        Kin => "kin", "With kin (relatives or family friends)";
        Foster => "foster", "In foster care";
        Residential => "residential", "In a children's home";
        Secure => "secure", "In secure accommodation";
        Other => "other", "Somewhere else";
    }
}

impl PlacementKind {
    /// Whether the child lives away from their family's home.
    pub fn away(self) -> bool {
        self != PlacementKind::Home
    }
}

/// A placement as sent.
#[derive(Debug, Clone, Default)]
pub struct RawPlacement {
    pub kind: String,
    pub from: RawDate,
    pub place: String,
    pub contact: String,
    pub exit_plan: String,
}

/// Where a child lives from a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlacement {
    kind: PlacementKind,
    from: NaiveDate,
    place: Option<String>,
    contact: Option<String>,
    exit_plan: Option<String>,
}

impl NewPlacement {
    /// Reads a placement. Away from home, the contact arrangements are required (the
    /// parents must know when they will see their child); the exit plan may not be agreed
    /// yet, and the page says so while it is missing. At home, neither is kept.
    pub fn parse(
        raw: &RawPlacement,
        today: NaiveDate,
        born: Option<NaiveDate>,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = v::code::<PlacementKind>(&mut e, "kind", "Where they live", &raw.kind, true);
        let from = raw.from.read(
            &mut e,
            "from",
            "The date they started living there",
            true,
            When::PastOrToday,
            today,
        );
        if let (Some(f), Some(b)) = (from, born) {
            if f < b {
                e.add(
                    "from",
                    "The date they started living there must be on or after their date of birth",
                );
            }
        }
        let place = v::optional_text(
            &mut e,
            "place",
            "Where, or who with",
            &raw.place,
            SHORT_TEXT_MAX,
        );
        let away = kind.is_some_and(PlacementKind::away);
        let (contact, exit_plan) = if away {
            let contact = v::required_text(
                &mut e,
                "contact",
                "How they and their parents keep in touch",
                &raw.contact,
                LONG_TEXT_MAX,
            );
            let exit = v::optional_text(
                &mut e,
                "exit-plan",
                "The plan for coming home",
                &raw.exit_plan,
                LONG_TEXT_MAX,
            );
            (Some(contact), exit)
        } else {
            (None, None)
        };
        e.finish(())?;
        Ok(NewPlacement {
            kind: kind.expect("checked"),
            from: from.expect("checked"),
            place,
            contact,
            exit_plan,
        })
    }

    /// A placement taken as given (the demo, tests).
    pub fn unchecked(
        kind: PlacementKind,
        from: NaiveDate,
        place: Option<String>,
        contact: Option<String>,
        exit_plan: Option<String>,
    ) -> Self {
        NewPlacement {
            kind,
            from,
            place,
            contact,
            exit_plan,
        }
    }

    pub fn kind(&self) -> PlacementKind {
        self.kind
    }
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    pub fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }
    pub fn contact(&self) -> Option<&str> {
        self.contact.as_deref()
    }
    pub fn exit_plan(&self) -> Option<&str> {
        self.exit_plan.as_deref()
    }
}

/// The ages at which a transition review is held.
pub const TRANSITION_AGES: [u32; 2] = [16, 18];
/// How long before the birthday the prompt shows.
pub const TRANSITION_NOTICE_DAYS: i64 = 56;

/// The day a child born on `born` turns `age` (a 29 February birthday falls on 1 March).
pub fn birthday(born: NaiveDate, age: u32) -> NaiveDate {
    let year = born.year() + age as i32;
    NaiveDate::from_ymd_opt(year, born.month(), born.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .expect("a valid date")
}

/// The transition review a child is due, if any: from eight weeks before their 16th (or
/// 18th) birthday until a review for that age is held. The review at 16 is not asked for
/// once they are 18; `held` lists the ages already reviewed.
pub fn transition_due(born: NaiveDate, today: NaiveDate, held: &[u32]) -> Option<u32> {
    let mut due = None;
    for age in TRANSITION_AGES {
        if today >= birthday(born, age) - Duration::days(TRANSITION_NOTICE_DAYS) {
            due = (!held.contains(&age)).then_some(age);
        }
    }
    due
}

/// A transition review as sent.
#[derive(Debug, Clone, Default)]
pub struct RawTransitionReview {
    pub age: String,
    pub held_on: RawDate,
    pub notes: String,
}

/// A transition review held at 16 or 18: what was agreed about the support that goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionReview {
    pub age: u32,
    pub held_on: NaiveDate,
    pub notes: String,
}

impl TransitionReview {
    pub fn parse(raw: &RawTransitionReview, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let age = match raw.age.trim() {
            "16" => Some(16),
            "18" => Some(18),
            _ => {
                e.add("age", "Choose the review at 16 or at 18");
                None
            }
        };
        let held_on = raw.held_on.read(
            &mut e,
            "held-on",
            "The date it was held",
            true,
            When::PastOrToday,
            today,
        );
        let notes = v::required_text(
            &mut e,
            "notes",
            "What was agreed",
            &raw.notes,
            LONG_TEXT_MAX,
        );
        e.finish(())?;
        Ok(TransitionReview {
            age: age.expect("checked"),
            held_on: held_on.expect("checked"),
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn away_from_home_the_contact_arrangements_are_required() {
        let today = d("2026-06-01");
        let raw = RawPlacement {
            kind: "foster".into(),
            from: RawDate::Iso("2026-05-01".into()),
            ..Default::default()
        };
        let e = NewPlacement::parse(&raw, today, None).unwrap_err();
        assert!(e.get("contact").is_some());
        let raw = RawPlacement {
            contact: "Saturdays at the family centre".into(),
            ..raw
        };
        let p = NewPlacement::parse(&raw, today, None).unwrap();
        assert_eq!(p.exit_plan(), None);
        // At home, what was typed for being away is not kept.
        let home = RawPlacement {
            kind: "home".into(),
            ..raw
        };
        assert_eq!(
            NewPlacement::parse(&home, today, None).unwrap().contact(),
            None
        );
    }

    #[test]
    fn a_placement_cannot_start_before_birth_or_in_the_future() {
        let raw = RawPlacement {
            kind: "home".into(),
            from: RawDate::Iso("2010-01-01".into()),
            ..Default::default()
        };
        let e = NewPlacement::parse(&raw, d("2026-06-01"), Some(d("2012-03-04"))).unwrap_err();
        assert!(e.get("from").unwrap().contains("date of birth"));
        let raw = RawPlacement {
            from: RawDate::Iso("2027-01-01".into()),
            ..raw
        };
        assert!(NewPlacement::parse(&raw, d("2026-06-01"), None).is_err());
    }

    #[test]
    fn transition_reviews_are_asked_for_at_16_and_18_until_held() {
        let born = d("2010-07-15");
        assert_eq!(transition_due(born, d("2026-05-01"), &[]), None);
        assert_eq!(transition_due(born, d("2026-05-21"), &[]), Some(16));
        assert_eq!(transition_due(born, d("2027-01-01"), &[]), Some(16));
        assert_eq!(transition_due(born, d("2027-01-01"), &[16]), None);
        assert_eq!(transition_due(born, d("2028-06-01"), &[16]), Some(18));
        // At 18 the review at 18 is asked for, not the one at 16 that was missed.
        assert_eq!(transition_due(born, d("2028-06-01"), &[]), Some(18));
        assert_eq!(transition_due(born, d("2029-01-01"), &[18]), None);
        assert_eq!(birthday(d("2008-02-29"), 16), d("2024-02-29"));
        assert_eq!(birthday(d("2008-02-29"), 17), d("2025-03-01"));
    }
}
