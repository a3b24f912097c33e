//! Matching people across families: the first slice of Alongside's network engine.
//!
//! This crate owns:
//! - [`names`]: person-name normalisation (lower case, ASCII folding, punctuation), a
//!   curated nickname table, a phonetic key (American Soundex), and a comparison of two
//!   names that gives a score and reasons an analyst can check.
//! - [`link`]: batch linking of person records: blocking (never all pairs), scoring of
//!   candidate pairs with reasons, a threshold, and clusters by union-find. The result does
//!   not depend on the order of the input.
//! - [`fellegi_sunter`]: the model pairs are scored with, learnt from each list (u by
//!   random sampling, m by EM, term-frequency adjustments), and its table in words.
//! - [`csv`]: the `id,...` CSV format of `alongside link`, with bad rows reported by line.
//! - [`graph`]: the network picture (degree, betweenness) and its GraphML, Gephi and i2
//!   exports.
//! - [`index`]: the in-process identifier and name index that alerts are raised from.
//! - [`generate`]: synthetic records with ground truth, and pairwise precision, recall
//!   and F1, for tests and benchmarks.
//!
//! It is pure: no I/O except the CSV functions, which take a `Read` and `Write`s.
//! Identifiers are normalised by `alongside_domain::identifiers`. The engine proposes;
//! people decide (nothing here merges anyone in the store).
#![forbid(unsafe_code)]

pub mod csv;
pub mod fellegi_sunter;
pub mod generate;
pub mod graph;
pub mod index;
pub mod link;
pub mod names;

pub use crate::csv::{
    link_csv, link_csv_with, spreadsheet_csv, write_people, LinkError, LinkReport,
};
pub use fellegi_sunter::{Field, Model, Training};
pub use generate::{generate, generate_as, pairwise_scores, PairwiseScores, Profile};
pub use graph::{apply_merges, Edge, Graph, Node, Observation};
pub use index::{Hit, IdentifierIndex, Occurrence, Query};
pub use link::{
    link, link_by_rules, link_with, AcceptedPair, DuplicateId, Linkage, PersonRecord, Reason,
    Settings,
};
pub use names::{compare_names, Name, NameComparison};
