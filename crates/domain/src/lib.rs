//! Pure types and rules of Alongside: roles and what they may do, the vocabulary of
//! referrals, families and contacts, input validation, and the commands the store takes
//! in, each with its rules in a `parse` constructor beside its area's vocabulary:
//! [`referral`] (a referral, triage), [`family`] (a member, a contact),
//! [`information`] (an entry, a submission, evidence, an incident), [`portal`] and
//! [`accounts`]. Their fields are private, so a command the store receives has been
//! through its rules (or through an `unchecked` constructor, named to stand out, which
//! only demo data and tests use).
//!
//! This crate owns the words the product uses and the rules that do not need storage.
//! It must never do I/O, never be async, and never hold SQL or HTML.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod clock;
mod codes;
pub mod continuity;
pub mod costs;
pub mod episodes;
pub mod family;
pub mod identifiers;
pub mod ids;
pub mod information;
pub mod lifecycle;
pub mod missing;
pub mod placements;
pub mod plans;
pub mod portal;
pub mod referral;
pub mod roles;
pub mod text;
pub mod validate;
pub mod workdays;

pub use codes::Code;
