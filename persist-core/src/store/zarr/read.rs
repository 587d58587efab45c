//! Reading a Zarr array of an archive back into Rust, and checking one without reading its
//! data, within fixed bounds whatever the files hold.
//!
//! Only what the Zarr store writes is accepted: a group whose `zarr.json` says just that; an
//! array whose `zarr.json` has a regular chunk grid, the default chunk key encoding, one of this
//! crate's data types, the `bytes` codec and at most one of gzip and zstd, no storage
//! transformers and nothing else zarr-python would act on (no codec of a plugin, which could
//! unpickle). Metadata files are at most [`MAX_METADATA`] bytes, the array at most the read
//! limit ([`ZARR_READ_LIMIT`] by default), its chunks at most [`ZARR_MAX_CHUNKS`]. The chunk
//! folder is walked without following links, each entry named by a chunk index inside the
//! grid. Chunks are decoded here (flate2, zstd) with their output cut at the chunk's size, so a
//! compressed bomb reads as an error, not as memory; a missing chunk is the fill value, as Zarr
//! says.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use ndarray::{ArrayD, IxDyn, Slice};
use ndarray_npy::{ReadNpyExt, ReadableElement};
use serde_json::{Map, Value};

use crate::array::Element;
use crate::python::encoding::excerpt;
use crate::read::{is_plain_file_name, regular_file_no_follow};

/// The largest array (in bytes, once in memory) the reader reads from a Zarr store, unless
/// [`ReadOptions::zarr_limit`](crate::ReadOptions::zarr_limit) says otherwise: 1 GiB. Zarr
/// chunks compress so well (an array of zeros needs no chunk file at all) that the files' size
/// says nothing of the memory an array needs, so the limit is fixed.
///
/// ```
/// assert_eq!(persist_core::ZARR_READ_LIMIT, 1 << 30);
/// ```
pub const ZARR_READ_LIMIT: u64 = 1 << 30;

/// The most chunks one Zarr array may have (2^20: 1 TiB in the default chunks of 1 MiB), so
/// that checking or reading an array opens a bounded number of files.
///
/// ```
/// assert_eq!(persist_core::ZARR_MAX_CHUNKS, 1 << 20);
/// ```
pub const ZARR_MAX_CHUNKS: u64 = 1 << 20;

/// The largest `zarr.json` read (64 KiB); the store writes about 600 bytes.
const MAX_METADATA: u64 = 64 << 10;

/// The group's `zarr.json`, as the store writes it.
pub(crate) const GROUP_METADATA: &str = "{\n  \"zarr_format\": 3,\n  \"node_type\": \"group\"\n}";

/// How chunks are compressed after the `bytes` codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
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
    size: usize,
    big_endian: bool,
    compression: Compression,
    /// The fill value, little-endian.
    fill: Vec<u8>,
}

impl Meta {
    /// The npy `descr` of the chunks' bytes.
    fn descr(&self, big_endian: bool) -> String {
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
    fn grid(&self) -> Vec<usize> {
        self.shape
            .iter()
            .zip(&self.chunk)
            .map(|(&n, &c)| n.div_ceil(c))
            .collect()
    }
}

/// Check the array `name` of the group `group` without reading its chunks' data: the group,
/// the metadata, the size limit and the chunk folder.
pub(super) fn check_array(group: &Path, name: &str, max_bytes: Option<u64>) -> Result<(), String> {
    let (dir, meta) = open_array(group, name, max_bytes)?;
    chunk_files(&dir, &meta).map(drop)
}

/// Read the array `name` of the group `group` as `A` (the array's data type must be `A`'s),
/// with `ndim` dimensions when given.
pub(super) fn read_array<A: Element + ReadableElement>(
    group: &Path,
    name: &str,
    ndim: Option<usize>,
    max_bytes: Option<u64>,
) -> Result<ArrayD<A>, String> {
    let (dir, meta) = open_array(group, name, max_bytes)?;
    if meta.dtype != A::DTYPE {
        return Err(format!(
            "the array's data type is {}, but the Rust element type {} reads {}",
            meta.dtype,
            std::any::type_name::<A>(),
            A::DTYPE
        ));
    }
    super::super::npy::check_ndim(&meta.shape, ndim)?;
    let files = chunk_files(&dir, &meta)?;
    let fill: ArrayD<A> = decode(&meta.fill, &meta.descr(false), &[])?;
    let fill = *fill
        .iter()
        .next()
        .ok_or("the fill value holds no element")?;
    let mut out = ArrayD::from_elem(IxDyn(&meta.shape), fill);
    let chunk_len: usize = meta.chunk.iter().product::<usize>() * meta.size;
    for (index, path) in files {
        let bytes = read_chunk(&path, chunk_len, meta.compression)
            .map_err(|m| format!("chunk {}: {m}", chunk_key(&index)))?;
        let chunk: ArrayD<A> = decode(&bytes, &meta.descr(meta.big_endian), &meta.chunk)
            .map_err(|m| format!("chunk {}: {m}", chunk_key(&index)))?;
        let within = |axis: usize| {
            let start = index[axis] * meta.chunk[axis];
            start..(start + meta.chunk[axis]).min(meta.shape[axis])
        };
        out.slice_each_axis_mut(|ax| Slice::from(within(ax.axis.index())))
            .assign(&chunk.slice_each_axis(|ax| Slice::from(0..within(ax.axis.index()).len())));
    }
    Ok(out)
}

/// The key of the chunk at `index`, for messages: `c/0/3`.
fn chunk_key(index: &[usize]) -> String {
    std::iter::once("c".to_owned())
        .chain(index.iter().map(ToString::to_string))
        .collect::<Vec<_>>()
        .join("/")
}

/// Check the group and the array's folder and metadata; the folder and the metadata.
fn open_array(group: &Path, name: &str, max_bytes: Option<u64>) -> Result<(PathBuf, Meta), String> {
    if !is_plain_file_name(name) || name.starts_with("__") || name == "zarr.json" {
        return Err(format!(
            "`{}` is not the name of an array of the archive's Zarr group",
            excerpt(name)
        ));
    }
    let meta = array_meta(group, name)?;
    let dir = group.join(name);
    let limit = max_bytes.unwrap_or(ZARR_READ_LIMIT);
    let bytes = meta
        .shape
        .iter()
        .try_fold(meta.size as u64, |n, &d| n.checked_mul(d as u64));
    match bytes {
        Some(bytes) if bytes <= limit => {}
        _ => {
            return Err(format!(
                "the array of shape {:?} would take more than the reader's limit of {limit} bytes in memory; if you expect an array this large, raise it with ReadOptions::zarr_limit",
                meta.shape
            ));
        }
    }
    let chunks = meta
        .grid()
        .iter()
        .try_fold(1u64, |n, &g| n.checked_mul(g as u64));
    if chunks.is_none_or(|n| n > ZARR_MAX_CHUNKS) {
        return Err(format!(
            "the array has more than {ZARR_MAX_CHUNKS} chunks (chunk shape {:?}, shape {:?})",
            meta.chunk, meta.shape
        ));
    }
    Ok((dir, meta))
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
        Some(Value::String(d)) => crate::read::DTYPES
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
    let (big_endian, compression) = codecs(map.get("codecs"), size)?;
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
    })
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

/// The chunk files of the array folder `dir`: the index and path of each, walking `c/`
/// without following links. An entry that is not a chunk index inside the grid, a link, or a
/// folder where a file belongs (or the reverse) is refused.
fn chunk_files(dir: &Path, meta: &Meta) -> Result<Vec<(Vec<usize>, PathBuf)>, String> {
    let root = dir.join("c");
    let grid = meta.grid();
    let mut found = Vec::new();
    let entry = match fs::symlink_metadata(&root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(format!("cannot open {}: {e}", root.display())),
        Ok(m) => m,
    };
    if grid.contains(&0) {
        return Err("an empty array has chunk files".into());
    }
    if meta.shape.is_empty() {
        if !entry.is_file() {
            return Err(format!("{} is not a regular file", root.display()));
        }
        found.push((Vec::new(), root));
        return Ok(found);
    }
    let mut stack = vec![(root, Vec::new())];
    while let Some((path, index)) = stack.pop() {
        let axis = index.len();
        let entry = fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let leaf = axis == grid.len();
        match (leaf, entry.is_file(), entry.is_dir()) {
            (true, true, _) => {
                found.push((index, path));
                continue;
            }
            (false, _, true) => {}
            _ => {
                return Err(format!(
                    "{} is {}",
                    path.display(),
                    if entry.file_type().is_symlink() {
                        "a symbolic link, which could lead outside the archive"
                    } else if leaf {
                        "not a regular chunk file"
                    } else {
                        "not a folder of chunks"
                    }
                ));
            }
        }
        let listing = fs::read_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, child) in listing.enumerate() {
            if n >= grid[axis] {
                return Err(format!(
                    "{} holds more entries than the array has chunks along axis {axis}",
                    path.display()
                ));
            }
            let child = child.map_err(|e| format!("{}: {e}", path.display()))?;
            let name = child.file_name();
            let at = name
                .to_str()
                .filter(|s| {
                    !s.is_empty()
                        && s.bytes().all(|b| b.is_ascii_digit())
                        && (s.len() == 1 || !s.starts_with('0'))
                })
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|&i| i < grid[axis])
                .ok_or_else(|| {
                    format!(
                        "{} is not a chunk index of axis {axis} (0 to {})",
                        path.join(&name).display(),
                        grid[axis] - 1
                    )
                })?;
            let mut next = index.clone();
            next.push(at);
            stack.push((child.path(), next));
        }
    }
    Ok(found)
}

/// Read and decompress the chunk file `path`, which must decode to exactly `len` bytes: the
/// output is cut at `len + 1` bytes, and the file may be at most a little larger than `len`.
fn read_chunk(path: &Path, len: usize, compression: Compression) -> Result<Vec<u8>, String> {
    let file = regular_file_no_follow(path)?;
    let stored_max = len as u64 + len as u64 / 8 + 4096;
    let mut stored = Vec::new();
    file.take(stored_max + 1)
        .read_to_end(&mut stored)
        .map_err(|e| e.to_string())?;
    if stored.len() as u64 > stored_max {
        return Err(format!(
            "the file is larger than a chunk of {len} bytes can be"
        ));
    }
    let limit = len as u64 + 1;
    let mut out = Vec::with_capacity(len);
    match compression {
        Compression::None => out = stored,
        Compression::Gzip => {
            flate2::read::GzDecoder::new(stored.as_slice())
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| format!("not gzip data: {e}"))?;
        }
        Compression::Zstd => {
            zstd::stream::read::Decoder::with_buffer(stored.as_slice())
                .map_err(|e| e.to_string())?
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| format!("not zstd data: {e}"))?;
        }
    }
    if out.len() != len {
        return Err(format!(
            "it decodes to {}{} bytes, not the chunk's {len}",
            out.len().min(len + 1),
            if out.len() > len { " or more" } else { "" }
        ));
    }
    Ok(out)
}

/// `bytes` of elements `descr` as an array of `shape`, through ndarray-npy's reader (which
/// checks bool bytes and converts the byte order).
fn decode<A: Element + ReadableElement>(
    bytes: &[u8],
    descr: &str,
    shape: &[usize],
) -> Result<ArrayD<A>, String> {
    let header = super::super::npy::npy_header(descr, shape, 0);
    ArrayD::<A>::read_npy(Cursor::new(header).chain(bytes))
        .map_err(|e| super::super::npy::read_error::<A>(e))
}
