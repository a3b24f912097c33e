//! Roles and capabilities. A handler asks `role.can(Capability::X)`; it never compares
//! role names itself, so what a role may do is decided in this one table.

use crate::code_enum;

code_enum! {
    /// What a person does in a hub. A user holds one role.
    Role {
        Administrator => "administrator", "Administrator";
        Manager => "manager", "Operational manager";
        Plo => "plo", "Parent Liaison Officer";
        Csw => "csw", "Child Support Worker";
        Police => "police", "Police partner";
        SocialCare => "social_care", "Social care partner";
        Commissioner => "commissioner", "Commissioner";
        Parent => "parent", "Parent or carer";
    }
}

/// Something a person may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Read and work on every family of the hub.
    SeeAllHubFamilies,
    /// Read and work on the families allocated to them (lead PLO or CSW).
    SeeAllocatedFamilies,
    /// Record a new referral.
    CreateReferral,
    /// See the hub's referral list and triage, decide and allocate.
    TriageReferrals,
    /// See their own caseload.
    HoldCaseload,
    /// See caseload per worker across the hub.
    ViewCapacity,
    /// Read the audit log of the hub.
    ViewAuditLog,
    /// Create users and manage hubs.
    ManageUsers,
    /// Invite a parent or carer of a family they hold to the parent portal.
    InviteParents,
    /// Read the information log of their families and mark entries relevant or not.
    ReviewInformation,
    /// Combine relevant entries into a graded intelligence submission to the police.
    SubmitIntelligence,
    /// Receive the hub's intelligence submissions, acknowledge them and record outcomes.
    ReceiveIntelligence,
    /// Read and hand over evidence items of the hub (the police side of the chain).
    HandleHubEvidence,
    /// Use the parent portal: their own family, their own entries.
    UseParentPortal,
    /// Hear at once when an identifier or person turns up in more than one family.
    ReceiveAlerts,
    /// See the hub's whole network picture and export it for analysts.
    ViewNetwork,
    /// Approve an account with a casework role in their hub before it may sign in, and
    /// see every account made, approved or changed there (separation of duties).
    ApproveAccounts,
    /// Keep personal API tokens and switch hubs on the staff account page (everyone but
    /// parents and carers, whose account page shows only their password and sessions).
    UseApiTokens,
    /// Read a child's missing-from-home profile while the child is missing, or while the
    /// family or their PLO shares it with the police (each read audited).
    ReadSharedProfiles,
    /// Close a case (with the reason, the parent's view and a step-down plan) or reopen
    /// it, and change the workers allocated to a family.
    CloseCases,
}

impl Role {
    /// The single table of who may do what.
    pub fn can(self, cap: Capability) -> bool {
        use Capability::*;
        use Role::*;
        matches!(
            (self, cap),
            (Manager, SeeAllHubFamilies)
                | (Manager, CreateReferral)
                | (Manager, TriageReferrals)
                | (Manager, ViewCapacity)
                | (Manager, ViewAuditLog)
                | (Plo, SeeAllocatedFamilies)
                | (Plo, CreateReferral)
                | (Plo, HoldCaseload)
                | (Csw, SeeAllocatedFamilies)
                | (Csw, CreateReferral)
                | (Csw, HoldCaseload)
                | (Manager, ReviewInformation)
                | (Manager, SubmitIntelligence)
                | (Plo, InviteParents)
                | (Plo, ReviewInformation)
                | (Plo, SubmitIntelligence)
                | (Police, ReceiveIntelligence)
                | (Police, HandleHubEvidence)
                | (Parent, UseParentPortal)
                | (Manager, ReceiveAlerts)
                | (Police, ReceiveAlerts)
                | (Manager, ViewNetwork)
                | (Police, ViewNetwork)
                | (Manager, ApproveAccounts)
                | (Police, ReadSharedProfiles)
                | (Manager, CloseCases)
                | (Administrator, ViewAuditLog)
                | (Administrator, ManageUsers)
        ) || (cap == UseApiTokens && self != Parent)
    }

    /// Whether the role works on cases (families, intelligence, evidence): an account
    /// with one, made in the browser, waits for a manager of its hub to approve it.
    pub fn is_casework(self) -> bool {
        matches!(
            self,
            Role::Manager | Role::Plo | Role::Csw | Role::Police | Role::SocialCare
        )
    }

    /// Whether this role works on family records at all.
    pub fn sees_families(self) -> bool {
        self.can(Capability::SeeAllHubFamilies) || self.can(Capability::SeeAllocatedFamilies)
    }

    /// Whether the role sees support notes marked confidential to the support team.
    pub fn sees_confidential_support_notes(self) -> bool {
        matches!(self, Role::Manager | Role::Plo | Role::Csw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn only_managers_triage_and_only_administrators_manage_users() {
        for role in Role::ALL {
            assert_eq!(
                role.can(Capability::TriageReferrals),
                *role == Role::Manager
            );
            assert_eq!(
                role.can(Capability::ManageUsers),
                *role == Role::Administrator
            );
        }
    }

    #[test]
    fn partners_and_commissioners_do_not_see_family_records() {
        for role in [
            Role::Police,
            Role::SocialCare,
            Role::Commissioner,
            Role::Administrator,
        ] {
            assert!(!role.sees_families(), "{role}");
        }
    }
}
