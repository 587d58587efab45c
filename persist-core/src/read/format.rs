//! The format version an archive declares in its header, and the refusal of formats newer than
//! this crate's [`FORMAT_VERSION`].
//!
//! The writer's first line is `# persist archive, format N, written by persist-core X.` (a
//! DataSet's `__init__.py`: `# persist DataSet, format N, ...`). A source without such a line (an
//! archive written by hand, or one whose header a person deleted) is read as format 1, the oldest.

use super::LoadError;
use crate::format::{FORMAT_VERSION, HEADER_PREFIXES, OLDEST_FORMAT};
use crate::python::ast::Pos;
use crate::python::encoding::excerpt;

/// The format version `source` is written in: the number in its header line, looked for among
/// the comment and blank lines that open the file, or [`OLDEST_FORMAT`] when it has none.
///
/// # Errors
/// The header names a format newer than [`FORMAT_VERSION`] ([`LoadError::NewerFormat`]), or its
/// format is not a number ([`LoadError::Module`]). `origin` names the file in the error.
#[cfg(test)]
pub(crate) fn check_format(source: &str, origin: &str) -> Result<u32, LoadError> {
    Ok(declared_format(source, origin)?.unwrap_or(OLDEST_FORMAT))
}

/// The format version `source`'s header names, `None` without a header; errors as
/// [`check_format`].
pub(crate) fn declared_format(source: &str, origin: &str) -> Result<Option<u32>, LoadError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    for (index, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            break; // the first statement: the header comes before it or not at all
        }
        let Some(rest) = HEADER_PREFIXES.iter().find_map(|p| trimmed.strip_prefix(p)) else {
            continue;
        };
        let number = rest.split([',', '.', ' ']).next().unwrap_or("");
        let Ok(found) = number.parse::<u32>() else {
            let excerpt = excerpt(trimmed);
            return Err(LoadError::Module {
                path: origin.to_owned(),
                pos: Pos::new(u32::try_from(index + 1).unwrap_or(u32::MAX), 1),
                message: format!(
                    "the header `{excerpt}` does not name a format version; \
                     write `format 1` (the number after `format`), or delete the line"
                ),
            });
        };
        if found > FORMAT_VERSION {
            let written_by = rest
                .split_once("written by ")
                .map(|(_, by)| excerpt(by.trim_end_matches('.')));
            return Err(LoadError::NewerFormat {
                path: origin.to_owned(),
                found,
                supported: FORMAT_VERSION,
                written_by,
            });
        }
        return Ok(Some(found.max(OLDEST_FORMAT)));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writers_header_names_its_format() {
        let source = format!(
            "# persist archive, format {FORMAT_VERSION}, written by persist-core 0.1.0.\nx = 1\n"
        );
        assert_eq!(check_format(&source, "a.py").unwrap(), FORMAT_VERSION);
        let dataset = "# persist DataSet, format 1, written by persist-core.\n";
        assert_eq!(check_format(dataset, "__init__.py").unwrap(), 1);
    }

    #[test]
    fn no_header_is_the_oldest_format() {
        assert_eq!(check_format("x = 1\n", "a.py").unwrap(), OLDEST_FORMAT);
        assert_eq!(check_format("", "a.py").unwrap(), OLDEST_FORMAT);
        // A header-like comment after the first statement is not the header.
        let late = "x = 1\n# persist archive, format 99, written by persist-core 9.0.0.\n";
        assert_eq!(check_format(late, "a.py").unwrap(), OLDEST_FORMAT);
    }

    #[test]
    fn a_comment_above_the_header_is_allowed() {
        let source = "# checked by Ana\n\n# persist archive, format 1, written by x.\nx = 1\n";
        assert_eq!(check_format(source, "a.py").unwrap(), 1);
    }

    #[test]
    fn a_newer_format_is_refused_naming_both_versions() {
        let newer = FORMAT_VERSION + 1;
        let source = format!("# persist archive, format {newer}, written by persist-core 7.1.0.\n");
        let err = check_format(&source, "run.py").unwrap_err().to_string();
        assert!(err.contains(&format!("format {newer}")), "{err}");
        assert!(err.contains(&format!("format {FORMAT_VERSION}")), "{err}");
        assert!(err.contains("persist-core 7.1.0"), "{err}");
        assert!(err.contains("upgrade persist-core"), "{err}");
        assert!(err.starts_with("run.py"), "{err}");
    }

    #[test]
    fn a_format_that_is_not_a_number_is_refused() {
        let err = check_format("# persist archive, format two, written by x.\n", "a.py")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.py:1:1:"), "{err}");
        assert!(err.contains("does not name a format version"), "{err}");
    }
}
