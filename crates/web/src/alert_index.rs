//! Alerts as records are saved: the in-process identifier index (from `alongside-network`),
//! loaded from the store on first use and kept up to date by every save, and the step
//! every handler that saves an entry or incident calls afterwards.
//!
//! The index only proposes; the store confirms each candidate against the database and
//! decides what each hub is told (`Alerts::raise_alerts` in the store).

use crate::error::AppError;
use crate::AppState;
use alongside_domain::ids::*;
use alongside_domain::information::{AlertKind, ItemKind};
use alongside_domain::Code;
use alongside_network::{compare_names, IdentifierIndex, Name, Occurrence, Query};
use alongside_store::Actor;
use alongside_store::{AlertCandidate, NewIdentifier};
use chrono::Utc;
use tokio::sync::RwLock;

/// At most this many candidates from one save (a very common name could match hundreds).
const MAX_CANDIDATES: usize = 50;

#[derive(Default)]
pub struct AlertIndex {
    index: RwLock<Option<IdentifierIndex>>,
}

fn occurrence(hub: HubId, family: FamilyId, source: i64) -> Option<Occurrence> {
    Some(Occurrence {
        hub_id: u32::try_from(hub.get()).ok()?,
        family_id: u32::try_from(family.get()).ok()?,
        source_id: u32::try_from(source).ok()?,
    })
}

/// After a save: raises alerts, and logs (never shows) a failure, because the record
/// itself is already safely stored and the index is rebuilt from the database on restart.
pub async fn after_save(
    state: &AppState,
    actor: &Actor,
    source_type: &str,
    source_id: i64,
    identifiers: &[NewIdentifier],
) {
    if let Err(e) = state
        .alerts
        .after_save(
            state,
            actor,
            source_type,
            source_id,
            identifiers,
            Stage::Saved,
        )
        .await
    {
        tracing::error!(error = ?e, source_type, "raising alerts failed");
    }
}

/// After an entry is reviewed as relevant: it may now take part in matching across
/// hubs, which the store allows only for entries reviewed by someone other than their
/// recorder, on both sides (issue 10, M1; decision 0019).
pub async fn after_review(state: &AppState, actor: &Actor, entry: EntryId) {
    let identifiers: Vec<NewIdentifier> = match state.store.entry(actor, entry).await {
        Ok(e) => e
            .identifiers
            .into_iter()
            // Only what the PLO confirmed or corrected at review goes beyond the hub.
            .filter(|i| {
                i.reviewed && i.status != alongside_domain::information::IdentifierStatus::Rejected
            })
            .map(|i| NewIdentifier::stored(i.kind, i.value, i.raw, i.recognised))
            .collect(),
        Err(e) => {
            tracing::error!(error = ?e, "reading a reviewed entry for matching failed");
            return;
        }
    };
    if let Err(e) = state
        .alerts
        .after_save(
            state,
            actor,
            "entry",
            entry.get(),
            &identifiers,
            Stage::Reviewed,
        )
        .await
    {
        tracing::error!(error = ?e, "raising cross-hub alerts failed");
    }
}

/// When matching runs: as a record is saved (within the hub; its identifiers join the
/// index), or once an entry is reviewed as relevant (across hubs only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Saved,
    Reviewed,
}

impl AlertIndex {
    /// Loads every identifier the store holds, if not loaded yet.
    async fn ensure_loaded(&self, state: &AppState) -> Result<(), AppError> {
        if self.index.read().await.is_some() {
            return Ok(());
        }
        let mut guard = self.index.write().await;
        if guard.is_some() {
            return Ok(());
        }
        let mut ix = IdentifierIndex::new();
        let mut after = 0;
        loop {
            let rows = state
                .store
                .unscoped_identifiers_for_index(after, 50_000)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for r in &rows {
                if let Some(o) = occurrence(r.hub_id, r.family_id, r.source_id) {
                    ix.insert(r.kind.code(), &r.value, o);
                }
            }
        }
        *guard = Some(ix);
        Ok(())
    }

    /// After an entry or incident is saved: finds the families elsewhere that share its
    /// identifiers or people, has the store confirm and record alerts, and adds the new
    /// identifiers to the index. Returns how many alerts were raised.
    pub async fn after_save(
        &self,
        state: &AppState,
        actor: &Actor,
        source_type: &str,
        source_id: i64,
        identifiers: &[NewIdentifier],
        stage: Stage,
    ) -> Result<usize, AppError> {
        self.ensure_loaded(state).await?;
        let searchable: Vec<&NewIdentifier> = identifiers
            .iter()
            .filter(|i| i.kind() != ItemKind::Child && i.recognised())
            .collect();
        let queries: Vec<Query> = searchable
            .iter()
            .map(|i| match i.kind() {
                ItemKind::Person => Query::Person(i.raw()),
                k => Query::Identifier {
                    kind: k.code(),
                    value: i.value(),
                },
            })
            .collect();
        let hits = {
            let guard = self.index.read().await;
            guard
                .as_ref()
                .map(|ix| ix.lookup(&queries, None))
                .unwrap_or_default()
        };
        let mut candidates = Vec::new();
        for h in hits.into_iter().take(MAX_CANDIDATES) {
            let item = searchable[h.item];
            let other_hub = HubId::new(i64::from(h.occurrence.hub_id));
            // Within the hub when saved; across hubs once reviewed.
            if (stage == Stage::Reviewed) == (other_hub == actor.hub_id()) {
                continue;
            }
            let kind = if other_hub != actor.hub_id() {
                AlertKind::OtherHub
            } else if item.kind() == ItemKind::Person {
                AlertKind::SimilarName
            } else {
                AlertKind::SharedIdentifier
            };
            let detail = match (&h.matched_name, item.kind()) {
                (Some((theirs, _)), ItemKind::Person) => {
                    let words = Name::parse(item.raw())
                        .zip(Name::parse(theirs))
                        .and_then(|(a, b)| compare_names(&a, &b))
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| format!("names '{}' ~ '{theirs}'", item.raw()));
                    format!("A similar person of concern in another family: {words}")
                }
                _ => format!(
                    "The same {} {} is in a record of another family",
                    item.kind().label().to_lowercase(),
                    item.kind().display(item.value())
                ),
            };
            candidates.push(AlertCandidate {
                kind,
                item_kind: item.kind(),
                item_value: item.value().to_string(),
                other_hub_id: other_hub,
                other_family_id: FamilyId::new(i64::from(h.occurrence.family_id)),
                other_source_id: i64::from(h.occurrence.source_id),
                detail,
            });
        }
        let children: Vec<String> = identifiers
            .iter()
            .filter(|i| stage == Stage::Saved && i.kind() == ItemKind::Child)
            .map(|i| i.raw().to_string())
            .collect();
        let (raised, family_id) = state
            .store
            .raise_alerts(
                actor,
                source_type,
                source_id,
                &candidates,
                &children,
                Utc::now(),
            )
            .await?;
        if let Some(o) =
            occurrence(actor.hub_id(), family_id, source_id).filter(|_| stage == Stage::Saved)
        {
            let mut guard = self.index.write().await;
            if let Some(ix) = guard.as_mut() {
                for i in identifiers.iter().filter(|i| i.kind() != ItemKind::Child) {
                    ix.insert(i.kind().code(), i.value(), o);
                }
            }
        }
        Ok(raised)
    }
}
