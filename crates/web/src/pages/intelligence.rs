//! Intelligence submissions: made from relevant entries and graded 3x5x2 by a PLO or
//! manager; received, acknowledged and answered by the hub's police partner; exported.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
