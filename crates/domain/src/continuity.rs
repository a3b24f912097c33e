//! Continuity and closure (issue 12). A case closes only by a manager's decision, with
//! the reason, the parent's view in their own words and a step-down plan: never by
//! itself, and never because a child turns 16 or 18 (`parents-speak-out-2016.txt`,
//! recommendation 6: a worker stays "as long as it takes"). Reopening keeps the history.

use crate::validate::{self as v, FieldErrors, LONG_TEXT_MAX};

/// A closure as sent.
#[derive(Debug, Clone, Default)]
pub struct RawClosure {
    pub reason: String,
    pub parent_view: String,
    pub step_down: String,
}

/// A manager's decision to close a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub reason: String,
    pub parent_view: String,
    pub step_down: String,
}

impl Closure {
    pub fn parse(raw: &RawClosure) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = v::required_text(
            &mut e,
            "reason",
            "Why the case is closing",
            &raw.reason,
            LONG_TEXT_MAX,
        );
        let parent_view = v::required_text(
            &mut e,
            "parent-view",
            "What the parents or carers say about closing, in their words",
            &raw.parent_view,
            LONG_TEXT_MAX,
        );
        let step_down = v::required_text(
            &mut e,
            "step-down",
            "The step-down plan",
            &raw.step_down,
            LONG_TEXT_MAX,
        );
        e.finish(Closure {
            reason,
            parent_view,
            step_down,
        })
    }
}

/// Why a closed case is opened again.
pub fn reopen_reason(raw: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let r = v::required_text(
        &mut e,
        "reopen-reason",
        "Why the case is opening again",
        raw,
        LONG_TEXT_MAX,
    );
    e.finish(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closure_needs_the_reason_the_parents_view_and_a_step_down_plan() {
        let e = Closure::parse(&RawClosure::default()).unwrap_err();
        for f in ["reason", "parent-view", "step-down"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let c = Closure::parse(&RawClosure {
            reason: "Safe for six months".into(),
            parent_view: "  We feel ready  ".into(),
            step_down: "Early help for a term".into(),
        })
        .unwrap();
        assert_eq!(c.parent_view, "We feel ready");
        assert!(reopen_reason(" ").is_err());
    }
}
