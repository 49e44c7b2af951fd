//! Files written whole (formatted rules, baselines): replaced in one step,
//! so an interrupted or failed write leaves the old file or the new one,
//! never a cut one.

use std::io::Write;
use std::path::Path;

/// Replaces (or creates) the file at `path` with `bytes`: a temporary file in
/// the same folder, given the original's permissions, renamed over it. A
/// path that names something other than a regular file (`/dev/stdout`, a
/// FIFO, a folder) is written as it is, or fails as writing it fails.
pub fn file(path: &str, bytes: &[u8]) -> std::io::Result<()> {
    // Through a symbolic link to the file itself, which the link keeps naming.
    let (target, permissions) = match std::fs::canonicalize(path) {
        Ok(target) => {
            let metadata = std::fs::metadata(&target)?;
            if !metadata.is_file() {
                return std::fs::write(path, bytes);
            }
            (target, Some(metadata.permissions()))
        }
        Err(_) => (Path::new(path).to_path_buf(), None),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.tally-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(permissions) = permissions {
            std::fs::set_permissions(&temporary, permissions)?;
        }
        std::fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}
