//! Why the store refused a change that broke a rule of the data. Each refusal is a
//! variant, so callers match on what happened, never on words; its `Display` is the
//! sentence a person reads, saying what to do.

/// What a person is told when the username they chose cannot be used.
pub const USERNAME_REFUSED: &str = "Choose a different username";

/// A rule of the data that a change broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Separation of duties: no one in the hub could approve a first manager.
    #[error("A hub's first manager is added on the server, with alongside create-user: there is no manager in this hub yet to approve one made here")]
    FirstManagerFromTheServer,
    /// Text holding a NUL character, which cannot be stored (the forms refuse it first).
    #[error("Something you entered contains a control character (such as NUL) that cannot be stored: remove it and try again")]
    UnstorableText,
    #[error("a hub called '{0}' already exists")]
    HubExists(String),
    #[error("the hub '{0}' already exists; demo data is only added to a new hub")]
    DemoHubExists(String),
    /// The username chosen cannot be used. The same words whoever asks and whatever
    /// the reason, so that no one can learn which usernames exist (issue 10, L4).
    #[error("{USERNAME_REFUSED}")]
    UsernameTaken,
    /// A reset code that is wrong, used, expired, or not this username's: one answer.
    #[error("That code and username do not match a reset code that can still be used. Check both, or ask your administrator for a new code")]
    ResetCodeUnknown,
    #[error("This family's log holds as many photos as it can (1 GB). Save the note without photos; if the photos matter as evidence, hand them to the Parent Liaison Officer as an evidence item")]
    FamilyPhotoQuota,
    #[error("You have added as many photos as can be added in one day (60, or 150 MB). Save the note without them, and add them tomorrow")]
    DailyPhotoQuota,
    #[error("The account is disabled: enable it first, then make a reset code")]
    AccountDisabled,
    /// A role change that is not made in the browser, with what to do instead.
    #[error("{0}")]
    RoleChange(&'static str),
    #[error("The Parent Liaison Officer chosen is not a Parent Liaison Officer of this hub")]
    NotHubPlo,
    #[error("The Child Support Worker chosen is not a Child Support Worker of this hub")]
    NotHubCsw,
    #[error("Choose a parent or carer of this family")]
    NotParentCarer,
    #[error("Choose one of this family's children")]
    NotFamilyChild,
    #[error(
        "They are still missing: record when they came back first, then the return-home interview"
    )]
    StillMissing,
    #[error("Save something in the profile first (a nickname, say), then add the photo")]
    ProfileFirst,
    #[error("The profile is already shared with the police: withdraw that first if what they may read has changed")]
    AlreadyShared,
    #[error("Write the profile first: there is nothing yet to share")]
    NothingToShare,
    #[error("The date they started living there is before the current placement began ({0}): a new placement starts on or after that day")]
    PlacementBeforeCurrent(String),
    #[error("The case is already closed: reopen it first if there is more to do")]
    AlreadyClosed,
    #[error("The case is open: there is nothing to reopen")]
    NotClosed,
    #[error("We could not find an invitation with that code. Check it against the message from your Parent Liaison Officer")]
    InvitationUnknown,
    #[error("This invitation has already been used. Sign in with the username you chose, or ask your Parent Liaison Officer for a new invitation")]
    InvitationUsed,
    #[error("This invitation was withdrawn. Ask your Parent Liaison Officer for a new one")]
    InvitationWithdrawn,
    #[error("This invitation has expired. Ask your Parent Liaison Officer for a new one")]
    InvitationExpired,
    #[error("One of the chosen entries has already been passed to the police")]
    EntryAlreadySubmitted,
    #[error(
        "One of the chosen entries was marked not relevant: review it again before passing it on"
    )]
    EntryNotRelevant,
    #[error("This has already been passed to the police, so its details can no longer be changed here: tell your Parent Liaison Officer what is wrong")]
    IdentifiersLocked,
    #[error(
        "This information has already been passed to the police; its review cannot be changed"
    )]
    ReviewLocked,
    #[error("That day is already one of the hub's bank holidays")]
    BankHolidayKnown,
    /// A change named a version of the record that is no longer its own.
    #[error("Someone changed this since you read it: read it again, then make your change")]
    ChangedSinceRead,
    #[error("This contact is no longer planned: it was already held or cancelled, and what happened is in the chronology")]
    ContactNotPlanned,
    /// Only what a parent or carer logged waits for the PLO's answer to them.
    #[error("This was recorded by a worker, so there is no parent or carer waiting for an answer to it: add what followed to its outcome instead")]
    IncidentNotFromParent,
    #[error("This submission has already been acknowledged")]
    AlreadyAcknowledged,
    #[error("Choose two different names to merge")]
    SameNames,
    #[error("These two names are already merged")]
    AlreadyMerged,
    #[error("There is no entry {0} in this chain of custody to correct")]
    NoSuchCustodyEntry(i64),
}

impl Refusal {
    /// Whether the refusal is about a username (the rest of a joining form is the code).
    pub fn is_username(&self) -> bool {
        matches!(self, Refusal::UsernameTaken)
    }
}

/// The words a person reads (for the form error or page that shows a refusal).
impl From<Refusal> for String {
    fn from(r: Refusal) -> String {
        r.to_string()
    }
}
