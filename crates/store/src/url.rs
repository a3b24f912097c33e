//! Database URLs: which backend, and a refusal for anything mistyped.

use std::path::PathBuf;

/// A database URL we know how to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server (the URL as given).
    Postgres(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("DATABASE_URL is empty: unset it to use the embedded SQLite database, or give a postgres:// URL")]
    Empty,
    #[error("DATABASE_URL scheme '{0}' is not supported: use postgres://user@host/db or sqlite:///path/to/file.db")]
    UnknownScheme(String),
    #[error(
        "DATABASE_URL has no scheme: use postgres://user@host/db or sqlite:///path/to/file.db"
    )]
    NoScheme,
    #[error("DATABASE_URL names no SQLite file: use sqlite:///path/to/file.db")]
    NoPath,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(UrlError::Empty);
        }
        let Some((scheme, rest)) = raw.split_once(':') else {
            return Err(UrlError::NoScheme);
        };
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(DatabaseUrl::Postgres(raw.to_string())),
            "sqlite" => {
                let path = rest.trim_start_matches("//");
                let path = path.split('?').next().unwrap_or("");
                if path.is_empty() {
                    Err(UrlError::NoPath)
                } else {
                    Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
                }
            }
            other => Err(UrlError::UnknownScheme(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_schemes_parse_and_mistakes_are_refused() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/a.db"),
            Ok(DatabaseUrl::Sqlite("/tmp/a.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/a.db"),
            Ok(DatabaseUrl::Sqlite("data/a.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://x@localhost/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert_eq!(
            DatabaseUrl::parse("postgress://x@localhost/db"),
            Err(UrlError::UnknownScheme("postgress".into()))
        );
        assert_eq!(DatabaseUrl::parse("localhost/db"), Err(UrlError::NoScheme));
        assert_eq!(DatabaseUrl::parse("sqlite://"), Err(UrlError::NoPath));
        assert_eq!(DatabaseUrl::parse(" "), Err(UrlError::Empty));
    }
}
