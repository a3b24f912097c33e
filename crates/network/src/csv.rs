//! The CSV format of `alongside link`.
//!
//! Input: a header row with `id` and any of `given_name`, `surname`, `full_name`,
//! `nickname`, `date_of_birth`, `phone`, `vehicle`, `email`, `handle`, `postcode`,
//! `address` (header names are matched ignoring case and surrounding spaces; other
//! columns are ignored). A row without an id, with an id already used, with the wrong
//! number of fields or not in UTF-8 is skipped and reported with its line number in
//! [`LinkReport::skipped`]. A date of birth that cannot be read keeps its row and is
//! reported in [`LinkReport::warnings`].
//!
//! Output: `id,cluster_id` for every row kept, in input order; with `pairs`,
//! `id_a,id_b,score,match_probability,match_weight,reasons` for every accepted pair
//! (`score` is the match probability, as before; reasons joined with "; ", each with what
//! it added to the match weight); with `explain`, the learnt m and u table
//! ([`crate::Model::write_table`]).

use std::collections::HashSet;
use std::io::{Read, Write};

use crate::fellegi_sunter::Model;
use crate::link::{link_with, DuplicateId, PartialDate, PersonRecord, Settings};

/// A CSV for people who open it in a spreadsheet (councils use Excel): UTF-8 with a
/// byte-order mark so that "Zoë" shows as written, CRLF line ends, quoted where needed
/// by the `csv` crate, and every cell through `spreadsheet_cell` (bidi controls shown,
/// formulas made plain text; plain numbers such as "+447700900123" left as numbers).
pub fn spreadsheet_csv<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; the record lengths are the caller's to keep equal.
    let _ = w.write_record(header);
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| alongside_domain::text::spreadsheet_cell(c.as_ref()))
            .collect();
        let _ = w.write_record(&cells);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// What went wrong with the whole file (bad rows are not errors: see [`LinkReport`]).
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("the input is empty: expected a header row with an `id` column")]
    Empty,
    #[error("the header row has no `id` column (columns found: {0})")]
    MissingIdColumn(String),
    #[error("the header row is not UTF-8 text")]
    HeaderNotUtf8,
    #[error("cannot read the input: {0}")]
    Read(csv::Error),
    #[error("cannot write the output: {0}")]
    Write(csv::Error),
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Duplicate(#[from] DuplicateId),
}

/// What [`link_csv`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkReport {
    /// Rows read and linked.
    pub records: usize,
    /// Distinct clusters among them.
    pub clusters: usize,
    /// Accepted pairs.
    pub pairs: usize,
    /// Candidate pairs scored.
    pub candidate_pairs: usize,
    /// Rows skipped: `(line number, why)`.
    pub skipped: Vec<(u64, String)>,
    /// Rows kept with a field ignored: `(line number, what)`.
    pub warnings: Vec<(u64, String)>,
    /// Blocking keys not used because too many records held them: `(key, records)`.
    pub oversized_blocks: Vec<(String, usize)>,
    /// The model learnt from the records.
    pub model: Option<Model>,
}

const COLUMNS: [&str; 11] = [
    "given_name",
    "surname",
    "full_name",
    "nickname",
    "date_of_birth",
    "phone",
    "vehicle",
    "email",
    "handle",
    "postcode",
    "address",
];

/// The field of a record that column `COLUMNS[column]` holds.
fn field_mut(r: &mut PersonRecord, column: usize) -> &mut Option<String> {
    match column {
        0 => &mut r.given_name,
        1 => &mut r.surname,
        2 => &mut r.full_name,
        3 => &mut r.nickname,
        4 => &mut r.date_of_birth,
        5 => &mut r.phone,
        6 => &mut r.vehicle,
        7 => &mut r.email,
        8 => &mut r.handle,
        9 => &mut r.postcode,
        _ => &mut r.address,
    }
}

/// Writes person records as the CSV `link_csv` reads: `id` and every known column.
pub fn write_people<W: Write>(records: &[PersonRecord], output: W) -> Result<(), LinkError> {
    let mut w = csv::Writer::from_writer(output);
    let header = std::iter::once("id").chain(COLUMNS);
    w.write_record(header).map_err(LinkError::Write)?;
    for r in records {
        let mut r = r.clone();
        let mut row = vec![r.id.clone()];
        row.extend((0..COLUMNS.len()).map(|k| field_mut(&mut r, k).take().unwrap_or_default()));
        w.write_record(&row).map_err(LinkError::Write)?;
    }
    w.flush()?;
    Ok(())
}

/// Read person records from `input`, link them, write `id,cluster_id` to `output` and,
/// if given, the accepted pairs to `pairs`. `progress(done, total)` follows the scoring.
pub fn link_csv<R: Read, W: Write, P: Write>(
    input: R,
    output: W,
    pairs: Option<P>,
    progress: impl FnMut(usize, usize),
) -> Result<LinkReport, LinkError> {
    link_csv_with(
        input,
        output,
        pairs,
        None::<Vec<u8>>,
        &Settings::default(),
        progress,
    )
}

/// [`link_csv`] with settings, and the learnt m and u table written to `explain`.
pub fn link_csv_with<R: Read, W: Write, P: Write, E: Write>(
    input: R,
    output: W,
    pairs: Option<P>,
    explain: Option<E>,
    settings: &Settings,
    progress: impl FnMut(usize, usize),
) -> Result<LinkReport, LinkError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut report = LinkReport::default();

    let mut row = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut row).map_err(LinkError::Read)? {
        return Err(LinkError::Empty);
    }
    let header: Vec<String> = row
        .iter()
        .map(|f| {
            std::str::from_utf8(f).map(|s| {
                s.trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_lowercase()
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|_| LinkError::HeaderNotUtf8)?;
    let width = header.len();
    let Some(id_col) = header.iter().position(|h| h == "id") else {
        return Err(LinkError::MissingIdColumn(header.join(", ")));
    };
    // For each known column, the first input column with its name.
    let columns: Vec<(usize, usize)> = COLUMNS
        .iter()
        .enumerate()
        .filter_map(|(k, name)| header.iter().position(|h| h == name).map(|c| (c, k)))
        .collect();

    let mut records = Vec::new();
    let mut seen = HashSet::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(LinkError::Read(e));
                }
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                report.skipped.push((line, format!("unreadable row: {e}")));
                continue;
            }
        }
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        if row.len() != width {
            report.skipped.push((
                line,
                format!("{} fields where the header has {width}", row.len()),
            ));
            continue;
        }
        let Ok(fields) = row
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<&str>, _>>()
        else {
            report.skipped.push((line, "not UTF-8 text".to_string()));
            continue;
        };
        let id = fields[id_col].trim();
        if id.is_empty() {
            report.skipped.push((line, "no id".to_string()));
            continue;
        }
        if !seen.insert(id.to_string()) {
            report
                .skipped
                .push((line, format!("the id '{id}' was used by an earlier row")));
            continue;
        }
        let mut record = PersonRecord {
            id: id.to_string(),
            ..PersonRecord::default()
        };
        for &(c, k) in &columns {
            let v = fields[c].trim();
            if !v.is_empty() {
                *field_mut(&mut record, k) = Some(v.to_string());
            }
        }
        if let Some(d) = &record.date_of_birth {
            if PartialDate::parse(d).is_none() {
                report.warnings.push((
                    line,
                    format!("date of birth '{d}' ignored: use YYYY, YYYY-MM or YYYY-MM-DD"),
                ));
            }
        }
        records.push(record);
    }

    let linkage = link_with(&records, settings, progress)?;
    report.records = records.len();
    report.clusters = linkage.cluster_count;
    report.pairs = linkage.pairs.len();
    report.candidate_pairs = linkage.candidate_pairs;
    report.oversized_blocks = linkage.oversized_blocks;
    report.model = linkage.model;
    if let (Some(mut e), Some(model)) = (explain, &report.model) {
        model.write_table(&mut e)?;
        e.flush()?;
    }

    // In input order.
    let cluster_of: std::collections::HashMap<&str, &str> = linkage
        .clusters
        .iter()
        .map(|(id, c)| (id.as_str(), c.as_str()))
        .collect();
    let mut out = csv::Writer::from_writer(output);
    out.write_record(["id", "cluster_id"])
        .map_err(LinkError::Write)?;
    for r in &records {
        let cluster = cluster_of.get(r.id.as_str()).copied().unwrap_or(&r.id);
        out.write_record([r.id.as_str(), cluster])
            .map_err(LinkError::Write)?;
    }
    out.flush()?;

    if let Some(p) = pairs {
        let mut w = csv::Writer::from_writer(p);
        w.write_record([
            "id_a",
            "id_b",
            "score",
            "match_probability",
            "match_weight",
            "reasons",
        ])
        .map_err(LinkError::Write)?;
        for pair in &linkage.pairs {
            let reasons = pair
                .reasons
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            w.write_record([
                pair.id_a.as_str(),
                pair.id_b.as_str(),
                &format!("{:.3}", pair.score),
                &format!("{:.6}", pair.score),
                &format!("{:.2}", pair.match_weight),
                &reasons,
            ])
            .map_err(LinkError::Write)?;
        }
        w.flush()?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> (Result<LinkReport, LinkError>, String, String) {
        let mut out = Vec::new();
        let mut pairs = Vec::new();
        let r = link_csv(input.as_bytes(), &mut out, Some(&mut pairs), |_, _| {});
        (
            r,
            String::from_utf8(out).unwrap(),
            String::from_utf8(pairs).unwrap(),
        )
    }

    #[test]
    fn written_people_read_back_whole() {
        let (records, _) = crate::generate(300, 7);
        let mut file = Vec::new();
        write_people(&records, &mut file).unwrap();
        let (r, out, _) = run(std::str::from_utf8(&file).unwrap());
        let r = r.unwrap();
        assert_eq!(r.records, records.len());
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        assert_eq!(out.lines().count(), records.len() + 1);
    }

    #[test]
    fn links_and_writes_clusters_and_pairs() {
        let input = "id,full_name,phone,colour\n\
                     b2,Danny K,07700 900123,red\n\
                     a1,Daniel Khan,+44 7700 900123,blue\n\
                     c3,Imran Patel,,green\n";
        let (r, out, pairs) = run(input);
        let r = r.unwrap();
        assert_eq!(r.records, 3);
        assert_eq!(r.clusters, 2);
        assert!(r.skipped.is_empty());
        assert_eq!(out, "id,cluster_id\nb2,a1\na1,a1\nc3,c3\n");
        let mut lines = pairs.lines();
        assert_eq!(
            lines.next(),
            Some("id_a,id_b,score,match_probability,match_weight,reasons")
        );
        let line = lines.next().unwrap();
        assert!(line.starts_with("a1,b2,"), "{line}");
        assert!(
            line.contains("given names are nickname forms of one name ('daniel' ~ 'danny'): +"),
            "{line}"
        );
        assert!(line.contains("same phone ('+447700900123')"), "{line}");
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn explain_writes_the_learnt_table() {
        let (records, _) = crate::generate(500, 3);
        let mut file = Vec::new();
        write_people(&records, &mut file).unwrap();
        let mut table = Vec::new();
        let r = link_csv_with(
            &file[..],
            Vec::new(),
            None::<Vec<u8>>,
            Some(&mut table),
            &Settings::default(),
            |_, _| {},
        )
        .unwrap();
        let table = String::from_utf8(table).unwrap();
        let mut lines = table.lines();
        assert_eq!(
            lines.next(),
            Some("comparison,level,description,m,u,match_weight")
        );
        let levels: usize = crate::Field::ALL.iter().map(|f| f.levels().len()).sum();
        assert_eq!(
            lines.clone().filter(|l| !l.starts_with('#')).count(),
            levels
        );
        assert!(
            table.contains("given_name,1,\"given names are nickname forms of one name\","),
            "{table}"
        );
        assert!(table.contains("# prior: two records of this list are one person"));
        assert!(r.model.is_some_and(|m| m.converged));
    }

    #[test]
    fn bad_rows_are_skipped_and_reported_with_line_numbers() {
        let input = "ID , Given_Name,surname,date_of_birth\n\
                     p1,Daniel,Khan,1990-04-12\n\
                     ,Mo,Ali,\n\
                     p1,Again,Twice,\n\
                     p3,Too,Many,1990,extra\n\
                     p4,Too\n\
                     p5,Zoe,Brown,12th April\n\
                     p6,Daniel,Khan,1990\n";
        let (r, out, _) = run(input);
        let r = r.unwrap();
        assert_eq!(r.records, 3);
        let lines: Vec<u64> = r.skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 5, 6], "{:?}", r.skipped);
        assert_eq!(r.skipped[0].1, "no id");
        assert!(r.skipped[1].1.contains("'p1' was used by an earlier row"));
        assert_eq!(r.skipped[2].1, "5 fields where the header has 4");
        assert_eq!(r.skipped[3].1, "2 fields where the header has 4");
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].0, 7);
        assert_eq!(out, "id,cluster_id\np1,p1\np5,p5\np6,p1\n");
    }

    #[test]
    fn invalid_utf8_row_is_skipped() {
        let mut input = b"id,full_name\nx1,Daniel Khan\nx2,".to_vec();
        input.extend_from_slice(&[0xff, 0xfe]);
        input.extend_from_slice(b"\nx3,Mo Ali\n");
        let mut out = Vec::new();
        let r = link_csv(&input[..], &mut out, None::<Vec<u8>>, |_, _| {}).unwrap();
        assert_eq!(r.records, 2);
        assert_eq!(r.skipped, [(3, "not UTF-8 text".to_string())]);
    }

    #[test]
    fn unknown_columns_are_ignored() {
        let input = "notes,id,favourite_food,surname\nhello,z1,chips,Khan\n";
        let (r, out, _) = run(input);
        assert_eq!(r.unwrap().records, 1);
        assert_eq!(out, "id,cluster_id\nz1,z1\n");
    }

    #[test]
    fn missing_id_column_is_an_error_that_says_so() {
        let (r, _, _) = run("name,phone\nDaniel,07700 900123\n");
        let e = r.unwrap_err();
        assert!(matches!(e, LinkError::MissingIdColumn(_)));
        assert_eq!(
            e.to_string(),
            "the header row has no `id` column (columns found: name, phone)"
        );
        let (r, _, _) = run("");
        assert!(matches!(r.unwrap_err(), LinkError::Empty));
    }

    #[test]
    fn progress_reaches_the_end() {
        // Two spellings of one person: one candidate pair to score.
        let input = "id,full_name\na,Daniel Khan\nb,Dan Khan\n";
        let mut calls = Vec::new();
        link_csv(input.as_bytes(), Vec::new(), None::<Vec<u8>>, |d, t| {
            calls.push((d, t))
        })
        .unwrap();
        assert_eq!(
            calls.last(),
            Some(&(1, 1)),
            "the last report is 1 of 1: {calls:?}"
        );
        assert!(
            calls
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1),
            "never goes back, one total: {calls:?}"
        );
    }
}
