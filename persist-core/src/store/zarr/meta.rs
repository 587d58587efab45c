//! A Zarr array's metadata, read and checked: the group's and the array's `zarr.json` (regular
//! files of at most [`MAX_METADATA`] bytes, no links), each key against what the Zarr store
//! writes, into a [`Meta`] that [`read`](super::read) reads the chunks by.

use std::fs;
use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use crate::platform::regular_file_no_follow;
use crate::python::encoding::excerpt;

/// The largest `zarr.json` read (64 KiB); the store writes about 600 bytes.
pub(super) const MAX_METADATA: u64 = 64 << 10;

/// The group's `zarr.json`, as the store writes it.
pub(crate) const GROUP_METADATA: &str = "{\n  \"zarr_format\": 3,\n  \"node_type\": \"group\"\n}";

/// How chunks are compressed after the `bytes` codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
    None,
    Gzip,
    Zstd,
}

/// An array's metadata, checked.
#[derive(Debug)]
pub(super) struct Meta {
    pub(super) shape: Vec<usize>,
    pub(super) chunk: Vec<usize>,
    pub(super) dtype: &'static str,
    /// The element size in bytes.
    pub(super) size: usize,
    pub(super) big_endian: bool,
    pub(super) compression: Compression,
    /// The fill value, little-endian.
    pub(super) fill: Vec<u8>,
    /// With shards (`sharding_indexed`), the shape of the chunks inside each shard, which
    /// `chunk` (the grid's cell) then is: the codecs above apply to these chunks.
    pub(super) inner: Option<Vec<usize>>,
}

impl Meta {
    /// The npy `descr` of the chunks' bytes.
    pub(super) fn descr(&self, big_endian: bool) -> String {
        let kind = match self.dtype {
            "bool" => 'b',
            d if d.starts_with("int") => 'i',
            d if d.starts_with("uint") => 'u',
            d if d.starts_with("float") => 'f',
            _ => 'c',
        };
        let order = match (self.size, big_endian) {
            (1, _) => '|',
            (_, true) => '>',
            (_, false) => '<',
        };
        format!("{order}{kind}{}", self.size)
    }

    /// The number of chunks along each axis.
    pub(super) fn grid(&self) -> Vec<usize> {
        self.shape
            .iter()
            .zip(&self.chunk)
            .map(|(&n, &c)| n.div_ceil(c))
            .collect()
    }
}

/// The checked metadata of the array `name` of the group `group` (the group checked too).
pub(super) fn array_meta(group: &Path, name: &str) -> Result<Meta, String> {
    plain_dir(group, "the Zarr group")?;
    let group_meta = read_json(&group.join("zarr.json"))?;
    check_group(&group_meta).map_err(|m| format!("the group's zarr.json: {m}"))?;
    let dir = group.join(name);
    plain_dir(&dir, "the array's folder")?;
    parse_meta(&read_json(&dir.join("zarr.json"))?)
        .map_err(|m| format!("the array's zarr.json: {m}"))
}

/// `path` is a folder, not a link.
fn plain_dir(path: &Path, what: &str) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "{what} {} is a symbolic link, which could lead outside the archive",
            path.display()
        )),
        Ok(_) => Err(format!("{what} {} is not a folder", path.display())),
        Err(e) => Err(format!("cannot open {what} {}: {e}", path.display())),
    }
}

/// A `zarr.json`: a regular file (no link) of at most [`MAX_METADATA`] bytes holding JSON.
fn read_json(path: &Path) -> Result<Value, String> {
    let fail = |m: String| format!("{}: {m}", path.display());
    let file = regular_file_no_follow(path).map_err(fail)?;
    let mut bytes = Vec::new();
    file.take(MAX_METADATA + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_METADATA {
        return Err(fail(format!("larger than {MAX_METADATA} bytes")));
    }
    serde_json::from_slice(&bytes).map_err(|e| fail(format!("not JSON: {e}")))
}

/// The object `value`, with no key outside `allowed`.
fn object<'v>(
    value: &'v Value,
    what: &str,
    allowed: &[&str],
) -> Result<&'v Map<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err(format!("{what} is not a JSON object"));
    };
    if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "{what} has the key `{}`, which this crate never writes",
            excerpt(key)
        ));
    }
    Ok(map)
}

/// The group metadata: Zarr format 3, a group, attributes at most.
fn check_group(value: &Value) -> Result<(), String> {
    let map = object(
        value,
        "the metadata",
        &["zarr_format", "node_type", "attributes"],
    )?;
    expect(map, "zarr_format", &Value::from(3))?;
    expect(map, "node_type", &Value::from("group"))?;
    attributes(map)
}

/// `map[key] == want`.
fn expect(map: &Map<String, Value>, key: &str, want: &Value) -> Result<(), String> {
    match map.get(key) {
        Some(v) if v == want => Ok(()),
        Some(v) => Err(format!(
            "`{key}` is {}, not {want}",
            excerpt(&v.to_string())
        )),
        None => Err(format!("`{key}` is missing")),
    }
}

/// Attributes, if any, are an object (plain JSON data: nothing zarr-python runs).
fn attributes(map: &Map<String, Value>) -> Result<(), String> {
    match map.get("attributes") {
        None | Some(Value::Object(_)) => Ok(()),
        Some(_) => Err("`attributes` is not a JSON object".into()),
    }
}

/// A list of sizes.
fn sizes(value: Option<&Value>, what: &str) -> Result<Vec<usize>, String> {
    let Some(Value::Array(items)) = value else {
        return Err(format!("`{what}` is not a list of sizes"));
    };
    items
        .iter()
        .map(|v| {
            v.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| format!("`{what}` holds {}, not a size", excerpt(&v.to_string())))
        })
        .collect()
}

/// `{"name": NAME, "configuration": {...}}` with the configuration's allowed keys: the
/// configuration (empty if absent).
fn named<'v>(
    value: &'v Value,
    what: &str,
    name: &str,
    allowed: &[&str],
) -> Result<Option<&'v Map<String, Value>>, String> {
    let map = object(value, what, &["name", "configuration"])?;
    expect(map, "name", &Value::from(name)).map_err(|m| format!("{what}: {m}"))?;
    match map.get("configuration") {
        None => Ok(None),
        Some(c) => object(c, &format!("the configuration of {what}"), allowed).map(Some),
    }
}

/// Check an array's metadata against what the store writes.
fn parse_meta(value: &Value) -> Result<Meta, String> {
    let map = object(
        value,
        "the metadata",
        &[
            "zarr_format",
            "node_type",
            "shape",
            "data_type",
            "chunk_grid",
            "chunk_key_encoding",
            "fill_value",
            "codecs",
            "attributes",
            "storage_transformers",
            "dimension_names",
        ],
    )?;
    expect(map, "zarr_format", &Value::from(3))?;
    expect(map, "node_type", &Value::from("array"))?;
    attributes(map)?;
    let shape = sizes(map.get("shape"), "shape")?;
    let dtype = match map.get("data_type") {
        Some(Value::String(d)) => crate::array::DTYPES
            .iter()
            .copied()
            .find(|&known| known == d)
            .ok_or_else(|| {
                format!(
                    "the data type `{}` is not one this crate writes",
                    excerpt(d)
                )
            })?,
        _ => return Err("`data_type` is not a name".into()),
    };
    let size = match dtype {
        "bool" | "int8" | "uint8" => 1,
        "int16" | "uint16" => 2,
        "int32" | "uint32" | "float32" => 4,
        "int64" | "uint64" | "float64" | "complex64" => 8,
        _ => 16,
    };
    let grid = map.get("chunk_grid").ok_or("`chunk_grid` is missing")?;
    let grid = named(grid, "`chunk_grid`", "regular", &["chunk_shape"])?;
    let chunk = sizes(grid.and_then(|g| g.get("chunk_shape")), "chunk_shape")?;
    if chunk.len() != shape.len() || chunk.contains(&0) {
        return Err(format!(
            "the chunk shape {chunk:?} does not fit the shape {shape:?}"
        ));
    }
    let key = map
        .get("chunk_key_encoding")
        .ok_or("`chunk_key_encoding` is missing")?;
    let key = named(key, "`chunk_key_encoding`", "default", &["separator"])?;
    if let Some(sep) = key.and_then(|k| k.get("separator"))
        && sep != "/"
    {
        return Err("the chunk key separator is not `/`".into());
    }
    match map.get("storage_transformers") {
        None => {}
        Some(Value::Array(t)) if t.is_empty() => {}
        Some(_) => {
            return Err("the array has storage transformers, which this crate never writes".into());
        }
    }
    match map.get("dimension_names") {
        None | Some(Value::Null) => {}
        Some(Value::Array(names))
            if names.len() == shape.len() && names.iter().all(|n| n.is_string() || n.is_null()) => {
        }
        Some(_) => return Err("`dimension_names` is not one name (or null) per dimension".into()),
    }
    let (big_endian, compression, inner) = match sharding(map.get("codecs"))? {
        Some(config) => {
            let inner = sizes(config.get("chunk_shape"), "the shards' chunk_shape")?;
            if inner.len() != shape.len()
                || inner.contains(&0)
                || chunk.iter().zip(&inner).any(|(c, i)| c % i != 0)
            {
                return Err(format!(
                    "the shards' chunk shape {inner:?} does not divide the shard shape {chunk:?}"
                ));
            }
            index_codecs(config)?;
            let (big_endian, compression) = codecs(config.get("codecs"), size)
                .map_err(|m| format!("the shards' chunks: {m}"))?;
            (big_endian, compression, Some(inner))
        }
        None => {
            let (big_endian, compression) = codecs(map.get("codecs"), size)?;
            (big_endian, compression, None)
        }
    };
    let fill = fill_bytes(
        dtype,
        size,
        map.get("fill_value").ok_or("`fill_value` is missing")?,
    )?;
    Ok(Meta {
        shape,
        chunk,
        dtype,
        size,
        big_endian,
        compression,
        fill,
        inner,
    })
}

/// The configuration of the `sharding_indexed` codec, when it is the array's only codec.
fn sharding(value: Option<&Value>) -> Result<Option<&Map<String, Value>>, String> {
    let Some(Value::Array(codecs)) = value else {
        return Err("`codecs` is not a list".into());
    };
    match codecs.as_slice() {
        [only] if only.get("name").and_then(Value::as_str) == Some("sharding_indexed") => named(
            only,
            "the sharding codec",
            "sharding_indexed",
            &["chunk_shape", "codecs", "index_codecs", "index_location"],
        )?
        .map(Some)
        .ok_or_else(|| "the sharding codec has no configuration".to_owned()),
        _ => Ok(None),
    }
}

/// A shard's index as the store writes it: at the end, little-endian, with its CRC-32C.
fn index_codecs(config: &Map<String, Value>) -> Result<(), String> {
    match config.get("index_location") {
        None => {}
        Some(v) if v == "end" => {}
        Some(_) => return Err("the shards' index is not at their end".into()),
    }
    let Some(Value::Array(codecs)) = config.get("index_codecs") else {
        return Err("the shards' `index_codecs` is not a list".into());
    };
    match codecs.as_slice() {
        [bytes, crc] => {
            let bytes = named(bytes, "the shards' index codec", "bytes", &["endian"])?;
            named(crc, "the shards' index checksum", "crc32c", &[])?;
            match bytes.and_then(|b| b.get("endian")) {
                Some(e) if e == "little" => Ok(()),
                _ => Err("the shards' index is not little-endian".into()),
            }
        }
        _ => Err(
            "the shards' index codecs are not `bytes` and `crc32c`, which this crate writes".into(),
        ),
    }
}

/// The codecs: `bytes` (with its endianness), then at most one of gzip and zstd.
fn codecs(value: Option<&Value>, size: usize) -> Result<(bool, Compression), String> {
    let Some(Value::Array(codecs)) = value else {
        return Err("`codecs` is not a list".into());
    };
    let (first, rest) = codecs.split_first().ok_or("`codecs` is empty")?;
    let bytes = named(first, "the first codec", "bytes", &["endian"])?;
    let big_endian = match bytes.and_then(|b| b.get("endian")) {
        Some(e) if e == "little" => false,
        Some(e) if e == "big" => true,
        None if size == 1 => false,
        _ => return Err("the `bytes` codec names no endianness".into()),
    };
    let compression = match rest {
        [] => Compression::None,
        [codec] => match codec.get("name").and_then(Value::as_str) {
            Some("gzip") => {
                named(codec, "the gzip codec", "gzip", &["level"])?;
                Compression::Gzip
            }
            Some("zstd") => {
                named(codec, "the zstd codec", "zstd", &["level", "checksum"])?;
                Compression::Zstd
            }
            _ => {
                return Err(format!(
                    "the codec {} is not gzip or zstd, the only compressions this crate writes",
                    excerpt(&codec.to_string())
                ));
            }
        },
        _ => return Err("more codecs than `bytes` and one compression".into()),
    };
    Ok((big_endian, compression))
}

/// The fill value as little-endian bytes of `dtype`.
fn fill_bytes(dtype: &str, size: usize, value: &Value) -> Result<Vec<u8>, String> {
    let bad = || {
        format!(
            "the fill value {} is not a {dtype}",
            excerpt(&value.to_string())
        )
    };
    let float = |v: &Value| -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s == "NaN" => Some(f64::NAN),
            Value::String(s) if s == "Infinity" => Some(f64::INFINITY),
            Value::String(s) if s == "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        }
    };
    let bytes = match dtype {
        "bool" => vec![u8::from(value.as_bool().ok_or_else(bad)?)],
        "float32" => (float(value).ok_or_else(bad)? as f32)
            .to_le_bytes()
            .to_vec(),
        "float64" => float(value).ok_or_else(bad)?.to_le_bytes().to_vec(),
        "complex64" | "complex128" => {
            let Value::Array(parts) = value else {
                return Err(bad());
            };
            let [re, im] = parts.as_slice() else {
                return Err(bad());
            };
            let (re, im) = (float(re).ok_or_else(bad)?, float(im).ok_or_else(bad)?);
            if size == 8 {
                [(re as f32).to_le_bytes(), (im as f32).to_le_bytes()].concat()
            } else {
                [re.to_le_bytes(), im.to_le_bytes()].concat()
            }
        }
        d if d.starts_with("uint") => {
            let n = value.as_u64().ok_or_else(bad)?;
            if size < 8 && n >> (size * 8) != 0 {
                return Err(bad());
            }
            n.to_le_bytes()[..size].to_vec()
        }
        _ => {
            let n = value.as_i64().ok_or_else(bad)?;
            let bits = size * 8;
            if bits < 64 && (n < -(1i64 << (bits - 1)) || n >= 1i64 << (bits - 1)) {
                return Err(bad());
            }
            n.to_le_bytes()[..size].to_vec()
        }
    };
    Ok(bytes)
}
