//! Safety plans, made with the parents (and the child where possible) for a child of the
//! family (issue 12): the risks outside the home (people, places, online, times of day),
//! what each person will do, the contacts agreed, what to do if something happens, and a
//! review date. A change is a new version, never an overwrite ([`NewSafetyPlan::parse`]
//! with `Revision::Yes`), and [`differences`] says what changed between two versions. The
//! parents' agreement, disagreement or comments are theirs, in their own words
//! ([`NewPlanResponse::parse`]), kept beside the version they read.

use crate::code_enum;
use crate::ids::MemberId;
use crate::validate::{self as v, FieldErrors, RawDate, When, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use chrono::NaiveDate;
use serde::Serialize;

code_enum! {
    /// Who will do something a plan says.
    Responsible {
        Parent => "parent", "Parent or carer";
        Child => "child", "The child";
        Plo => "plo", "Parent Liaison Officer";
        Csw => "csw", "Child Support Worker";
        SocialWorker => "social_worker", "Social worker";
        Police => "police", "Police";
        School => "school", "School or college";
        Other => "other", "Someone else";
    }
}

code_enum! {
    /// What a parent or carer says of a version of the plan.
    Stance {
        Agree => "agree", "Agrees with the plan";
        Partly => "partly", "Agrees with some of it";
        Disagree => "disagree", "Does not agree";
        Comment => "comment", "A comment";
    }
}

/// How many "who does what" rows a form offers (empty ones are left out), so that the
/// page works without JavaScript; a plan may hold up to [`PLAN_ACTIONS_MAX`].
pub const PLAN_ACTION_ROWS: usize = 8;
/// The most "who does what" lines one version holds.
pub const PLAN_ACTIONS_MAX: usize = 30;

/// One "who does what" line as sent (form fields `action{n}-who`, `-name`, `-agency`,
/// `-what`).
#[derive(Debug, Clone, Default)]
pub struct RawPlanAction {
    pub who: String,
    pub name: String,
    pub agency: String,
    pub what: String,
}

/// A safety plan, or a new version of one, as sent. [`NewSafetyPlan::parse`] reads it.
///
/// | form field | API property | rule |
/// | --- | --- | --- |
/// | `child` | `child_id` | required on a new plan: a child of the family |
/// | `risks-people`, `risks-places`, `risks-online`, `risks-times` | `risks_people`, ... | at least one, each up to 10,000 characters |
/// | `action{n}-who`, `-name`, `-agency`, `-what` | `actions[]` (`who`, `name`, `agency`, `what`) | at least one; `who` a [`Responsible`] code; `name` required for `other` |
/// | `agreed-contacts` | `agreed_contacts` | optional |
/// | `what-if` | `what_if` | required: what to do if ... |
/// | `review-day`, `-month`, `-year` | `review_on` (YYYY-MM-DD) | required, today or later |
/// | `change-note` | `change_note` | required for a new version: what changed and why |
#[derive(Debug, Clone, Default)]
pub struct RawSafetyPlan {
    pub child: String,
    pub risks_people: String,
    pub risks_places: String,
    pub risks_online: String,
    pub risks_times: String,
    pub actions: Vec<RawPlanAction>,
    pub agreed_contacts: String,
    pub what_if: String,
    pub review_on: RawDate,
    pub change_note: String,
}

/// Who will do what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanAction {
    pub who: Responsible,
    /// The person's name, for someone else (and, if given, for anyone).
    pub name: Option<String>,
    /// Their agency or organisation, if given.
    pub agency: Option<String>,
    pub what: String,
}

impl PlanAction {
    /// The line as a person reads it: "Police (PC on the school beat): patrol at 3pm".
    pub fn line(&self) -> String {
        let who = match (&self.name, &self.agency) {
            (Some(n), Some(a)) => format!("{} ({n}, {a})", self.who),
            (Some(n), None) => format!("{} ({n})", self.who),
            (None, Some(a)) => format!("{} ({a})", self.who),
            (None, None) => self.who.to_string(),
        };
        format!("{who}: {}", self.what)
    }
}

/// What one version of a plan says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanContent {
    pub risks_people: Option<String>,
    pub risks_places: Option<String>,
    pub risks_online: Option<String>,
    pub risks_times: Option<String>,
    pub actions: Vec<PlanAction>,
    pub agreed_contacts: Option<String>,
    pub what_if: String,
    pub review_on: NaiveDate,
}

/// Whether the plan is new, or a new version of one (which must say what changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    New,
    Yes,
}

/// A plan or a new version, as its rules leave it.
#[derive(Debug, Clone)]
pub struct NewSafetyPlan {
    child: Option<MemberId>,
    content: PlanContent,
    change_note: Option<String>,
}

impl NewSafetyPlan {
    /// Reads a plan. On a new plan the child is required (the store checks that the
    /// child is one of the family's children); on a new version it is not read.
    pub fn parse(
        raw: &RawSafetyPlan,
        revision: Revision,
        today: NaiveDate,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let child = match revision {
            Revision::New => {
                let c = v::chosen_id::<MemberId>(&mut e, "child", "The child", &raw.child);
                if c.is_none() && raw.child.trim().is_empty() {
                    e.add("child", "Choose the child the plan is for");
                }
                c
            }
            Revision::Yes => None,
        };
        let risk = |e: &mut FieldErrors, field: &str, label: &str, value: &str| {
            v::optional_text(e, field, label, value, LONG_TEXT_MAX)
        };
        let risks_people = risk(&mut e, "risks-people", "People", &raw.risks_people);
        let risks_places = risk(&mut e, "risks-places", "Places", &raw.risks_places);
        let risks_online = risk(&mut e, "risks-online", "Online", &raw.risks_online);
        let risks_times = risk(&mut e, "risks-times", "Times of day", &raw.risks_times);
        if [&risks_people, &risks_places, &risks_online, &risks_times]
            .iter()
            .all(|r| r.is_none())
            && e.get("risks-people").is_none()
        {
            e.add(
                "risks-people",
                "Write at least one risk: people, places, online or times of day",
            );
        }
        let mut actions = Vec::new();
        for (i, a) in raw.actions.iter().enumerate() {
            let n = i + 1;
            if [&a.who, &a.name, &a.agency, &a.what]
                .iter()
                .all(|s| s.trim().is_empty())
            {
                continue;
            }
            let who = v::code::<Responsible>(
                &mut e,
                &format!("action{n}-who"),
                &format!("Who will do thing {n}"),
                &a.who,
                true,
            );
            let name = v::optional_text(
                &mut e,
                &format!("action{n}-name"),
                &format!("The name in line {n}"),
                &a.name,
                SHORT_TEXT_MAX,
            );
            let agency = v::optional_text(
                &mut e,
                &format!("action{n}-agency"),
                &format!("The agency in line {n}"),
                &a.agency,
                SHORT_TEXT_MAX,
            );
            let what = v::required_text(
                &mut e,
                &format!("action{n}-what"),
                &format!("What they will do (line {n})"),
                &a.what,
                LONG_TEXT_MAX,
            );
            if who == Some(Responsible::Other) && name.is_none() {
                e.add(
                    format!("action{n}-name"),
                    format!("Name who will do thing {n}, and their agency if they have one"),
                );
            }
            if let Some(who) = who {
                actions.push(PlanAction {
                    who,
                    name,
                    agency,
                    what,
                });
            }
        }
        if actions.is_empty() && !raw.actions.iter().any(|a| !a.what.trim().is_empty()) {
            e.add(
                "action1-what",
                "Write at least one thing someone will do, and who will do it",
            );
        }
        if actions.len() > PLAN_ACTIONS_MAX {
            e.add(
                "action1-what",
                format!("A plan holds up to {PLAN_ACTIONS_MAX} things to do: join some together"),
            );
        }
        let agreed_contacts = v::optional_text(
            &mut e,
            "agreed-contacts",
            "Agreed contacts",
            &raw.agreed_contacts,
            LONG_TEXT_MAX,
        );
        let what_if = v::required_text(
            &mut e,
            "what-if",
            "What to do if",
            &raw.what_if,
            LONG_TEXT_MAX,
        );
        let review_on =
            raw.review_on
                .read(&mut e, "review", "The review date", true, When::Any, today);
        if review_on.is_some_and(|d| d < today) {
            e.add("review", "The review date must be today or later");
        }
        let change_note = match revision {
            Revision::New => v::optional_text(
                &mut e,
                "change-note",
                "What changed",
                &raw.change_note,
                LONG_TEXT_MAX,
            ),
            Revision::Yes => Some(v::required_text(
                &mut e,
                "change-note",
                "What changed and why",
                &raw.change_note,
                LONG_TEXT_MAX,
            )),
        };
        let content = PlanContent {
            risks_people,
            risks_places,
            risks_online,
            risks_times,
            actions,
            agreed_contacts,
            what_if,
            review_on: review_on.unwrap_or(today),
        };
        e.finish(Self {
            child,
            content,
            change_note,
        })
    }

    /// For a new plan: the child it is for.
    pub fn child(&self) -> Option<MemberId> {
        self.child
    }
    pub fn content(&self) -> &PlanContent {
        &self.content
    }
    pub fn change_note(&self) -> Option<&str> {
        self.change_note.as_deref()
    }

    /// A plan made from data no person typed (the demo data), without the rules (a demo
    /// review date may lie in the past, to show an overdue review). Pages and the API use
    /// [`NewSafetyPlan::parse`].
    #[doc(hidden)]
    pub fn unchecked(
        child: Option<MemberId>,
        content: PlanContent,
        change_note: Option<String>,
    ) -> Self {
        Self {
            child,
            content,
            change_note,
        }
    }
}

/// What a parent or carer says of a version, as sent: `stance` (a [`Stance`] code) and
/// `words`, their own (required, up to 10,000 characters).
#[derive(Debug, Clone, Default)]
pub struct RawPlanResponse {
    pub stance: String,
    pub words: String,
}

/// A parent's response, as its rules leave it.
#[derive(Debug, Clone)]
pub struct NewPlanResponse {
    stance: Stance,
    words: String,
}

impl NewPlanResponse {
    pub fn parse(raw: &RawPlanResponse) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let stance = v::code::<Stance>(
            &mut e,
            "stance",
            "What you think of the plan",
            &raw.stance,
            true,
        );
        let words = v::required_text(
            &mut e,
            "words",
            "What you want to say, in your own words",
            &raw.words,
            LONG_TEXT_MAX,
        );
        e.finish(Self {
            stance: stance.unwrap_or(Stance::Comment),
            words,
        })
    }
    pub fn stance(&self) -> Stance {
        self.stance
    }
    pub fn words(&self) -> &str {
        &self.words
    }
}

/// A line of a difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In both.
    Same,
    /// Only in the earlier version.
    Removed,
    /// Only in the later version.
    Added,
}

/// One line of a part of the plan, and whether it was kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

/// What changed in one part of the plan: its lines, each kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Difference {
    pub section: &'static str,
    pub lines: Vec<DiffLine>,
}

/// The parts of a plan, in the order a page shows them, as lines of text.
fn sections(c: &PlanContent) -> Vec<(&'static str, Vec<String>)> {
    let lines = |t: &Option<String>| -> Vec<String> {
        t.as_deref()
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    };
    vec![
        ("Risks: people", lines(&c.risks_people)),
        ("Risks: places", lines(&c.risks_places)),
        ("Risks: online", lines(&c.risks_online)),
        ("Risks: times of day", lines(&c.risks_times)),
        (
            "Who does what",
            c.actions.iter().map(PlanAction::line).collect(),
        ),
        ("Agreed contacts", lines(&c.agreed_contacts)),
        (
            "What to do if",
            c.what_if.lines().map(str::to_string).collect(),
        ),
        (
            "Review date",
            vec![c.review_on.format("%-d %B %Y").to_string()],
        ),
    ]
}

/// What changed from `before` to `after`, part by part; parts that did not change are
/// left out. Lines are compared with the `similar` crate's diff (Myers' algorithm), so a
/// line moved or edited shows as removed and added, and the rest as kept.
pub fn differences(before: &PlanContent, after: &PlanContent) -> Vec<Difference> {
    sections(before)
        .into_iter()
        .zip(sections(after))
        .filter(|((_, b), (_, a))| b != a)
        .map(|((section, b), (_, a))| {
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let lines = similar::capture_diff_slices(similar::Algorithm::Myers, &b, &a)
                .iter()
                .flat_map(|op| op.iter_changes(&b, &a))
                .map(|c| {
                    let change = match c.tag() {
                        similar::ChangeTag::Equal => Change::Same,
                        similar::ChangeTag::Delete => Change::Removed,
                        similar::ChangeTag::Insert => Change::Added,
                    };
                    DiffLine {
                        change,
                        text: c.value().to_string(),
                    }
                })
                .collect();
            Difference { section, lines }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn raw() -> RawSafetyPlan {
        RawSafetyPlan {
            child: "3".into(),
            risks_places: "The park behind the flats after dark".into(),
            actions: vec![
                RawPlanAction {
                    who: "parent".into(),
                    what: "Collect from school on Fridays".into(),
                    ..Default::default()
                },
                RawPlanAction::default(),
            ],
            what_if: "If she is not home by 8pm, call 999 and the PLO".into(),
            review_on: RawDate::Iso("2027-01-15".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_plan_needs_a_risk_an_action_what_to_do_and_a_review_date_ahead() {
        let p = NewSafetyPlan::parse(&raw(), Revision::New, today()).unwrap();
        assert_eq!(p.child(), Some(MemberId::new(3)));
        assert_eq!(p.content().actions.len(), 1, "the empty row is left out");
        let mut r = RawSafetyPlan {
            review_on: RawDate::Iso("2026-11-30".into()),
            ..Default::default()
        };
        r.actions = vec![RawPlanAction {
            who: "other".into(),
            what: "Walk her to the bus".into(),
            ..Default::default()
        }];
        let e = NewSafetyPlan::parse(&r, Revision::Yes, today()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "risks-people",
                "action1-name",
                "what-if",
                "review",
                "change-note"
            ]
        );
    }

    #[test]
    fn a_response_is_in_the_parents_own_words() {
        let e = NewPlanResponse::parse(&RawPlanResponse {
            stance: "agree".into(),
            words: "  ".into(),
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "words");
        let r = NewPlanResponse::parse(&RawPlanResponse {
            stance: "partly".into(),
            words: "Not the curfew part".into(),
        })
        .unwrap();
        assert_eq!(r.stance(), Stance::Partly);
    }

    #[test]
    fn differences_show_only_what_changed() {
        let before = NewSafetyPlan::parse(&raw(), Revision::New, today()).unwrap();
        let mut r = raw();
        r.risks_places =
            "The park behind the flats after dark\nThe chicken shop on the high street".into();
        r.change_note = "A new place".into();
        let after = NewSafetyPlan::parse(&r, Revision::Yes, today()).unwrap();
        let d = differences(before.content(), after.content());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].section, "Risks: places");
        assert_eq!(
            d[0].lines,
            [
                DiffLine {
                    change: Change::Same,
                    text: "The park behind the flats after dark".to_string()
                },
                DiffLine {
                    change: Change::Added,
                    text: "The chicken shop on the high street".to_string()
                },
            ]
        );
    }
}
