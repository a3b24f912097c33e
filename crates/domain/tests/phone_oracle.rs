//! Phone numbers against an outside judge: Google's libphonenumber, through Python's
//! `phonenumbers` (PyPI), over 2,000 generated UK numbers written in 18 ways. What
//! `extract` finds in each must agree with libphonenumber (recognised exactly when it is
//! valid, with the same E.164 value), except Ofcom's drama ranges, which we recognise
//! (decision 0006).
//!
//! Needs `ALONGSIDE_ORACLE_PYTHON`, a Python with `phonenumbers` (scripts/test installs
//! it); without it the test says so and passes, unless `ALONGSIDE_ORACLES_REQUIRED=1`.

use alongside_domain::identifiers::{extract, IdentifierKind};
use std::io::Write;

/// A small deterministic generator (the numbers are the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
}

/// National significant numbers (the digits after the 0): a spread over every range,
/// allocated or not, with freephone numbers of nine and seven digits and drama numbers.
fn numbers() -> Vec<String> {
    let mut g = Lcg(20261201);
    let mut out = Vec::new();
    let starts = [
        "1", "11", "12", "13", "14", "15", "16", "17", "18", "19", "2", "20", "23", "24", "28",
        "29", "21", "22", "25", "26", "27", "3", "30", "33", "34", "37", "31", "5", "55", "56",
        "50", "7", "70", "71", "73", "74", "75", "76", "77", "78", "79", "72", "7624", "8", "800",
        "808", "843", "844", "845", "870", "871", "872", "873", "80", "81", "9", "90", "91", "98",
        "1632", "7700900",
    ];
    while out.len() < 1_800 {
        let s = starts[(g.next() as usize) % starts.len()];
        out.push(format!("{s}{}", g.digits(10 - s.len())));
    }
    while out.len() < 1_950 {
        out.push(format!("800{}", g.digits(6)));
    }
    out.push("8001111".into());
    out.push("8088001111".into());
    while out.len() < 2_000 {
        out.push(format!("7700900{}", g.digits(3)));
    }
    out
}

/// The 18 ways a number is written (`n` the digits after the 0).
fn written(n: &str) -> Vec<String> {
    let national = format!("0{n}");
    let (a, b) = national.split_at(if n.len() == 10 { 5 } else { 4 });
    let (b1, b2) = b.split_at(b.len() / 2);
    let (i1, i2) = n.split_at(if n.len() == 10 { 4 } else { 3 });
    let (c, d) = national.split_at(4);
    let (d1, d2) = d.split_at(3.min(d.len()));
    let full_width: String = national
        .chars()
        .map(|ch| char::from_u32(ch as u32 - '0' as u32 + 0xff10).unwrap())
        .collect();
    vec![
        format!("{a} {b}"),
        national.clone(),
        format!("+44 {i1} {i2}"),
        format!("+44{n}"),
        format!("0044 {i1} {i2}"),
        format!("+44 (0) {i1} {i2}"),
        format!("+44(0){i1}-{}-{}", &i2[..i2.len() / 2], &i2[i2.len() / 2..]),
        format!("({a}) {b}"),
        format!("{a}.{b1}.{b2}"),
        format!("{a}-{b}"),
        format!("{a} {b1} {b2}"),
        format!("{a}\u{a0}{b}"),
        format!("{a}\u{2013}{b}"),
        full_width,
        format!("(+44 (0) {i1} {i2})"),
        format!("+44 {i1} {} {}", &i2[..i2.len() / 2], &i2[i2.len() / 2..]),
        format!("{c} {d1} {d2}"),
        format!("00 44 {i1} {i2}"),
    ]
}

#[test]
fn phone_numbers_agree_with_libphonenumber() {
    let Ok(python) = std::env::var("ALONGSIDE_ORACLE_PYTHON") else {
        assert!(
            std::env::var("ALONGSIDE_ORACLES_REQUIRED").as_deref() != Ok("1"),
            "ALONGSIDE_ORACLE_PYTHON is not set (scripts/test sets it)"
        );
        eprintln!("skipped: set ALONGSIDE_ORACLE_PYTHON to a Python with phonenumbers");
        return;
    };
    let mut cases = Vec::new();
    for n in numbers() {
        let drama = alongside_domain::identifiers::phone_is_drama(&n);
        for w in written(&n) {
            let text = format!("she called {w} last night");
            let found: Vec<_> = extract(&text)
                .into_iter()
                .filter(|f| f.kind == IdentifierKind::Phone)
                .collect();
            let ours = match &found[..] {
                [one] if one.recognised => Some(one.value.clone()),
                _ => None,
            };
            let raw = found.first().map(|f| f.raw.clone());
            cases.push((n.clone(), w, drama, ours, raw));
        }
    }
    assert!(cases.len() >= 2_000 * 18);
    let dir = std::env::temp_dir().join(format!("phone-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cases.tsv");
    let mut f = std::fs::File::create(&input).unwrap();
    for (_, w, _, _, _) in &cases {
        writeln!(f, "{w}").unwrap();
    }
    drop(f);
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(
            "import sys, phonenumbers as p\n\
             for line in open(sys.argv[1], encoding='utf-8'):\n\
             \x20   w = line.rstrip('\\n')\n\
             \x20   try:\n\
             \x20       n = p.parse(w, 'GB')\n\
             \x20       ok = p.is_valid_number(n) and n.country_code == 44\n\
             \x20       print(p.format_number(n, p.PhoneNumberFormat.E164) if ok else '-')\n\
             \x20   except p.NumberParseException:\n\
             \x20       print('-')\n",
        )
        .arg(&input)
        .output()
        .expect("run the libphonenumber oracle");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(theirs.len(), cases.len());
    let mut disagreements = Vec::new();
    let mut raw_with_stray = Vec::new();
    for ((n, w, drama, ours, raw), theirs) in cases.iter().zip(&theirs) {
        let expected = if *drama {
            Some(format!("+44{n}"))
        } else {
            (theirs != "-").then(|| theirs.clone())
        };
        if *ours != expected {
            disagreements.push(format!("{w:?}: ours {ours:?}, libphonenumber {theirs}"));
        }
        // What is kept as written is the number, without a bracket it does not close.
        if let Some(r) = raw {
            if r.matches('(').count() != r.matches(')').count() {
                raw_with_stray.push(format!("{w:?} kept as {r:?}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Both answers are well represented, so agreement means something.
    let valid = theirs.iter().filter(|t| *t != "-").count();
    eprintln!(
        "{} cases: {valid} valid for libphonenumber, {} not",
        cases.len(),
        cases.len() - valid
    );
    assert!(
        valid > cases.len() / 5 && cases.len() - valid > cases.len() / 5,
        "{valid} valid"
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} disagree, for example:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements[..disagreements.len().min(40)].join("\n")
    );
    assert!(
        raw_with_stray.is_empty(),
        "{}",
        raw_with_stray[..raw_with_stray.len().min(10)].join("\n")
    );
}
