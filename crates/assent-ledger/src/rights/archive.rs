//! The export archive (GDPR art. 15 and 20): a ZIP written entry by entry,
//! each file streamed through one 64 KiB buffer, so the memory a write needs
//! does not grow with the export's size.
//!
//! [`write()`] is blocking (run it on `spawn_blocking`). It writes to
//! `<out>.part`, syncs it, hashes it and only then renames it to `out`, so a
//! crash or a cancel never leaves a truncated archive under the final name.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The one buffer each entry's bytes pass through, and the archive's write buffer.
const CHUNK: usize = 64 * 1024;
/// Progress is reported at least this often within an entry.
const PROGRESS_EVERY: u64 = 8 * 1024 * 1024;
/// Entries from this size on are written with ZIP64 sizes. It is below 4 GiB
/// because deflate can make incompressible data slightly larger, and the
/// compressed size must fit too.
const LARGE_FILE: u64 = 0xF000_0000;

/// Where one entry's bytes come from.
#[derive(Debug)]
pub enum Source {
    /// Bytes already in memory (the JSON documents, the README).
    Bytes(Vec<u8>),
    /// A file on disk, streamed in chunks (media); its size is read from its metadata.
    File(PathBuf),
}

/// One entry of the archive: its path inside the ZIP (forward slashes, no
/// `..`, no leading `/`), its source, and whether to compress it.
#[derive(Debug)]
pub struct Entry {
    /// The path inside the ZIP, e.g. `media/voice-1.wav`.
    pub name: String,
    /// Where the entry's bytes come from.
    pub source: Source,
    /// Deflate the entry (text) or store it as is (media, already compressed).
    pub compress: bool,
}

/// How far a write has got (reported after each entry and at least every 8 MiB).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Entries completely written.
    pub files_done: u64,
    /// Entries in the archive.
    pub files_total: u64,
    /// Source bytes written so far (before compression).
    pub bytes_done: u64,
    /// The sum of the entries' sizes (files' sizes from their metadata).
    pub bytes_total: u64,
}

/// A finished archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The archive's size in bytes.
    pub size: u64,
    /// The number of entries.
    pub files: u64,
    /// The archive's digest, `sha256:<lowercase hex>`.
    pub sha256: String,
}

/// Why an archive was not written. In every case no file is left under the
/// final name, and the `.part` file is removed.
#[derive(Debug)]
pub enum ArchiveError {
    /// An entry's name is not a safe relative path, or repeats an earlier one.
    BadName {
        /// The refused name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The output file already exists; it is never overwritten.
    Exists(PathBuf),
    /// An entry's source file could not be read.
    Source {
        /// The entry's name in the archive.
        name: String,
        /// The source file.
        path: PathBuf,
        /// What failed.
        error: io::Error,
    },
    /// An entry's source file changed size between its metadata and its read.
    SourceChanged {
        /// The entry's name in the archive.
        name: String,
        /// The source file.
        path: PathBuf,
    },
    /// Writing, syncing, hashing or renaming the archive failed.
    Write(io::Error),
    /// The ZIP writer refused an entry or failed.
    Zip(zip::result::ZipError),
    /// `cancel` was set; the partial archive was removed.
    Cancelled,
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::BadName { name, reason } => {
                write!(f, "archive entry name {name:?} {reason}")
            }
            ArchiveError::Exists(path) => {
                write!(f, "archive {} already exists", path.display())
            }
            ArchiveError::Source { name, path, error } => write!(
                f,
                "cannot read {} for archive entry {name:?}: {error}",
                path.display()
            ),
            ArchiveError::SourceChanged { name, path } => write!(
                f,
                "{} (archive entry {name:?}) changed size while it was archived",
                path.display()
            ),
            ArchiveError::Write(error) => write!(f, "cannot write the archive: {error}"),
            ArchiveError::Zip(error) => write!(f, "cannot write the archive: {error}"),
            ArchiveError::Cancelled => f.write_str("the archive was cancelled"),
        }
    }
}

impl std::error::Error for ArchiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ArchiveError::Source { error, .. } | ArchiveError::Write(error) => Some(error),
            ArchiveError::Zip(error) => Some(error),
            _ => None,
        }
    }
}

impl From<zip::result::ZipError> for ArchiveError {
    fn from(error: zip::result::ZipError) -> Self {
        ArchiveError::Zip(error)
    }
}

/// Writes `entries` to `out` (a new file; written to `out` + ".part" and
/// renamed when complete, so a crash never leaves a truncated archive under
/// the final name). Blocking (callers run it on spawn_blocking). Checks
/// `cancel` between chunks and stops with ArchiveError::Cancelled (removing
/// the .part file). `bytes_total` = sum of entry sizes (file sizes from
/// metadata).
///
/// Names are checked before anything is written (see [`ArchiveError::BadName`]);
/// `out` must not exist. Progress is reported once at the start, after each
/// entry and at least every 8 MiB; the report after the last entry is at the
/// totals, and is followed by the sync and the hashing pass (one more read
/// of the archive, in chunks), which still check `cancel`. The `.part` file
/// of an earlier crashed write is overwritten. Entries are dated now (UTC)
/// and have Unix mode 0644.
pub fn write(
    out: &Path,
    entries: Vec<Entry>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Written, ArchiveError> {
    check_names(&entries)?;
    let mut sizes = Vec::with_capacity(entries.len());
    for entry in &entries {
        sizes.push(match &entry.source {
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::File(path) => file_size(&entry.name, path)?,
        });
    }
    if out.exists() {
        return Err(ArchiveError::Exists(out.to_path_buf()));
    }
    let mut done = Progress {
        files_total: entries.len() as u64,
        bytes_total: sizes.iter().sum(),
        ..Progress::default()
    };
    progress(done);

    let (part, file) = PartFile::create(out)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, file));
    let base = SimpleFileOptions::default()
        .last_modified_time(dos_now())
        .unix_permissions(0o644);
    let mut buffer = vec![0u8; CHUNK];
    let mut reported = 0;
    for (entry, size) in entries.into_iter().zip(sizes) {
        if cancel.load(Ordering::Relaxed) {
            return Err(ArchiveError::Cancelled);
        }
        let method = if entry.compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = base
            .compression_method(method)
            .large_file(size >= LARGE_FILE);
        zip.start_file(entry.name.as_str(), options)?;
        let mut feed = Feed {
            zip: &mut zip,
            cancel,
            progress: &mut *progress,
            done: &mut done,
            reported: &mut reported,
        };
        match entry.source {
            Source::Bytes(bytes) => {
                for chunk in bytes.chunks(CHUNK) {
                    feed.chunk(chunk)?;
                }
            }
            Source::File(path) => {
                let source_error = |error| ArchiveError::Source {
                    name: entry.name.clone(),
                    path: path.clone(),
                    error,
                };
                let mut file = File::open(&path).map_err(source_error)?;
                let mut left = size;
                while left > 0 {
                    let want = left.min(CHUNK as u64) as usize;
                    let read = match file.read(&mut buffer[..want]) {
                        Ok(0) => break,
                        Ok(read) => read,
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                        Err(error) => return Err(source_error(error)),
                    };
                    feed.chunk(&buffer[..read])?;
                    left -= read as u64;
                }
                let grew = loop {
                    match file.read(&mut buffer[..1]) {
                        Ok(read) => break read > 0,
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                        Err(error) => return Err(source_error(error)),
                    }
                };
                if left > 0 || grew {
                    return Err(ArchiveError::SourceChanged {
                        name: entry.name,
                        path,
                    });
                }
            }
        }
        done.files_done += 1;
        reported = done.bytes_done;
        progress(done);
    }
    let mut file = zip
        .finish()?
        .into_inner()
        .map_err(|error| ArchiveError::Write(error.into_error()))?;
    file.sync_all().map_err(ArchiveError::Write)?;
    let (size, sha256) = digest(&mut file, &mut buffer, cancel)?;
    drop(file);
    part.commit(out)?;
    Ok(Written {
        size,
        files: done.files_total,
        sha256,
    })
}

/// One entry's bytes on their way into the ZIP, with cancel and progress.
struct Feed<'a, W: Write + Seek> {
    zip: &'a mut ZipWriter<W>,
    cancel: &'a AtomicBool,
    progress: &'a mut dyn FnMut(Progress),
    done: &'a mut Progress,
    reported: &'a mut u64,
}

impl<W: Write + Seek> Feed<'_, W> {
    fn chunk(&mut self, bytes: &[u8]) -> Result<(), ArchiveError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ArchiveError::Cancelled);
        }
        self.zip.write_all(bytes).map_err(ArchiveError::Write)?;
        self.done.bytes_done += bytes.len() as u64;
        if self.done.bytes_done - *self.reported >= PROGRESS_EVERY {
            *self.reported = self.done.bytes_done;
            (self.progress)(*self.done);
        }
        Ok(())
    }
}

/// The size of an entry's source file, which must be a regular file.
fn file_size(name: &str, path: &Path) -> Result<u64, ArchiveError> {
    let source_error = |error| ArchiveError::Source {
        name: name.to_owned(),
        path: path.to_path_buf(),
        error,
    };
    let metadata = fs::metadata(path).map_err(source_error)?;
    if !metadata.is_file() {
        return Err(source_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    Ok(metadata.len())
}

/// Refuses names that would extract outside the target folder or collide:
/// empty, absolute (`/…` or a drive letter), with a backslash, a control
/// character, an empty, `.` or `..` segment, equal to an earlier name when
/// case is ignored (case-insensitive file systems would keep only one), or a
/// file that is also another entry's folder.
fn check_names(entries: &[Entry]) -> Result<(), ArchiveError> {
    let mut files = HashSet::new();
    let mut folders = HashSet::new();
    for entry in entries {
        let bad = |reason| ArchiveError::BadName {
            name: entry.name.clone(),
            reason,
        };
        let name = entry.name.as_str();
        let bytes = name.as_bytes();
        if name.is_empty() {
            return Err(bad("is empty"));
        }
        if name.starts_with('/')
            || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        {
            return Err(bad("is absolute"));
        }
        if name.contains('\\') {
            return Err(bad("contains a backslash"));
        }
        if name.chars().any(char::is_control) {
            return Err(bad("contains a control character"));
        }
        for segment in name.split('/') {
            match segment {
                "" => return Err(bad("has an empty path segment")),
                "." | ".." => return Err(bad("has a `.` or `..` segment")),
                _ => {}
            }
        }
        let key = name.to_lowercase();
        if folders.contains(&key) {
            return Err(bad("is also the folder of another entry"));
        }
        let mut at = 0;
        while let Some(slash) = key[at..].find('/') {
            let folder = &key[..at + slash];
            if files.contains(folder) {
                return Err(bad("is inside a folder that is another entry"));
            }
            folders.insert(folder.to_owned());
            at += slash + 1;
        }
        if !files.insert(key) {
            return Err(bad("repeats an earlier entry (ignoring case)"));
        }
    }
    Ok(())
}

/// The archive's size and `sha256:<hex>`, read back in chunks.
fn digest(
    file: &mut File,
    buffer: &mut [u8],
    cancel: &AtomicBool,
) -> Result<(u64, String), ArchiveError> {
    file.seek(SeekFrom::Start(0)).map_err(ArchiveError::Write)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ArchiveError::Cancelled);
        }
        let read = match file.read(buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(ArchiveError::Write(error)),
        };
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in hasher.finalize() {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    Ok((size, hex))
}

/// The `<out>.part` file being written: removed on drop unless committed.
struct PartFile {
    path: PathBuf,
    committed: bool,
}

impl PartFile {
    fn create(out: &Path) -> Result<(PartFile, File), ArchiveError> {
        let mut path = OsString::from(out.as_os_str());
        path.push(".part");
        let path = PathBuf::from(path);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(ArchiveError::Write)?;
        let part = PartFile {
            path,
            committed: false,
        };
        Ok((part, file))
    }

    /// Renames the synced part file to `out`, then syncs the folder so the
    /// rename itself survives a crash (best effort: not every file system
    /// lets a folder be synced).
    fn commit(mut self, out: &Path) -> Result<(), ArchiveError> {
        fs::rename(&self.path, out).map_err(ArchiveError::Write)?;
        self.committed = true;
        let folder = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if let Ok(folder) = File::open(folder) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Now in UTC as a ZIP (MS-DOS) date and time; 1980-01-01 if the clock is
/// outside the years a ZIP can hold.
fn dos_now() -> DateTime {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let (Ok(year), Ok(month), Ok(day)) =
        (u16::try_from(year), u8::try_from(month), u8::try_from(day))
    else {
        return DateTime::default();
    };
    DateTime::from_date_and_time(
        year,
        month,
        day,
        (rest / 3600) as u8,
        (rest / 60 % 60) as u8,
        (rest % 60) as u8,
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rights::media;
    use std::process::Command;

    fn sha256_hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    fn text(name: &str, body: &str) -> Entry {
        Entry {
            name: name.into(),
            source: Source::Bytes(body.as_bytes().to_vec()),
            compress: true,
        }
    }

    fn media_file(dir: &Path, name: &str, bytes: &[u8]) -> Entry {
        let path = dir.join(name.replace('/', "_"));
        fs::write(&path, bytes).unwrap();
        Entry {
            name: name.into(),
            source: Source::File(path),
            compress: false,
        }
    }

    /// An export like the real one: a JSON document, a README, three media files.
    fn sample(dir: &Path) -> (Vec<Entry>, Vec<(String, Vec<u8>)>) {
        let json = format!(
            "{{\"subject\":\"demo\",\"records\":[{}]}}",
            (0..500)
                .map(|i| format!("{{\"id\":{i},\"granted\":[\"analytics\"]}}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let readme =
            "Your data export.\n\ndata.json: your consent records.\nmedia/: your uploads.\n";
        let mut avi = Vec::new();
        media::write_avi(&mut avi, 32, 24, 10, 5, 3).unwrap();
        let files = [
            ("media/photo.png", media::png(64, 48, 1)),
            ("media/voice.wav", media::wav(500, 2)),
            ("media/clip.avi", avi),
        ];
        let mut entries = vec![text("data.json", &json), text("README.txt", readme)];
        let mut expected = vec![
            ("data.json".to_owned(), json.into_bytes()),
            ("README.txt".to_owned(), readme.as_bytes().to_vec()),
        ];
        for (name, bytes) in files {
            entries.push(media_file(dir, name, &bytes));
            expected.push((name.to_owned(), bytes));
        }
        (entries, expected)
    }

    fn part_of(out: &Path) -> PathBuf {
        PathBuf::from(format!("{}.part", out.display()))
    }

    #[test]
    fn an_export_reads_back_in_zip_unzip_and_python() {
        let dir = tempfile::tempdir().unwrap();
        let (entries, expected) = sample(dir.path());
        let out = dir.path().join("export.zip");
        let written = write(&out, entries, &AtomicBool::new(false), &mut |_| {}).unwrap();

        let archive_bytes = fs::read(&out).unwrap();
        assert_eq!(written.files, 5);
        assert_eq!(written.size, archive_bytes.len() as u64);
        assert_eq!(
            written.sha256,
            format!("sha256:{}", sha256_hex(&archive_bytes))
        );
        assert!(!part_of(&out).exists());

        let mut zip = zip::ZipArchive::new(File::open(&out).unwrap()).unwrap();
        assert_eq!(zip.len(), expected.len());
        for (index, (name, bytes)) in expected.iter().enumerate() {
            let mut entry = zip.by_index(index).unwrap();
            assert_eq!(entry.name().unwrap(), name.as_str());
            let method = if name.starts_with("media/") {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            assert_eq!(entry.compression(), method, "{name}");
            let mut back = Vec::new();
            entry.read_to_end(&mut back).unwrap();
            assert_eq!(&back, bytes, "{name}");
        }

        match Command::new("unzip").arg("-t").arg(&out).output() {
            Ok(run) => {
                let report = String::from_utf8_lossy(&run.stdout);
                assert!(run.status.success(), "unzip -t: {report}");
                assert!(report.contains("No errors detected"), "{report}");
            }
            Err(error) => eprintln!("skipped `unzip -t` (unzip not found: {error})"),
        }

        let python = "import hashlib, zipfile, sys\n\
                      z = zipfile.ZipFile(sys.argv[1])\n\
                      assert z.testzip() is None\n\
                      for i in z.infolist():\n    \
                          print(i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest())\n";
        match Command::new("python3")
            .arg("-c")
            .arg(python)
            .arg(&out)
            .output()
        {
            Ok(run) => {
                let stdout = String::from_utf8_lossy(&run.stdout);
                assert!(
                    run.status.success(),
                    "python zipfile: {stdout}{}",
                    String::from_utf8_lossy(&run.stderr)
                );
                let listed: Vec<&str> = stdout.lines().collect();
                let wanted: Vec<String> = expected
                    .iter()
                    .map(|(name, bytes)| format!("{name} {} {}", bytes.len(), sha256_hex(bytes)))
                    .collect();
                assert_eq!(listed, wanted);
            }
            Err(error) => eprintln!("skipped Python's zipfile (python3 not found: {error})"),
        }
    }

    #[test]
    fn cancel_stops_between_chunks_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let entries = (0..3)
            .map(|i| Entry {
                name: format!("part-{i}.bin"),
                source: Source::Bytes(vec![i; 20 * 1024 * 1024]),
                compress: false,
            })
            .collect();
        let out = dir.path().join("export.zip");
        let cancel = AtomicBool::new(false);
        let mut last = Progress::default();
        let result = write(&out, entries, &cancel, &mut |progress| {
            last = progress;
            // Mid-way through the second entry.
            if progress.bytes_done > 24 * 1024 * 1024 {
                cancel.store(true, Ordering::Relaxed);
            }
        });
        assert!(matches!(result, Err(ArchiveError::Cancelled)), "{result:?}");
        assert_eq!(last.files_done, 1);
        assert!(!out.exists());
        assert!(!part_of(&out).exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn unsafe_or_repeated_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("export.zip");
        let cases: &[&[&str]] = &[
            &[""],
            &["/etc/passwd"],
            &["C:/x.txt"],
            &["../x.txt"],
            &["media/../../x.txt"],
            &["media/.."],
            &["./x.txt"],
            &["media//x.txt"],
            &["media/"],
            &["media\\x.txt"],
            &["x\u{0}.txt"],
            &["a.txt", "a.txt"],
            &["Data.json", "data.JSON"],
            &["media", "media/x.png"],
            &["media/x.png", "media"],
        ];
        for names in cases {
            let entries = names.iter().map(|name| text(name, "x")).collect();
            let result = write(&out, entries, &AtomicBool::new(false), &mut |_| {});
            let last = names.last().copied().unwrap_or_default();
            match result {
                Err(ArchiveError::BadName { name, .. }) => assert_eq!(name, last),
                other => panic!("{names:?} was not refused: {other:?}"),
            }
            assert!(!out.exists() && !part_of(&out).exists());
        }
        // Dots inside a segment are fine.
        let entries = vec![text("a..b/c...txt", "x"), text(".well-known/x", "y")];
        write(&out, entries, &AtomicBool::new(false), &mut |_| {}).unwrap();
    }

    #[test]
    fn an_existing_archive_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("export.zip");
        fs::write(&out, b"earlier").unwrap();
        let result = write(
            &out,
            vec![text("a", "b")],
            &AtomicBool::new(false),
            &mut |_| {},
        );
        assert!(matches!(result, Err(ArchiveError::Exists(_))), "{result:?}");
        assert_eq!(fs::read(&out).unwrap(), b"earlier");
    }

    #[test]
    fn a_missing_source_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("export.zip");
        let entries = vec![Entry {
            name: "media/gone.png".into(),
            source: Source::File(dir.path().join("gone.png")),
            compress: false,
        }];
        let result = write(&out, entries, &AtomicBool::new(false), &mut |_| {});
        match result {
            Err(ArchiveError::Source { name, .. }) => assert_eq!(name, "media/gone.png"),
            other => panic!("{other:?}"),
        }
        assert!(!out.exists() && !part_of(&out).exists());
    }

    #[test]
    fn progress_is_monotonic_and_ends_at_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        let (mut entries, _) = sample(dir.path());
        let big = vec![7u8; 20 * 1024 * 1024 + 123];
        entries.push(media_file(dir.path(), "media/big.bin", &big));
        let bytes_total: u64 = entries
            .iter()
            .map(|entry| match &entry.source {
                Source::Bytes(bytes) => bytes.len() as u64,
                Source::File(path) => fs::metadata(path).unwrap().len(),
            })
            .sum();
        let out = dir.path().join("export.zip");
        let mut reports = Vec::new();
        write(&out, entries, &AtomicBool::new(false), &mut |p| {
            reports.push(p)
        })
        .unwrap();

        let totals = Progress {
            files_done: 6,
            files_total: 6,
            bytes_done: bytes_total,
            bytes_total,
        };
        assert_eq!(
            reports.first(),
            Some(&Progress {
                files_done: 0,
                bytes_done: 0,
                ..totals
            })
        );
        assert_eq!(reports.last(), Some(&totals));
        for pair in reports.windows(2) {
            assert!(pair[0].files_done <= pair[1].files_done, "{pair:?}");
            assert!(pair[0].bytes_done <= pair[1].bytes_done, "{pair:?}");
            assert_eq!((pair[0].files_total, pair[0].bytes_total), (6, bytes_total));
        }
        // No more than 8 MiB between two reports, and reports inside the big entry.
        for pair in reports.windows(2) {
            assert!(pair[1].bytes_done - pair[0].bytes_done <= PROGRESS_EVERY + CHUNK as u64);
        }
        assert!(
            reports.iter().filter(|p| p.files_done == 5).count() >= 3,
            "{reports:?}"
        );
    }

    #[test]
    fn dos_time_is_today() {
        let now = dos_now();
        assert!(now.year() >= 2025, "{now:?}");
        assert!((1..=12).contains(&now.month()) && (1..=31).contains(&now.day()));
    }

    /// Peak resident memory of this process, in KiB (`VmHWM`).
    fn peak_rss_kib() -> u64 {
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Set in the child process that [`memory_does_not_grow_with_the_export`] runs.
    const MEMORY_CHILD: &str = "ASSENT_ARCHIVE_MEMORY_CHILD";

    /// Writes a ~300 MiB media file into an archive and checks that the peak
    /// RSS grows by far less than the file (it is streamed). `VmHWM` is
    /// process-wide and other tests run on parallel threads, so the test runs
    /// itself again in a process of its own and measures there. About 3 s in
    /// a debug build; it writes ~600 MiB to the temp dir, removed afterwards.
    /// The figure: `cargo test -p assent-ledger rights::archive::tests::memory -- --nocapture`.
    #[test]
    fn memory_does_not_grow_with_the_export() {
        if std::env::var_os(MEMORY_CHILD).is_none() {
            let module = module_path!().split_once("::").map_or("", |(_, path)| path);
            let name = format!("{module}::memory_does_not_grow_with_the_export");
            let run = Command::new(std::env::current_exe().unwrap())
                .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
                .env(MEMORY_CHILD, "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(run.status.success(), "{stdout}{stderr}");
            assert!(
                stdout.contains("1 passed"),
                "the child ran no test: {stdout}"
            );
            eprint!("{stderr}");
            return;
        }
        const MIB: usize = 1024 * 1024;
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.avi");
        let mut file = BufWriter::new(File::create(&big).unwrap());
        let mut block = vec![0u8; MIB];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for word in block.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        for index in 0..300u64 {
            block[..8].copy_from_slice(&index.to_le_bytes());
            file.write_all(&block).unwrap();
        }
        file.into_inner().unwrap().sync_all().unwrap();
        drop(block);

        // Resets VmHWM to the current RSS where the kernel allows it (Linux >= 4.0).
        let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
        let before = peak_rss_kib();
        let started = std::time::Instant::now();
        let out = dir.path().join("export.zip");
        let entries = vec![
            text("data.json", "{\"subject\":\"bench\"}"),
            Entry {
                name: "media/big.avi".into(),
                source: Source::File(big),
                compress: false,
            },
        ];
        let written = write(&out, entries, &AtomicBool::new(false), &mut |_| {}).unwrap();
        let elapsed = started.elapsed();
        let growth = peak_rss_kib().saturating_sub(before);
        eprintln!(
            "archive of {} MiB in {elapsed:?}: peak RSS {before} KiB before (VmHWM reset: {reset}), grew by {growth} KiB",
            written.size / MIB as u64
        );
        assert!(written.size > 300 * MIB as u64);
        let zip = zip::ZipArchive::new(File::open(&out).unwrap()).unwrap();
        assert_eq!(zip.decompressed_size(), Some(300 * MIB as u128 + 19));
        assert!(growth < 32 * 1024, "peak RSS grew by {growth} KiB");
    }
}
