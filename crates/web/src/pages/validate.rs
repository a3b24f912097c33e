//! Reading a submitted form into the raw input the domain's rules take (`RawEntry`,
//! `RawEvidence` and the like, whose `parse` constructors hold the rules), and the
//! filters of list pages. The rules themselves live in the domain crate, so that forms
//! and the JSON API accept and refuse the same things.

use crate::forms::{FormData, FromForm};
use alongside_domain::information::entry::IDENTIFIER_FIELDS;
use alongside_domain::information::{
    RawCorrection, RawEntry, RawEvidence, RawHandover, RawIncident,
};
use alongside_domain::validate::{self as v, FieldErrors, RawDate, When};
use chrono::NaiveDate;

/// The optional `from` and `to` date inputs of a filter, `to` not before `from`.
pub fn date_range(
    e: &mut FieldErrors,
    data: &FormData,
    today: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let part = |name: &str, p: &str| data.get(&format!("{name}-{p}")).to_string();
    let mut read = |name: &str, label: &str| {
        v::date_parts(
            e,
            name,
            label,
            &part(name, "day"),
            &part(name, "month"),
            &part(name, "year"),
            false,
            When::Any,
            today,
        )
    };
    let from = read("from", "From date");
    let to = read("to", "To date");
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            e.add("to", "To date must be the same as or after the from date");
        }
    }
    (from, to)
}

/// The page asked for in a list's query string; 1 when absent or nonsense.
pub fn page_number(data: &FormData) -> i64 {
    data.get("page")
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1)
}

/// The GOV.UK date parts `{name}-day`, `{name}-month` and `{name}-year` of a form.
pub fn form_date(data: &FormData, name: &str) -> RawDate {
    RawDate::Parts {
        day: data.get(&format!("{name}-day")).to_string(),
        month: data.get(&format!("{name}-month")).to_string(),
        year: data.get(&format!("{name}-year")).to_string(),
    }
}

// The form fields of each, named as in the tables of the domain's `Raw*` types.

impl FromForm for alongside_domain::missing::RawProfile {
    fn from_form(data: &FormData) -> Self {
        use alongside_domain::missing::{RawFriend, FRIENDS_MAX};
        let t = |name: &str| data.get(name).to_string();
        Self {
            nicknames: t("nicknames"),
            place_of_birth: t("place-of-birth"),
            height: t("height"),
            build: t("build"),
            hair: t("hair"),
            eyes: t("eyes"),
            marks: t("marks"),
            appearance: t("appearance"),
            phones: t("phones"),
            other_sims: t("other-sims"),
            online: t("online"),
            friends: (1..=FRIENDS_MAX)
                .map(|n| RawFriend {
                    name: t(&format!("friend{n}-name")),
                    child: t(&format!("friend{n}-child")),
                    about: t(&format!("friend{n}-about")),
                })
                .collect(),
            places: t("places"),
            risk_locations: t("risk-locations"),
            vehicles: t("vehicles"),
            medical: t("medical"),
            medication: t("medication"),
            school: t("school"),
            transport: t("transport"),
        }
    }
}

impl FromForm for alongside_domain::plans::RawSafetyPlan {
    fn from_form(data: &FormData) -> Self {
        use alongside_domain::plans::{RawPlanAction, PLAN_ACTIONS_MAX};
        let field = |n: usize, part: &str| data.get(&format!("action{n}-{part}")).to_string();
        Self {
            child: data.get("child").into(),
            risks_people: data.get("risks-people").into(),
            risks_places: data.get("risks-places").into(),
            risks_online: data.get("risks-online").into(),
            risks_times: data.get("risks-times").into(),
            actions: (1..=PLAN_ACTIONS_MAX)
                .map(|n| RawPlanAction {
                    who: field(n, "who"),
                    name: field(n, "name"),
                    agency: field(n, "agency"),
                    what: field(n, "what"),
                })
                .collect(),
            agreed_contacts: data.get("agreed-contacts").into(),
            what_if: data.get("what-if").into(),
            review_on: form_date(data, "review"),
            change_note: data.get("change-note").into(),
        }
    }
}

impl FromForm for RawEvidence {
    fn from_form(data: &FormData) -> Self {
        RawEvidence {
            kind: data.get("kind").into(),
            description: data.get("description").into(),
            found_by: data.get("found-by").into(),
            found_on: form_date(data, "found-on"),
            found_time: data.get("found-time").into(),
            found_where: data.get("found-where").into(),
            storage: data.get("storage").into(),
            reference_numbers: data.get("reference-numbers").into(),
        }
    }
}

impl FromForm for RawHandover {
    fn from_form(data: &FormData) -> Self {
        RawHandover {
            handed_by: data.get("handed-by").into(),
            handed_to: data.get("handed-to").into(),
            collar_number: data.get("collar-number").into(),
            date: form_date(data, "handed-on"),
            time: data.get("handed-time").into(),
            reference: data.get("reference").into(),
            note: data.get("handover-note").into(),
        }
    }
}

impl FromForm for RawCorrection {
    fn from_form(data: &FormData) -> Self {
        RawCorrection {
            corrects: data.get("corrects").into(),
            note: data.get("correction-note").into(),
        }
    }
}

impl FromForm for RawIncident {
    fn from_form(data: &FormData) -> Self {
        RawIncident {
            date: form_date(data, "date"),
            time: data.get("time").into(),
            kind: data.get("kind").into(),
            description: data.get("description").into(),
            people: data.get("people").into(),
            reported: data.get("reported").into(),
            crime_reference: data.get("crime-reference").into(),
            outcome: data.get("outcome").into(),
        }
    }
}

impl FromForm for RawEntry {
    fn from_form(data: &FormData) -> Self {
        RawEntry {
            what: data.get("what").into(),
            date: form_date(data, "date"),
            time: data.get("time").into(),
            approx: data.get("approx").into(),
            place: data.get("place").into(),
            people: data.get("people").into(),
            children: data.get("children").into(),
            how_known: data.get("how-known").into(),
            how_known_who: data.get("how-known-who").into(),
            how_known_detail: data.get("how-known-detail").into(),
            identifiers: IDENTIFIER_FIELDS
                .iter()
                .map(|(f, _, _)| (f.to_string(), data.get(f).to_string()))
                .collect(),
        }
    }
}
