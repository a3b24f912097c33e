//! Use cases shared by pages and the API: what happens when a person records something,
//! whichever way it reached us. A page and an API call each turn their input into a
//! validated command, call one function here, and then show or return the outcome.
//!
//! Recording an entry or an incident is: save it (the store checks who may, and audits),
//! then raise the alerts it causes (`alerts`), then say what comes next.

use crate::AppState;
use alongside_domain::ids::*;
use alongside_store::{Actor, NewEntry, NewIncident, Result};
use chrono::Utc;

/// An information-log entry just recorded.
#[derive(Debug, Clone, Copy)]
pub struct EntryRecorded {
    pub id: EntryId,
    /// Whether identifiers were found in the text, which the person who recorded it
    /// should now confirm, correct or reject.
    pub to_check: bool,
}

/// Records an entry in a family's information log: the parent's own family when
/// `family` is `None`.
pub async fn entry(
    state: &AppState,
    actor: &Actor,
    family: Option<FamilyId>,
    new: &NewEntry,
) -> Result<EntryRecorded> {
    let id = state
        .store
        .add_entry(actor, family, new, Utc::now())
        .await?;
    crate::alert_index::after_save(state, actor, "entry", id.get(), new.identifiers()).await;
    Ok(EntryRecorded {
        id,
        to_check: new.identifiers().iter().any(|i| i.origin() == "text"),
    })
}

/// Records a threat or harassment against a family: the parent's own family when
/// `family` is `None`. Returns its id.
pub async fn incident(
    state: &AppState,
    actor: &Actor,
    family: Option<FamilyId>,
    new: &NewIncident,
) -> Result<IncidentId> {
    let id = state
        .store
        .add_incident(actor, family, new, Utc::now())
        .await?;
    crate::alert_index::after_save(state, actor, "incident", id.get(), new.identifiers()).await;
    Ok(id)
}
