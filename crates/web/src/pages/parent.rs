//! The parent portal: invitations, joining, and the parent's own pages (neutral titles,
//! Exit this page on every page).

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
