//! Hostile or corrupt Zarr groups are refused by `verify` and by reading, naming the item and
//! the file, within bounded memory: a codec of a plugin (which could unpickle), a huge announced
//! shape, too many chunks, a compressed bomb, a chunk file too large, links out of the group,
//! stray entries in the chunk folder, a wrong data type, an array name leaving the group.

use std::fs;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use persist_core::{ArchiveReader, ArrayStore, ReadOptions, ZarrOptions, verify};
use persist_tests::save_package;

/// A package with one 100 x 100 f64 array `field` in chunks of 50 x 50, zstd or uncompressed.
pub(super) fn archive(options: ZarrOptions) -> (tempfile::TempDir, PathBuf) {
    let mut archive = persist_core::Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Zarr(options.chunk_bytes(50 * 50 * 8)));
    archive
        .insert(
            "field",
            Array2::from_shape_fn((100, 100), |(i, j)| (i + j) as f64),
        )
        .unwrap();
    let saved = save_package(&archive);
    let path = saved.dir.path().join("arch");
    (saved.dir, path)
}

/// The array's metadata file.
fn meta(arch: &Path) -> PathBuf {
    arch.join("_arrays.zarr/field/zarr.json")
}

/// Edit the array's metadata as JSON text, without its white space (none of its strings has any).
fn edit_meta(arch: &Path, from: &str, to: &str) {
    let text: String = fs::read_to_string(meta(arch))
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(text.contains(from), "{from} in {text}");
    fs::write(meta(arch), text.replacen(from, to, 1)).unwrap();
}

/// Both verify and reading refuse, with `needle` in both messages and the item named.
#[track_caller]
fn refused(arch: &Path, needle: &str) {
    let err = verify(arch, &Default::default()).unwrap_err().to_string();
    assert!(err.contains(needle), "verify: {err}");
    assert!(err.contains("_arrays.zarr"), "verify: {err}");
    let reader = ArchiveReader::open(arch);
    let err = match reader {
        Err(e) => e.to_string(),
        Ok(r) => r.read::<Array2<f64>>("field").unwrap_err().to_string(),
    };
    assert!(err.contains(needle), "read: {err}");
    assert!(err.contains("field"), "read: {err}");
}

#[test]
fn a_codec_this_crate_never_writes_is_refused() {
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(
        &arch,
        r#"{"name":"zstd""#,
        r#"{"name":"numcodecs.pickle","configuration":{}},{"name":"zstd""#,
    );
    refused(&arch, "more codecs");
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(&arch, r#""name":"zstd""#, r#""name":"numcodecs.pickle""#);
    refused(&arch, "numcodecs.pickle");
}

#[test]
fn unknown_metadata_keys_data_types_and_transformers_are_refused() {
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(
        &arch,
        r#""zarr_format":3"#,
        r#""zarr_format":3,"storage_transformers":[{"name":"x"}]"#,
    );
    refused(&arch, "storage transformers");
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(
        &arch,
        r#""zarr_format":3"#,
        r#""zarr_format":3,"must_understand_this":true"#,
    );
    refused(&arch, "must_understand_this");
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(&arch, r#""data_type":"float64""#, r#""data_type":"string""#);
    refused(&arch, "data type `string`");
    // A data type of this crate, but not the Rust type's.
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(&arch, r#""data_type":"float64""#, r#""data_type":"int64""#);
    let err = ArchiveReader::open(&arch)
        .unwrap()
        .read::<Array2<f64>>("field")
        .unwrap_err()
        .to_string();
    assert!(err.contains("int64") && err.contains("field"), "{err}");
}

#[test]
fn a_huge_shape_or_too_many_chunks_is_refused_before_any_allocation() {
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(
        &arch,
        r#""shape":[100,100]"#,
        r#""shape":[100000000,100000000]"#,
    );
    refused(&arch, "limit");
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(
        &arch,
        r#""shape":[100,100]"#,
        r#""shape":[18446744073709551615,2]"#,
    );
    refused(&arch, "limit");
    // Within the memory limit, but a million tiny chunks.
    let (_dir, arch) = archive(ZarrOptions::default());
    edit_meta(&arch, r#""chunk_shape":[50,50]"#, r#""chunk_shape":[1,1]"#);
    edit_meta(&arch, r#""shape":[100,100]"#, r#""shape":[2000,2000]"#);
    refused(&arch, "chunks");
    // The limit is the reader's to set: a tighter one refuses what the default reads.
    let (_dir, arch) = archive(ZarrOptions::default());
    let err = ArchiveReader::open_with(&arch, &ReadOptions::new().zarr_limit(79_999))
        .unwrap()
        .read::<Array2<f64>>("field")
        .unwrap_err();
    assert!(err.to_string().contains("ReadOptions::zarr_limit"), "{err}");
    let reader = ArchiveReader::open_with(&arch, &ReadOptions::new().zarr_limit(80_000)).unwrap();
    let field: Array2<f64> = reader.read("field").unwrap();
    assert_eq!(field[[99, 99]], 198.0);
}

#[test]
fn a_compressed_bomb_reads_as_an_error() {
    let (_dir, arch) = archive(ZarrOptions::default().gzip(9));
    // A gzip stream of 16 MiB of zeros (16 KB of file) in the place of a 20 KB chunk.
    fs::write(arch.join("_arrays.zarr/field/c/0/0"), gzip_zeros(16 << 20)).unwrap();
    let err = ArchiveReader::open(&arch)
        .unwrap()
        .read::<Array2<f64>>("field")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("c/0/0") && err.contains("or more bytes"),
        "{err}"
    );
    // A file larger than any chunk is refused before it is decoded.
    fs::write(arch.join("_arrays.zarr/field/c/0/1"), vec![0u8; 1 << 20]).unwrap();
    let err = ArchiveReader::open(&arch)
        .unwrap()
        .read::<Array2<f64>>("field")
        .unwrap_err()
        .to_string();
    assert!(err.contains("larger than a chunk"), "{err}");
}

#[cfg(unix)]
#[test]
fn links_and_stray_entries_in_the_group_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    // A chunk folder linked out of the group.
    let (_dir, arch) = archive(ZarrOptions::default());
    let chunks = arch.join("_arrays.zarr/field/c/1");
    fs::rename(&chunks, outside.path().join("1")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("1"), &chunks).unwrap();
    refused(&arch, "symbolic link");
    // The array's folder linked.
    let (_dir, arch) = archive(ZarrOptions::default());
    let field = arch.join("_arrays.zarr/field");
    fs::rename(&field, outside.path().join("field")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("field"), &field).unwrap();
    refused(&arch, "symbolic link");
    // An entry of the chunk folder that is no chunk index of the grid.
    for stray in ["2", "01", "x", "-1"] {
        let (_dir, arch) = archive(ZarrOptions::default());
        fs::create_dir(arch.join("_arrays.zarr/field/c").join(stray)).unwrap();
        refused(&arch, "chunk index");
    }
    // A folder where a chunk file belongs.
    let (_dir, arch) = archive(ZarrOptions::default());
    let chunk = arch.join("_arrays.zarr/field/c/0/0");
    fs::remove_file(&chunk).unwrap();
    fs::create_dir(&chunk).unwrap();
    refused(&arch, "not a regular chunk file");
}

#[test]
fn an_array_name_or_group_that_leaves_the_archive_is_refused() {
    let (_dir, arch) = archive(ZarrOptions::default());
    let init = arch.join("__init__.py");
    let source = fs::read_to_string(&init).unwrap();
    for name in ["../field", "/etc", "__x", "zarr.json", "a/b"] {
        fs::write(
            &init,
            source.replace("_load('field')", &format!("_load('{name}')")),
        )
        .unwrap();
        let err = verify(&arch, &Default::default()).unwrap_err().to_string();
        assert!(err.contains(name), "{name}: {err}");
    }
    fs::write(&init, &source).unwrap();
    // The group's own metadata must be a plain group.
    let group = arch.join("_arrays.zarr/zarr.json");
    fs::write(
        &group,
        r#"{"zarr_format":3,"node_type":"group","consolidated_metadata":{}}"#,
    )
    .unwrap();
    refused(&arch, "consolidated_metadata");
    fs::write(&group, vec![b' '; 70 << 10]).unwrap();
    refused(&arch, "larger than");
}

/// A gzip stream that inflates to `n` zero bytes, made by Python's gzip module.
fn gzip_zeros(n: usize) -> Vec<u8> {
    let output = std::process::Command::new(persist_tests::python())
        .args([
            "-c",
            &format!("import gzip, sys; sys.stdout.buffer.write(gzip.compress(bytes({n}), 9))"),
        ])
        .output()
        .expect("run python");
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

#[test]
fn a_zarr_or_numcodecs_module_beside_the_archive_is_refused_by_verify() {
    for module in ["zarr", "numcodecs"] {
        let (dir, arch) = archive(ZarrOptions::default());
        let marker = dir.path().join("marker");
        fs::write(
            dir.path().join(format!("{module}.py")),
            format!("open({:?}, 'w')\n", marker.display().to_string()),
        )
        .unwrap();
        let err = verify(&arch, &Default::default()).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "{module}.py: a Python source file, which Python runs, named `{module}`"
            )),
            "{err}"
        );
        // The control: Python does import the fake module with the archive.
        let _ = std::process::Command::new(persist_tests::python())
            .current_dir(dir.path())
            .args(["-c", "import arch"])
            .output()
            .unwrap();
        assert!(marker.exists(), "{module}: the control");
    }
}
