//! `Duration` as `datetime.timedelta`, `SystemTime` as a timezone-aware `datetime.datetime` in
//! UTC, and `#[persist(bytes)]` fields as `bytes`: what Python sees (values, types, tzinfo,
//! pickling) and what Rust reads back, including hand-edited spellings; values Python cannot
//! hold (nanoseconds below the microsecond, years beyond 9999) are refused when writing.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use persist_core::{Archive, ArchiveReader, Persist};
use persist_tests::save_package;

#[derive(Persist, Debug, PartialEq, Clone)]
struct Job {
    started: SystemTime,
    limit: Duration,
    #[persist(bytes)]
    payload: Vec<u8>,
    #[persist(bytes)]
    magic: [u8; 4],
    #[persist(bytes)]
    boxed: Box<[u8]>,
    #[persist(bytes)]
    cow: Cow<'static, [u8]>,
}

fn job() -> Job {
    Job {
        started: UNIX_EPOCH + Duration::from_micros(1_764_652_687_250_001),
        limit: Duration::from_micros(90_061_000_005),
        payload: (0..=255).collect(),
        magic: *b"GIF8",
        boxed: Box::new(*b"it's\\"),
        cow: Cow::Borrowed(b"\n\t\r'"),
    }
}

#[test]
fn python_sees_timedeltas_aware_datetimes_and_bytes() {
    let before_epoch = UNIX_EPOCH - Duration::from_secs(86_400 * 365 * 1000 + 1);
    let mut archive = Archive::new();
    archive.insert("job", job()).unwrap();
    archive.insert("zero", Duration::ZERO).unwrap();
    archive.insert("epoch", UNIX_EPOCH).unwrap();
    archive.insert("old", before_epoch).unwrap();
    archive
        .insert("longest", Duration::from_secs(86_400 * 999_999_999))
        .unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.starts_with("# persist archive, format 5,"),
        "{source}"
    );
    assert!(source.contains("import datetime as _dt\n"), "{source}");
    assert!(
        source.contains(
            "started=_dt.datetime(2025, 12, 2, 5, 18, 7, 250001, tzinfo=_dt.timezone.utc)"
        ),
        "{source}"
    );
    assert!(source.contains("limit=_dt.timedelta(days=1, seconds=3661, microseconds=5)"));
    assert!(source.contains("magic=b'GIF8'") && source.contains(r"boxed=b'it\'s\\'"));
    saved.check(
        "import datetime, pickle\n\
         j = a.job\n\
         assert type(j.started) is datetime.datetime and j.started.tzinfo is datetime.timezone.utc\n\
         assert j.started == datetime.datetime(2025, 12, 2, 5, 18, 7, 250001, tzinfo=datetime.timezone.utc)\n\
         assert j.started.timestamp() == 1764652687.250001, j.started.timestamp()\n\
         assert type(j.limit) is datetime.timedelta and j.limit.total_seconds() == 90061.000005\n\
         assert j.payload == bytes(range(256)) and type(j.payload) is bytes\n\
         assert j.magic == b'GIF8' and j.boxed == b\"it's\\\\\" and j.cow == b\"\\n\\t\\r'\"\n\
         assert a.zero == datetime.timedelta(0)\n\
         assert a.epoch == datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)\n\
         assert a.old.year == 970 and a.old.second == 59, a.old\n\
         assert a.longest == datetime.timedelta(days=999999999), a.longest\n\
         assert pickle.loads(pickle.dumps(j)) == j\n\
         assert 'datetime' not in dir(a) and '_dt' not in dir(a)\n",
    );
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    assert_eq!(reader.read::<Job>("job").unwrap(), job());
    assert_eq!(reader.read::<Duration>("zero").unwrap(), Duration::ZERO);
    assert_eq!(reader.read::<SystemTime>("epoch").unwrap(), UNIX_EPOCH);
    assert_eq!(reader.read::<SystemTime>("old").unwrap(), before_epoch);
    assert_eq!(
        reader.read::<Duration>("longest").unwrap(),
        Duration::from_secs(86_400 * 999_999_999)
    );
}

#[test]
fn hand_edited_spellings_load() {
    let source = "import datetime as _dt\n\
                  d = _dt.timedelta(1, 2, 3, 4, 5, 6, 1)\n\
                  e = _dt.timedelta(hours=-1, minutes=90)\n\
                  t = _dt.datetime(2024, 2, 29, tzinfo=_dt.timezone.utc)\n\
                  b = b'caf\\xc3\\xa9' b'!'\n";
    let reader = ArchiveReader::from_source(source).unwrap();
    let week = 7 * 86_400_000_000_u64;
    let d = 86_400_000_000 + 2_000_000 + 3 + 4_000 + 5 * 60_000_000 + 6 * 3_600_000_000 + week;
    assert_eq!(
        reader.read::<Duration>("d").unwrap(),
        Duration::from_micros(d)
    );
    assert_eq!(
        reader.read::<Duration>("e").unwrap(),
        Duration::from_secs(1800)
    );
    assert_eq!(
        reader.read::<SystemTime>("t").unwrap(),
        UNIX_EPOCH + Duration::from_secs(1_709_164_800)
    );
    #[derive(Persist, Debug)]
    #[persist(transparent)]
    struct Blob(#[persist(bytes)] Vec<u8>);
    assert_eq!(reader.read::<Blob>("b").unwrap().0, "café!".as_bytes());
}

#[test]
fn values_python_cannot_hold_are_refused_when_writing_and_reading() {
    fn refuse<T: Persist + Send + 'static>(name: &str, value: T) -> String {
        let mut archive = Archive::new();
        archive.insert(name, value).unwrap();
        archive.to_python_source().unwrap_err().to_string()
    }
    let err = refuse("d", Duration::from_nanos(1_500));
    assert!(
        err.contains("item `d`") && err.contains("500 nanoseconds below the microsecond"),
        "{err}"
    );
    let err = refuse("d", Duration::from_secs(u64::MAX));
    assert!(
        err.contains("beyond what a Python `timedelta` holds"),
        "{err}"
    );
    let far = UNIX_EPOCH + Duration::from_secs(86_400 * 365 * 8100);
    let err = refuse("t", far);
    assert!(err.contains("outside the years 1 to 9999"), "{err}");

    fn read<T: Persist>(source: &str) -> String {
        let full = format!("import datetime as _dt\n{source}");
        match ArchiveReader::from_source(&full) {
            Err(e) => e.to_string(),
            Ok(reader) => reader
                .read::<T>("x")
                .map_or_else(|e| e.to_string(), |_| String::new()),
        }
    }
    let duration = read::<Duration>;
    let time = read::<SystemTime>;
    let err = duration("x = _dt.timedelta(-1)\n");
    assert!(err.contains("negative timedelta"), "{err}");
    let err = time("x = _dt.datetime(2023, 2, 29, tzinfo=_dt.timezone.utc)\n");
    assert!(err.contains("month=2, day=29"), "{err}");
    let err = time("x = _dt.datetime(2023, 2, 28)\n");
    assert!(err.contains("`tzinfo=_dt.timezone.utc`"), "{err}");
    let err = duration("x = _dt.timedelta(seconds=1.5)\n");
    assert!(err.contains("takes integers"), "{err}");
    let err = time("x = _dt.date(2023, 2, 28)\n");
    assert!(
        err.contains("calls only `_dt.timedelta` and `_dt.datetime`"),
        "{err}"
    );
    let err = duration("x = _dt.timedelta(days=1000000000)\n");
    assert!(err.contains("beyond Python's range"), "{err}");
    let err = time("x = _dt.timedelta(days=1)\n");
    assert!(err.contains("expected a datetime.datetime"), "{err}");
}
