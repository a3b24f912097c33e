//! Evidence items with their chain of custody, and threats and harassment against the family.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
