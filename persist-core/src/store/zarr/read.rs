//! Reading a Zarr array of an archive back into Rust, and checking one without reading its
//! data, within fixed bounds whatever the files hold.
//!
//! Only what the Zarr store writes is accepted (the metadata is checked by
//! [`meta`](super::meta)): a group whose `zarr.json` says just that; an array whose `zarr.json`
//! has a regular chunk grid, the default chunk key encoding, one of this crate's data types, the
//! `bytes` codec and at most one of gzip and zstd (or the `sharding_indexed` codec holding just
//! those, its index at the end, little-endian), no storage transformers and nothing else
//! zarr-python would act on (no codec of a plugin, which could unpickle). Metadata files are at
//! most [`MAX_METADATA`](super::meta::MAX_METADATA) bytes, the array at most the read limit
//! ([`ZARR_READ_LIMIT`] by default), its chunks at most [`ZARR_MAX_CHUNKS`]. The chunk folder is
//! walked without following links, each entry named by a chunk index inside the grid. Chunks are
//! decoded here (flate2, zstd) with their output cut at the chunk's size, so a compressed bomb
//! reads as an error, not as memory; a missing chunk is the fill value, as Zarr says. A shard's
//! index is checked to point inside the shard before any of its chunks is decoded, and every
//! chunk inside a shard counts against [`ZARR_MAX_CHUNKS`]. Up to 8 threads read and decode
//! chunk files at once, each holding one file's chunks, so memory stays the array plus a few
//! chunks (or shards).

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use ndarray::{ArrayD, IxDyn, Slice};
use ndarray_npy::{ReadNpyExt, ReadableElement};

use super::meta::{Compression, Meta, array_meta};
use crate::array::Element;
use crate::platform::{is_plain_file_name, regular_file_no_follow};
use crate::python::encoding::excerpt;

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
    let out = std::sync::Mutex::new(ArrayD::from_elem(IxDyn(&meta.shape), fill));
    let descr = meta.descr(meta.big_endian);
    // Chunk files are read and decoded by a few threads at once (each holding one file's
    // chunks at a time), as zarr-python overlaps them; each places its chunks under the lock.
    // The error reported is that of the first failing file in the folder's order.
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, READ_THREADS)
        .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(None::<(usize, String)>);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if k >= files.len() || lock(&failed).as_ref().is_some_and(|(at, _)| *at < k) {
                        break;
                    }
                    let (index, path) = &files[k];
                    match read_cell::<A>(index, path, &meta, &descr) {
                        Ok(chunks) => {
                            let mut out = lock(&out);
                            for (origin, chunk) in chunks {
                                place(&mut out, &chunk, &origin);
                            }
                        }
                        Err(m) => {
                            let mut failed = lock(&failed);
                            if failed.as_ref().is_none_or(|(at, _)| k < *at) {
                                *failed = Some((k, m));
                            }
                        }
                    }
                }
            });
        }
    });
    match failed
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some((_, message)) => Err(message),
        None => Ok(out
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)),
    }
}

/// The most threads that read one array's chunk files at once.
const READ_THREADS: usize = 8;

/// `mutex`, locked (a panic of another reader does not hide what it holds).
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A decoded chunk and its origin in the array.
type Placed<A> = (Vec<usize>, ArrayD<A>);

/// The chunks of the grid cell at `index` (a chunk file, or a shard of chunks), decoded, each
/// with its origin in the array.
fn read_cell<A: Element + ReadableElement>(
    index: &[usize],
    path: &Path,
    meta: &Meta,
    descr: &str,
) -> Result<Vec<Placed<A>>, String> {
    let origin: Vec<usize> = index.iter().zip(&meta.chunk).map(|(i, c)| i * c).collect();
    let Some(inner) = &meta.inner else {
        let len = meta.chunk.iter().product::<usize>() * meta.size;
        let stored = read_file(path, stored_max(len))
            .map_err(|m| format!("chunk {}: {m}", chunk_key(index)))?;
        let bytes = decompress(&stored, len, meta.compression)
            .map_err(|m| format!("chunk {}: {m}", chunk_key(index)))?;
        let chunk: ArrayD<A> = decode(&bytes, descr, &meta.chunk)
            .map_err(|m| format!("chunk {}: {m}", chunk_key(index)))?;
        return Ok(vec![(origin, chunk)]);
    };
    let shard =
        read_shard(path, meta, inner).map_err(|m| format!("shard {}: {m}", chunk_key(index)))?;
    shard
        .into_iter()
        .map(|(at, bytes)| {
            let chunk: ArrayD<A> = decode(&bytes, descr, inner)
                .map_err(|m| format!("shard {}, chunk {at:?}: {m}", chunk_key(index)))?;
            let start = origin
                .iter()
                .zip(&at)
                .zip(inner)
                .map(|((o, a), i)| o + a * i)
                .collect();
            Ok((start, chunk))
        })
        .collect()
}

/// Copy `chunk` into `out` from `origin`, cut at `out`'s edges (a chunk of the last row of the
/// grid reaches past them).
fn place<A: Copy>(out: &mut ArrayD<A>, chunk: &ArrayD<A>, origin: &[usize]) {
    let shape = out.shape().to_vec();
    if origin.iter().zip(&shape).any(|(o, n)| o >= n) && !shape.is_empty() {
        return;
    }
    let within = |axis: usize| origin[axis]..(origin[axis] + chunk.shape()[axis]).min(shape[axis]);
    out.slice_each_axis_mut(|ax| Slice::from(within(ax.axis.index())))
        .assign(&chunk.slice_each_axis(|ax| Slice::from(0..within(ax.axis.index()).len())));
}

/// A chunk of a shard: its place in the shard's grid of chunks, and its decoded bytes.
type ShardChunk = (Vec<usize>, Vec<u8>);

/// The chunks of the shard file `path` (index at its end: an offset and a length, little-endian
/// u64s, per chunk in C order, both all ones for a chunk not written; then the index's CRC-32C,
/// checked), each decompressed to
/// exactly a chunk's bytes, with its place in the shard's grid of chunks. Every index entry is
/// checked to lie within the file before anything is decoded.
fn read_shard(path: &Path, meta: &Meta, inner: &[usize]) -> Result<Vec<ShardChunk>, String> {
    let grid: Vec<usize> = meta.chunk.iter().zip(inner).map(|(c, i)| c / i).collect();
    let count: usize = grid.iter().product();
    let len = inner.iter().product::<usize>() * meta.size;
    // The index: an offset and a length per chunk, then their CRC-32C.
    let index_len = count * 16 + 4;
    let stored = read_file(
        path,
        stored_max(len).saturating_mul(count as u64) + index_len as u64,
    )?;
    let Some(data_len) = stored.len().checked_sub(index_len) else {
        return Err(format!(
            "the file of {} bytes is shorter than its index of {index_len}",
            stored.len()
        ));
    };
    let (index, sum) = stored[data_len..].split_at(count * 16);
    if crc32c::crc32c(index) != u32::from_le_bytes(sum.try_into().expect("4 bytes")) {
        return Err("its index does not match its checksum (a damaged or altered shard)".into());
    }
    let mut chunks = Vec::new();
    for k in 0..count {
        let entry = &stored[data_len + 16 * k..data_len + 16 * (k + 1)];
        let offset = u64::from_le_bytes(entry[..8].try_into().expect("8 bytes"));
        let nbytes = u64::from_le_bytes(entry[8..].try_into().expect("8 bytes"));
        if offset == u64::MAX && nbytes == u64::MAX {
            continue;
        }
        let end = offset.checked_add(nbytes).filter(|&e| e <= data_len as u64);
        let Some(end) = end else {
            return Err(format!(
                "its index puts chunk {k} at bytes {offset} to {offset}+{nbytes}, outside the {data_len} bytes of chunks"
            ));
        };
        let bytes = decompress(
            &stored[offset as usize..end as usize],
            len,
            meta.compression,
        )
        .map_err(|m| format!("chunk {k}: {m}"))?;
        // Chunk `k` of the shard's grid, in C order.
        let mut at = vec![0; grid.len()];
        let mut rest = k;
        for axis in (0..grid.len()).rev() {
            at[axis] = rest % grid[axis];
            rest /= grid[axis];
        }
        chunks.push((at, bytes));
    }
    Ok(chunks)
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
    // With shards, every chunk inside them counts: each is decoded on its own.
    let per_cell = match &meta.inner {
        Some(inner) => meta
            .chunk
            .iter()
            .zip(inner)
            .map(|(c, i)| (c / i) as u64)
            .product(),
        None => 1u64,
    };
    let chunks = meta
        .grid()
        .iter()
        .try_fold(per_cell, |n, &g| n.checked_mul(g as u64));
    if chunks.is_none_or(|n| n > ZARR_MAX_CHUNKS) {
        return Err(format!(
            "the array has more than {ZARR_MAX_CHUNKS} chunks (chunk shape {:?}, shape {:?})",
            meta.chunk, meta.shape
        ));
    }
    Ok((dir, meta))
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

/// The most bytes a stored (compressed) chunk of `len` bytes may take: a little more than
/// `len`, as incompressible data grows under gzip or zstd.
fn stored_max(len: usize) -> u64 {
    len as u64 + len as u64 / 8 + 4096
}

/// The regular file `path` (not a link), of at most `max` bytes.
fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = regular_file_no_follow(path)?;
    let mut stored = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut stored)
        .map_err(|e| e.to_string())?;
    if stored.len() as u64 > max {
        return Err(format!(
            "the file is larger than a chunk (or a shard of chunks) can be: {max} bytes at most"
        ));
    }
    Ok(stored)
}

/// Decompress `stored`, which must decode to exactly `len` bytes: the output is cut at `len +
/// 1` bytes.
fn decompress(stored: &[u8], len: usize, compression: Compression) -> Result<Vec<u8>, String> {
    let limit = len as u64 + 1;
    let mut out = Vec::with_capacity(len);
    match compression {
        Compression::None => out = stored.to_vec(),
        Compression::Gzip => {
            flate2::read::GzDecoder::new(stored)
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| format!("not gzip data: {e}"))?;
        }
        Compression::Zstd => {
            zstd::stream::read::Decoder::with_buffer(stored)
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
