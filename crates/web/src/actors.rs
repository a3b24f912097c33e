//! The signed-in people's cache, and the sessions ended elsewhere (one process per
//! database: see the README).

use crate::error::AppError;
use crate::AppState;
use alongside_domain::ids::*;
use alongside_store::Actor;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Recently checked actors, so that a burst of requests does not look up the same
/// membership each time. An account disabled or removed from a hub loses access within
/// `ACTOR_TTL`; signing out forgets the entry at once.
pub struct ActorCache {
    map: Mutex<HashMap<(UserId, HubId), (Instant, Actor)>>,
    /// Sessions ended from elsewhere (another device, a password change, a reset code),
    /// by hash: the session layer's cache is in memory, so a row deleted is not enough.
    /// Kept for the longest a session could live.
    ended: Mutex<HashMap<String, Instant>>,
}

const ACTOR_TTL: Duration = Duration::from_secs(15);
const ACTOR_CACHE_MAX: usize = 10_000;

impl ActorCache {
    pub fn new() -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            ended: Mutex::new(HashMap::new()),
        }
    }

    /// Remembers sessions ended elsewhere, so that their next request is refused.
    pub fn end_sessions(&self, hashes: &[String], lifetime: Duration) {
        if let Ok(mut ended) = self.ended.lock() {
            ended.retain(|_, at| at.elapsed() < lifetime);
            for h in hashes {
                ended.insert(h.clone(), Instant::now());
            }
        }
    }

    /// Whether the session of this hash was ended elsewhere.
    pub fn is_ended(&self, hash: &str) -> bool {
        self.ended.lock().is_ok_and(|e| e.contains_key(hash))
    }

    pub async fn get(
        &self,
        state: &AppState,
        user_id: UserId,
        hub_id: HubId,
    ) -> Result<Option<Actor>, AppError> {
        if let Ok(map) = self.map.lock() {
            if let Some((at, actor)) = map.get(&(user_id, hub_id)) {
                if at.elapsed() < ACTOR_TTL {
                    return Ok(Some(actor.clone()));
                }
            }
        }
        let actor = state.store.actor(user_id, hub_id).await?;
        if let (Some(a), Ok(mut map)) = (&actor, self.map.lock()) {
            if map.len() >= ACTOR_CACHE_MAX {
                map.retain(|_, (at, _)| at.elapsed() < ACTOR_TTL);
            }
            if map.len() < ACTOR_CACHE_MAX {
                map.insert((user_id, hub_id), (Instant::now(), a.clone()));
            }
        }
        Ok(actor)
    }

    /// Forgets everyone of a hub, after a change to the hub that its people's pages show
    /// (the name its parents see).
    pub fn forget_hub(&self, hub_id: alongside_domain::ids::HubId) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|(_, h), _| *h != hub_id);
        }
    }

    pub fn forget(&self, user_id: UserId) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|(u, _), _| *u != user_id);
        }
    }
}
