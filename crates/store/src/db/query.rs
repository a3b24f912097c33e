//! One query type for both backends (decision 0010).
//!
//! A [`Query`] holds SQL in the dialect SQLite and PostgreSQL share (numbered `$n`
//! parameters, `RETURNING`, `COALESCE`) and its arguments. An argument is accepted only
//! if BOTH drivers can encode it, and a column is read only as a type BOTH can decode, so
//! a type that one backend lacks fails the build rather than one backend at run time. The
//! backend is chosen when the query runs, from the connection it is given.
//!
//! Queries are made in [`crate::access`]: a query that reads or writes a family's records
//! is made from a scope that only an access check can give, and in debug builds a query
//! made without one refuses to name a family table.

use super::{Conn, Raw};
use crate::access::ScopeIds;
use crate::{Refusal, Result, StoreError};
use alongside_domain::ids::*;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::Arguments;
use std::borrow::Cow;

/// A value both drivers can encode as a query argument.
pub(crate) trait Arg<'a>: Send {
    fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError>;
    fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError>;
    /// Text that PostgreSQL cannot store (a NUL byte), which SQLite would: refused on both,
    /// so that the backends agree. Forms and the API refuse it first, with a message
    /// beside the field; this is the net under them.
    fn unstorable(&self) -> bool {
        false
    }
}

/// Adds the types both drivers encode the same way. (Listed rather than blanket, so that
/// the record ids of `alongside_domain::ids` can be arguments too.)
macro_rules! args {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Arg<'a> for $t {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(*self)
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(*self)
            }
        }
    )*};
}

/// Adds text, refusing what one backend cannot store.
macro_rules! text_args {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Arg<'a> for $t {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(*self)
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(*self)
            }
            fn unstorable(&self) -> bool {
                let text: Option<&str> = self.as_deref();
                text.is_some_and(|t| t.contains('\0'))
            }
        }
    )*};
}

text_args!(Option<String>, Option<&'a str>);

macro_rules! plain_text_args {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Arg<'a> for $t {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(*self)
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(*self)
            }
            fn unstorable(&self) -> bool {
                self.contains('\0')
            }
        }
    )*};
}

plain_text_args!(String, &'a str, &'a String);

args!(
    i64,
    Option<i64>,
    i32,
    bool,
    Option<bool>,
    f64,
    &'a i64,
    Vec<u8>,
    &'a [u8],
    chrono::DateTime<chrono::Utc>,
    Option<chrono::DateTime<chrono::Utc>>,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

/// Adds the record ids, as the numbers they are.
macro_rules! id_args_and_values {
    ($($t:ty),* $(,)?) => {$(
        impl<'a> Arg<'a> for $t {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(self.get())
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(self.get())
            }
        }
        impl<'a> Arg<'a> for &'a $t {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(self.get())
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(self.get())
            }
        }
        impl<'a> Arg<'a> for Option<$t> {
            fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'a>) -> Result<(), BoxDynError> {
                args.add(self.map(<$t>::get))
            }
            fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
                args.add(self.map(<$t>::get))
            }
        }
        impl Value for $t {
            fn read(row: &Row, column: &str) -> Result<Self, sqlx::Error> {
                i64::read(row, column).map(<$t>::new)
            }
        }
        impl Value for Option<$t> {
            fn read(row: &Row, column: &str) -> Result<Self, sqlx::Error> {
                Option::<i64>::read(row, column).map(|n| n.map(<$t>::new))
            }
        }
    )*};
}

id_args_and_values!(
    HubId,
    UserId,
    ReferralId,
    FamilyId,
    MemberId,
    ContactId,
    SafetyPlanId,
    ProfileId,
    EpisodeId,
    InvitationId,
    EntryId,
    AttachmentId,
    IdentifierId,
    SubmissionId,
    EvidenceId,
    IncidentId,
    AlertId,
    TokenId,
    MergeId,
);

/// A column type both drivers can decode.
pub(crate) trait Value: Sized {
    fn read(row: &Row, column: &str) -> Result<Self, sqlx::Error>;
}

/// The column types both drivers decode the same way.
macro_rules! values {
    ($($t:ty),* $(,)?) => {$(
        impl Value for $t {
            fn read(row: &Row, column: &str) -> Result<Self, sqlx::Error> {
                use sqlx::Row as _;
                match row {
                    Row::Sqlite(r) => r.try_get(column),
                    Row::Postgres(r) => r.try_get(column),
                }
            }
        }
    )*};
}

values!(
    i64,
    Option<i64>,
    i32,
    Option<i32>,
    bool,
    Option<bool>,
    f64,
    Option<f64>,
    String,
    Option<String>,
    Vec<u8>,
    Option<Vec<u8>>,
    chrono::DateTime<chrono::Utc>,
    Option<chrono::DateTime<chrono::Utc>>,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

/// A row of either backend, read by column name.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub(crate) fn try_get<T: Value>(&self, column: &str) -> std::result::Result<T, sqlx::Error> {
        T::read(self, column)
    }
}

/// How many rows a statement changed.
pub(crate) struct Done(u64);

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// Which scope a query was made from (see [`crate::access`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Made {
    /// From an access check's scope: it may name family tables.
    Scoped,
    /// Without one: it may not (checked in debug builds).
    Unscoped,
    /// Deliberately past need-to-know (demo loading, the alert index): see its caller.
    PastNeedToKnow,
}

/// SQL and its arguments, run on either backend.
pub(crate) struct Query<'a> {
    sql: Cow<'a, str>,
    args: Vec<Box<dyn Arg<'a> + 'a>>,
    made: Made,
    scope: Option<ScopeIds>,
    scope_bound: bool,
}

/// The tables that hold a family's personal data. A query naming one must be made from a
/// scope (see [`crate::access`]).
pub(crate) const FAMILY_TABLES: &[&str] = &[
    "families",
    "family_members",
    "family_parents",
    "referrals",
    "chronology",
    "contacts",
    "parent_invitations",
    "info_entries",
    "identifiers",
    "attachments",
    "submissions",
    "evidence_items",
    "custody_events",
    "submission_outcomes",
    "incidents",
    "alerts",
    "person_merges",
];

/// The family tables a piece of SQL names.
pub(crate) fn family_tables_named(sql: &str) -> Vec<&'static str> {
    let words: Vec<&str> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    FAMILY_TABLES
        .iter()
        .copied()
        .filter(|t| words.iter().any(|w| w.eq_ignore_ascii_case(t)))
        .collect()
}

impl<'a> Query<'a> {
    pub(crate) fn new(sql: impl Into<Cow<'a, str>>, made: Made) -> Self {
        Self {
            sql: sql.into(),
            args: Vec::new(),
            made,
            scope: None,
            scope_bound: false,
        }
    }

    pub(crate) fn scoped(mut self, ids: ScopeIds) -> Self {
        self.scope = Some(ids);
        self
    }

    fn scope_ids(&self) -> ScopeIds {
        self.scope
            .expect("bind_hub and bind_family are for queries made from a scope (crate::access)")
    }

    /// Adds the scope's hub as the next argument.
    pub(crate) fn bind_hub(mut self) -> Self {
        let hub = self.scope_ids().hub_id;
        self.scope_bound = true;
        self.bind(hub)
    }

    /// Adds the scope's family as the next argument.
    pub(crate) fn bind_family(mut self) -> Self {
        let family = self
            .scope_ids()
            .family_id
            .expect("bind_family is for queries made from a family's scope");
        self.scope_bound = true;
        self.bind(family)
    }

    /// Appends a placeholder for the scope's hub, and binds it.
    pub(crate) fn push_hub(&mut self) -> &mut Self {
        let hub = self.scope_ids().hub_id;
        self.scope_bound = true;
        self.push_bind(hub)
    }

    /// Appends a placeholder for the scope's family, and binds it.
    pub(crate) fn push_family(&mut self) -> &mut Self {
        let family = self
            .scope_ids()
            .family_id
            .expect("push_family is for queries made from a family's scope");
        self.scope_bound = true;
        self.push_bind(family)
    }

    /// Adds an argument: the next `$n` of the SQL.
    pub(crate) fn bind<T: Arg<'a> + 'a>(mut self, value: T) -> Self {
        self.args.push(Box::new(value));
        self
    }

    /// Appends SQL (for queries whose shape depends on a filter).
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.to_mut().push_str(sql);
        self
    }

    /// Appends a placeholder for the next argument, and the argument.
    pub(crate) fn push_bind<T: Arg<'a> + 'a>(&mut self, value: T) -> &mut Self {
        self.args.push(Box::new(value));
        let n = self.args.len();
        self.sql.to_mut().push_str(&format!("${n}"));
        self
    }

    /// Appends `(a, b, c)`: one placeholder for each value.
    pub(crate) fn push_list<T: Arg<'a> + 'a>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        self.push("(");
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(v);
        }
        self.push(")")
    }

    fn checked(&self) {
        if cfg!(debug_assertions) && self.made == Made::Scoped {
            assert!(
                self.scope_bound,
                "a query made from a scope must bind its hub or family (bind_hub, bind_family)\n{}",
                self.sql
            );
        }
        if cfg!(debug_assertions) && self.made == Made::Unscoped {
            let named = family_tables_named(&self.sql);
            assert!(
                named.is_empty(),
                "a query made without a scope names family tables {named:?}: make it from the scope an access check gives (crate::access)\n{}",
                self.sql
            );
        }
    }

    fn sqlite_args(args: Vec<Box<dyn Arg<'a> + 'a>>) -> Result<SqliteArguments<'a>> {
        let mut out = SqliteArguments::default();
        if args.iter().any(|a| a.unstorable()) {
            return Err(Refusal::UnstorableText.into());
        }
        for a in args {
            a.add_sqlite(&mut out).map_err(sqlx::Error::Encode)?;
        }
        Ok(out)
    }

    fn postgres_args(args: Vec<Box<dyn Arg<'a> + 'a>>) -> Result<PgArguments> {
        let mut out = PgArguments::default();
        if args.iter().any(|a| a.unstorable()) {
            return Err(Refusal::UnstorableText.into());
        }
        for a in args {
            a.add_postgres(&mut out).map_err(sqlx::Error::Encode)?;
        }
        Ok(out)
    }

    pub(crate) async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<Row>> {
        self.checked();
        let Query { sql, args, .. } = self;
        Ok(match conn.raw() {
            Raw::Sqlite(c) => sqlx::query_with(&for_sqlite(&sql), Self::sqlite_args(args)?)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Raw::Postgres(c) => sqlx::query_with(&sql, Self::postgres_args(args)?)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    pub(crate) async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<Row>> {
        self.checked();
        let Query { sql, args, .. } = self;
        Ok(match conn.raw() {
            Raw::Sqlite(c) => sqlx::query_with(&for_sqlite(&sql), Self::sqlite_args(args)?)
                .fetch_optional(c)
                .await?
                .map(Row::Sqlite),
            Raw::Postgres(c) => sqlx::query_with(&sql, Self::postgres_args(args)?)
                .fetch_optional(c)
                .await?
                .map(Row::Postgres),
        })
    }

    /// The one row a statement returns; a database error if it returns none.
    pub(crate) async fn fetch_one(self, conn: &mut Conn) -> Result<Row> {
        self.fetch_optional(conn)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub(crate) async fn execute(self, conn: &mut Conn) -> Result<Done> {
        self.checked();
        let Query { sql, args, .. } = self;
        Ok(Done(match conn.raw() {
            Raw::Sqlite(c) => sqlx::query_with(&for_sqlite(&sql), Self::sqlite_args(args)?)
                .execute(c)
                .await?
                .rows_affected(),
            Raw::Postgres(c) => sqlx::query_with(&sql, Self::postgres_args(args)?)
                .execute(c)
                .await?
                .rows_affected(),
        }))
    }
}

/// The SQL as SQLite is given it. A long statement whose placeholders run `$1, $2, ...`
/// in order, each once (a bulk insert, a batch of audit events), gets anonymous `?`
/// placeholders instead: SQLite finds a named parameter by walking the list of names, so
/// binding n named parameters costs n squared (3x slower demo loading at 2,000 arguments a
/// statement). Anonymous placeholders bind in the same order, so the meaning is the same.
fn for_sqlite(sql: &str) -> Cow<'_, str> {
    const LONG: usize = 32;
    let bytes = sql.as_bytes();
    let mut expected = 1usize;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            match sql[start..end].parse::<usize>() {
                Ok(n) if n == expected => expected += 1,
                _ => return Cow::Borrowed(sql),
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if expected - 1 < LONG {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        out.push('?');
        rest = rest[at + 1..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_tables_are_found_as_words_only() {
        assert_eq!(
            family_tables_named("SELECT f.id FROM families f JOIN users u ON u.id = f.lead_plo_id"),
            vec!["families"]
        );
        assert!(family_tables_named("SELECT family_id FROM audit_events").is_empty());
        assert!(family_tables_named("UPDATE users SET password_hash = $1").is_empty());
    }

    #[test]
    #[should_panic(expected = "names family tables")]
    fn an_unscoped_query_may_not_name_a_family_table() {
        Query::new("SELECT name FROM families", Made::Unscoped).checked();
    }

    #[test]
    fn long_statements_in_order_get_anonymous_placeholders_on_sqlite() {
        let short = "SELECT id FROM users WHERE id = $1 AND active = $2";
        assert_eq!(for_sqlite(short), short);
        let mut q = Query::new("INSERT INTO t (a, b) VALUES ", Made::Unscoped);
        for i in 0..20_i64 {
            q.push(if i == 0 { "(" } else { ", (" })
                .push_bind(i)
                .push(", ")
                .push_bind(i)
                .push(")");
        }
        let long = for_sqlite(&q.sql);
        assert!(!long.contains('$'), "{long}");
        assert_eq!(long.matches('?').count(), 40);
        assert!(long.starts_with("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"));
        // Out of order or repeated, the names stay: their meaning depends on them.
        let repeated = format!("{} AND x = $3", q.sql);
        assert_eq!(for_sqlite(&repeated), repeated);
    }

    #[test]
    fn placeholders_follow_the_arguments() {
        let mut q = Query::new("SELECT id FROM users WHERE id IN ", Made::Unscoped);
        q.push_list([1_i64, 2, 3])
            .push(" AND active = ")
            .push_bind(true);
        assert_eq!(
            q.sql,
            "SELECT id FROM users WHERE id IN ($1, $2, $3) AND active = $4"
        );
        assert_eq!(q.args.len(), 4);
    }
}
