//! The missing-from-home profile of a child at risk, in the shape police forces use under
//! the Philomena Protocol (issue 12). Part 1 is kept ready by the family and the PLO
//! ([`NewProfile::parse`]): who the child is and how to recognise them, how to reach
//! them, who they are with and where they go, their health, school and travel. Every
//! change is a new version. The phones, accounts, vehicles and places in it are found as
//! identifiers, as in the information log; friends who are children are recorded as
//! children, never as persons of concern.

use crate::information::identifier::{children_identifiers, NewIdentifier};
use crate::validate::{self as v, FieldErrors, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use serde::Serialize;

/// The friends and associates a form offers rows for (empty ones are left out); a
/// profile holds up to [`FRIENDS_MAX`].
pub const FRIEND_ROWS: usize = 6;
pub const FRIENDS_MAX: usize = 30;

/// A friend or associate as sent (form fields `friend{n}-name`, `-child` (`yes`/`no`),
/// `-about`).
#[derive(Debug, Clone, Default)]
pub struct RawFriend {
    pub name: String,
    pub child: String,
    pub about: String,
}

/// Part 1 of the profile, as sent. Every field is optional, but a profile says
/// something. Form fields are the property names with `-` for `_`.
#[derive(Debug, Clone, Default)]
pub struct RawProfile {
    pub nicknames: String,
    pub place_of_birth: String,
    pub height: String,
    pub build: String,
    pub hair: String,
    pub eyes: String,
    pub marks: String,
    pub appearance: String,
    pub phones: String,
    pub other_sims: String,
    pub online: String,
    pub friends: Vec<RawFriend>,
    pub places: String,
    pub risk_locations: String,
    pub vehicles: String,
    pub medical: String,
    pub medication: String,
    pub school: String,
    pub transport: String,
}

/// A friend or associate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Friend {
    pub name: String,
    /// A child or young person (recorded as a child, never as a person of concern).
    pub child: bool,
    /// Who they are to the child, how to reach them.
    pub about: Option<String>,
}

/// What one version of Part 1 says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProfileContent {
    pub nicknames: Option<String>,
    pub place_of_birth: Option<String>,
    pub height: Option<String>,
    pub build: Option<String>,
    pub hair: Option<String>,
    pub eyes: Option<String>,
    /// Scars, tattoos, piercings, birthmarks.
    pub marks: Option<String>,
    /// Anything else about how they look (skin, glasses, how they dress).
    pub appearance: Option<String>,
    pub phones: Option<String>,
    /// Other SIM cards and their networks.
    pub other_sims: Option<String>,
    /// Email addresses and social media accounts.
    pub online: Option<String>,
    pub friends: Vec<Friend>,
    /// Addresses and places they go.
    pub places: Option<String>,
    /// Places the police or the team have assessed as risky.
    pub risk_locations: Option<String>,
    /// Vehicles seen with the child.
    pub vehicles: Option<String>,
    pub medical: Option<String>,
    pub medication: Option<String>,
    pub school: Option<String>,
    pub transport: Option<String>,
}

impl ProfileContent {
    /// The parts of Part 1 with a label, in the order the form and the print show them.
    pub fn parts(&self) -> Vec<(&'static str, &Option<String>)> {
        vec![
            ("Nicknames and other names", &self.nicknames),
            ("Place of birth", &self.place_of_birth),
            ("Height", &self.height),
            ("Build", &self.build),
            ("Hair", &self.hair),
            ("Eyes", &self.eyes),
            ("Scars, tattoos, piercings, birthmarks", &self.marks),
            ("Other things about how they look", &self.appearance),
            ("Phone numbers", &self.phones),
            ("Other SIM cards and networks", &self.other_sims),
            ("Email and social media accounts", &self.online),
            ("Addresses and places they go", &self.places),
            ("Places assessed as risky", &self.risk_locations),
            ("Vehicles seen with them", &self.vehicles),
            ("Medical needs", &self.medical),
            ("Medication", &self.medication),
            ("School or college", &self.school),
            ("How they usually travel", &self.transport),
        ]
    }
}

/// Part 1 as its rules leave it, with the identifiers found in it.
#[derive(Debug, Clone)]
pub struct NewProfile {
    content: ProfileContent,
    identifiers: Vec<NewIdentifier>,
}

/// The form field and label of each text field, and the longest each may be.
const FIELDS: &[(&str, &str, usize)] = &[
    ("nicknames", "Nicknames and other names", SHORT_TEXT_MAX * 5),
    ("place-of-birth", "Place of birth", SHORT_TEXT_MAX),
    ("height", "Height", SHORT_TEXT_MAX),
    ("build", "Build", SHORT_TEXT_MAX),
    ("hair", "Hair", SHORT_TEXT_MAX),
    ("eyes", "Eyes", SHORT_TEXT_MAX),
    (
        "marks",
        "Scars, tattoos, piercings, birthmarks",
        LONG_TEXT_MAX,
    ),
    (
        "appearance",
        "Other things about how they look",
        LONG_TEXT_MAX,
    ),
    ("phones", "Phone numbers", LONG_TEXT_MAX),
    ("other-sims", "Other SIM cards and networks", LONG_TEXT_MAX),
    ("online", "Email and social media accounts", LONG_TEXT_MAX),
    ("places", "Addresses and places they go", LONG_TEXT_MAX),
    ("risk-locations", "Places assessed as risky", LONG_TEXT_MAX),
    ("vehicles", "Vehicles seen with them", LONG_TEXT_MAX),
    ("medical", "Medical needs", LONG_TEXT_MAX),
    ("medication", "Medication", LONG_TEXT_MAX),
    ("school", "School or college", SHORT_TEXT_MAX * 2),
    ("transport", "How they usually travel", LONG_TEXT_MAX),
];

impl NewProfile {
    pub fn parse(raw: &RawProfile) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let values = [
            &raw.nicknames,
            &raw.place_of_birth,
            &raw.height,
            &raw.build,
            &raw.hair,
            &raw.eyes,
            &raw.marks,
            &raw.appearance,
            &raw.phones,
            &raw.other_sims,
            &raw.online,
            &raw.places,
            &raw.risk_locations,
            &raw.vehicles,
            &raw.medical,
            &raw.medication,
            &raw.school,
            &raw.transport,
        ];
        let mut read: Vec<Option<String>> = FIELDS
            .iter()
            .zip(values)
            .map(|((field, label, max), value)| v::optional_text(&mut e, field, label, value, *max))
            .collect();
        let mut friends = Vec::new();
        for (i, f) in raw.friends.iter().enumerate() {
            let n = i + 1;
            if [&f.name, &f.child, &f.about]
                .iter()
                .all(|s| s.trim().is_empty())
            {
                continue;
            }
            let name = v::required_text(
                &mut e,
                &format!("friend{n}-name"),
                &format!("The name of friend {n}"),
                &f.name,
                SHORT_TEXT_MAX,
            );
            let child = match f.child.trim() {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => {
                    e.add(
                        format!("friend{n}-child"),
                        format!("Say whether friend {n} is a child or young person (under 18)"),
                    );
                    None
                }
            };
            let about = v::optional_text(
                &mut e,
                &format!("friend{n}-about"),
                &format!("About friend {n}"),
                &f.about,
                LONG_TEXT_MAX,
            );
            if let Some(child) = child {
                friends.push(Friend { name, child, about });
            }
        }
        if friends.len() > FRIENDS_MAX {
            e.add(
                "friend1-name",
                format!("A profile holds up to {FRIENDS_MAX} friends and associates"),
            );
        }
        if e.is_empty() && friends.is_empty() && read.iter().all(Option::is_none) {
            e.add(
                "nicknames",
                "Write at least one thing: what is known now can be added to later",
            );
        }
        let mut next = || read.remove(0);
        let content = ProfileContent {
            nicknames: next(),
            place_of_birth: next(),
            height: next(),
            build: next(),
            hair: next(),
            eyes: next(),
            marks: next(),
            appearance: next(),
            phones: next(),
            other_sims: next(),
            online: next(),
            friends,
            places: next(),
            risk_locations: next(),
            vehicles: next(),
            medical: next(),
            medication: next(),
            school: next(),
            transport: next(),
        };
        let identifiers = content_identifiers(&content);
        e.finish(Self {
            content,
            identifiers,
        })
    }

    pub fn content(&self) -> &ProfileContent {
        &self.content
    }

    /// The phones, accounts, vehicles and postcodes found in it, and the friends who are
    /// children (as children).
    pub fn identifiers(&self) -> &[NewIdentifier] {
        &self.identifiers
    }

    /// A profile made from data no person typed (the demo data).
    #[doc(hidden)]
    pub fn unchecked(content: ProfileContent) -> Self {
        let identifiers = content_identifiers(&content);
        Self {
            content,
            identifiers,
        }
    }
}

fn content_identifiers(c: &ProfileContent) -> Vec<NewIdentifier> {
    let mut out = Vec::new();
    for text in [
        &c.phones,
        &c.other_sims,
        &c.online,
        &c.vehicles,
        &c.places,
        &c.risk_locations,
    ]
    .into_iter()
    .flatten()
    {
        out.extend(NewIdentifier::found_in(text, "text"));
    }
    for f in c.friends.iter().filter(|f| f.child) {
        out.extend(children_identifiers(&f.name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::information::ItemKind;

    #[test]
    fn a_profile_says_something_and_each_friend_is_a_child_or_not() {
        let e = NewProfile::parse(&RawProfile::default()).unwrap_err();
        assert_eq!(e.0[0].field, "nicknames");
        let e = NewProfile::parse(&RawProfile {
            friends: vec![RawFriend {
                name: "Kai".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "friend1-child");
    }

    #[test]
    fn identifiers_are_found_and_child_friends_are_children() {
        let p = NewProfile::parse(&RawProfile {
            phones: "07700 900123 (her own)\n07700 900456, a second phone found in May".into(),
            vehicles: "A grey car, AB12 CDE".into(),
            friends: vec![
                RawFriend {
                    name: "Kai Brook".into(),
                    child: "yes".into(),
                    about: "From school".into(),
                },
                RawFriend {
                    name: "An older friend".into(),
                    child: "no".into(),
                    about: String::new(),
                },
            ],
            ..Default::default()
        })
        .unwrap();
        let kinds: Vec<ItemKind> = p.identifiers().iter().map(|i| i.kind()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == ItemKind::Phone).count(), 2);
        assert!(kinds.contains(&ItemKind::Vehicle));
        assert!(kinds.contains(&ItemKind::Child));
        assert!(
            !kinds.contains(&ItemKind::Person),
            "no one here is a person of concern"
        );
    }
}
