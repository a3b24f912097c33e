//! The information log ("provenance log") on the workers' side: recording an entry with
//! its identifiers and photos, checking the identifiers, the family's log, the review queue.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
