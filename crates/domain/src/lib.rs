//! Pure types and rules of Alongside: roles and what they may do, the vocabulary of
//! referrals, families and contacts, and input validation.
//!
//! This crate owns the words the product uses and the rules that do not need storage.
//! It must never do I/O, never be async, and never hold SQL or HTML.
#![forbid(unsafe_code)]

pub mod audit;
pub mod clock;
mod codes;
pub mod family;
pub mod identifiers;
pub mod information;
pub mod lifecycle;
pub mod referral;
pub mod roles;
pub mod text;
pub mod validate;
pub mod workdays;

pub use codes::Code;
