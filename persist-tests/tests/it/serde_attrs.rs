//! serde's attribute language on `#[derive(Persist)]`: `transparent`, `rename_all`, a container
//! `default`, `from`/`try_from`/`into` and a field's `with` module, each checked in Python (what
//! the archive holds) and back in Rust. Their misuse is in `tests/ui/container/` and
//! `tests/ui/field/`.

use std::net::Ipv4Addr;
use std::time::Duration;

use persist_core::{Archive, Persist, ReadError, Reader, Value, WriteError, Writer, from_str};
use persist_tests::{check_value, save_package};

/// The source of a package archive holding `value` as `x`.
fn source_of<T: Persist>(value: &T) -> String {
    let mut archive = Archive::local();
    archive.insert("x", value).unwrap();
    archive.to_python_source().unwrap()
}

#[derive(Persist, Debug, PartialEq, Clone, Copy)]
#[persist(transparent)]
struct Kelvin(f64);

#[derive(Persist, Debug, PartialEq)]
#[persist(transparent)]
struct Label {
    text: String,
    #[persist(skip)]
    cached_len: usize,
}

#[derive(Persist, Debug, PartialEq)]
struct Probe {
    temperature: Kelvin,
    label: Label,
    history: Vec<Kelvin>,
}

#[test]
fn transparent_structs_are_their_one_field() {
    let probe = Probe {
        temperature: Kelvin(300.0),
        label: Label {
            text: "inlet".into(),
            cached_len: 5,
        },
        history: vec![Kelvin(1.5), Kelvin(-2.0)],
    };
    let source = source_of(&probe);
    assert!(
        source.contains("temperature=300.0") && source.contains("label='inlet'"),
        "{source}"
    );
    assert!(
        !source.contains("_Kelvin") && !source.contains("_Label"),
        "{source}"
    );
    let out = check_value(
        &probe,
        "p = a.x\nassert type(p.temperature) is float and p.temperature == 300.0\nassert p.label == 'inlet'\nassert p.history == [1.5, -2.0]\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let back: Probe = from_str(&source, "x").unwrap();
    assert_eq!(back.temperature, Kelvin(300.0));
    assert_eq!(back.label.text, "inlet");
    assert_eq!(
        back.label.cached_len, 0,
        "a skipped field takes its default"
    );
    assert_eq!(back.history, [Kelvin(1.5), Kelvin(-2.0)]);
    // Errors are the field's own.
    let err = from_str::<Kelvin>("x = 'hot'\n", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("float"), "{err}");
}

#[derive(Persist, Debug, PartialEq)]
#[persist(rename_all = "camelCase")]
struct SolverConfig {
    max_iterations: u32,
    tolerance_abs: f64,
    #[persist(rename = "method")]
    method_name: String,
}

#[derive(Persist, Debug, PartialEq)]
#[persist(rename_all = "snake_case")]
enum Phase {
    WarmUp,
    SteadyState { rate: f64 },
}

#[test]
fn rename_all_renames_fields_and_variants_with_serde_cases() {
    let config = SolverConfig {
        max_iterations: 50,
        tolerance_abs: 1e-9,
        method_name: "cg".into(),
    };
    let out = check_value(
        &config,
        "c = a.x\nassert (c.maxIterations, c.toleranceAbs, c.method) == (50, 1e-09, 'cg'), c\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let back: SolverConfig = from_str(&source_of(&config), "x").unwrap();
    assert_eq!(back, config);
    let phases = vec![Phase::WarmUp, Phase::SteadyState { rate: 2.5 }];
    let out = check_value(
        &phases,
        "p = a.x\nassert [type(v).__name__ for v in p] == ['warm_up', 'steady_state'], p\nassert p[1].rate == 2.5\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let back: Vec<Phase> = from_str(&source_of(&phases), "x").unwrap();
    assert_eq!(back, phases);
}

#[derive(Persist, Debug, PartialEq)]
#[persist(default)]
struct Settings {
    threads: u32,
    name: String,
    #[persist(default = "three")]
    retries: u32,
    #[persist(skip)]
    scratch: Vec<u8>,
}

fn three() -> u32 {
    3
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threads: 8,
            name: "default".into(),
            retries: 99,
            scratch: vec![1, 2],
        }
    }
}

#[test]
fn a_container_default_fills_every_missing_field_from_the_whole_default() {
    let settings = Settings {
        threads: 2,
        name: "fast".into(),
        retries: 1,
        scratch: Vec::new(),
    };
    let source = source_of(&settings);
    let back: Settings = from_str(&source, "x").unwrap();
    assert_eq!(
        (back.threads, back.name.as_str(), back.retries),
        (2, "fast", 1)
    );
    assert_eq!(
        back.scratch,
        [1, 2],
        "a skipped field comes from the whole default"
    );
    // A hand edit that drops fields: each comes from `Settings::default()`, except the one with
    // a default of its own.
    let edited = source
        .replace("threads=2, ", "")
        .replace("name='fast', ", "")
        .replace("retries=1", "");
    assert!(edited.contains("x = _Settings()"), "{edited}");
    let back: Settings = from_str(&edited, "x").unwrap();
    assert_eq!(
        (back.threads, back.name.as_str(), back.retries),
        (8, "default", 3)
    );
}

/// A `with` module for `Duration`: seconds as a float.
mod secs {
    use super::*;

    pub fn to_python_source(value: &Duration, out: &mut Writer) -> Result<(), WriteError> {
        value.as_secs_f64().to_python_source(out)
    }

    pub fn from_python<'m>(value: Value<'m>, r: &mut Reader<'m>) -> Result<Duration, ReadError> {
        let secs = r.float(value)?;
        Duration::try_from_secs_f64(secs).map_err(|e| ReadError::custom(e, value.pos()))
    }
}

/// A `with` module for `Ipv4Addr`: its dotted string.
mod dotted {
    use super::*;

    pub fn to_python_source(value: &Ipv4Addr, out: &mut Writer) -> Result<(), WriteError> {
        value.to_string().to_python_source(out)
    }

    pub fn from_python<'m>(value: Value<'m>, r: &mut Reader<'m>) -> Result<Ipv4Addr, ReadError> {
        let text = r.str(value)?;
        text.parse().map_err(|e| ReadError::custom(e, value.pos()))
    }
}

#[derive(Persist, Debug, PartialEq)]
struct Job {
    #[persist(with = "secs")]
    timeout: Duration,
    #[persist(with = "dotted")]
    host: Ipv4Addr,
    #[persist(with = "secs", default)]
    grace: Duration,
}

#[derive(Persist, Debug, PartialEq)]
struct Pair(#[persist(with = "secs")] Duration, u8);

#[test]
fn with_modules_write_and_read_foreign_types() {
    let job = Job {
        timeout: Duration::from_millis(1500),
        host: Ipv4Addr::new(10, 0, 0, 7),
        grace: Duration::from_secs(2),
    };
    let out = check_value(
        &job,
        "j = a.x\nassert (j.timeout, j.host, j.grace) == (1.5, '10.0.0.7', 2.0), j\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let source = source_of(&job);
    assert_eq!(from_str::<Job>(&source, "x").unwrap(), job);
    // The module's own errors, with the field's name; the field's `default`.
    let err = from_str::<Job>(&source.replace("'10.0.0.7'", "'10.0.0.300'"), "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("host") && err.contains("invalid"), "{err}");
    let back: Job = from_str(&source.replace(", grace=2.0", ""), "x").unwrap();
    assert_eq!(back.grace, Duration::ZERO);
    let pair = Pair(Duration::from_secs(3), 4);
    let back: Pair = from_str(&source_of(&pair), "x").unwrap();
    assert_eq!(back, pair);
}

/// Written as a plain string, read back through a check.
#[derive(Persist, Debug, PartialEq, Clone)]
#[persist(into = "String", try_from = "String")]
struct Email(String);

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.contains('@') {
            Ok(Email(s))
        } else {
            Err(format!("{s:?} is not an e-mail address"))
        }
    }
}

/// Read from a float (an old archive's spelling), written as its derived record.
#[derive(Persist, Debug, PartialEq)]
#[persist(from = "f64")]
struct Meters {
    value: f64,
}

impl From<f64> for Meters {
    fn from(value: f64) -> Self {
        Meters { value }
    }
}

#[test]
fn from_try_from_and_into_convert_through_another_type() {
    let email = Email("ada@example.org".into());
    let out = check_value(&email, "assert a.x == 'ada@example.org'\nprint('ok')");
    assert_eq!(out.trim(), "ok");
    let source = source_of(&email);
    assert_eq!(from_str::<Email>(&source, "x").unwrap(), email);
    let err = from_str::<Email>("x = 'nobody'\n", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an e-mail address"), "{err}");
    let emails = vec![email.clone(), Email("bob@example.org".into())];
    let back: Vec<Email> = from_str(&source_of(&emails), "x").unwrap();
    assert_eq!(back, emails);
    // `from` only: reading converts, writing is the derived record.
    assert_eq!(
        from_str::<Meters>("x = 2.5\n", "x").unwrap(),
        Meters { value: 2.5 }
    );
    assert!(source_of(&Meters { value: 1.0 }).contains("_Meters(value=1.0)"));
    let saved = save_package(&{
        let mut a = Archive::new();
        a.insert("x", Meters { value: 1.0 }).unwrap();
        a
    });
    assert_eq!(
        saved.check("assert a.x.value == 1.0\nprint('ok')").trim(),
        "ok"
    );
}

#[derive(Persist, Debug, PartialEq, Clone, Copy)]
#[persist(repr = "str", rename_all = "lowercase")]
enum Mode {
    Fast,
    Careful,
    #[persist(rename = "exact_")]
    Exact,
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Sample {
    mode: Mode,
    value: f64,
}

#[test]
fn unit_enums_with_repr_str_are_strings_and_columns_of_record_tables() {
    let out = check_value(
        &vec![Mode::Fast, Mode::Exact],
        "assert a.x == ['fast', 'exact_'], a.x\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let back: Vec<Mode> = from_str(&source_of(&vec![Mode::Careful, Mode::Exact]), "x").unwrap();
    assert_eq!(back, [Mode::Careful, Mode::Exact]);
    let err = from_str::<Mode>("x = 'slow'\n", "x")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"slow\" is not a variant of Mode") && err.contains("'careful'"),
        "{err}"
    );
    // A long list of records with such a field is a record table: the modes a string column.
    let samples: Vec<Sample> = (0..300)
        .map(|i| Sample {
            mode: [Mode::Fast, Mode::Careful, Mode::Exact][i % 3],
            value: i as f64,
        })
        .collect();
    let mut archive = Archive::new();
    archive.insert("x", samples.clone()).unwrap();
    let saved = save_package(&archive);
    assert!(saved.source().contains("_table("), "{}", saved.source());
    let out = saved.check(
        "s = a.x\nassert len(s) == 300 and [r.mode for r in s[:4]] == ['fast', 'careful', 'exact_', 'fast']\nassert s[299].value == 299.0\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let back: Vec<Sample> = persist_core::ArchiveReader::open(saved.dir.path().join("arch"))
        .unwrap()
        .read("x")
        .unwrap();
    assert_eq!(back, samples);
}
