//! Stored vocabularies: each value has a stable code (what the database and the API hold)
//! and a label in the product's own words (what a person reads).

/// A closed vocabulary stored as a short code and shown with a label.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in the order a form should offer them.
    const ALL: &'static [Self];
    /// The stable code stored in the database and used in the API.
    fn code(self) -> &'static str;
    /// The words shown to a person.
    fn label(self) -> &'static str;
    /// Reads a stored or submitted code; `None` if it is not one of ours.
    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares a vocabulary enum with its codes and labels in one table.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $crate::Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn label(self) -> &'static str { match self { $(Self::$variant => $label),+ } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::Code::label(*self))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::Code::code(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <Self as $crate::Code>::parse(&s).ok_or_else(|| {
                    let allowed: Vec<&str> = <Self as $crate::Code>::ALL.iter().map(|v| $crate::Code::code(*v)).collect();
                    serde::de::Error::custom(format!("'{}' is not one of: {}", s, allowed.join(", ")))
                })
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::SchemaType::new(utoipa::openapi::schema::Type::String))
                    .enum_values(Some(<Self as $crate::Code>::ALL.iter().map(|v| $crate::Code::code(*v))))
                    .into()
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
mod tests {
    use crate::referral::Indicator;
    use crate::Code;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for v in Indicator::ALL {
            assert_eq!(Indicator::parse(v.code()), Some(*v));
        }
        assert_eq!(Indicator::parse("lifestyle_choice"), None);
    }

    #[test]
    fn serde_reports_the_allowed_codes() {
        let err = serde_json::from_str::<Indicator>("\"nope\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("going_missing"), "{err}");
    }
}
