//! The hub's unit costs (issue 12, used by the reports of issue 14): one table of what
//! things cost, with the defaults from the model (`../shared/domain.md`, "Outcomes and
//! costs"), each edited by the hub's administrator. Money is kept in whole pence.

use crate::code_enum;
use crate::validate::FieldErrors;

code_enum! {
    /// A thing whose cost the figures count.
    UnitCost {
        PloWeek => "plo_week", "A Parent Liaison Officer supporting a family, per week";
        ResidentialWeek => "residential_week", "Residential care for a child, per week";
        SearchNight => "search_night", "A police search for a missing child, per night";
        LookedAfterYear => "looked_after_year", "A child looked after by the local authority, per year";
    }
}

impl UnitCost {
    /// The model's figure, in pence.
    pub fn default_pence(self) -> i64 {
        match self {
            UnitCost::PloWeek => 5_000,
            UnitCost::ResidentialWeek => 450_000,
            UnitCost::SearchNight => 130_000,
            UnitCost::LookedAfterYear => 3_766_900,
        }
    }
}

/// The most a unit cost may be: ten million pounds.
pub const MAX_PENCE: i64 = 1_000_000_000;

/// Reads an amount of money as people write it ("1300", "£1,300", "37669.50"): whole
/// pence, or a message saying what to write.
pub fn parse_pounds(e: &mut FieldErrors, field: &str, label: &str, raw: &str) -> Option<i64> {
    let t: String = raw
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let wrong = |e: &mut FieldErrors| {
        e.add(
            field,
            format!(
                "Enter {} in pounds, like 1300 or 1,300.50",
                label.to_lowercase()
            ),
        );
        None
    };
    if t.is_empty() {
        return wrong(e);
    }
    let (pounds, pence) = match t.split_once('.') {
        Some((p, d)) if d.len() <= 2 && !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => {
            (p, format!("{d:0<2}"))
        }
        Some(_) => return wrong(e),
        None => (t.as_str(), "00".to_string()),
    };
    if pounds.is_empty() || !pounds.chars().all(|c| c.is_ascii_digit()) || pounds.len() > 8 {
        return wrong(e);
    }
    let total = pounds.parse::<i64>().ok()? * 100 + pence.parse::<i64>().ok()?;
    if total > MAX_PENCE {
        e.add(field, format!("{label} must be £10,000,000 or less"));
        return None;
    }
    Some(total)
}

/// Pence as pounds for people: "£1,300" or "£37,669.50".
pub fn pounds(pence: i64) -> String {
    let whole = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match pence % 100 {
        0 => format!("£{grouped}"),
        p => format!("£{grouped}.{p:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_as_people_write_it() {
        let mut e = FieldErrors::new();
        assert_eq!(parse_pounds(&mut e, "c", "It", "1300"), Some(130_000));
        assert_eq!(parse_pounds(&mut e, "c", "It", " £1,300 "), Some(130_000));
        assert_eq!(parse_pounds(&mut e, "c", "It", "37669.5"), Some(3_766_950));
        assert!(e.is_empty());
        for bad in ["", "-5", "1.234", "ten", "1e5", "£", "99999999999"] {
            let mut e = FieldErrors::new();
            assert_eq!(parse_pounds(&mut e, "c", "It", bad), None, "{bad}");
            assert!(!e.is_empty(), "{bad}");
        }
        assert_eq!(pounds(130_000), "£1,300");
        assert_eq!(pounds(3_766_950), "£37,669.50");
        assert_eq!(pounds(5_000), "£50");
        assert_eq!(pounds(1_000_000_000), "£10,000,000");
    }
}
