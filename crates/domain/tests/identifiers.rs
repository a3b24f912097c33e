//! Identifiers in free text and in fields of their own.
//!
//! All data here is synthetic: phone numbers are in Ofcom's drama ranges (07700 900xxx,
//! 0113 496 0xxx, 020 7946 0xxx; the one foreign number uses the unassigned country
//! code +999), names are invented, email domains are the reserved example.* ones, plates
//! are made up, and postcodes are the format examples Royal Mail and GOV.UK publish.

use alongside_domain::identifiers::{
    extract, Email, Found, Handle, IdentifierKind, PhoneNumber, Platform, Postcode, VehicleFormat,
    VehicleMark,
};
use IdentifierKind::{Email as E, Handle as H, Phone as P, Postcode as PC, Vehicle as V};

/// Recognised / not recognised.
const Y: bool = true;
const N: bool = false;

type Want = (IdentifierKind, &'static str, &'static str, bool);

/// Input text, then every identifier expected in it, in order: (kind, value, raw,
/// recognised). An unrecognised item's value is its raw text.
#[rustfmt::skip]
const CASES: &[(&str, &[Want])] = &[
    // ---- Vehicles: current format -------------------------------------------------
    ("a silver car AB12 CDE outside school", &[(V, "AB12CDE", "AB12 CDE", Y)]),
    ("AB12CDE", &[(V, "AB12CDE", "AB12CDE", Y)]),
    ("it was ab12 cde again", &[(V, "AB12CDE", "ab12 cde", Y)]),
    ("Ab12 cde was parked up", &[(V, "AB12CDE", "Ab12 cde", Y)]),
    ("car AB12  CDE with two spaces", &[(V, "AB12CDE", "AB12  CDE", Y)]),
    ("the van was BD51 SMR.", &[(V, "BD51SMR", "BD51 SMR", Y)]),
    ("Seen a blue hatchback, YX68 OKR, twice", &[(V, "YX68OKR", "YX68 OKR", Y)]),
    ("AB12 CDE's driver", &[(V, "AB12CDE", "AB12 CDE", Y)]),
    ("reg no. AB12 CDE", &[(V, "AB12CDE", "AB12 CDE", Y)]),
    ("two cars: AB12 CDE, CD34 EFG", &[(V, "AB12CDE", "AB12 CDE", Y), (V, "CD34EFG", "CD34 EFG", Y)]),
    ("AB12CDE then AB12CDE again", &[(V, "AB12CDE", "AB12CDE", Y), (V, "AB12CDE", "AB12CDE", Y)]),
    ("(ab12cde)", &[(V, "AB12CDE", "ab12cde", Y)]),
    // ---- Vehicles: older formats ----------------------------------------------------
    ("prefix plate A123 BCD on a saloon", &[(V, "A123BCD", "A123 BCD", Y)]),
    ("old estate P45 XYZ", &[(V, "P45XYZ", "P45 XYZ", Y)]),
    ("Q plate Q123 ABC", &[(V, "Q123ABC", "Q123 ABC", Y)]),
    ("suffix plate ABC 123D", &[(V, "ABC123D", "ABC 123D", Y)]),
    ("an old Mini, JUD 41F", &[(V, "JUD41F", "JUD 41F", Y)]),
    ("reg a123 bcd", &[(V, "A123BCD", "a123 bcd", Y)]),
    ("reg 1 ABC", &[(V, "1ABC", "1 ABC", Y)]),
    ("private plate ABC 1", &[(V, "ABC1", "ABC 1", Y)]),
    ("Registration number: K 7", &[(V, "K7", "K 7", Y)]),
    ("the plate was ABZ 1234", &[(V, "ABZ1234", "ABZ 1234", Y)]),
    ("NI reg: abz1234", &[(V, "ABZ1234", "abz1234", Y)]),
    ("reg no 1 ABC", &[(V, "1ABC", "1 ABC", Y)]),
    // ---- Vehicles: not plates, or not valid ------------------------------------------
    ("ABZ 1234 parked outside (no registration word)", &[]),
    ("at 10 PM he left", &[]),
    ("2 men in the car", &[]),
    ("on the M6 near junction 10", &[]),
    ("driving at 30 MPH", &[]),
    ("b4 you go, text me", &[]),
    ("his PIN 1234 was written down", &[]),
    ("abc 123d in lower case", &[]),
    ("AB12 and then nothing", &[]),
    ("AB12\nCDE on two lines", &[]),
    ("a car AB12 C0E (zero for O)", &[(V, "AB12 C0E", "AB12 C0E", N)]),
    ("car B012 ABC", &[(V, "B012 ABC", "B012 ABC", N)]),
    ("car BO12 ABC", &[(V, "BO12ABC", "BO12 ABC", Y)]),
    ("car ABI2 CDE", &[(V, "ABI2 CDE", "ABI2 CDE", N)]),
    ("car AB01 CDE", &[(V, "AB01 CDE", "AB01 CDE", N)]),
    ("car AB12 CDQ", &[(V, "AB12 CDQ", "AB12 CDQ", N)]),
    ("reg AB12 C, could not see the rest", &[(V, "AB12 C", "AB12 C", N)]),
    ("reg: YX68 0KR (zero for O)", &[(V, "YX68 0KR", "YX68 0KR", N)]),
    ("instagram.com/p/AB12CDE", &[]),
    // ---- Phones: mobiles --------------------------------------------------------------
    ("phone 07700 900123", &[(P, "+447700900123", "07700 900123", Y)]),
    ("07700900123", &[(P, "+447700900123", "07700900123", Y)]),
    ("+44 7700 900123", &[(P, "+447700900123", "+44 7700 900123", Y)]),
    ("+447700900123", &[(P, "+447700900123", "+447700900123", Y)]),
    ("0044 7700 900123", &[(P, "+447700900123", "0044 7700 900123", Y)]),
    ("00 44 7700 900124", &[(P, "+447700900124", "00 44 7700 900124", Y)]),
    ("+44 (0) 7700 900125", &[(P, "+447700900125", "+44 (0) 7700 900125", Y)]),
    ("+44(0)7700 900 126", &[(P, "+447700900126", "+44(0)7700 900 126", Y)]),
    ("(+44) 7700 900127", &[(P, "+447700900127", "(+44) 7700 900127", Y)]),
    ("07700-900-128", &[(P, "+447700900128", "07700-900-128", Y)]),
    ("07700.900.129", &[(P, "+447700900129", "07700.900.129", Y)]),
    ("(07700) 900130", &[(P, "+447700900130", "(07700) 900130", Y)]),
    ("07700 900 131", &[(P, "+447700900131", "07700 900 131", Y)]),
    ("07700 - 900132", &[(P, "+447700900132", "07700 - 900132", Y)]),
    ("ring 07700 900133.", &[(P, "+447700900133", "07700 900133", Y)]),
    ("(07700 900134)", &[(P, "+447700900134", "07700 900134", Y)]),
    ("tel:07700900135", &[(P, "+447700900135", "07700900135", Y)]),
    ("07700 900136 and 07700 900137", &[(P, "+447700900136", "07700 900136", Y), (P, "+447700900137", "07700 900137", Y)]),
    ("07700 900142/07700 900143", &[(P, "+447700900142", "07700 900142", Y), (P, "+447700900143", "07700 900143", Y)]),
    ("see example.com/07700900144", &[]),
    ("07700 900138, 07700 900139", &[(P, "+447700900138", "07700 900138", Y), (P, "+447700900139", "07700 900139", Y)]),
    ("+44 7700 900 140 is his", &[(P, "+447700900140", "+44 7700 900 140", Y)]),
    ("07700 900141 45 mins ago", &[(P, "+447700900141", "07700 900141", Y)]),
    // ---- Phones: landlines ------------------------------------------------------------
    ("call (0113) 496 0000", &[(P, "+441134960000", "(0113) 496 0000", Y)]),
    ("0113 496 0999", &[(P, "+441134960999", "0113 496 0999", Y)]),
    ("01134960500", &[(P, "+441134960500", "01134960500", Y)]),
    ("020 7946 0000", &[(P, "+442079460000", "020 7946 0000", Y)]),
    ("(020) 7946 0001", &[(P, "+442079460001", "(020) 7946 0001", Y)]),
    ("+44 20 7946 0123", &[(P, "+442079460123", "+44 20 7946 0123", Y)]),
    ("+44 113 496 0500", &[(P, "+441134960500", "+44 113 496 0500", Y)]),
    ("020-7946-0999", &[(P, "+442079460999", "020-7946-0999", Y)]),
    // ---- Phones: not numbers, or not valid ----------------------------------------------
    ("07700 9001 is all I got", &[(P, "07700 9001", "07700 9001", N)]),
    ("0113 496 000 (a digit missing)", &[(P, "0113 496 000", "0113 496 000", N)]),
    ("his number is 07700 9001234", &[(P, "07700 9001234", "07700 9001234", N)]),
    ("+999 7700 900123 (a foreign SIM)", &[(P, "+999 7700 900123", "+999 7700 900123", N)]),
    ("ref 1234077009001234567", &[]),
    ("account 077009001234567", &[]),
    ("order 07700900123456", &[]),
    ("1234-07700 900123", &[]),
    ("07700900123abc", &[]),
    ("x07700900123", &[]),
    ("on 01.02.2024 at 10.30", &[]),
    ("on 01-02-2024", &[]),
    ("meet at 10:30 or 0930", &[]),
    ("sort code 12-34-56, card 1234 5678 9012 3456", &[]),
    // ---- Emails --------------------------------------------------------------------------
    ("email danny.k@example.com", &[(E, "danny.k@example.com", "danny.k@example.com", Y)]),
    ("Danny.K@Example.COM", &[(E, "danny.k@example.com", "Danny.K@Example.COM", Y)]),
    ("(jez_99@example.org)", &[(E, "jez_99@example.org", "jez_99@example.org", Y)]),
    ("mail: kai+school@example.net.", &[(E, "kai+school@example.net", "kai+school@example.net", Y)]),
    ("support@mail.example.co.uk", &[(E, "support@mail.example.co.uk", "support@mail.example.co.uk", Y)]),
    ("ab12cde@example.com", &[(E, "ab12cde@example.com", "ab12cde@example.com", Y)]),
    ("danny_k@example.com", &[(E, "danny_k@example.com", "danny_k@example.com", Y)]),
    ("'zoë@example.org'", &[(E, "zoë@example.org", "zoë@example.org", Y)]),
    ("danny@home", &[(E, "danny@home", "danny@home", N)]),
    ("danny@example.com and @danny_k", &[(E, "danny@example.com", "danny@example.com", Y), (H, "unknown:danny_k", "@danny_k", Y)]),
    // ---- Handles -------------------------------------------------------------------------
    ("@danny_k", &[(H, "unknown:danny_k", "@danny_k", Y)]),
    ("follows @Danny_K on there", &[(H, "unknown:danny_k", "@Danny_K", Y)]),
    ("(@danny_k)", &[(H, "unknown:danny_k", "@danny_k", Y)]),
    ("it's @danny_k.", &[(H, "unknown:danny_k", "@danny_k", Y)]),
    ("snap: danny.k", &[(H, "snapchat:danny.k", "snap: danny.k", Y)]),
    ("snapchat danny.k", &[(H, "snapchat:danny.k", "snapchat danny.k", Y)]),
    ("Snap: DannyK", &[(H, "snapchat:dannyk", "Snap: DannyK", Y)]),
    ("insta @dannyk", &[(H, "instagram:dannyk", "insta @dannyk", Y)]),
    ("IG: danny.k", &[(H, "instagram:danny.k", "IG: danny.k", Y)]),
    ("tiktok @danny.k", &[(H, "tiktok:danny.k", "tiktok @danny.k", Y)]),
    ("on insta as @danny_k", &[(H, "instagram:danny_k", "insta as @danny_k", Y)]),
    ("his snap is danny_k2", &[(H, "snapchat:danny_k2", "snap is danny_k2", Y)]),
    ("fb: danny.k.1", &[(H, "facebook:danny.k.1", "fb: danny.k.1", Y)]),
    ("instagram.com/danny_k", &[(H, "instagram:danny_k", "instagram.com/danny_k", Y)]),
    ("https://instagram.com/danny_k/", &[(H, "instagram:danny_k", "https://instagram.com/danny_k", Y)]),
    ("https://www.tiktok.com/@danny.k?lang=en", &[(H, "tiktok:danny.k", "https://www.tiktok.com/@danny.k", Y)]),
    ("snapchat.com/add/danny.k", &[(H, "snapchat:danny.k", "snapchat.com/add/danny.k", Y)]),
    ("t.me/danny_k", &[(H, "telegram:danny_k", "t.me/danny_k", Y)]),
    ("he is on snapchat all night", &[]),
    ("snapchat, instagram and tiktok", &[]),
    ("note: snap: he never replied", &[]),
    ("meet @10pm", &[]),
    ("see you @ 10", &[]),
    // ---- Postcodes -----------------------------------------------------------------------
    ("near LS1 4AP", &[(PC, "LS1 4AP", "LS1 4AP", Y)]),
    ("ls14ap", &[(PC, "LS1 4AP", "ls14ap", Y)]),
    ("M1 1AE", &[(PC, "M1 1AE", "M1 1AE", Y)]),
    ("b338th", &[(PC, "B33 8TH", "b338th", Y)]),
    ("CR2 6XH", &[(PC, "CR2 6XH", "CR2 6XH", Y)]),
    ("DN55 1PT", &[(PC, "DN55 1PT", "DN55 1PT", Y)]),
    ("W1A 0AX.", &[(PC, "W1A 0AX", "W1A 0AX", Y)]),
    ("ec1a 1bb", &[(PC, "EC1A 1BB", "ec1a 1bb", Y)]),
    ("EC1A1BB", &[(PC, "EC1A 1BB", "EC1A1BB", Y)]),
    ("LS1  4AP", &[(PC, "LS1 4AP", "LS1  4AP", Y)]),
    ("LS1 4CP", &[(PC, "LS1 4CP", "LS1 4CP", N)]),
    ("QA1 1AA", &[(PC, "QA1 1AA", "QA1 1AA", N)]),
    ("see u B4 5PM", &[]),
    // ---- Several in one text, and text that is not ASCII --------------------------------
    (
        "a silver car AB12 CDE outside school, the driver called himself Danny K, phone 07700 900123",
        &[(V, "AB12CDE", "AB12 CDE", Y), (P, "+447700900123", "07700 900123", Y)],
    ),
    (
        "Jez (snap: jez.b) drives YX68 OKR, call 0113 496 0000, email jez.b@example.com, near LS1 4AP",
        &[
            (H, "snapchat:jez.b", "snap: jez.b", Y),
            (V, "YX68OKR", "YX68 OKR", Y),
            (P, "+441134960000", "0113 496 0000", Y),
            (E, "jez.b@example.com", "jez.b@example.com", Y),
            (PC, "LS1 4AP", "LS1 4AP", Y),
        ],
    ),
    ("café AB12 CDE", &[(V, "AB12CDE", "AB12 CDE", Y)]),
    ("🚗 07700 900123", &[(P, "+447700900123", "07700 900123", Y)]),
    ("🚗AB12CDE🚗", &[(V, "AB12CDE", "AB12CDE", Y)]),
    ("caféAB12CDE (joined to a word)", &[]),
    (
        "Ça va? 👀 @kai_99 texted 07700 900456 from B33 8TH",
        &[(H, "unknown:kai_99", "@kai_99", Y), (P, "+447700900456", "07700 900456", Y), (PC, "B33 8TH", "B33 8TH", Y)],
    ),
    (
        "naïve 🚙🚙 reg ABZ 1234, zoë@example.org — 020 7946 0999",
        &[(V, "ABZ1234", "ABZ 1234", Y), (E, "zoë@example.org", "zoë@example.org", Y), (P, "+442079460999", "020 7946 0999", Y)],
    ),
    ("I saw 07700 900123 and AB12 CDE at 8 PM", &[(P, "+447700900123", "07700 900123", Y), (V, "AB12CDE", "AB12 CDE", Y)]),
    // ---- Ordinary sentences --------------------------------------------------------------
    ("He came home late again and would not say where he had been.", &[]),
    ("Year 9, room 12B, at 3 PM", &[]),
    ("I'll pick her up at 10 PM on 01/02/2024.", &[]),
    ("They met at the A1 services", &[]),
    ("She said she was at a friend's, 2 streets away.", &[]),
    ("COVID19 test on 3rd May, 4x4 outside", &[]),
    ("mp3 player and a 2nd phone", &[]),
    ("HE WAS OUT UNTIL 2 AM WITH 3 LADS", &[]),
    ("Spent £250 on trainers; 1,000 followers", &[]),
    ("", &[]),
];

/// Every item satisfies the contract whatever the text: raw is the slice at its offsets,
/// items are sorted and do not overlap, and an unrecognised item's value is its raw text.
fn check_invariants(text: &str, found: &[Found]) -> Result<(), String> {
    let mut last_end = 0;
    for f in found {
        if text.get(f.start..f.end) != Some(f.raw.as_str()) {
            return Err(format!("{f:?}: raw is not text[start..end]"));
        }
        if f.start < last_end {
            return Err(format!("{f:?}: overlaps or is out of order"));
        }
        if !f.recognised && f.value != f.raw {
            return Err(format!("{f:?}: unrecognised but value differs from raw"));
        }
        last_end = f.end;
    }
    Ok(())
}

#[test]
fn table_of_texts() {
    assert!(CASES.len() >= 100, "only {} cases", CASES.len());
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let found = extract(text);
        if let Err(e) = check_invariants(text, &found) {
            failures.push(format!("{text:?}: {e}"));
        }
        let got: Vec<(IdentifierKind, &str, &str, bool)> = found
            .iter()
            .map(|f| (f.kind, f.value.as_str(), f.raw.as_str(), f.recognised))
            .collect();
        if got != *want {
            failures.push(format!("{text:?}\n   got:  {got:?}\n   want: {want:?}"));
            continue;
        }
        // Each item is at the first place its raw text occurs after the previous item.
        let mut from = 0;
        for f in &found {
            let at = text[from..].find(&f.raw).map(|i| i + from);
            if at != Some(f.start) {
                failures.push(format!("{text:?}: {f:?} expected at {at:?}"));
            }
            from = f.end;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn byte_offsets_after_non_ascii_text() {
    for (text, want) in [
        ("café AB12 CDE", vec![(6, 14)]),
        ("🚗 07700 900123", vec![(5, 17)]),
        (
            "Ça va? 👀 @kai_99 texted 07700 900456 from B33 8TH",
            vec![(13, 20), (28, 40), (46, 53)],
        ),
        (
            "Jez (snap: jez.b) drives YX68 OKR, call 0113 496 0000, email jez.b@example.com, near LS1 4AP",
            vec![(5, 16), (25, 33), (40, 53), (61, 78), (85, 92)],
        ),
        (
            "naïve 🚙🚙 reg ABZ 1234, zoë@example.org — 020 7946 0999",
            vec![(20, 28), (30, 46), (51, 64)],
        ),
    ] {
        let got: Vec<(usize, usize)> = extract(text).iter().map(|f| (f.start, f.end)).collect();
        assert_eq!(got, want, "{text}");
    }
}

/// A small deterministic generator, so the "property" tests need no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick(&mut self, s: &str) -> char {
        let chars: Vec<char> = s.chars().collect();
        chars[self.below(chars.len())]
    }
    fn pick_str<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn digits(&mut self, n: usize, leading_zero: bool) -> String {
        (0..n)
            .map(|i| {
                if i == 0 && !leading_zero {
                    self.pick("123456789")
                } else {
                    self.pick("0123456789")
                }
            })
            .collect()
    }
    fn letters(&mut self, n: usize, from: &str) -> String {
        (0..n).map(|_| self.pick(from)).collect()
    }
}

const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Ways of typing a normalised value: as displayed, lower case, no spaces, extra spaces.
fn variants(display: &str) -> Vec<String> {
    vec![
        display.to_string(),
        display.to_lowercase(),
        display.replace(' ', ""),
        display.replace(' ', "  "),
        format!("  {display} "),
    ]
}

/// A random valid plate: (display form, format).
fn random_plate(r: &mut Lcg) -> (String, VehicleFormat) {
    match r.below(5) {
        0 => {
            let age = loop {
                let a = r.digits(2, true);
                if !matches!(a.as_str(), "00" | "01" | "50") {
                    break a;
                }
            };
            let tag = r.letters(2, "ABCDEFGHJKLMNOPRSTUVWXY");
            let random = r.letters(3, "ABCDEFGHJKLMNOPRSTUVWXYZ");
            (format!("{tag}{age} {random}"), VehicleFormat::Current)
        }
        1 => {
            let n = 1 + r.below(3);
            let first = r.letters(1, "ABCDEFGHJKLMNPQRSTVWXY");
            let (d, l) = (r.digits(n, false), r.letters(3, LETTERS));
            (format!("{first}{d} {l}"), VehicleFormat::Prefix)
        }
        2 => {
            let n = 1 + r.below(3);
            let (l, d) = (r.letters(3, LETTERS), r.digits(n, false));
            let last = r.letters(1, "ABCDEFGHJKLMNPRSTVWXY");
            (format!("{l} {d}{last}"), VehicleFormat::Suffix)
        }
        3 => {
            let (nl, nd) = (1 + r.below(3), 1 + r.below(4));
            let d = r.digits(nd, false);
            if r.below(2) == 0 {
                // Letters first: keep I and Z out of the area code (that is Northern Ireland).
                let l = r.letters(nl, "ABCDEFGHJKLMNOPQRSTUVWXY");
                (format!("{l} {d}"), VehicleFormat::Dateless)
            } else {
                let l = r.letters(nl, LETTERS);
                (format!("{d} {l}"), VehicleFormat::Dateless)
            }
        }
        _ => {
            let first = r.letters(1, LETTERS);
            let code = r.pick_str(&[
                "IA", "IB", "IG", "IJ", "IL", "IW", "AZ", "BZ", "CZ", "DZ", "FZ", "GZ", "HZ",
            ]);
            let nd = 1 + r.below(4);
            let d = r.digits(nd, false);
            (format!("{first}{code} {d}"), VehicleFormat::NorthernIreland)
        }
    }
}

#[test]
fn plates_normalise_idempotently() {
    let mut r = Lcg(2001);
    for _ in 0..2000 {
        let (display, format) = random_plate(&mut r);
        let norm = display.replace(' ', "");
        for typed in variants(&display) {
            let m = VehicleMark::parse(&typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
            assert_eq!(m.normalised(), norm, "{typed:?}");
            assert_eq!(m.display(), display, "{typed:?}");
            assert_eq!(m.format(), format, "{typed:?}");
            // Parsing the normalised value, or the displayed one, changes nothing.
            assert_eq!(VehicleMark::parse(m.normalised()).unwrap(), m);
            assert_eq!(VehicleMark::parse(&m.display()).unwrap(), m);
        }
        // In free text, in capitals: older formats need a registration word first.
        // So do older ones whose letters are a car's badge ("BMW 320D").
        let badge = alongside_domain::identifiers::VEHICLE_BADGES
            .iter()
            .any(|b| {
                matches!(format, VehicleFormat::Suffix | VehicleFormat::Prefix) && norm.contains(b)
            });
        let text = match format {
            VehicleFormat::Dateless | VehicleFormat::NorthernIreland => {
                format!("reg {display}, then")
            }
            _ if badge => format!("reg {display}, then"),
            _ => format!("saw {display} outside"),
        };
        let found = extract(&text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].value.as_str(),
                found[0].raw.as_str()
            ),
            (V, norm.as_str(), display.as_str()),
            "{text:?}"
        );
    }
}

#[test]
fn phones_normalise_idempotently() {
    let mut r = Lcg(7700);
    for _ in 0..2000 {
        let (national, e164) = match r.below(3) {
            0 => {
                let x = r.digits(3, true);
                (format!("07700 900{x}"), format!("+447700900{x}"))
            }
            1 => {
                let x = r.digits(3, true);
                (format!("0113 496 0{x}"), format!("+441134960{x}"))
            }
            _ => {
                let x = r.digits(3, true);
                (format!("020 7946 0{x}"), format!("+442079460{x}"))
            }
        };
        let rest = &national[1..];
        let typed = match r.below(8) {
            0 => national.clone(),
            1 => national.replace(' ', ""),
            2 => national.replace(' ', "-"),
            3 => national.replace(' ', "."),
            4 => format!("+44 {rest}"),
            5 => format!("0044 {rest}"),
            6 => format!("+44 (0) {rest}"),
            _ => format!("+44{}", rest.replace(' ', "")),
        };
        let p = PhoneNumber::parse(&typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(p.e164(), e164, "{typed:?}");
        assert_eq!(p.national(), national, "{typed:?}");
        assert_eq!(PhoneNumber::parse(p.normalised()).unwrap(), p);
        assert_eq!(PhoneNumber::parse(&p.national()).unwrap(), p);

        let text = format!("his number: {typed}, ring after 6");
        let found = extract(&text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].value.as_str(),
                found[0].raw.as_str()
            ),
            (P, e164.as_str(), typed.as_str())
        );
    }
}

/// A random valid postcode in its standard form.
fn random_postcode(r: &mut Lcg) -> String {
    let first = "ABCDEFGHIJKLMNOPRSTUWYZ";
    let second = "ABCDEFGHKLMNOPQRSTUVWXY";
    let outward = match r.below(6) {
        0 => format!("{}{}", r.letters(1, first), r.digits(1, true)),
        1 => format!("{}{}", r.letters(1, first), r.digits(2, true)),
        2 => format!(
            "{}{}{}",
            r.letters(1, first),
            r.letters(1, second),
            r.digits(1, true)
        ),
        3 => format!(
            "{}{}{}",
            r.letters(1, first),
            r.letters(1, second),
            r.digits(2, true)
        ),
        4 => format!(
            "{}{}{}",
            r.letters(1, first),
            r.digits(1, true),
            r.letters(1, "ABCDEFGHJKPSTUW")
        ),
        _ => format!(
            "{}{}{}{}",
            r.letters(1, first),
            r.letters(1, second),
            r.digits(1, true),
            r.letters(1, "ABEHMNPRVWXY")
        ),
    };
    let inward = format!(
        "{}{}",
        r.digits(1, true),
        r.letters(2, "ABDEFGHJLNPQRSTUWXYZ")
    );
    format!("{outward} {inward}")
}

#[test]
fn postcodes_normalise_idempotently() {
    let mut r = Lcg(1);
    for _ in 0..2000 {
        let code = random_postcode(&mut r);
        for typed in variants(&code) {
            let p = Postcode::parse(&typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
            assert_eq!(p.normalised(), code, "{typed:?}");
            assert_eq!(Postcode::parse(p.normalised()).unwrap(), p);
        }
        let text = format!("lives near {code}, by the shops");
        let found = extract(&text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (found[0].kind, found[0].value.as_str()),
            (PC, code.as_str())
        );
    }
}

const NAMES: &[&str] = &[
    "danny", "jez", "kai", "zed", "marlo", "tiggy", "rocco", "bex",
];

#[test]
fn emails_normalise_idempotently() {
    let mut r = Lcg(42);
    for _ in 0..500 {
        let name = r.pick_str(NAMES);
        let sep = r.pick_str(&["", ".", "_", "+", "-"]);
        let nd = 1 + r.below(3);
        let n = r.digits(nd, true);
        let domain = r.pick_str(&[
            "example.com",
            "example.org",
            "example.net",
            "mail.example.co.uk",
        ]);
        let lower = format!("{name}{sep}{n}@{domain}");
        let typed: String = lower
            .chars()
            .map(|c| {
                if r.below(2) == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        let e = Email::parse(&typed).unwrap_or_else(|err| panic!("{typed:?}: {err}"));
        assert_eq!(e.normalised(), lower);
        assert_eq!(Email::parse(e.normalised()).unwrap(), e);
        let text = format!("emailed from {typed}.");
        let found = extract(&text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].value.as_str(),
                found[0].raw.as_str()
            ),
            (E, lower.as_str(), typed.as_str())
        );
    }
}

#[test]
fn handles_normalise_idempotently() {
    let mut r = Lcg(9);
    for _ in 0..500 {
        let (base, sep, nd) = (
            r.pick_str(NAMES),
            r.pick_str(&["_", ".", ""]),
            1 + r.below(2),
        );
        let name = format!("{base}{sep}{}", r.digits(nd, true));
        let upper = name.to_uppercase();
        let (typed, want) = match r.below(8) {
            0 => (format!("@{upper}"), format!("unknown:{name}")),
            1 => (format!("snap: {name}"), format!("snapchat:{name}")),
            2 => (format!("snapchat {name}"), format!("snapchat:{name}")),
            3 => (format!("insta @{name}"), format!("instagram:{name}")),
            4 => (format!("tiktok @{upper}"), format!("tiktok:{name}")),
            5 => (format!("instagram.com/{name}"), format!("instagram:{name}")),
            6 => (
                format!("https://www.tiktok.com/@{name}"),
                format!("tiktok:{name}"),
            ),
            _ => (format!("IG: {name}"), format!("instagram:{name}")),
        };
        let h = Handle::parse(&typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(h.normalised(), want, "{typed:?}");
        let again = Handle::parse(h.normalised()).unwrap();
        assert_eq!(again, h, "{typed:?}");
        let text = format!("added him on {typed} last week");
        let found = extract(&text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].value.as_str(),
                found[0].raw.as_str()
            ),
            (H, want.as_str(), typed.as_str())
        );
    }
    let h = Handle::parse("insta @Danny_K").unwrap();
    assert_eq!((h.platform(), h.name()), (Platform::Instagram, "danny_k"));
}

#[test]
fn normalised_values_from_text_parse_back_to_themselves() {
    for (text, _) in CASES {
        for f in extract(text).iter().filter(|f| f.recognised) {
            let again = match f.kind {
                V => VehicleMark::parse(&f.value).map(|x| x.normalised().to_string()),
                P => PhoneNumber::parse(&f.value).map(|x| x.normalised().to_string()),
                E => Email::parse(&f.value).map(|x| x.normalised().to_string()),
                H => Handle::parse(&f.value).map(|x| x.normalised().to_string()),
                PC => Postcode::parse(&f.value).map(|x| x.normalised().to_string()),
            };
            assert_eq!(again.as_deref(), Ok(f.value.as_str()), "{text:?}: {f:?}");
            // And the raw text, parsed as a field of its own, gives the same value.
            let from_raw = match f.kind {
                V => VehicleMark::parse(&f.raw).map(|x| x.normalised().to_string()),
                P => PhoneNumber::parse(&f.raw).map(|x| x.normalised().to_string()),
                E => Email::parse(&f.raw).map(|x| x.normalised().to_string()),
                H => Handle::parse(&f.raw).map(|x| x.normalised().to_string()),
                PC => Postcode::parse(&f.raw).map(|x| x.normalised().to_string()),
            };
            assert_eq!(from_raw.as_deref(), Ok(f.value.as_str()), "{text:?}: {f:?}");
        }
    }
}

#[test]
fn random_text_never_breaks_the_contract() {
    let pieces = [
        "AB12",
        "CDE",
        " ",
        "  ",
        "07700",
        "900123",
        "+44",
        "(0)",
        "(",
        ")",
        "@",
        "danny_k",
        "example.com",
        ".",
        "-",
        "é",
        "🚗",
        "\n",
        "LS1",
        "4AP",
        "snap",
        ":",
        "reg",
        "1",
        "0",
        "ABZ",
        "1234",
        "instagram.com/",
        "ç",
        "PM",
        "0044",
        "/",
        "x",
    ];
    let mut r = Lcg(1234);
    for _ in 0..5000 {
        let text: String = (0..r.below(16)).map(|_| r.pick_str(&pieces)).collect();
        let found = extract(&text);
        if let Err(e) = check_invariants(&text, &found) {
            panic!("{text:?}: {e}");
        }
    }
}

#[test]
fn field_parsers_reject_with_reasons() {
    assert!(VehicleMark::parse("").is_err());
    assert_eq!(
        VehicleMark::parse(" a123bcd ").unwrap().display(),
        "A123 BCD"
    );
    assert_eq!(VehicleMark::parse("abc123d").unwrap().display(), "ABC 123D");
    assert_eq!(VehicleMark::parse("1abc").unwrap().display(), "1 ABC");
    assert_eq!(VehicleMark::parse("abc1").unwrap().display(), "ABC 1");
    assert_eq!(
        VehicleMark::parse("ABZ1234").unwrap().format(),
        VehicleFormat::NorthernIreland
    );
    for bad in ["AB01 CDE", "B012 ABC", "AB12 C0E", "HELLO", "12345"] {
        let e = VehicleMark::parse(bad).unwrap_err();
        assert_eq!(e.kind(), V);
        assert!(e.to_string().contains(bad), "{e}");
    }
    assert!(PhoneNumber::parse("07700 9001")
        .unwrap_err()
        .to_string()
        .contains("digits"));
    assert!(Email::parse("danny@home")
        .unwrap_err()
        .to_string()
        .contains("dot"));
    assert!(Postcode::parse("LS1 4CP")
        .unwrap_err()
        .to_string()
        .contains("never C"));
    assert!(Handle::parse("@")
        .unwrap_err()
        .to_string()
        .contains("no name"));
}
