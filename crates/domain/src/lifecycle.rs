//! The lifecycles of records, as pure functions over their states: what may happen to an
//! information-log entry, an intelligence submission and a portal invitation, and from
//! which state. The store reads the state, asks these functions, and writes only what
//! they allow (guarding the write with the state it read, so a change made meanwhile is
//! refused rather than overwritten).

use crate::information::{EntryStatus, SubmissionStatus};
use chrono::{DateTime, Utc};

/// Why a step of a lifecycle is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the entry has already been passed to the police")]
    EntryAlreadySubmitted,
    #[error("the entry was reviewed as not relevant")]
    EntryNotRelevant,
    #[error("the submission has already been acknowledged")]
    AlreadyAcknowledged,
}

impl EntryStatus {
    /// The PLO reviews an entry: relevant or not. An entry already passed to the police
    /// keeps its review; any other may be reviewed again.
    pub fn review(self, relevant: bool) -> Result<EntryStatus, Refused> {
        match self {
            EntryStatus::Submitted => Err(Refused::EntryAlreadySubmitted),
            _ if relevant => Ok(EntryStatus::Relevant),
            _ => Ok(EntryStatus::NotRelevant),
        }
    }

    /// An entry is passed to the police in a submission: not twice, and not one
    /// reviewed as not relevant (it must be reviewed again first).
    pub fn submit(self) -> Result<EntryStatus, Refused> {
        match self {
            EntryStatus::Submitted => Err(Refused::EntryAlreadySubmitted),
            EntryStatus::NotRelevant => Err(Refused::EntryNotRelevant),
            EntryStatus::New | EntryStatus::Relevant => Ok(EntryStatus::Submitted),
        }
    }

    /// Whether the person who recorded the entry may still check what was found in it.
    pub fn identifiers_open(self) -> bool {
        self != EntryStatus::Submitted
    }

    /// Whether the entry waits in the PLO's review queue.
    pub fn awaits_review(self) -> bool {
        matches!(self, EntryStatus::New | EntryStatus::Relevant)
    }
}

impl SubmissionStatus {
    /// The police confirm they received a submission: once.
    pub fn acknowledge(self) -> Result<SubmissionStatus, Refused> {
        match self {
            SubmissionStatus::Submitted => Ok(SubmissionStatus::Acknowledged),
            _ => Err(Refused::AlreadyAcknowledged),
        }
    }

    /// The police record what became of a submission. It may change later (recording
    /// one acknowledges a submission not yet acknowledged).
    pub fn record_outcome(self) -> SubmissionStatus {
        SubmissionStatus::OutcomeRecorded
    }
}

/// Where an invitation to the parent portal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Waiting,
    Accepted,
    Withdrawn,
    Expired,
}

impl InvitationState {
    /// An invitation's state from what is recorded of it. Used beats withdrawn beats
    /// expired: an invitation accepted and then past its date is still accepted.
    pub fn of(
        used_at: Option<DateTime<Utc>>,
        withdrawn_at: Option<DateTime<Utc>>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        if used_at.is_some() {
            InvitationState::Accepted
        } else if withdrawn_at.is_some() {
            InvitationState::Withdrawn
        } else if expires_at <= now {
            InvitationState::Expired
        } else {
            InvitationState::Waiting
        }
    }

    /// The word the PLO's list of invitations shows.
    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Waiting => "Waiting",
            InvitationState::Accepted => "Accepted",
            InvitationState::Withdrawn => "Withdrawn",
            InvitationState::Expired => "Expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use chrono::Duration;

    #[test]
    fn an_entry_is_reviewed_until_it_is_passed_on() {
        for s in EntryStatus::ALL {
            let reviewed = s.review(true);
            if *s == EntryStatus::Submitted {
                assert_eq!(reviewed, Err(Refused::EntryAlreadySubmitted));
            } else {
                assert_eq!(reviewed, Ok(EntryStatus::Relevant));
                assert_eq!(s.review(false), Ok(EntryStatus::NotRelevant));
            }
        }
    }

    #[test]
    fn only_new_or_relevant_entries_are_passed_on() {
        assert_eq!(EntryStatus::New.submit(), Ok(EntryStatus::Submitted));
        assert_eq!(EntryStatus::Relevant.submit(), Ok(EntryStatus::Submitted));
        assert_eq!(
            EntryStatus::NotRelevant.submit(),
            Err(Refused::EntryNotRelevant)
        );
        assert_eq!(
            EntryStatus::Submitted.submit(),
            Err(Refused::EntryAlreadySubmitted)
        );
        assert!(!EntryStatus::Submitted.identifiers_open());
        assert!(EntryStatus::Relevant.awaits_review());
        assert!(!EntryStatus::NotRelevant.awaits_review());
    }

    #[test]
    fn a_submission_is_acknowledged_once_and_its_outcome_may_change() {
        assert_eq!(
            SubmissionStatus::Submitted.acknowledge(),
            Ok(SubmissionStatus::Acknowledged)
        );
        assert_eq!(
            SubmissionStatus::Acknowledged.acknowledge(),
            Err(Refused::AlreadyAcknowledged)
        );
        assert_eq!(
            SubmissionStatus::OutcomeRecorded.acknowledge(),
            Err(Refused::AlreadyAcknowledged)
        );
        for s in SubmissionStatus::ALL {
            assert_eq!(s.record_outcome(), SubmissionStatus::OutcomeRecorded);
        }
    }

    #[test]
    fn an_invitation_used_stays_accepted() {
        let now = Utc::now();
        let later = now + Duration::days(7);
        let earlier = now - Duration::days(1);
        assert_eq!(
            InvitationState::of(None, None, later, now),
            InvitationState::Waiting
        );
        assert_eq!(
            InvitationState::of(None, None, earlier, now),
            InvitationState::Expired
        );
        assert_eq!(
            InvitationState::of(None, Some(earlier), later, now),
            InvitationState::Withdrawn
        );
        assert_eq!(
            InvitationState::of(Some(earlier), Some(earlier), earlier, now),
            InvitationState::Accepted
        );
    }
}
